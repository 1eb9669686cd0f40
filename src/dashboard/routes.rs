//! The dashboard's routes: the pages and their CSV (signing in and out is
//! in [`super::signin`]).

use super::access::Dashboard;
use super::pages::{Setup, group_page, overview_page};
use super::respond::{ExportReader, PageReader, ViewQuery, csv, html, store_failed, view};
use super::signin;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::sync::Arc;

pub fn router(dashboard: Arc<Dashboard>) -> Router {
    Router::new()
        .route("/dashboard", get(overview))
        .route("/dashboard/export.csv", get(overview_csv))
        .route("/dashboard/product", get(super::product_routes::page))
        .route("/dashboard/product.csv", get(super::product_routes::csv))
        .route("/dashboard/accounts/{key}", get(group))
        .route("/dashboard/accounts/{key}/export.csv", get(group_csv))
        .route(
            "/dashboard/people/{login}/correct",
            post(super::correct::correct),
        )
        .route("/dashboard/precision", get(super::precision_page::page))
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

/// `?answered=ID`: the answer just given on this page.
#[derive(Debug, Default, Deserialize)]
struct Answered {
    answered: Option<String>,
}

async fn group(
    State(d): State<Arc<Dashboard>>,
    PageReader { viewer, now }: PageReader,
    headers: HeaderMap,
    uri: Uri,
    Path(key): Path<String>,
    Query(query): Query<ViewQuery>,
    Query(answered): Query<Answered>,
) -> Response {
    let mut p = match d.store.group(&key, &query.filter(now)).await {
        Ok(Some(p)) => p,
        Ok(None) => {
            // An answer can move the last sighting of the period elsewhere.
            let notice = match answered.answered.as_deref() {
                Some(id) => match d.store.correction(id).await {
                    Ok(c) => c.map(|c| {
                        super::pages::notice(&c, |id| d.names.get(id).unwrap_or(id).to_string())
                    }),
                    Err(e) => return store_failed(e),
                },
                None => None,
            };
            let body = maud::html! {
                (maud::PreEscaped("<!doctype html>"))
                title { "orgradar" }
                @if let Some(notice) = notice {
                    p role="status" { (notice) }
                }
                p { "No sightings of this account in the chosen period. " a href="/dashboard" { "Back to the overview" } }
            };
            return html(StatusCode::NOT_FOUND, body.into_string());
        }
        Err(e) => return store_failed(e),
    };
    d.names.name_groups(std::slice::from_mut(&mut p.row));
    d.names.name_sightings(&mut p.sightings);
    let back = without_answered(&uri);
    let logins = p
        .people
        .iter()
        .map(|person| person.login.as_str())
        .chain(p.sightings.iter().map(|s| s.login.as_str()));
    let answers = match super::correct::answers(
        &d,
        &viewer,
        &headers,
        logins,
        back,
        answered.answered.as_deref(),
    )
    .await
    {
        Ok(answers) => answers,
        Err(e) => return store_failed(e),
    };
    html(
        StatusCode::OK,
        group_page(&p, &view(&viewer, &query, now), &answers),
    )
}

/// The page's own address without `answered`, for its forms to come back to.
fn without_answered(uri: &Uri) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
                .filter(|(k, _)| k != "answered"),
        )
        .finish();
    if query.is_empty() {
        uri.path().to_string()
    } else {
        format!("{}?{query}", uri.path())
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
