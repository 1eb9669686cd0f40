//! Evidence from the bio: an employer named in so many words ("Platform
//! engineer at Globex", "Working on X @globex"; weaker than the company
//! field), a past employer ("Left Acme in 2021"), a disclaimer ("not
//! affiliated with Acme", "community contributor, not an employee").

use super::Found;
use super::company::read_text;
use crate::affiliation::accounts::Accounts;
use crate::affiliation::reader::Mode;

pub(super) fn bio(text: &str, own_login: &str, accounts: &Accounts, out: &mut Vec<Found>) {
    read_text(text, Mode::Bio, own_login, accounts, out);
}
