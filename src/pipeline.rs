//! What the worker does with one delivery: decode it, let the decision core
//! ([`crate::decide`]) classify the person and plan, with GitHub (through
//! the batched, cached lookups) and the store as its roles, and carry the
//! plan out.

use crate::actions::Actions;
use crate::actor::Actors;
use crate::affiliation::Accounts;
use crate::decide::{self, Core, Decision, History, Origin, Person, Planned, Who};
use crate::event::{Event, Payload};
use crate::failure::{HELD_UNREGISTERED, ProcessError};
use crate::feedback::{FollowUp, JOB_EVENT};
use crate::github::{GitHub, GitHubError, SharedGitHub};
use crate::people::{Standing, Tenure};
use crate::rules::Rules;
use crate::sighting::Sighting;
use crate::store::{Claimed, Priority, Recall};
use crate::time::now_ms;
use async_trait::async_trait;
use std::sync::Arc;

/// Processes one claimed delivery. `Ok(Some(note))`: done, and why nothing
/// (or nothing more) was done; `Ok(None)`: done, with its actions in the ledger.
#[async_trait]
pub trait Handler: Send + Sync {
    async fn handle(&self, delivery: &Claimed) -> Result<Option<String>, ProcessError>;
}

/// The production handler.
pub struct Pipeline {
    github: SharedGitHub,
    actors: Arc<Actors>,
    accounts: Arc<Accounts>,
    rules: Arc<Rules>,
    recall: Arc<dyn Recall>,
    actions: Arc<Actions>,
    /// Does the jobs corrections leave in the queue.
    follow_up: Option<Arc<FollowUp>>,
}

impl Pipeline {
    pub fn new(
        github: SharedGitHub,
        actors: Arc<Actors>,
        accounts: Arc<Accounts>,
        rules: Arc<Rules>,
        recall: Arc<dyn Recall>,
        actions: Arc<Actions>,
    ) -> Self {
        Self {
            github,
            actors,
            accounts,
            rules,
            recall,
            actions,
            follow_up: None,
        }
    }

    /// Does correction jobs with `follow_up`; without it they are refused.
    pub fn with_follow_up(mut self, follow_up: Arc<FollowUp>) -> Self {
        self.follow_up = Some(follow_up);
        self
    }

    /// Decodes a stored delivery into the event it carries, if orgradar acts on it.
    fn decode(delivery: &Claimed) -> Result<(Origin, Option<Event>), ProcessError> {
        let payload: Payload = serde_json::from_str(&delivery.payload).map_err(|e| {
            ProcessError::Refused(format!(
                "the stored payload does not have the shape this version expects ({e}); after upgrading orgradar, run `orgradar deliveries retry {}`",
                delivery.id
            ))
        })?;
        decide::decode(&delivery.event, payload).map_err(|e| ProcessError::Refused(e.to_string()))
    }

    fn core(&self) -> Core<'_> {
        Core {
            accounts: &self.accounts,
            rules: &self.rules,
        }
    }
}

#[async_trait]
impl Handler for Pipeline {
    async fn handle(&self, delivery: &Claimed) -> Result<Option<String>, ProcessError> {
        if delivery.event == JOB_EVENT {
            let Some(follow_up) = &self.follow_up else {
                return Err(ProcessError::Refused(
                    "this worker does not do correction jobs; run `orgradar serve`".into(),
                ));
            };
            return follow_up.handle(self.github.get(), delivery).await;
        }
        let (origin, Some(event)) = Self::decode(delivery)? else {
            return Ok(Some(format!(
                "orgradar does not act on `{}` deliveries with this action",
                delivery.event
            )));
        };
        tracing::info!(event = %event.summary(), "processing");
        let github = self.github.get();
        if let (
            Some(github),
            Event::Installation {
                action,
                installation_id,
                ..
            },
        ) = (&github, &event)
        {
            match action.as_str() {
                "deleted" | "suspend" => github.forget_installation(*installation_id),
                "created" | "unsuspend" => github.allow_installation(*installation_id),
                _ => {}
            }
        }
        let core = self.core();
        // Nothing to decide needs no GitHub: say why and be done.
        if let Err(why) = core.subject(&event) {
            return Ok(Some(why));
        }
        let Some(github) = github else {
            return Err(ProcessError::Held(HELD_UNREGISTERED.into()));
        };
        let Some(installation) = origin.installation else {
            return Err(ProcessError::Refused(
                "the payload names no installation, so orgradar cannot ask GitHub about the person; only a GitHub App's webhook carries one: point the app's webhook here, not a repository webhook".into(),
            ));
        };
        let who = Lookup {
            actors: &self.actors,
            github: &github,
            installation,
            origin: &origin,
            delivery,
        };
        let history = Kept(self.recall.as_ref());
        let decided = core
            .decide(
                &delivery.id,
                delivery.received_at,
                &event,
                &origin,
                &who,
                &history,
            )
            .await;
        let planned = match decided {
            Ok(Decision::Planned(planned)) => planned,
            Ok(Decision::Nothing(why)) => return Ok(Some(why)),
            Err(ProcessError::GitHub {
                source: GitHubError::InstallationInactive(_),
                ..
            }) => {
                return Ok(Some(
                    "the app is no longer installed there (or is suspended); nothing to do".into(),
                ));
            }
            Err(e) => return Err(e),
        };
        log(&planned);
        let acted = self
            .actions
            .run(
                github.as_ref(),
                installation,
                &planned.sighting,
                &planned.plan,
                planned.lead(),
            )
            .await;
        let changed = act_on_change(&self.actions, github.as_ref(), installation, &planned).await;
        // Where a lead was seen is noted even when the delivery's own actions
        // failed, but not when its job change's did: a retry then raises the
        // change again, and the ledger skips what was done.
        if planned.lead() && changed.is_ok() {
            note_tenure(self.recall.as_ref(), &planned.sighting).await?;
        }
        both(acted, changed)?;
        let change_planned = planned
            .change
            .as_ref()
            .is_some_and(|c| !c.plan.rules.is_empty());
        Ok((planned.plan.rules.is_empty() && !change_planned).then(|| no_rule(&planned)))
    }
}

