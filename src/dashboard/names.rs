//! The names of the target accounts, by id, from app.yml: sightings stored
//! by older versions carry only the account's id, and the dashboard shows
//! the name people know.

use super::model::GroupRow;
use crate::affiliation::Accounts;
use crate::sighting::Sighting;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct AccountNames(BTreeMap<String, String>);

impl AccountNames {
    pub fn of(accounts: &Accounts) -> Self {
        Self(
            accounts
                .iter()
                .map(|a| (a.id.clone(), a.name.clone()))
                .collect(),
        )
    }

    /// The configured name of account `id`.
    pub fn get(&self, id: &str) -> Option<&str> {
        self.0.get(id).map(String::as_str)
    }

    /// The ids of the target accounts, sorted.
    pub fn ids(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }

    /// Rows named by their account's id (or not at all) get its name.
    pub fn name_groups(&self, groups: &mut [GroupRow]) {
        for g in groups {
            if let Some(id) = &g.account
                && (g.name.trim().is_empty() || g.name == *id)
                && let Some(name) = self.get(id)
            {
                g.name = name.to_string();
            }
        }
    }

    /// Sightings without their account's name get it.
    pub fn name_sightings(&self, sightings: &mut [Sighting]) {
        for s in sightings {
            if s.account_name.is_none()
                && let Some(name) = s.account.as_deref().and_then(|id| self.get(id))
            {
                s.account_name = Some(name.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::pages::fixtures::acme;

    #[test]
    fn an_id_becomes_the_configured_name() {
        let names = AccountNames([("1001".to_string(), "Acme Corporation".to_string())].into());
        let mut rows = vec![acme(), acme(), acme()];
        rows[0].name = "1001".into();
        rows[1].name = String::new();
        names.name_groups(&mut rows);
        assert_eq!(rows[0].name, "Acme Corporation");
        assert_eq!(rows[1].name, "Acme Corporation");
        assert_eq!(rows[2].name, "Acme Corp", "a stored name stays");
    }
}
