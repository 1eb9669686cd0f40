//! The work a correction leaves in the queue, done by the worker: once the
//! answered sighting's delivery is done, what it did on the strength of the
//! wrong answer is put right (labels, tracking issues: see
//! [`crate::actions::Correcting`]), the sighting moves to the right account
//! or out of the dashboard, and the Slack message the answer was given on
//! is replaced to show who decided what.

use super::{Job, Reply};
use crate::actions::{ActionKey, Actions, Correcting};
use crate::affiliation::{Accounts, Signal};
use crate::failure::{HELD_UNREGISTERED, ProcessError};
use crate::github::GitHub;
use crate::notify::{Answer, Destination, Notices, SlackError, answered};
use crate::people::{Correction, Verdict};
use crate::sighting::{CHANGE_SUFFIX, Sighting};
use crate::store::{ActionRecord, ActionState, Claimed, CorrectionStore, Status};
use crate::time::now_ms;
use secrecy::SecretString;
use std::sync::Arc;

/// How long a correction waits before looking again at a delivery still
/// being processed.
const BUSY_RECHECK_MS: i64 = 2_000;

/// Carries out correction jobs.
pub struct FollowUp {
    store: Arc<dyn CorrectionStore>,
    actions: Arc<Actions>,
    notices: Arc<dyn Notices>,
    accounts: Arc<Accounts>,
}

impl FollowUp {
    pub fn new(
        store: Arc<dyn CorrectionStore>,
        actions: Arc<Actions>,
        notices: Arc<dyn Notices>,
        accounts: Arc<Accounts>,
    ) -> Self {
        Self {
            store,
            actions,
            notices,
            accounts,
        }
    }

