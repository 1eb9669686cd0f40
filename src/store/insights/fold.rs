//! Folding the rows both stores read into the dashboard's model.

use super::model::{DAY, EventCounts, Filter, GroupPage, GroupRow, Overview, Person, WeekCount};
use crate::sighting::{EventKind, Sighting};
use crate::store::StoreError;
use crate::store::sql::Row;
use crate::time::Millis;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One group's sightings of one UTC day and tier, counted.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct DayRow {
    pub day: i64,
    pub group_key: String,
    /// '' for none.
    pub tier: String,
    pub name: String,
    pub account: Option<String>,
    pub counts: EventCounts,
    pub first_at: Millis,
    pub last_at: Millis,
}

impl DayRow {
    /// Columns: day, group, tier, name, account, the six counts in
    /// `EventCounts` order, first and last seen.
    pub fn from_row(r: &dyn Row) -> Result<DayRow, StoreError> {
        Ok(DayRow {
            day: r.int(0)?,
            group_key: r.text(1)?,
            tier: r.text(2)?,
            name: r.text(3)?,
            account: r.opt_text(4)?,
            counts: EventCounts {
                issues: r.count(5)?,
                pull_requests: r.count(6)?,
                discussions: r.count(7)?,
                comments: r.count(8)?,
                stars: r.count(9)?,
                forks: r.count(10)?,
            },
            first_at: r.int(11)?,
            last_at: r.int(12)?,
        })
    }
}

/// Monday 00:00 UTC of the week of UTC day `day`.
pub(super) fn week_start(day: i64) -> Millis {
    super::model::week_start(day * DAY)
}

fn tier_of(tier: String) -> Option<String> {
    Some(tier).filter(|t| !t.is_empty())
}

/// The overview, built up from day rows, people counts and facets.
#[derive(Debug, Default)]
pub(super) struct OverviewFold {
    /// The group's row and the last sighting its name, account and tier are from.
    groups: HashMap<String, (GroupRow, Millis)>,
    weeks: BTreeMap<(Millis, Option<String>), u64>,
    repositories: BTreeSet<String>,
    tiers: BTreeSet<String>,
}

impl OverviewFold {
    pub fn add_day(&mut self, r: DayRow) {
        let total = r.counts.total();
        if total == 0 {
            return;
        }
        self.add_week(r.day, &r.tier, total);
        self.add_group(r);
    }

    /// Counts `sightings` in the week of UTC day `day`, for tier `tier`.
    pub fn add_week(&mut self, day: i64, tier: &str, sightings: u64) {
        if sightings == 0 {
            return;
        }
        *self
            .weeks
            .entry((week_start(day), tier_of(tier.to_string())))
            .or_default() += sightings;
    }

    /// Adds a row to its group, without counting it in the weeks.
    pub fn add_group(&mut self, r: DayRow) {
        if r.counts.total() == 0 {
            return;
        }
        let tier = tier_of(r.tier);
        let (row, latest) = self.groups.entry(r.group_key.clone()).or_insert_with(|| {
            (
                GroupRow {
                    key: r.group_key,
                    name: String::new(),
                    account: None,
                    tier: None,
                    people: 0,
                    counts: EventCounts::default(),
                    first_seen: r.first_at,
                    last_seen: r.last_at,
                },
                Millis::MIN,
            )
        });
        for kind in EventKind::SEEN {
            row.counts.add(kind, r.counts.get(kind));
        }
        row.first_seen = row.first_seen.min(r.first_at);
        row.last_seen = row.last_seen.max(r.last_at);
        if r.last_at >= *latest {
            *latest = r.last_at;
            row.name = r.name;
            row.account = r.account;
            row.tier = tier;
        }
    }

    pub fn set_people(&mut self, group_key: &str, people: u64) {
        if let Some((row, _)) = self.groups.get_mut(group_key) {
            row.people = people;
        }
    }

    pub fn add_facet(&mut self, repository: String, tier: String) {
        self.repositories.insert(repository);
        if !tier.is_empty() {
            self.tiers.insert(tier);
        }
    }

    pub fn finish(self, filter: &Filter) -> Overview {
        let mut groups: Vec<GroupRow> = self.groups.into_values().map(|(row, _)| row).collect();
        groups.sort_by(|a, b| {
            b.counts
                .total()
                .cmp(&a.counts.total())
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.key.cmp(&b.key))
        });
        Overview {
            filter: filter.clone(),
            groups,
            weeks: self
                .weeks
                .into_iter()
                .map(|((week_start, tier), sightings)| WeekCount {
                    week_start,
                    tier,
                    sightings,
                })
                .collect(),
            repositories: self.repositories.into_iter().collect(),
            tiers: self.tiers.into_iter().collect(),
        }
    }
}

/// One sighting of a group, without its JSON.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct GroupSighting {
    pub at: Millis,
    pub login: String,
    pub event: String,
    pub repository: String,
    pub tier: String,
    pub name: String,
    pub account: Option<String>,
}