/// Why nothing was planned for a classified person.
fn no_rule(p: &Planned) -> String {
    let a = &p.affiliation;
    let who = p.sighting.who_for().unwrap_or("no organization found");
    let mut note = format!("no rule matched {} ({who}", a.login);
    if a.bot {
        note.push_str("; a bot: only rules with `bot: true` match bots");
    } else if a.insider {
        note.push_str("; an insider: only rules with `insider: true` match the project's members and collaborators");
    }
    note.push(')');
    note
}

fn log(p: &Planned) {
    let a = &p.affiliation;
    tracing::info!(
        login = %a.login,
        account = a.account.as_deref().unwrap_or("-"),
        organization = a.organization.as_deref().unwrap_or("-"),
        confidence = a.confidence,
        insider = a.insider,
        bot = a.bot,
        "classified"
    );
    if p.plan.rules.is_empty() {
        tracing::info!("no rule matched");
        return;
    }
    tracing::info!(
        rules = ?p.plan.rules,
        labels = ?p.plan.labels,
        notify = ?p.plan.notify,
        withheld = p.plan.withheld.len(),
        shadow = p.plan.shadow,
        "planned"
    );
}

/// Who a person is, for the worker: the cache, then a batched lookup (for
/// stargazers and forkers, a background one while the delivery waits in
/// the store), and for a pull request its commit emails.
struct Lookup<'a> {
    actors: &'a Actors,
    github: &'a Arc<GitHub>,
    installation: u64,
    origin: &'a Origin,
    delivery: &'a Claimed,
}

#[async_trait]
impl Who for Lookup<'_> {
    async fn person(
        &self,
        login: &str,
        pull_request: Option<(&str, u64)>,
    ) -> Result<Person, ProcessError> {
        let (github, installation) = (self.github, self.installation);
        let owner = self.origin.owner.as_deref();
        let facts = if Priority::of_event(&self.delivery.event) == Priority::Background {
            let id = &self.delivery.id;
            self.actors
                .background_facts(github, installation, login, owner, id, now_ms())
                .await?
        } else {
            self.actors
                .facts(github, installation, login, owner, now_ms())
                .await?
        };
        let mut profile = facts.profile();
        if let Some((repo, number)) = pull_request {
            profile.commit_email_domains = self
                .actors
                .commit_email_domains(github, installation, repo, number)
                .await?;
        }
        Ok(Person {
            profile,
            member_of_installer: facts.member_of_installer,
        })
    }
}

/// Carries out the plan for the job change the decision found, if any,
/// under its own ledger key (`<delivery>:moved`), so a retry of the delivery
/// does it once. Its sighting is not kept: the person's activity is the
/// delivery's own sighting, kept already, and would be counted twice.
async fn act_on_change(
    actions: &Actions,
    github: &GitHub,
    installation: u64,
    planned: &Planned,
) -> Result<(), ProcessError> {
    let Some(change) = &planned.change else {
        return Ok(());
    };
    let from = change.sighting.moved_from.as_ref().map(|t| t.key.as_str());
    tracing::info!(
        from = from.unwrap_or("-"),
        to = %change.sighting.group_key(),
        rules = ?change.plan.rules,
        "seen at another organization"
    );
    if change.plan.rules.is_empty() {
        return Ok(());
    }
    let keep = false;
    actions
        .run(github, installation, &change.sighting, &change.plan, keep)
        .await
}

/// The delivery's own actions and its job change's, failed or not, as one result.
fn both(
    acted: Result<(), ProcessError>,
    changed: Result<(), ProcessError>,
) -> Result<(), ProcessError> {
    match (acted, changed) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(e), Ok(())) | (Ok(()), Err(e)) => Err(e),
        (Err(a), Err(c)) => ProcessError::all(vec![
            ("the delivery's actions".into(), a),
            ("the job change's actions".into(), c),
        ]),
    }
}

/// Notes where a lead was seen, for the job changes of later sightings.
async fn note_tenure(recall: &dyn Recall, s: &Sighting) -> Result<(), ProcessError> {
    if !s.names_someone() {
        return Ok(());
    }
    let tenure = Tenure {
        key: s.group_key(),
        name: s.group_name().to_string(),
        account: s.account.clone(),
        first_at: s.at,
        last_at: s.at,
    };
    Ok(recall.note_tenure(&s.login, &tenure).await?)
}

/// What the store keeps: earlier sightings, answers, where people were seen.
struct Kept<'a>(&'a dyn Recall);

#[async_trait]
impl History for Kept<'_> {
    async fn first_sighting(&self, s: &Sighting) -> Result<bool, ProcessError> {
        Ok(self
            .0
            .first_sighting(&s.group_key(), s.at, &s.delivery_id)
            .await?)
    }

    async fn standing(&self, login: &str) -> Result<Standing, ProcessError> {
        Ok(self.0.standing(login).await?)
    }
}
