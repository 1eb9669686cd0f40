//! The product view's routes: `/dashboard/product` and its CSV, with
//! `?days=7|30|90&tier=..`.

use super::access::Dashboard;
use super::model::Filter;
use super::pages::product_page;
use super::respond::{
    ExportReader, PageReader, ViewQuery, csv as csv_response, html, store_failed, view,
};
use super::scores::{ScoredGroup, account_scores};
use crate::product::{TopicAsks, topics_asked};
use crate::store::StoreError;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use std::sync::Arc;

/// What the product view shows for `filter`: the topics, the accounts by
/// score, and the tiers to choose from.
async fn gather(
    d: &Dashboard,
    filter: &Filter,
) -> Result<(Vec<TopicAsks>, Vec<ScoredGroup>, Vec<String>), StoreError> {
    let mut asking = d.store.asking(filter.from, filter.to).await?;
    d.names.name_sightings(&mut asking);
    let topics = topics_asked(&asking, &d.intent, filter.tier.as_deref());
    let mut overview = d.store.overview(filter).await?;
    d.names.name_groups(&mut overview.groups);
    let new_groups = d.store.new_groups(filter.from).await?;
    let targets: Vec<_> = overview
        .groups
        .into_iter()
        .filter(|g| g.account.is_some())
        .collect();
    let scored = account_scores(&targets, &asking, &new_groups, &d.intent, &d.scoring);
    Ok((topics, scored, overview.tiers))
}

fn product_filter(query: &ViewQuery, now: crate::time::Millis) -> Filter {
    let mut filter = query.filter(now);
    filter.repository = None;
    filter.event = None;
    filter
}

pub(super) async fn page(
    State(d): State<Arc<Dashboard>>,
    PageReader { viewer, now }: PageReader,
    Query(query): Query<ViewQuery>,
) -> Response {
    let filter = product_filter(&query, now);
    match gather(&d, &filter).await {
        Ok((topics, scored, tiers)) => html(
            StatusCode::OK,
            product_page(
                &topics,
                &scored,
                &view(&viewer, &query, now),
                filter.tier.as_deref(),
                &tiers,
            ),
        ),
        Err(e) => store_failed(e),
    }
}

pub(super) async fn csv(
    State(d): State<Arc<Dashboard>>,
    ExportReader { now, .. }: ExportReader,
    Query(query): Query<ViewQuery>,
) -> Response {
    let filter = product_filter(&query, now);
    match d.store.asking(filter.from, filter.to).await {
        Ok(mut asking) => {
            d.names.name_sightings(&mut asking);
            let topics = topics_asked(&asking, &d.intent, filter.tier.as_deref());
            csv_response("orgradar-topics.csv", super::csv::product_csv(&topics))
        }
        Err(e) => store_failed(e),
    }
}
