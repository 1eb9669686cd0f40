//! Everything orgradar says to GitHub: app authentication, installation
//! tokens, rate limits, the server's address, and the API calls it makes.

pub mod api;
mod client;
pub mod clock;
mod error;
pub mod key;
pub mod ratelimit;
mod tokens;
pub mod url;

pub use client::{Answer, AppCredentials, Auth, GitHub, Kind, RetryPolicy};
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::GitHubError;
pub use key::{AppKey, KeyError, KeySource};
pub use url::ApiUrl;
