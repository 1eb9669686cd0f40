//! The Confirm / Not … / Ignore … buttons under a Slack notice, and the
//! value each button carries back when it is clicked.
//!
//! A button's value identifies the sighting it was shown on and carries no
//! personal data beyond the login:
//!
//! ```text
//! v1|<delivery id>|<login>|<account id, or empty>|<signal, or empty>
//! ```
//!
//! Fields never contain `|`; a sighting with a field that would is shown
//! without buttons rather than with a value that cannot be read back. The
//! value is parsed strictly: anything else is not orgradar's.

use super::text::truncate;
use crate::sighting::Sighting;
use serde_json::{Value, json};

/// The `action_id` of the button that says orgradar was right.
pub const CONFIRM: &str = "orgradar_confirm";
/// The `action_id` of the button that says the person is not of the account.
pub const NOT: &str = "orgradar_not";
/// The `action_id` of the button that says to leave the person alone.
pub const IGNORE: &str = "orgradar_ignore";
/// The `block_id` of the buttons' block.
pub const BLOCK_ID: &str = "orgradar_feedback";

/// Characters of a button's text (Slack's limit).
pub const MAX_BUTTON_TEXT: usize = 75;
/// Characters of a button's value (Slack's limit).
pub const MAX_VALUE: usize = 2000;
/// Characters of the delivery id, login, account or signal in a value.
const MAX_FIELD: usize = 200;
const VERSION: &str = "v1";

/// What a button's value says about the sighting it was shown on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ButtonValue {
    pub delivery_id: String,
    pub login: String,
    /// The target account the sighting named.
    pub account: Option<String>,
    /// The kind of evidence that decided it (`email_domain`, ...).
    pub signal: Option<String>,
}

/// Why a value was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("the button's value is not of orgradar's form `v1|delivery|login|account|signal`")]
    Form,
    #[error("the button's value has an empty or overlong {0}")]
    Field(&'static str),
}

fn field_ok(text: &str) -> bool {
    text.chars().count() <= MAX_FIELD && !text.contains('|') && !text.chars().any(char::is_control)
}

impl ButtonValue {
    /// The value of `sighting`'s buttons.
    pub fn of(sighting: &Sighting) -> Self {
        ButtonValue {
            delivery_id: sighting.answered_delivery().to_string(),
            login: sighting.login.clone(),
            account: sighting.account.clone(),
            signal: sighting.signal.and_then(|s| {
                serde_json::to_value(s)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
            }),
        }
    }

    /// `v1|…`, or `None` when a field could not be read back.
    pub fn encode(&self) -> Option<String> {
        let fields = [
            self.delivery_id.as_str(),
            self.login.as_str(),
            self.account.as_deref().unwrap_or_default(),
            self.signal.as_deref().unwrap_or_default(),
        ];
        if self.delivery_id.is_empty()
            || self.login.is_empty()
            || !fields.iter().all(|f| field_ok(f))
        {
            return None;
        }
        let value = format!("{VERSION}|{}", fields.join("|"));
        (value.chars().count() <= MAX_VALUE).then_some(value)
    }

    /// Reads a value made by [`ButtonValue::encode`].
    pub fn parse(value: &str) -> Result<Self, ValueError> {
        if value.chars().count() > MAX_VALUE {
            return Err(ValueError::Form);
        }
        let parts: Vec<&str> = value.split('|').collect();
        let &[version, delivery_id, login, account, signal] = parts.as_slice() else {
            return Err(ValueError::Form);
        };
        if version != VERSION {
            return Err(ValueError::Form);
        }
        let required = |text: &str, name| {
            if text.is_empty() || !field_ok(text) || text.contains(char::is_whitespace) {
                Err(ValueError::Field(name))
            } else {
                Ok(text.to_string())
            }
        };
        let optional = |text: &str, name| {
            if text.is_empty() {
                Ok(None)
            } else {
                required(text, name).map(Some)
            }
        };
        Ok(ButtonValue {
            delivery_id: required(delivery_id, "delivery id")?,
            login: required(login, "login")?,
            account: optional(account, "account")?,
            signal: optional(signal, "signal")?,
        })
    }
}

fn button(action_id: &str, text: &str, value: &str, style: Option<&str>) -> Value {
    let mut b = json!({
        "type": "button",
        "action_id": action_id,
        "text": { "type": "plain_text", "text": truncate(text, MAX_BUTTON_TEXT), "emoji": true },
        "value": value,
    });
    if let Some(style) = style {
        b["style"] = json!(style);
    }
    b
}

