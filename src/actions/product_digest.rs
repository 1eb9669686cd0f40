//! The product digest: at each scheduled time, one Slack message per
//! channel with the period's top intent topics from target accounts
//! ("SSO: 4 accounts (Globex, Initech, …), 6 items"). Scheduled, locked,
//! checkpointed and ledgered like the digest.

use super::Actions;
use super::scheduled::{PRODUCT_DIGEST, build_and_send, post_once};
use crate::failure::ProcessError;
use crate::notify::{ProductDigest, product_digest};
use crate::product::topics_asked;
use crate::time::Millis;

/// What `channel` is told about `[from, to)`.
pub(super) async fn build(
    actions: &Actions,
    channel: &str,
    from: Millis,
    to: Millis,
) -> Result<ProductDigest, ProcessError> {
    let asking = actions.store.asking(from, to).await?;
    let timezone = actions
        .rules
        .product_digest
        .as_ref()
        .map(|d| d.schedule.zone_name().to_string())
        .unwrap_or_else(|| "UTC".to_string());
    Ok(ProductDigest {
        channel: channel.to_string(),
        from,
        to,
        timezone,
        topics: topics_asked(&asking, &actions.rules.intent, None),
    })
}

/// Sends a product digest unless it went out already. `false` when there
/// was nothing to tell.
pub(super) async fn send(
    actions: &Actions,
    summary: &ProductDigest,
    now: Millis,
) -> Result<bool, ProcessError> {
    let message = (!summary.topics.is_empty()).then(|| {
        (
            product_digest(summary),
            format!("a product digest of {} topics", summary.topics.len()),
        )
    });
    post_once(
        actions,
        PRODUCT_DIGEST,
        &summary.channel,
        summary.to,
        now,
        message,
    )
    .await
}

/// `orgradar digest`: the product digest of every channel from the last one
/// up to `now`; sent unless `dry_run`.
pub async fn product_digest_now(
    actions: &Actions,
    owner: &str,
    now: Millis,
    dry_run: bool,
) -> Result<Vec<ProductDigest>, ProcessError> {
    let schedule = actions.rules.product_digest.as_ref();
    build_and_send(
        actions,
        owner,
        now,
        dry_run,
        schedule,
        PRODUCT_DIGEST,
        build,
        send,
    )
    .await
}
