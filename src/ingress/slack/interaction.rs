//! A Slack `block_actions` payload, and the answers orgradar's buttons in
//! it give: each a [`Correction`] with the [`Reply`] to show it on.

use crate::feedback::Reply;
use crate::notify::buttons::{ButtonValue, CONFIRM, IGNORE, NOT};
use crate::people::{Correction, Sighted, Verdict, Via};
use crate::sighting::Sighting;
use crate::time::Millis;
use serde::Deserialize;
use serde_json::Value;

/// What orgradar reads of an interaction payload.
#[derive(Debug, Deserialize)]
pub struct Interaction {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub user: Option<User>,
    #[serde(default)]
    pub team: Option<Team>,
    /// A credential for 30 minutes: never logged.
    #[serde(default)]
    pub response_url: Option<String>,
    #[serde(default)]
    pub message: Option<Posted>,
    #[serde(default)]
    pub actions: Vec<Action>,
}

#[derive(Debug, Deserialize)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub team_id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Team {
    pub id: String,
}

/// The message the button was on, as Slack sends it back.
#[derive(Debug, Deserialize)]
pub struct Posted {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub blocks: Vec<Value>,
}

#[derive(Debug, Deserialize)]
pub struct Action {
    pub action_id: String,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub action_ts: Option<String>,
}

/// One click on one of orgradar's buttons, read but not yet tied to the
/// stored sighting.
#[derive(Debug, Clone, PartialEq)]
pub struct Click {
    /// `slack-<team>-<user>-<action_ts>`: the same click always has the same id.
    pub id: String,
    pub verdict: Verdict,
    pub value: ButtonValue,
    /// `@username` (else the name, else the user id).
    pub by: String,
}

/// Why an interaction cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    #[error("the interaction has no `user`")]
    NoUser,
    #[error("action `{0}` has no `action_ts`")]
    NoActionTs(String),
    #[error("action `{action}`: {error}")]
    Value {
        action: String,
        error: crate::notify::buttons::ValueError,
    },
}

/// The verdict of one of orgradar's buttons.
pub fn verdict(action_id: &str) -> Option<Verdict> {
    match action_id {
        CONFIRM => Some(Verdict::Confirm),
        NOT => Some(Verdict::None),
        IGNORE => Some(Verdict::Ignore),
        _ => None,
    }
}

