//! The ledger's key for one action of one delivery: which label, or which
//! channel. Written to the store as `label:NAME` or `notify:CHANNEL`.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ActionKey {
    /// A label on the delivery's issue or pull request.
    Label(String),
    /// A notice to a channel (Slack, or a tracking issue).
    Notify(String),
    /// Putting right an action done on the strength of a wrong affiliation
    /// (a label removed, a tracking issue told): kept under the corrected
    /// delivery, so it happens once whatever answers follow.
    Undo(Box<ActionKey>),
    /// The Slack message a correction was given on, replaced to show it:
    /// kept under the correction.
    Reply,
}

impl ActionKey {
    pub fn label(name: &str) -> Self {
        ActionKey::Label(name.to_string())
    }

    pub fn notify(channel: &str) -> Self {
        ActionKey::Notify(channel.to_string())
    }

    /// The undoing of `self`.
    pub fn undo(&self) -> Self {
        ActionKey::Undo(Box::new(self.clone()))
    }

    /// The kind of action, as the metrics count it.
    pub fn kind(&self) -> &'static str {
        match self {
            ActionKey::Label(_) => "label",
            ActionKey::Notify(_) => "notify",
            ActionKey::Undo(_) => "undo",
            ActionKey::Reply => "reply",
        }
    }

    /// Reads a key written by [`fmt::Display`].
    pub fn parse(text: &str) -> Option<Self> {
        if text == "reply" {
            return Some(ActionKey::Reply);
        }
        let (kind, name) = text.split_once(':')?;
        match kind {
            "label" => Some(ActionKey::Label(name.to_string())),
            "notify" => Some(ActionKey::Notify(name.to_string())),
            "undo" => ActionKey::parse(name).map(|k| k.undo()),
            _ => None,
        }
    }
}

impl fmt::Display for ActionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionKey::Label(name) => write!(f, "label:{name}"),
            ActionKey::Notify(channel) => write!(f, "notify:{channel}"),
            ActionKey::Undo(key) => write!(f, "undo:{key}"),
            ActionKey::Reply => f.write_str("reply"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ActionKey;

    #[test]
    fn a_key_reads_back_as_written_even_with_a_colon_in_the_name() {
        for key in [
            ActionKey::label("lead: acme"),
            ActionKey::notify("sales"),
            ActionKey::label("lead: acme").undo(),
            ActionKey::notify("leads").undo(),
            ActionKey::Reply,
        ] {
            assert_eq!(ActionKey::parse(&key.to_string()), Some(key));
        }
        assert_eq!(ActionKey::parse("label:x").map(|k| k.kind()), Some("label"));
        assert_eq!(ActionKey::parse("lock:x"), None);
        assert_eq!(ActionKey::parse("undo:lock:x"), None);
    }
}
