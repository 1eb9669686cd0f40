//! What the worker does with one delivery: decode it into an [`Event`], find
//! out who the actor is and which organization they belong to, plan what the
//! rules say to do, and carry the plan out.

use crate::actions::Actions;
use crate::actor::{ActorError, Actors};
use crate::affiliation::{Accounts, Affiliation, Context, Profile, classify};
use crate::event::{Actor, Event, Payload};
use crate::github::{GitHub, GitHubError, SharedGitHub};
use crate::notify::evidence_line;
use crate::rules::{Plan, plan};
use crate::sighting::Sighting;
use crate::store::{Claimed, Priority};
use crate::time::{Millis, now_ms};
use async_trait::async_trait;
use std::sync::Arc;

/// Why processing a delivery failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ProcessError {
    /// Worth another attempt later (a timeout, a 5xx, a rate limit).
    #[error("{0}")]
    Transient(String),
    /// Will fail the same way every time; the delivery goes straight to `dead`.
    #[error("{0}")]
    Permanent(String),
    /// Not a failure: GitHub asked to wait (a rate limit, or the budget kept
    /// for more urgent work). The delivery waits in the store until `until`
    /// without spending an attempt.
    #[error("{reason}")]
    Wait { until: Millis, reason: String },
}

impl ProcessError {
    /// A GitHub error as a processing error: a rate limit waits, what may pass
    /// is retried, the rest is permanent. `what` says what was being done.
    pub fn from_github(what: &str, e: &GitHubError) -> Self {
        let message = if what.is_empty() {
            e.to_string()
        } else {
            format!("{what}: {e}")
        };
        if let Some(wait) = e.rate_limit_wait() {
            ProcessError::Wait {
                until: now_ms() + wait.as_millis() as Millis,
                reason: format!("waiting for GitHub's rate limit to reset ({message})"),
            }
        } else if e.is_transient() {
            ProcessError::Transient(message)
        } else {
            ProcessError::Permanent(message)
        }
    }
}

impl From<ActorError> for ProcessError {
    fn from(e: ActorError) -> Self {
        match e {
            ActorError::GitHub(g) => ProcessError::from_github("", &g),
            ActorError::Later { until, reason } => ProcessError::Wait { until, reason },
            ActorError::Store(e) => ProcessError::Transient(e.to_string()),
        }
    }
}

/// Processes one claimed delivery.
#[async_trait]
pub trait Handler: Send + Sync {
    async fn handle(&self, delivery: &Claimed) -> Result<(), ProcessError>;
}

/// The production handler.
#[derive(Clone)]
pub struct Pipeline {
    pub github: SharedGitHub,
    pub actors: Arc<Actors>,
    pub accounts: Arc<Accounts>,
    pub actions: Arc<Actions>,
}

/// Where a delivery comes from: the installation, and the organization (or
/// user) that owns the repository and installed the app there.
struct Origin {
    installation: Option<u64>,
    owner: Option<String>,
}

/// The sighting an event and its actor's affiliation make, with the intent
/// topics `taxonomy` finds in its text.
pub fn sighting_of(
    delivery_id: &str,
    at: crate::time::Millis,
    event: &Event,
    affiliation: &Affiliation,
    accounts: &Accounts,
    taxonomy: &crate::intent::Taxonomy,
) -> Option<Sighting> {
    let account_name = affiliation
        .account
        .as_deref()
        .and_then(|id| accounts.by_id(id))
        .map(|a| a.name.clone());
    Sighting::of(
        delivery_id,
        at,
        event,
        affiliation,
        account_name,
        evidence_line(affiliation),
        taxonomy,
    )
}

impl Pipeline {
    /// Decodes a stored delivery into the event it carries, if orgradar acts on it.
    fn decode(delivery: &Claimed) -> Result<(Origin, Option<Event>), ProcessError> {
        let payload: Payload = serde_json::from_str(&delivery.payload).map_err(|e| {
            ProcessError::Permanent(format!(
                "the stored payload does not have the shape this version expects ({e}); after upgrading orgradar, run `orgradar deliveries retry {}`",
                delivery.id
            ))
        })?;
        let origin = Origin {
            installation: payload.installation.as_ref().map(|i| i.id),
            owner: payload
                .organization
                .as_ref()
                .map(|o| o.login.clone())
                .or_else(|| {
                    payload
                        .repository
                        .as_ref()
                        .and_then(|r| r.full_name.split('/').next().map(str::to_string))
                }),
        };
        let event = Event::decode(&delivery.event, payload)
            .map_err(|e| ProcessError::Permanent(e.to_string()))?;
        Ok((origin, event))
    }