/// Letters, digits, `.` and `-` kept; anything else becomes `_`; at most 60 characters.
fn sanitize(text: &str) -> String {
    text.chars()
        .take(60)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

impl Interaction {
    /// The clicks on orgradar's buttons; the other actions are left out.
    pub fn clicks(&self) -> Result<Vec<Click>, Unreadable> {
        let ours: Vec<(&Action, Verdict)> = self
            .actions
            .iter()
            .filter_map(|a| verdict(&a.action_id).map(|v| (a, v)))
            .collect();
        if ours.is_empty() {
            return Ok(Vec::new());
        }
        let user = self.user.as_ref().ok_or(Unreadable::NoUser)?;
        let team = self
            .team
            .as_ref()
            .map(|t| t.id.as_str())
            .or(user.team_id.as_deref())
            .unwrap_or("T");
        let shown = [user.username.as_deref(), user.name.as_deref()]
            .into_iter()
            .flatten()
            .find(|n| !n.trim().is_empty())
            .unwrap_or(&user.id);
        let by = format!("@{}", shown.trim());
        ours.into_iter()
            .map(|(action, verdict)| {
                let ts = action
                    .action_ts
                    .as_deref()
                    .filter(|ts| !ts.is_empty())
                    .ok_or_else(|| Unreadable::NoActionTs(action.action_id.clone()))?;
                let value = ButtonValue::parse(action.value.as_deref().unwrap_or_default())
                    .map_err(|error| Unreadable::Value {
                        action: action.action_id.clone(),
                        error,
                    })?;
                Ok(Click {
                    id: format!(
                        "slack-{}-{}-{}",
                        sanitize(team),
                        sanitize(&user.id),
                        sanitize(ts)
                    ),
                    verdict,
                    value,
                    by: by.clone(),
                })
            })
            .collect()
    }

    /// Where the answer is shown once its work is done: the message the
    /// button was on, through the interaction's `response_url`.
    pub fn reply(&self) -> Option<Reply> {
        let response_url = self.response_url.clone().filter(|u| !u.is_empty())?;
        let (text, blocks) = self
            .message
            .as_ref()
            .map(|m| (m.text.clone(), m.blocks.clone()))
            .unwrap_or_default();
        Some(Reply {
            response_url,
            blocks,
            text,
        })
    }
}

impl Click {
    /// The answer, with what orgradar had decided: from the stored sighting
    /// when it is still kept, else from the button's value.
    pub fn correction(&self, stored: Option<&Sighting>, at: Millis) -> Correction {
        let sighted = match stored {
            Some(s) => s.sighted(),
            None => Sighted {
                account: self.value.account.clone(),
                signal: self.value.signal.clone(),
                rules: Vec::new(),
            },
        };
        Correction {
            id: self.id.clone(),
            login: self.value.login.to_lowercase(),
            verdict: self.verdict,
            account: match self.verdict {
                Verdict::Confirm => sighted.account.clone(),
                _ => None,
            },
            sighting: Some(self.value.delivery_id.clone()),
            sighted,
            by: self.by.clone(),
            via: Via::Slack,
            note: None,
            at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload(action_id: &str, value: &str) -> Interaction {
        serde_json::from_value(json!({
            "type": "block_actions",
            "user": { "id": "U0D15K92L", "username": "dana", "name": "dana", "team_id": "T0CAG" },
            "team": { "id": "T0CAG", "domain": "acme" },
            "response_url": "https://hooks.slack.com/actions/T0CAG/1/xyz",
            "message": { "text": "jdoe (Acme)", "blocks": [{ "type": "section" }], "ts": "1.2" },
            "actions": [{
                "action_id": action_id, "block_id": "orgradar_feedback", "value": value,
                "type": "button", "action_ts": "1548426417.840180"
            }]
        }))
        .unwrap()
    }

    #[test]
    fn a_click_becomes_an_answer_with_a_deterministic_id() {
        let i = payload(NOT, "v1|d-1|JDoe|acme|email_domain");
        let clicks = i.clicks().unwrap();
        assert_eq!(clicks.len(), 1);
        let c = clicks[0].correction(None, 5);
        assert_eq!(c.id, "slack-T0CAG-U0D15K92L-1548426417.840180");
        assert_eq!(c.login, "jdoe");
        assert_eq!(c.verdict, Verdict::None);
        assert_eq!(c.account, None);
        assert_eq!(c.sighting.as_deref(), Some("d-1"));
        assert_eq!(c.sighted.account.as_deref(), Some("acme"));
        assert_eq!(c.sighted.signal.as_deref(), Some("email_domain"));
        assert_eq!(c.by, "@dana");
        assert_eq!(c.via, Via::Slack);
        let confirm = payload(CONFIRM, "v1|d-1|jdoe|acme|").clicks().unwrap();
        assert_eq!(
            confirm[0].correction(None, 5).account.as_deref(),
            Some("acme")
        );
        assert_eq!(i.reply().unwrap().text, "jdoe (Acme)");
    }

    #[test]
    fn other_actions_are_left_out_and_a_bad_value_is_refused() {
        assert!(payload("someone_elses", "x").clicks().unwrap().is_empty());
        assert!(matches!(
            payload(IGNORE, "jdoe").clicks(),
            Err(Unreadable::Value { .. })
        ));
    }

    #[test]
    fn ids_cannot_be_steered_by_odd_characters() {
        let mut i = payload(IGNORE, "v1|d-1|jdoe||");
        i.actions[0].action_ts = Some("1/../x y".into());
        assert_eq!(i.clicks().unwrap()[0].id, "slack-T0CAG-U0D15K92L-1_.._x_y");
    }
}