    fn name(&self, id: &str) -> String {
        self.accounts
            .by_id(id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    }

    fn answer(&self, c: &Correction) -> Answer {
        Answer {
            decided: c.decided(|id| self.name(id)),
            by: c.by.clone(),
            via: c.via.phrase(),
            at: c.at,
        }
    }

    /// Does the job `delivery` carries; the note says what was done.
    pub async fn handle(
        &self,
        github: Option<Arc<GitHub>>,
        delivery: &Claimed,
    ) -> Result<Option<String>, ProcessError> {
        let job: Job = serde_json::from_str(&delivery.payload).map_err(|e| {
            ProcessError::Refused(format!(
                "the correction job does not have the shape this version expects ({e}); give the answer again"
            ))
        })?;
        let Some(c) = self.store.correction(&job.correction).await? else {
            return Ok(Some(
                "the correction is no longer kept (the person was forgotten); nothing to put right"
                    .into(),
            ));
        };
        let answer = self.answer(&c);
        let mut notes = vec![format!(
            "{} for {} by {} via {}",
            answer.decided, c.login, c.by, answer.via
        )];
        let in_force = self.store.standing(&c.login).await?.correction;
        match (&c.sighting, in_force) {
            (Some(_), Some(latest)) if latest.id != c.id => notes.push(format!(
                "a later answer ({} by {}) is in force and puts right what it needs",
                latest.decided(|id| self.name(id)),
                latest.by
            )),
            (Some(sighting), _) => {
                notes.extend(self.put_right(github, &c, &answer, sighting).await?);
            }
            (None, _) => {}
        }
        if let Some(reply) = &job.reply {
            notes.push(self.reply(&c, reply).await?);
        }
        Ok(Some(notes.join("; ")))
    }

    /// Undoes what the sighting's delivery did, when the answer says the
    /// account it named was wrong, and moves the sighting.
    async fn put_right(
        &self,
        github: Option<Arc<GitHub>>,
        c: &Correction,
        answer: &Answer,
        sighting: &str,
    ) -> Result<Vec<String>, ProcessError> {
        let Some((row, _)) = self.store.get(sighting).await? else {
            return Ok(vec![format!(
                "the delivery {sighting} is no longer kept; nothing of it to put right"
            )]);
        };
        if !matches!(row.status, Status::Done | Status::Dead) {
            return Err(ProcessError::Wait {
                until: now_ms() + BUSY_RECHECK_MS,
                reason: format!(
                    "the answered sighting's delivery {sighting} is still {}; the correction is put right once it is done",
                    row.status
                ),
            });
        }
        let wrong = match c.belongs_to() {
            None => true,
            Some(account) => account != c.sighted.account.as_deref(),
        };
        if !wrong {
            return Ok(Vec::new());
        }
        let outcome = self.outcome(c);
        let stored = self.store.sighting(sighting).await?;
        // The group the sighting was in when it was answered: its tracking
        // issue is where an in-doubt comment would have landed.
        let group = match (&c.sighted.account, &stored) {
            (Some(account), _) => Some(format!("account:{account}")),
            (None, Some(s)) => Some(s.group_key()),
            (None, None) => None,
        };
        let mut done = Vec::new();
        if let Some(installation) = row.installation_id.and_then(|i| u64::try_from(i).ok()) {
            let Some(github) = github else {
                return Err(ProcessError::Held(HELD_UNREGISTERED.into()));
            };
            // The delivery's own actions, and those of the job change it raised.
            let change = format!("{sighting}{CHANGE_SUFFIX}");
            for delivery in [sighting, change.as_str()] {
                let correcting = Correcting {
                    delivery,
                    id: &c.id,
                    login: &c.login,
                    answer,
                    outcome: &outcome,
                    group: group.as_deref(),
                };
                let undone = self
                    .actions
                    .undo(github.as_ref(), installation, &correcting);
                done.extend(undone.await?);
            }
        }
        if let Some(before) = stored {
            let after = self.resighted(&before, c);
            self.store.resight(&before, after.as_ref()).await?;
            if before.names_someone() {
                self.store
                    .drop_tenure(&c.login, &before.group_key())
                    .await?;
            }
            done.push(match &after {
                Some(s) => format!("the sighting now counts for {}", s.group_name()),
                None => "the sighting is out of the dashboard".to_string(),
            });
        }
        Ok(done)
    }

    /// What the comment on a tracking issue says became of the sighting.
    fn outcome(&self, c: &Correction) -> String {
        let was = c.sighted.account.as_deref().map(|a| self.name(a));
        match (c.verdict, c.account.as_deref(), was) {
            (Verdict::Ignore, ..) => {
                "orgradar leaves this person alone from now on; the sighting no longer counts."
                    .to_string()
            }
            (_, Some(now), _) => format!("The sighting now counts for {}.", self.name(now)),
            (_, None, Some(was)) => format!("The sighting no longer counts for {was}."),
            (_, None, None) => "The sighting no longer counts for any account.".to_string(),
        }
    }

    /// The sighting as the answer has it: another account, or none (then
    /// it is not kept).
    fn resighted(&self, before: &Sighting, c: &Correction) -> Option<Sighting> {
        let account = self.accounts.by_id(c.belongs_to()??)?;
        let mut s = before.clone();
        s.account = Some(account.id.clone());
        s.account_name = Some(account.name.clone());
        s.organization = Some(account.name.clone());
        s.tier = account.tier.clone();
        s.confidence = 1.0;
        s.signal = Some(Signal::Correction);
        s.evidence = format!("corrected by {} via {}", c.by, c.via.phrase());
        Some(s)
    }

    /// Replaces the Slack message the answer was given on, once: its
    /// blocks without buttons, and every answer given on it, latest first.
    /// A reply Slack refuses for good (the link expired after 30 minutes)
    /// is noted, not retried.
    async fn reply(&self, c: &Correction, reply: &Reply) -> Result<String, ProcessError> {
        let ledger = self.store.actions(&c.id).await?;
        let key = ActionKey::Reply.to_string();
        if ledger.get(&key).is_some_and(|r| r.state.settled()) {
            return Ok("the Slack message shows the answer already".into());
        }
        let mut answers: Vec<Correction> = self
            .store
            .corrections(&c.login)
            .await?
            .into_iter()
            .filter(|a| a.sighting == c.sighting)
            .collect();
        answers.reverse();
        let answers: Vec<Answer> = answers.iter().map(|a| self.answer(a)).collect();
        let message = answered(&reply.blocks, &reply.text, &answers);
        let to = Destination::Reply {
            url: SecretString::from(reply.response_url.clone()),
        };
        let record = |state, detail: &str| ActionRecord {
            state,
            detail: Some(detail.to_string()),
        };
        match self.notices.post(&to, &message).await {
            Ok(()) => {
                let done = "replaced the Slack message to show the answer";
                self.store
                    .record_action(&c.id, &key, record(ActionState::Done, done), now_ms())
                    .await?;
                Ok(done.into())
            }
            Err(SlackError::Permanent(why)) => {
                let note = format!("the Slack message could not be replaced: {why}");
                self.store
                    .record_action(&c.id, &key, record(ActionState::Withheld, &note), now_ms())
                    .await?;
                Ok(note)
            }
            Err(e) => Err(e.into()),
        }
    }
}
