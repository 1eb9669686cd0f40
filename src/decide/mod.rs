//! The decision, made in one place: from a delivery's event and what is
//! known about its person, which organization they belong to, the sighting
//! it makes and the plan the rules make of it.
//!
//! Each step is pure (no I/O, no clock). What the decision needs from outside
//! comes through two small roles: [`Who`] (what GitHub says about a person)
//! and [`History`] (what is on record: earlier sightings, the answers people
//! gave about the person, where they were seen before). The worker,
//! `simulate` and `explain` all decide through here, each with its own roles.

mod change;
mod origin;

pub use change::{CHANGE_SUFFIX, Change};
pub use origin::Origin;

use crate::affiliation::{Accounts, Affiliation, Association, Context, Profile, classify};
use crate::event::{Actor, Event, Payload};
use crate::failure::ProcessError;
use crate::notify::evidence_line;
use crate::people::{Moved, Standing, Verdict, moved};
use crate::rules::{Plan, Rules, plan};
use crate::sighting::Sighting;
use crate::time::Millis;
use async_trait::async_trait;

/// What is known about a person, as classification reads it.
#[derive(Debug, Clone, Default)]
pub struct Person {
    /// The profile: company, email domain, website, bio, public
    /// organizations and (for a pull request) commit email domains.
    pub profile: Profile,
    /// Member (public or private) of the organization that installed the app.
    pub member_of_installer: bool,
}

/// What GitHub says about a person. Never asked about bots.
#[async_trait]
pub trait Who: Send + Sync {
    /// The person `login`; with `pull_request` (`repo`, number), their
    /// commit email domains too.
    async fn person(
        &self,
        login: &str,
        pull_request: Option<(&str, u64)>,
    ) -> Result<Person, ProcessError>;
}

/// What the store says about earlier sightings and about the person.
#[async_trait]
pub trait History: Send + Sync {
    /// Whether `sighting` is its group's first (no earlier one is kept).
    async fn first_sighting(&self, sighting: &Sighting) -> Result<bool, ProcessError>;

    /// What is on record about `login`: whether they asked to be forgotten,
    /// the answer in force about them, where they were seen before. Nothing,
    /// unless a store keeps it.
    async fn standing(&self, _login: &str) -> Result<Standing, ProcessError> {
        Ok(Standing::default())
    }

    /// The answer for every sighting, when it is known without asking (a
    /// simulation plans each as its group's first); `None`: ask, when a
    /// rule needs it.
    fn known(&self) -> Option<bool> {
        None
    }
}

/// What a delivery comes to.
#[derive(Debug)]
pub enum Decision {
    /// Nothing to plan, and why: an event about no person, a person listed
    /// under `ignore:`.
    Nothing(String),
    /// The person was classified and the rules planned.
    Planned(Box<Planned>),
}

#[derive(Debug)]
pub struct Planned {
    pub affiliation: Affiliation,
    pub sighting: Sighting,
    pub plan: Plan,
    /// Whether the sighting is its group's first (as far as the rules asked).
    pub first_time: bool,
    /// The person was seen at another organization before: a job change.
    pub moved: Option<Moved>,
    /// That job change as an `affiliation.changed` sighting, planned.
    pub change: Option<Box<Change>>,
}

impl Planned {
    /// Whether the person is a lead: neither a bot nor an insider, so the
    /// sighting is kept (when it names an account or organization).
    pub fn lead(&self) -> bool {
        !self.affiliation.bot && !self.affiliation.insider
    }
}

/// The accounts and rules a decision is made against.
#[derive(Clone, Copy)]
pub struct Core<'a> {
    pub accounts: &'a Accounts,
    pub rules: &'a Rules,
}

/// Decodes a stored payload received with header `X-GitHub-Event: header`:
/// where it comes from, and the event, if orgradar acts on it.
pub fn decode(
    header: &str,
    payload: Payload,
) -> Result<(Origin, Option<Event>), crate::event::DecodeError> {
    let origin = Origin::of(&payload);
    let event = Event::decode(header, payload)?;
    Ok((origin, event))
}

