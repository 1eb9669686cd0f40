//! `/dashboard/precision`: how often orgradar was right over the last 30
//! and 90 days, by the answers people gave (see [`crate::people::precision`]).

use super::access::Dashboard;
use super::pages::precision_page;
use super::respond::{PageReader, ViewQuery, html, store_failed, view};
use crate::people::precision::{DAY, measure};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use std::sync::Arc;

/// The windows the page shows, in days.
pub(super) const WINDOWS: [u32; 2] = [30, 90];

pub(super) async fn page(
    State(d): State<Arc<Dashboard>>,
    PageReader { viewer, now }: PageReader,
) -> Response {
    let longest = WINDOWS.iter().copied().max().unwrap_or(90);
    let answers = match d.store.answers_since(now - i64::from(longest) * DAY).await {
        Ok(answers) => answers,
        Err(e) => return store_failed(e),
    };
    let windows: Vec<_> = WINDOWS
        .iter()
        .map(|&days| measure(&answers, now, days))
        .collect();
    let name = |id: &str| d.names.get(id).unwrap_or(id).to_string();
    html(
        StatusCode::OK,
        precision_page(&windows, &view(&viewer, &ViewQuery::default(), now), &name),
    )
}
