//! GitHub's API budget as orgradar plans it. Every answer says how much of an
//! installation's hourly budget is left (REST headers; GraphQL's `rateLimit`
//! field); lookups stop short of the end so that writes (labels, issues,
//! comments) always have a reserve, and lookups for stars and forks stop
//! earlier still, so that people who open issues are looked up first.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::SystemTime;

/// Which work a request is for, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Labels, issues, comments: may spend the whole budget.
    Write,
    /// Looking up the author of an issue, pull request, discussion or comment.
    Lookup,
    /// Looking up a stargazer or forker: waits first when the budget runs low.
    BackgroundLookup,
}

#[derive(Debug, Clone, Copy)]
struct Level {
    limit: u64,
    remaining: u64,
    reset: SystemTime,
}

/// What is left of each installation's budget, per resource (`core`, `graphql`).
#[derive(Debug)]
pub struct Budget {
    /// The share of the budget kept for writes (0 to 1).
    reserve: f64,
    levels: Mutex<HashMap<(u64, String), Level>>,
}

impl Default for Budget {
    fn default() -> Self {
        Self::new(0.10)
    }
}

impl Budget {
    pub fn new(reserve: f64) -> Self {
        Self {
            reserve: reserve.clamp(0.0, 0.9),
            levels: Mutex::new(HashMap::new()),
        }
    }

    /// Records what an answer said about `resource` for `installation`.
    pub fn observe(
        &self,
        installation: u64,
        resource: &str,
        limit: u64,
        remaining: u64,
        reset: SystemTime,
    ) {
        if let Ok(mut levels) = self.levels.lock() {
            levels.insert(
                (installation, resource.to_string()),
                Level {
                    limit,
                    remaining,
                    reset,
                },
            );
        }
    }

    /// `Ok` when `need` may spend `cost` of `resource` now; otherwise the
    /// time the budget refills. A budget never seen, or past its reset, is full.
    pub fn check(
        &self,
        installation: u64,
        resource: &str,
        need: Need,
        cost: u64,
        now: SystemTime,
    ) -> Result<(), SystemTime> {
        let Ok(levels) = self.levels.lock() else {
            return Ok(());
        };
        let Some(level) = levels.get(&(installation, resource.to_string())) else {
            return Ok(());
        };
        if level.reset <= now {
            return Ok(());
        }
        let reserve = (level.limit as f64 * self.reserve).ceil() as u64;
        let floor = match need {
            Need::Write => 0,
            Need::Lookup => reserve,
            Need::BackgroundLookup => reserve * 2,
        };
        if level.remaining >= floor + cost.max(1) {
            Ok(())
        } else {
            Err(level.reset)
        }
    }

    /// The lowest remaining budget of `resource` across installations.
    pub fn lowest(&self, resource: &str) -> Option<u64> {
        let levels = self.levels.lock().ok()?;
        levels
            .iter()
            .filter(|((_, r), _)| r == resource)
            .map(|(_, l)| l.remaining)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn lookups_keep_a_reserve_for_writes_and_stars_wait_first() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        let reset = now + Duration::from_secs(600);
        let budget = Budget::new(0.10);
        assert!(
            budget
                .check(7, "graphql", Need::BackgroundLookup, 1, now)
                .is_ok()
        );
        budget.observe(7, "graphql", 5_000, 1_200, reset);
        assert!(
            budget
                .check(7, "graphql", Need::BackgroundLookup, 1, now)
                .is_ok()
        );
        budget.observe(7, "graphql", 5_000, 1_000, reset);
        assert_eq!(
            budget.check(7, "graphql", Need::BackgroundLookup, 1, now),
            Err(reset),
            "20% left: stars and forks wait for the reset"
        );
        assert!(budget.check(7, "graphql", Need::Lookup, 1, now).is_ok());
        budget.observe(7, "graphql", 5_000, 500, reset);
        assert_eq!(budget.check(7, "graphql", Need::Lookup, 1, now), Err(reset));
        assert!(budget.check(7, "graphql", Need::Write, 1, now).is_ok());
        // Another installation, another resource, or after the reset: full.
        assert!(budget.check(8, "graphql", Need::Lookup, 1, now).is_ok());
        assert!(budget.check(7, "core", Need::Lookup, 1, now).is_ok());
        assert!(budget.check(7, "graphql", Need::Lookup, 1, reset).is_ok());
        assert_eq!(budget.lowest("graphql"), Some(500));
    }
}
