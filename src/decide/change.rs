//! A job change as a sighting of its own: when the person of a delivery was
//! last seen at another organization, the decision also plans for an
//! `affiliation.changed` sighting, which the rules that name it act on.

use super::Core;
use crate::affiliation::Affiliation;
use crate::people::Moved;
use crate::rules::{Plan, plan};
use crate::sighting::{EventKind, Sighting};

pub use crate::sighting::CHANGE_SUFFIX;

/// A job change, and what the rules make of it.
#[derive(Debug, Clone)]
pub struct Change {
    /// The delivery's sighting as an `affiliation.changed`: the same
    /// person, repository, item and link, at the new organization, with
    /// where they were before (`moved_from`).
    pub sighting: Sighting,
    pub plan: Plan,
}

impl Core<'_> {
    /// The job change `moved` makes of `sighting` (of a person with
    /// `affiliation`), planned; `first_time` as for the sighting itself.
    pub fn change(
        &self,
        sighting: &Sighting,
        affiliation: &Affiliation,
        moved: &Moved,
        first_time: bool,
    ) -> Change {
        let mut changed = sighting.clone();
        changed.delivery_id = format!("{}{CHANGE_SUFFIX}", sighting.delivery_id);
        changed.event = EventKind::AffiliationChanged;
        changed.moved_from = Some(moved.from.clone());
        let plan = plan(self.rules, &changed, affiliation, first_time);
        changed.rules = plan.rules.clone();
        Change {
            sighting: changed,
            plan,
        }
    }
}