impl GroupSighting {
    /// Columns: at, login, event, repository, tier, name, account.
    pub fn from_row(r: &dyn Row) -> Result<GroupSighting, StoreError> {
        Ok(GroupSighting {
            at: r.int(0)?,
            login: r.text(1)?,
            event: r.text(2)?,
            repository: r.text(3)?,
            tier: r.text(4)?,
            name: r.text(5)?,
            account: r.opt_text(6)?,
        })
    }
}

/// A group's page, built up from its sightings.
#[derive(Debug)]
pub(super) struct GroupFold {
    key: String,
    overview: OverviewFold,
    people: HashMap<String, Person>,
    repositories: HashMap<String, u64>,
}

impl GroupFold {
    pub fn new(key: &str) -> Self {
        GroupFold {
            key: key.to_string(),
            overview: OverviewFold::default(),
            people: HashMap::new(),
            repositories: HashMap::new(),
        }
    }

    pub fn add(&mut self, s: GroupSighting) {
        let Some(kind) = EventKind::parse(&s.event) else {
            return;
        };
        let mut counts = EventCounts::default();
        counts.add(kind, 1);
        let person = self.people.entry(s.login.clone()).or_insert(Person {
            login: s.login,
            sightings: 0,
            last_seen: s.at,
        });
        person.sightings += 1;
        person.last_seen = person.last_seen.max(s.at);
        *self.repositories.entry(s.repository).or_default() += 1;
        self.overview.add_day(DayRow {
            day: s.at.div_euclid(DAY),
            group_key: self.key.clone(),
            tier: s.tier,
            name: s.name,
            account: s.account,
            counts,
            first_at: s.at,
            last_at: s.at,
        });
    }

    /// The page, `None` when no sighting was added.
    pub fn finish(mut self, filter: &Filter, sightings: Vec<Sighting>) -> Option<GroupPage> {
        let people_count = self.people.len() as u64;
        self.overview.set_people(&self.key, people_count);
        let mut row = self.overview.finish(filter).groups.into_iter().next()?;
        row.people = people_count;
        let mut people: Vec<Person> = self.people.into_values().collect();
        people.sort_by(|a, b| {
            b.sightings
                .cmp(&a.sightings)
                .then_with(|| b.last_seen.cmp(&a.last_seen))
                .then_with(|| a.login.cmp(&b.login))
        });
        let mut repositories: Vec<(String, u64)> = self.repositories.into_iter().collect();
        repositories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Some(GroupPage {
            filter: filter.clone(),
            row,
            people,
            repositories,
            sightings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        // 1970-01-01 (day 0) was a Thursday: its week began Monday 1969-12-29.
        assert_eq!(week_start(0), -3 * DAY);
        assert_eq!(week_start(3), -3 * DAY);
        assert_eq!(week_start(4), 4 * DAY);
        assert_eq!(week_start(10), 4 * DAY);
        assert_eq!(week_start(11), 11 * DAY);
        // 2024-01-01 was a Monday.
        let monday = 19_723;
        assert_eq!(week_start(monday), monday * DAY);
        assert_eq!(week_start(monday + 6), monday * DAY);
        assert_eq!(week_start(monday - 1), (monday - 7) * DAY);
    }

    fn day(
        day: i64,
        tier: &str,
        name: &str,
        stars: u64,
        first_at: Millis,
        last_at: Millis,
    ) -> DayRow {
        DayRow {
            day,
            group_key: "org:acme".into(),
            tier: tier.into(),
            name: name.into(),
            account: None,
            counts: EventCounts {
                stars,
                ..EventCounts::default()
            },
            first_at,
            last_at,
        }
    }

    #[test]
    fn groups_and_weeks_added_apart_fold_like_day_rows() {
        let filter = Filter {
            from: 0,
            to: 30 * DAY,
            repository: None,
            tier: None,
            event: None,
        };
        let rows = [
            day(5, "", "Acme", 2, 5 * DAY, 5 * DAY + 9),
            day(12, "Gold", "Acme Inc", 3, 12 * DAY, 12 * DAY + 1),
        ];
        let mut by_day = OverviewFold::default();
        for r in rows.clone() {
            by_day.add_day(r);
        }
        let mut apart = OverviewFold::default();
        for r in &rows {
            apart.add_week(r.day, &r.tier, r.counts.total());
        }
        apart.add_week(20, "", 0);
        apart.add_group(day(0, "Gold", "Acme Inc", 5, 5 * DAY, 12 * DAY + 1));
        let (a, b) = (by_day.finish(&filter), apart.finish(&filter));
        assert_eq!(a.weeks, b.weeks);
        assert_eq!(a.groups, b.groups);
        assert_eq!(b.groups[0].tier.as_deref(), Some("Gold"));
    }
}
