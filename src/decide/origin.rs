//! Where a delivery comes from: the installation, and the organization (or
//! user) that owns the repository and installed the app there.

use crate::affiliation::{Association, Context};
use crate::event::{Actor, Payload};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub installation: Option<u64>,
    /// The installing account's login: the payload's organization, else the
    /// owner part of the repository's full name.
    pub owner: Option<String>,
}

impl Origin {
    pub fn of(payload: &Payload) -> Origin {
        Origin {
            installation: payload.installation.as_ref().map(|i| i.id),
            owner: payload
                .organization
                .as_ref()
                .map(|o| o.login.clone())
                .or_else(|| {
                    let repo = payload.repository.as_ref()?;
                    repo.full_name.split('/').next().map(str::to_string)
                }),
        }
    }

    /// What the payload says about the person's place in the project.
    pub fn context(&self, actor: &Actor<'_>) -> Context {
        Context {
            author_association: actor.association.map(Association::parse),
            installation_account: self.owner.clone(),
        }
    }
}