impl Core<'_> {
    /// The whole decision for `event` (delivery `delivery_id`, received `at`).
    pub async fn decide(
        &self,
        delivery_id: &str,
        at: Millis,
        event: &Event,
        origin: &Origin,
        who: &dyn Who,
        history: &dyn History,
    ) -> Result<Decision, ProcessError> {
        let actor = match self.subject(event) {
            Ok(actor) => actor,
            Err(reason) => return Ok(Decision::Nothing(reason)),
        };
        let context = origin.context(&actor);
        let login = &actor.user.login;
        let (person, standing) = if actor.user.is_bot() {
            (None, Standing::default())
        } else {
            let standing = history.standing(login).await?;
            if let Some(why) = Self::left_alone(login, &standing) {
                return Ok(Decision::Nothing(why));
            }
            (Some(who.person(login, actor.pull_request).await?), standing)
        };
        let mut affiliation = self.affiliation(login, context, person.as_ref());
        if let Some(correction) = &standing.correction {
            affiliation = correction.apply(affiliation, self.accounts);
        }
        let Some(mut sighting) = self.sighting(delivery_id, at, event, &affiliation) else {
            return Ok(Decision::Nothing(format!(
                "`{}` makes no sighting",
                event.summary()
            )));
        };
        let moved = Self::moved(&standing, &affiliation, &sighting);
        // Only a rule with `first_time` or `score` needs the history read.
        let first_time = match history.known() {
            Some(known) => known,
            None => self.rules.needs_first_time() && history.first_sighting(&sighting).await?,
        };
        let plan = plan(self.rules, &sighting, &affiliation, first_time);
        sighting.rules = plan.rules.clone();
        let change = moved
            .as_ref()
            .map(|m| Box::new(self.change(&sighting, &affiliation, m, first_time)));
        Ok(Decision::Planned(Box::new(Planned {
            affiliation,
            sighting,
            plan,
            first_time,
            moved,
            change,
        })))
    }

    /// Why `login` is left alone: they asked to be forgotten, or someone
    /// answered "ignore" about them.
    fn left_alone(login: &str, standing: &Standing) -> Option<String> {
        if standing.forgotten {
            return Some(format!(
                "{login} asked to be forgotten (`orgradar people forget`): orgradar neither looks them up nor keeps anything"
            ));
        }
        let c = standing.correction.as_ref()?;
        (c.verdict == Verdict::Ignore).then(|| {
            format!(
                "{login} is ignored: {} said so via {}; `orgradar people set {login} ACCOUNT|none` undoes it",
                c.by,
                c.via.phrase()
            )
        })
    }

    /// Whether a lead's sighting places them at another organization than
    /// the one they were last seen at.
    fn moved(standing: &Standing, affiliation: &Affiliation, sighting: &Sighting) -> Option<Moved> {
        if affiliation.bot || affiliation.insider || !sighting.names_someone() {
            return None;
        }
        moved(
            &standing.tenures,
            &sighting.group_key(),
            sighting.group_name(),
            sighting.account.as_deref(),
            sighting.at,
        )
    }

    /// The person the event is about, or why there is nothing to decide.
    pub fn subject<'e>(&self, event: &'e Event) -> Result<Actor<'e>, String> {
        let Some(actor) = event.actor() else {
            return Err(format!("`{}` is about no person", event.summary()));
        };
        if self.rules.ignores(&actor.user.login) {
            return Err(format!(
                "{} is listed under ignore: in app.yml: orgradar neither looks them up nor acts",
                actor.user.login
            ));
        }
        Ok(actor)
    }

    /// Which organization `login` belongs to: a bot when `person` is `None`
    /// (bots are never looked up), else from what is known about them.
    pub fn affiliation(
        &self,
        login: &str,
        mut context: Context,
        person: Option<&Person>,
    ) -> Affiliation {
        let profile = match person {
            None => {
                let mut bot = Profile::new(login.to_string());
                bot.kind = Some("Bot".into());
                bot
            }
            Some(person) => {
                if person.member_of_installer && context.author_association.is_none() {
                    context.author_association = Some(Association::Member);
                }
                person.profile.clone()
            }
        };
        classify(&profile, self.accounts, &context)
    }

    /// The sighting an event and its person's affiliation make, with the
    /// intent topics found in its text.
    pub fn sighting(
        &self,
        delivery_id: &str,
        at: Millis,
        event: &Event,
        affiliation: &Affiliation,
    ) -> Option<Sighting> {
        let account_name = affiliation
            .account
            .as_deref()
            .and_then(|id| self.accounts.by_id(id))
            .map(|a| a.name.clone());
        Sighting::of(
            delivery_id,
            at,
            event,
            affiliation,
            account_name,
            evidence_line(affiliation),
            &self.rules.intent,
        )
    }
}

#[cfg(test)]
mod tests;
