//! A registered GitHub App for tests that are about the queue, not about
//! GitHub: its credentials, against a fake GitHub that knows nobody (every
//! person is looked up, found by no one, and the delivery is done).

use super::fake_github::{APP_ID, FakeGitHub, PRIVATE_KEY};
use super::{SECRET, Server, TestDir};

pub struct App {
    pub github: FakeGitHub,
    env: Vec<(String, String)>,
}

impl App {
    pub async fn start() -> App {
        let github = FakeGitHub::start().await;
        let env = vec![
            ("WEBHOOK_SECRET".into(), SECRET.into()),
            ("APP_ID".into(), APP_ID.to_string()),
            ("PRIVATE_KEY".into(), PRIVATE_KEY.into()),
            ("GITHUB_API_URL".into(), github.api_url.clone()),
            ("RECOVERY_INTERVAL".into(), "off".into()),
        ];
        App { github, env }
    }

    /// The environment a server of this app runs with, then `extra`.
    pub fn env<'a>(&'a self, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        env.extend_from_slice(extra);
        env
    }

    /// A server of this app on `dir`'s store, with `extra` environment and `args`.
    pub fn serve(&self, dir: &TestDir, extra: &[(&str, &str)], args: &[&str]) -> Server {
        Server::start_with(dir, &self.env(extra), args)
    }
}