/// The `actions` block: `Confirm`, `Not <account or organization>` (when the
/// sighting names one) and `Ignore <login>`; `None` when the sighting's
/// fields cannot be carried in a value.
pub fn actions_block(sighting: &Sighting) -> Option<Value> {
    let value = ButtonValue::of(sighting).encode()?;
    let mut elements = vec![button(CONFIRM, "Confirm", &value, Some("primary"))];
    if let Some(name) = sighting.who_for() {
        elements.push(button(NOT, &format!("Not {name}"), &value, Some("danger")));
    }
    elements.push(button(
        IGNORE,
        &format!("Ignore {}", sighting.login),
        &value,
        None,
    ));
    Some(json!({ "type": "actions", "block_id": BLOCK_ID, "elements": elements }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value() -> ButtonValue {
        ButtonValue {
            delivery_id: "72d3162e-cc78-11e3-81ab-4c9367dc0958".into(),
            login: "jdoe".into(),
            account: Some("acme".into()),
            signal: Some("email_domain".into()),
        }
    }

    #[test]
    fn a_value_reads_back_as_it_was_written() {
        let v = value();
        let text = v.encode().unwrap();
        assert_eq!(
            text,
            "v1|72d3162e-cc78-11e3-81ab-4c9367dc0958|jdoe|acme|email_domain"
        );
        assert_eq!(ButtonValue::parse(&text), Ok(v));
        let bare = ButtonValue {
            account: None,
            signal: None,
            ..value()
        };
        let text = bare.encode().unwrap();
        assert_eq!(text, "v1|72d3162e-cc78-11e3-81ab-4c9367dc0958|jdoe||");
        assert_eq!(ButtonValue::parse(&text), Ok(bare));
    }

    #[test]
    fn values_not_of_orgradars_form_are_refused() {
        for bad in [
            "",
            "confirm",
            "v2|d|jdoe|acme|",
            "v1|d|jdoe|acme",
            "v1|d|jdoe|acme||",
            "v1||jdoe|acme|",
            "v1|d||acme|",
            "v1|d|j doe|acme|",
            "v1|d|jdoe|ac\nme|",
        ] {
            assert!(ButtonValue::parse(bad).is_err(), "{bad:?}");
        }
        let long = format!("v1|{}|jdoe||", "d".repeat(MAX_VALUE));
        assert!(ButtonValue::parse(&long).is_err());
    }

    #[test]
    fn a_field_with_a_bar_is_not_written() {
        let v = ButtonValue {
            account: Some("a|b".into()),
            ..value()
        };
        assert_eq!(v.encode(), None);
    }

    fn sighting() -> Sighting {
        Sighting {
            delivery_id: "72d3162e-cc78-11e3-81ab-4c9367dc0958".into(),
            at: 1_795_420_800_000,
            event: crate::sighting::EventKind::IssueOpened,
            repository: "acme/widgets".into(),
            repository_private: false,
            item: None,
            url: "https://github.com/acme/widgets/issues/1".into(),
            login: "jdoe".into(),
            account: Some("acme".into()),
            account_name: Some("Acme Corporation".into()),
            organization: Some("Acme Corporation".into()),
            tier: None,
            confidence: 0.9,
            evidence: String::new(),
            intent: Vec::new(),
            signal: Some(crate::affiliation::Signal::EmailDomain),
            rules: vec!["enterprise".into()],
            moved_from: None,
        }
    }

    fn texts(block: &Value) -> Vec<(String, String)> {
        block["elements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["action_id"].as_str().unwrap().to_string(),
                    b["text"]["text"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn a_notice_ends_with_three_buttons_only_when_asked() {
        let taxonomy = crate::intent::Taxonomy::default();
        let with = super::super::notice(&sighting(), None, &taxonomy, true);
        let last = with.blocks.as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["type"], "actions");
        assert_eq!(
            texts(&last),
            [
                (CONFIRM.to_string(), "Confirm".to_string()),
                (NOT.to_string(), "Not Acme Corporation".to_string()),
                (IGNORE.to_string(), "Ignore jdoe".to_string()),
            ]
        );
        assert_eq!(last["elements"][0]["style"], "primary");
        assert_eq!(last["elements"][1]["style"], "danger");
        assert!(last["elements"][2].get("style").is_none());
        let value = last["elements"][0]["value"].as_str().unwrap();
        assert_eq!(
            ButtonValue::parse(value).unwrap(),
            ButtonValue {
                delivery_id: "72d3162e-cc78-11e3-81ab-4c9367dc0958".into(),
                login: "jdoe".into(),
                account: Some("acme".into()),
                signal: Some("email_domain".into()),
            }
        );
        let without = super::super::notice(&sighting(), None, &taxonomy, false);
        assert!(
            without
                .blocks
                .as_array()
                .unwrap()
                .iter()
                .all(|b| b["type"] != "actions")
        );
    }

    #[test]
    fn long_names_are_cut_and_an_organization_is_named_without_an_account() {
        let s = Sighting {
            account: None,
            account_name: None,
            organization: Some("O".repeat(300)),
            login: "l".repeat(100),
            ..sighting()
        };
        let block = actions_block(&s).unwrap();
        for (_, text) in texts(&block) {
            assert!(text.chars().count() <= MAX_BUTTON_TEXT, "{text}");
        }
        assert!(texts(&block)[1].1.starts_with("Not OOO"));
        let nobody = Sighting {
            organization: None,
            ..s
        };
        let ids: Vec<String> = texts(&actions_block(&nobody).unwrap())
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids, [CONFIRM, IGNORE]);
    }
}
