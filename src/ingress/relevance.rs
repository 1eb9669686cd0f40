//! Which deliveries are worth storing. Everything else (push, workflow_run,
//! check_suite and the other high-volume events) is acknowledged and counted.

/// The events and actions orgradar acts on.
#[derive(Debug, Clone)]
pub struct Relevance {
    /// (event, action); `None` as the action means every action.
    wanted: Vec<(&'static str, Option<&'static str>)>,
}

impl Default for Relevance {
    fn default() -> Self {
        Self {
            wanted: vec![
                ("issues", Some("opened")),
                ("pull_request", Some("opened")),
                ("discussion", Some("created")),
                ("issue_comment", Some("created")),
                ("star", Some("created")),
                ("fork", None),
                ("installation", None),
                ("installation_repositories", None),
            ],
        }
    }
}

impl Relevance {
    /// Whether some action of `event` may matter (so its payload is worth parsing).
    pub fn wants_event(&self, event: &str) -> bool {
        self.wanted.iter().any(|(e, _)| *e == event)
    }

    /// Whether this event and action are stored and processed.
    pub fn wants(&self, event: &str, action: Option<&str>) -> bool {
        self.wanted
            .iter()
            .any(|(e, a)| *e == event && (a.is_none() || *a == action))
    }
}

#[cfg(test)]
mod tests {
    use super::Relevance;

    #[test]
    fn only_the_first_appearance_of_a_person_matters() {
        let r = Relevance::default();
        assert!(r.wants("issues", Some("opened")));
        assert!(!r.wants("issues", Some("edited")));
        assert!(r.wants("fork", None));
        assert!(r.wants("installation", Some("suspend")));
        assert!(!r.wants("push", None));
        assert!(!r.wants_event("workflow_run"));
        assert!(r.wants_event("star"));
        assert!(!r.wants("star", Some("deleted")));
    }
}
