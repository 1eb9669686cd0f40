//! What can go wrong posting to Slack, and how to fix it. No message ever
//! holds the webhook URL or the bot token.

use std::time::Duration;

/// A post that did not land.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlackError {
    /// Trying again later may work (rate limit, outage, no answer).
    #[error("{message}")]
    Transient {
        message: String,
        /// How long Slack asked to wait, if it said.
        retry_after: Option<Duration>,
    },
    /// Trying again will not work until the configuration is fixed.
    #[error("{0}")]
    Permanent(String),
}

impl SlackError {
    pub fn is_transient(&self) -> bool {
        matches!(self, SlackError::Transient { .. })
    }
}

/// How to fix what Slack's `error` (chat.postMessage) or webhook answer says.
pub fn hint(error: &str, channel: Option<&str>) -> String {
    let channel = channel
        .map(|c| format!("#{}", c.trim_start_matches('#')))
        .unwrap_or_else(|| "the channel".to_string());
    match error {
        "channel_not_found" => format!(
            "Slack does not know {channel}: check the channel name, and invite the bot to it if it is private"
        ),
        "not_in_channel" => {
            format!("the bot is not in {channel}: invite it (`/invite @<bot name>` in {channel})")
        }
        "is_archived" | "channel_is_archived" => {
            format!("{channel} is archived: unarchive it or choose another channel")
        }
        "invalid_auth" | "not_authed" | "token_revoked" | "token_expired"
        | "account_inactive" | "no_permission" => format!(
            "Slack refused the bot token ({error}): rotate SLACK_BOT_TOKEN (the Slack app's OAuth & Permissions page) and restart"
        ),
        "missing_scope" => {
            "the Slack app lacks the chat:write scope: add it under OAuth & Permissions, reinstall the app and update SLACK_BOT_TOKEN".to_string()
        }
        "no_service" | "no_team" | "team_disabled" => format!(
            "the Slack webhook no longer exists ({error}): create a new incoming webhook and update its URL in the configuration"
        ),
        "action_prohibited" | "restricted_action" | "posting_to_general_channel_denied" => format!(
            "a Slack admin restricts posting in {channel} ({error}): allow the app or choose another channel"
        ),
        "invalid_payload" | "invalid_blocks" | "invalid_blocks_format" | "msg_too_long"
        | "no_text" | "too_many_attachments" => format!(
            "Slack refused the message as malformed ({error}); this is a bug in orgradar's message, please report it"
        ),
        other => format!("Slack refused the message: {other}"),
    }
}

/// Whether a chat.postMessage `error` is Slack's own trouble.
pub fn transient_error(error: &str) -> bool {
    matches!(
        error,
        "internal_error"
            | "fatal_error"
            | "service_unavailable"
            | "request_timeout"
            | "ratelimited"
    )
}

/// `text` with every secret replaced by `[redacted]`.
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|s| !s.is_empty())
        .fold(text.to_string(), |t, s| t.replace(s, "[redacted]"))
}
