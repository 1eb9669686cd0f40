//! How a person relates to the repository, as GitHub's `author_association`
//! says: the owner, a member of its organization, a collaborator, ...

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Association {
    Owner,
    Member,
    Collaborator,
    Contributor,
    FirstTimeContributor,
    FirstTimer,
    Mannequin,
    None,
    /// A value GitHub may add later, kept as it came.
    Other(String),
}

const NAMES: [(&str, Association); 8] = [
    ("OWNER", Association::Owner),
    ("MEMBER", Association::Member),
    ("COLLABORATOR", Association::Collaborator),
    ("CONTRIBUTOR", Association::Contributor),
    ("FIRST_TIME_CONTRIBUTOR", Association::FirstTimeContributor),
    ("FIRST_TIMER", Association::FirstTimer),
    ("MANNEQUIN", Association::Mannequin),
    ("NONE", Association::None),
];

impl Association {
    /// Reads GitHub's value (any case); an unknown one is kept as [`Association::Other`].
    pub fn parse(text: &str) -> Association {
        let upper = text.trim().to_ascii_uppercase();
        NAMES
            .iter()
            .find(|(name, _)| *name == upper)
            .map(|(_, a)| a.clone())
            .unwrap_or(Association::Other(upper))
    }

    /// GitHub's spelling: `OWNER`, `MEMBER`, ...
    pub fn as_str(&self) -> &str {
        match self {
            Association::Other(text) => text,
            known => NAMES
                .iter()
                .find(|(_, a)| a == known)
                .map_or("NONE", |(name, _)| name),
        }
    }

    /// The project's own team: its owner, its organization's members and its
    /// collaborators.
    pub fn is_insider(&self) -> bool {
        matches!(
            self,
            Association::Owner | Association::Member | Association::Collaborator
        )
    }
}

impl fmt::Display for Association {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Association {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Association {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|text| Association::parse(&text))
    }
}

impl std::str::FromStr for Association {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Association::parse(text))
    }
}

#[cfg(test)]
mod tests {
    use super::Association;

    #[test]
    fn github_values_read_back_and_only_the_team_is_inside() {
        for (name, known) in super::NAMES {
            assert_eq!(Association::parse(&name.to_lowercase()), known);
            assert_eq!(known.as_str(), name);
        }
        assert_eq!(
            Association::parse("sponsor"),
            Association::Other("SPONSOR".into())
        );
        let inside: Vec<&str> = super::NAMES
            .iter()
            .filter(|(_, a)| a.is_insider())
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(inside, ["OWNER", "MEMBER", "COLLABORATOR"]);
    }
}
