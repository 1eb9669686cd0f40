//! What a page needs to know besides the data: the period chosen, who is
//! looking, and when.

use crate::time::Millis;

/// The periods a person can choose, in days.
pub const PERIODS: [u32; 3] = [7, 30, 90];

/// The viewer's side of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The period in days: 7, 30 or 90.
    pub days: u32,
    /// The GitHub login of the person signed in (`None` for a token).
    pub signed_in_as: Option<String>,
    /// When the page is rendered.
    pub now: Millis,
}

/// How far orgradar has come, for the reason an unfiltered overview is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setup {
    /// No GitHub App credentials yet (`APP_ID`, `PRIVATE_KEY`).
    NoCredentials,
    /// Credentials, but no webhook delivery has arrived.
    NoDeliveries,
    /// Deliveries arrive, but nobody from an organization was seen yet.
    NothingSeen,
    /// Organizations were seen, only not in this period.
    SeenBefore,
}
