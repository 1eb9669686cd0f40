//! Recovery of missed deliveries against the fake GitHub's delivery log.

use crate::support::fake_github::{APP_ID, FakeGitHub, PRIVATE_KEY};
use crate::support::*;
use std::time::Duration;

const HOUR: Duration = Duration::from_secs(3600);

async fn recover_scenario(dir: TestDir) {
    let fake = FakeGitHub::start().await;
    fake.set_page_cap(2);
    // Never delivered, not here: redelivered (its newest attempt).
    fake.log_delivery(11, "lost-1", 503, false, 2 * HOUR);
    fake.log_delivery(12, "lost-1", 0, false, HOUR);
    // Failed once, then delivered.
    fake.log_delivery(21, "late", 502, false, 3 * HOUR);
    fake.log_delivery(22, "late", 202, true, 2 * HOUR);
    // Failed at GitHub's end, but orgradar has it (the answer was lost on the way).
    fake.log_delivery(31, "stored", 0, false, HOUR);
    // Redelivered once already and refused again: left for a person to look at.
    fake.log_delivery(41, "hopeless", 400, false, 5 * HOUR);
    fake.log_delivery(42, "hopeless", 400, true, 4 * HOUR);
    // Older than asked for.
    fake.log_delivery(51, "ancient", 503, false, 30 * HOUR);

    // Put "stored" in the ledger through the real ingress.
    let server = Server::start(&dir);
    let body = issue_opened(3, "carol");
    assert_eq!(
        delivery(&client(), &server.webhook_url(), "issues", "stored", &body)
            .send()
            .await
            .unwrap()
            .status(),
        202
    );
    drop(server);

    let app_id = APP_ID.to_string();
    let env = [
        ("APP_ID", app_id.as_str()),
        ("PRIVATE_KEY", PRIVATE_KEY),
        ("GITHUB_API_URL", fake.api_url.as_str()),
    ];
    let out = cli_with(&dir, &env, &["recover", "--since", "24h", "--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("would redeliver lost-1 (issues.opened)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("3 deliveries never succeeded (1 already stored here, 1 failed again"),
        "{stdout}"
    );
    assert!(!stdout.contains("ancient"), "{stdout}");
    assert!(
        fake.redelivered().is_empty(),
        "a dry run redelivers nothing"
    );

    let out = cli_with(&dir, &env, &["recover", "--since", "24h"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fake.redelivered(), vec![12]);

    // The next run starts from the checkpoint (less an hour): "lost-1" is not asked for twice
    // once its redelivery shows up as failed.
    fake.log_delivery(13, "lost-1", 500, true, Duration::from_secs(1));
    let out = cli_with(&dir, &env, &["recover"]);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Nothing to redeliver"), "{stdout}");
    assert_eq!(fake.redelivered(), vec![12]);
}

crate::on_both_stores!(recover_scenario);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recover_without_credentials_says_what_to_set() {
    let dir = TestDir::sqlite();
    let out = cli(&dir, &["recover"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("set APP_ID and PRIVATE_KEY"));
}
