//! The work a correction leaves in the queue.

/// Carries out correction jobs.
pub struct FollowUp;