    /// Which organization the actor belongs to, as far as GitHub tells.
    async fn affiliation(
        &self,
        github: &Arc<GitHub>,
        installation: u64,
        owner: Option<&str>,
        actor: &Actor<'_>,
        delivery: &Claimed,
    ) -> Result<Affiliation, ActorError> {
        let mut context = Context {
            author_association: actor.association.map(str::to_string),
            installation_account: owner.map(str::to_string),
        };
        let profile = if actor.user.is_bot() {
            let mut bot = Profile::new(actor.user.login.clone());
            bot.kind = Some("Bot".into());
            bot
        } else {
            let login = &actor.user.login;
            let facts = if Priority::of_event(&delivery.event) == Priority::Background {
                self.actors
                    .background_facts(github, installation, login, owner, &delivery.id, now_ms())
                    .await?
            } else {
                self.actors
                    .facts(github, installation, login, owner, now_ms())
                    .await?
            };
            if facts.member_of_installer && context.author_association.is_none() {
                context.author_association = Some("MEMBER".into());
            }
            let mut profile = facts.profile();
            if let Some((repo, number)) = actor.pull_request {
                profile.commit_email_domains = self
                    .actors
                    .commit_email_domains(github, installation, repo, number)
                    .await?;
            }
            profile
        };
        Ok(classify(&profile, &self.accounts, &context))
    }
}

#[async_trait]
impl Handler for Pipeline {
    async fn handle(&self, delivery: &Claimed) -> Result<(), ProcessError> {
        let (origin, Some(event)) = Self::decode(delivery)? else {
            tracing::debug!("nothing to do for this delivery");
            return Ok(());
        };
        let github = self.github.get();
        if let (
            Event::Installation {
                action,
                installation_id,
                ..
            },
            Some(github),
        ) = (&event, &github)
        {
            match action.as_str() {
                "deleted" | "suspend" => github.forget_installation(*installation_id),
                "created" | "unsuspend" => github.allow_installation(*installation_id),
                _ => {}
            }
        }
        tracing::info!(event = %event.summary(), "processing");
        let (Some(actor), Some(github), Some(installation)) =
            (event.actor(), github, origin.installation)
        else {
            return Ok(());
        };
        let rules = &self.actions.rules;
        if rules.ignores(&actor.user.login) {
            tracing::info!("the actor is listed under ignore: in app.yml; nothing to do");
            return Ok(());
        }
        let affiliation = match self
            .affiliation(
                &github,
                installation,
                origin.owner.as_deref(),
                &actor,
                delivery,
            )
            .await
        {
            Ok(a) => a,
            Err(ActorError::GitHub(GitHubError::InstallationInactive(_))) => {
                tracing::info!("the app is no longer installed there; nothing to do");
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        tracing::info!(
            login = %affiliation.login,
            account = affiliation.account.as_deref().unwrap_or("-"),
            organization = affiliation.organization.as_deref().unwrap_or("-"),
            confidence = affiliation.confidence,
            insider = affiliation.insider,
            bot = affiliation.bot,
            "classified"
        );
        let Some(sighting) = sighting_of(
            &delivery.id,
            delivery.received_at,
            &event,
            &affiliation,
            &self.accounts,
            &rules.intent,
        ) else {
            return Ok(());
        };
        // Only a rule with `first_time` or `score` needs the history.
        let first_time = rules.needs_first_time()
            && self
                .actions
                .store
                .first_sighting(&sighting.group_key(), sighting.at, &sighting.delivery_id)
                .await
                .map_err(|e| ProcessError::Transient(e.to_string()))?;
        let plan = plan(rules, &sighting, &affiliation, first_time);
        log_plan(&plan);
        self.actions
            .run(
                &github,
                installation,
                &sighting,
                &plan,
                !affiliation.bot && !affiliation.insider,
            )
            .await
    }
}

fn log_plan(plan: &Plan) {
    if plan.rules.is_empty() {
        tracing::info!("no rule matched");
        return;
    }
    tracing::info!(
        rules = ?plan.rules,
        labels = ?plan.labels,
        notify = ?plan.notify,
        withheld = plan.withheld.len(),
        shadow = plan.shadow,
        "planned"
    );
}
