//! The dashboard's routes: the pages and their CSV (signing in and out is
//! in [`super::signin`]).

use super::access::Dashboard;
use super::pages::{Setup, group_page, overview_page};
use super::respond::{ExportReader, PageReader, ViewQuery, csv, html, store_failed, view};
use super::signin;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::sync::Arc;

pub fn router(dashboard: Arc<Dashboard>) -> Router {
    Router::new()
        .route("/dashboard", get(overview))
        .route("/dashboard/export.csv", get(overview_csv))
        .route("/dashboard/product", get(super::product_routes::page))
        .route("/dashboard/product.csv", get(super::product_routes::csv))
        .route("/dashboard/accounts/{key}", get(group))
        .route("/dashboard/accounts/{key}/export.csv", get(group_csv))
        .route("/dashboard/signin", get(signin::page))
        .route("/dashboard/login", get(signin::login))
        .route("/dashboard/callback", get(signin::callback))
        .route("/dashboard/logout", post(signin::logout))
        .with_state(dashboard)
}

async fn overview(
    State(d): State<Arc<Dashboard>>,
    PageReader { viewer, now }: PageReader,
    Query(query): Query<ViewQuery>,
) -> Response {
    let mut o = match d.store.overview(&query.filter(now)).await {
        Ok(o) => o,
        Err(e) => return store_failed(e),
    };
    d.names.name_groups(&mut o.groups);
    let setup = if o.groups.is_empty() {
        match setup(&d).await {
            Ok(setup) => setup,
            Err(e) => return store_failed(e),
        }
    } else {
        Setup::SeenBefore
    };
    html(
        StatusCode::OK,
        overview_page(&o, &view(&viewer, &query, now), setup),
    )
}

/// How far orgradar has come: app credentials, a delivery, a sighting.
async fn setup(d: &Dashboard) -> Result<Setup, crate::store::StoreError> {
    if d.github.get().is_none() {
        return Ok(Setup::NoCredentials);
    }
    let any = crate::store::ListFilter {
        status: None,
        limit: 1,
    };
    if d.store.list(&any).await?.is_empty() {
        return Ok(Setup::NoDeliveries);
    }
    if d.store.new_groups(0).await?.is_empty() {
        return Ok(Setup::NothingSeen);
    }
    Ok(Setup::SeenBefore)
}

async fn overview_csv(
    State(d): State<Arc<Dashboard>>,
    ExportReader { now, .. }: ExportReader,
    Query(query): Query<ViewQuery>,
) -> Response {
    match d.store.overview(&query.filter(now)).await {
        Ok(mut o) => {
            d.names.name_groups(&mut o.groups);
            csv("orgradar-accounts.csv", super::csv::overview_csv(&o))
        }
        Err(e) => store_failed(e),
    }
}

async fn group(
    State(d): State<Arc<Dashboard>>,
    PageReader { viewer, now }: PageReader,
    Path(key): Path<String>,
    Query(query): Query<ViewQuery>,
) -> Response {
    match d.store.group(&key, &query.filter(now)).await {
        Ok(Some(mut p)) => {
            d.names.name_groups(std::slice::from_mut(&mut p.row));
            d.names.name_sightings(&mut p.sightings);
            html(StatusCode::OK, group_page(&p, &view(&viewer, &query, now)))
        }
        Ok(None) => html(
            StatusCode::NOT_FOUND,
            "<!doctype html><title>orgradar</title><p>No sightings of this account in the chosen period. <a href=\"/dashboard\">Back to the overview</a></p>".into(),
        ),
        Err(e) => store_failed(e),
    }
}

async fn group_csv(
    State(d): State<Arc<Dashboard>>,
    ExportReader { now, .. }: ExportReader,
    Path(key): Path<String>,
    Query(query): Query<ViewQuery>,
) -> Response {
    match d.store.group(&key, &query.filter(now)).await {
        Ok(Some(mut p)) => {
            d.names.name_groups(std::slice::from_mut(&mut p.row));
            d.names.name_sightings(&mut p.sightings);
            csv("orgradar-sightings.csv", super::csv::group_csv(&p))
        }
        Ok(None) => (
            StatusCode::NOT_FOUND,
            "no sightings of this account in the period\n",
        )
            .into_response(),
        Err(e) => store_failed(e),
    }
}
