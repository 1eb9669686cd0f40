//! Putting right what a delivery did on the strength of an affiliation
//! someone corrected: the labels orgradar added come off the item, and each
//! tracking issue that logged the sighting is told. Each step is ledgered
//! under the corrected delivery (`undo:label:NAME`, `undo:notify:CHANNEL`),
//! so it happens once, whatever answers follow and however often the job
//! runs; a step that may have happened before a crash is looked for first.

use super::{ActionKey, Actions, tracking};
use crate::failure::ProcessError;
use crate::github::Items;
use crate::notify::{Answer, correction_comment, correction_marker, delivery_marker};
use crate::rules::Channel;
use crate::store::{ActionRecord, ActionState};

/// What a correction asks to be put right, and how to say it.
pub struct Correcting<'a> {
    /// The delivery whose actions are undone.
    pub delivery: &'a str,
    /// The correction's id (its comment's marker).
    pub id: &'a str,
    pub login: &'a str,
    pub answer: &'a Answer,
    /// What became of the sighting, for the comment: "It no longer counts
    /// for Acme Corporation."
    pub outcome: &'a str,
    /// The group the sighting was in (`account:acme`), where its tracking
    /// issue is found.
    pub group: Option<&'a str>,
}

/// `owner/repo#N` at the start of a ledger detail ("owner/repo#N comment 7").
fn item_of(detail: &str) -> Option<(&str, u64)> {
    let first = detail.split_whitespace().next()?;
    let (repo, number) = first.rsplit_once('#')?;
    Some((repo, number.parse().ok()?))
}

impl Actions {
    /// Undoes the delivery's labels and tells its tracking issues, with
    /// `installation` the one the delivery came with. Returns what was done
    /// now, for the job's note.
    pub async fn undo(
        &self,
        github: &dyn Items,
        installation: u64,
        c: &Correcting<'_>,
    ) -> Result<Vec<String>, ProcessError> {
        let ledger = self.store.actions(c.delivery).await?;
        let settled = |key: &ActionKey| {
            ledger
                .get(&key.to_string())
                .is_some_and(|r| r.state.settled())
        };
        let retried = |key: &ActionKey| {
            ledger
                .get(&key.to_string())
                .is_some_and(|r| r.state == ActionState::Started)
        };
        let mut done = Vec::new();
        // Done actions, and notices whose write was in doubt when the answer
        // came (the delivery's retry then followed the answer and wrote
        // nothing more): they are looked for on GitHub.
        let mut keys: Vec<(ActionKey, &ActionRecord)> = ledger
            .iter()
            .filter_map(|(k, r)| Some((ActionKey::parse(k)?, r)))
            .filter(|(k, r)| {
                r.state == ActionState::Done
                    || (r.state == ActionState::Started && matches!(k, ActionKey::Notify(_)))
            })
            .collect();
        keys.sort_by_key(|(k, _)| k.to_string());
        for (key, record) in keys {
            let undo = key.undo();
            if settled(&undo) {
                continue;
            }
            let target = match (&key, record.state) {
                (ActionKey::Notify(channel), ActionState::Started) => {
                    self.in_doubt(github, channel, c).await?
                }
                _ => record
                    .detail
                    .as_deref()
                    .and_then(item_of)
                    .map(|(repo, n)| (repo.to_string(), n)),
            };
            let target = target.as_ref().map(|(repo, n)| (repo.as_str(), *n));
            match (&key, target) {
                (ActionKey::Label(label), Some((repo, number))) => {
                    self.record(c.delivery, &undo, ActionState::Started, None)
                        .await?;
                    github
                        .remove_label(installation, repo, number, label)
                        .await
                        .map_err(|e| {
                            ProcessError::github(
                                format!("removing {label} from {repo}#{number}"),
                                e,
                            )
                        })?;
                    let what = format!("removed label {label} from {repo}#{number}");
                    self.record(c.delivery, &undo, ActionState::Done, Some(what.clone()))
                        .await?;
                    done.push(what);
                }
                (ActionKey::Notify(channel), Some((repo, number)))
                    if matches!(
                        self.rules.channels.get(channel),
                        Some(Channel::GithubIssue(_))
                    ) =>
                {
                    let retry = retried(&undo);
                    self.record(c.delivery, &undo, ActionState::Started, None)
                        .await?;
                    let what = self
                        .tell_tracking_issue(github, repo, number, c, retry)
                        .await?;
                    self.record(c.delivery, &undo, ActionState::Done, Some(what.clone()))
                        .await?;
                    done.push(what);
                }
                _ => {}
            }
        }
        Ok(done)
    }

    /// Where a tracking-issue notice whose write was in doubt landed, if it
    /// did: the group's tracking issue holding a comment with the
    /// delivery's marker, or an issue of its own with it.
    async fn in_doubt(
        &self,
        github: &dyn Items,
        channel: &str,
        c: &Correcting<'_>,
    ) -> Result<Option<(String, u64)>, ProcessError> {
        let Some(Channel::GithubIssue(g)) = self.rules.channels.get(channel) else {
            return Ok(None);
        };
        let repo = g.repo.value.as_str();
        let installation = self.leads.installation(github, repo).await?;
        let marker = delivery_marker(c.delivery);
        let found = if g.per_account {
            let Some(group) = c.group else {
                return Ok(None);
            };
            match self.store.tracking_issue(repo, group).await? {
                Some(n) if tracking::commented(github, installation, repo, n, &marker).await? => {
                    Some(n)
                }
                _ => None,
            }
        } else {
            tracking::find_issue(github, installation, repo, &marker).await?
        };
        Ok(found.map(|n| (repo.to_string(), n)))
    }

    /// Comments on `repo#number` that the sighting was corrected, unless a
    /// crashed attempt (`retry`) did so already.
    async fn tell_tracking_issue(
        &self,
        github: &dyn Items,
        repo: &str,
        number: u64,
        c: &Correcting<'_>,
        retry: bool,
    ) -> Result<String, ProcessError> {
        let installation = self.leads.installation(github, repo).await?;
        let what = format!("commented on {repo}#{number}");
        if retry
            && tracking::commented(github, installation, repo, number, &correction_marker(c.id))
                .await?
        {
            return Ok(what);
        }
        let body = correction_comment(c.id, c.login, c.answer, c.outcome);
        github
            .create_comment(installation, repo, number, &body)
            .await
            .map_err(|e| ProcessError::github(format!("commenting on {repo}#{number}"), e))?;
        Ok(what)
    }
}

#[cfg(test)]
mod tests {
    use super::item_of;

    #[test]
    fn the_item_a_ledger_detail_names() {
        assert_eq!(item_of("acme/sdk#12"), Some(("acme/sdk", 12)));
        assert_eq!(
            item_of("acme-corp/leads#3 comment 99"),
            Some(("acme-corp/leads", 3))
        );
        assert_eq!(item_of("posted to Slack"), None);
    }
}
