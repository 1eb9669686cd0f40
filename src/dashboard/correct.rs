//! Answers given on the dashboard: `POST /dashboard/people/{login}/correct`
//! from the forms of an account page (`verdict` confirm|none|ignore|account,
//! `account`, `sighting`, `note`, `back`, `csrf`).
//!
//! Who may answer: a person signed in with GitHub (their login is kept with
//! the answer), whose form carries the token of their session. A machine
//! with `DASHBOARD_TOKEN` reads only (an answer needs a person; scripts use
//! `orgradar people set`), and the demo's open dashboard is read-only: its
//! data is made up, and nobody signed in to vouch for a form.

use super::access::{Dashboard, Viewer, session_id};
use super::pages::{Answers, notice};
use super::respond::{html, redirect, refuse};
use super::signin::safe_next;
use crate::feedback;
use crate::people::{Correction, Verdict, Via};
use crate::store::StoreError;
use crate::time::{Millis, now_ms};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::html as markup;
use serde::Deserialize;
use std::sync::Arc;

/// The fields of an answer's form; all optional, so that what is missing
/// is said in words rather than by the form decoder.
#[derive(Debug, Default, Deserialize)]
pub(super) struct AnswerForm {
    verdict: Option<String>,
    account: Option<String>,
    sighting: Option<String>,
    note: Option<String>,
    back: Option<String>,
    csrf: Option<String>,
}

/// The longest note kept with an answer, in characters.
const NOTE_MAX: usize = 1000;

/// A page that says why the answer was not taken.
fn refused(status: StatusCode, why: &str, back: &str) -> Response {
    let body = markup! {
        (maud::PreEscaped("<!doctype html>\n"))
        title { "Answer not taken · orgradar" }
        p { (why) }
        p { a href=(back) { "Back to the page" } }
    };
    html(status, body.into_string())
}

fn field(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Whether `login` looks like a GitHub login (or an app's `name[bot]`).
fn plausible_login(login: &str) -> bool {
    !login.is_empty()
        && login.len() <= 100
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '[' | ']'))
}

pub(super) async fn correct(
    State(d): State<Arc<Dashboard>>,
    headers: HeaderMap,
    Path(login): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Response {
    let now = now_ms();
    let back = safe_next(field(&form.back));
    let by = match d.viewer(&headers, now).await {
        Some(Viewer::Person(by)) => by,
        Some(Viewer::Machine) => {
            return refused(
                StatusCode::FORBIDDEN,
                "DASHBOARD_TOKEN reads the dashboard; answers are given by a person signed in with GitHub, whose login is kept with the answer. Sign in at /dashboard/signin, or answer from a script with `orgradar people set`.",
                &back,
            );
        }
        Some(Viewer::Demo) => {
            return refused(
                StatusCode::FORBIDDEN,
                "The demo dashboard is read-only: its data is made up. Answers are given on orgradar's own dashboard, signed in with GitHub.",
                &back,
            );
        }
        None => return refuse(&d, &headers, &back, true),
    };
    let token_holds = match (&d.key, session_id(&headers), field(&form.csrf)) {
        (Some(key), Some(session), Some(token)) => key.checks_form_token(session, token),
        _ => false,
    };
    if !token_holds {
        return refused(
            StatusCode::FORBIDDEN,
            "This answer was not sent from a page of this dashboard in your session (its form token is missing or does not match), so nothing was changed. Reload the account page and answer again.",
            &back,
        );
    }
    let correction = match answer(&d, &login, by, &form, now).await {
        Ok(c) => c,
        Err(Refusal::Bad(why)) => return refused(StatusCode::BAD_REQUEST, &why, &back),
        Err(Refusal::Store(e)) => return super::respond::store_failed(e),
    };
    if let Err(e) = feedback::submit(&*d.store, &correction, None).await {
        return super::respond::store_failed(e);
    }
    tracing::info!(
        login = %correction.login,
        verdict = %correction.verdict,
        by = %correction.by,
        "an answer was given on the dashboard"
    );
    redirect(&answered(&back, &correction.id))
}

enum Refusal {
    Bad(String),
    Store(StoreError),
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        Refusal::Store(e)
    }
}

/// The correction a form asks for, checked against app.yml and the store.
async fn answer(
    d: &Dashboard,
    login: &str,
    by: String,
    form: &AnswerForm,
    now: Millis,
) -> Result<Correction, Refusal> {
    let bad = |why: String| Err(Refusal::Bad(why));
    let login = login.trim().to_lowercase();
    if !plausible_login(&login) {
        return bad(format!(
            "`{login}` is not a GitHub login; answer from the person's row on an account page"
        ));
    }
    let ids = || {
        let ids = d.names.ids();
        if ids.is_empty() {
            "app.yml lists no target accounts".to_string()
        } else {
            format!("the ids in app.yml are: {}", ids.join(", "))
        }
    };
    let verdict = match field(&form.verdict) {
        Some(v) => match Verdict::parse(v) {
            Some(verdict) => verdict,
            None => {
                return bad(format!(
                    "`{v}` is not an answer: verdict must be confirm, none, ignore or account"
                ));
            }
        },
        None => return bad("the form says no verdict: confirm, none, ignore or account".into()),
    };
    let account = field(&form.account);
    if let Some(id) = account
        && d.names.get(id).is_none()
    {
        return bad(format!(
            "there is no target account with id `{id}`; {}",
            ids()
        ));
    }
    let account = match verdict {
        Verdict::Confirm | Verdict::Account => match account {
            Some(id) => Some(id.to_string()),
            None => {
                return bad(format!(
                    "verdict {verdict} needs the account the person belongs to (account=ID); {}",
                    ids()
                ));
            }
        },
        // "Not" and "ignore" name no account the person belongs to.
        Verdict::None | Verdict::Ignore => None,
    };
    let sighted = match field(&form.sighting) {
        Some(id) => match d.store.sighting(id).await? {
            Some(s) if s.login.eq_ignore_ascii_case(&login) => Some((id.to_string(), s)),
            Some(s) => {
                return bad(format!(
                    "sighting {id} is of {}, not of {login}; answer from that sighting's own buttons",
                    s.login
                ));
            }
            None => {
                return bad(format!(
                    "no sighting {id} is stored (retention may have removed it); reload the page and answer from the person's row"
                ));
            }
        },
        None => None,
    };
    let note = field(&form.note).map(str::to_string);
    if note.as_ref().is_some_and(|n| n.chars().count() > NOTE_MAX) {
        return bad(format!("keep the note under {NOTE_MAX} characters"));
    }
    Ok(Correction {
        id: feedback::new_id(Via::Dashboard),
        login,
        verdict,
        account,
        sighted: sighted
            .as_ref()
            .map(|(_, s)| s.sighted())
            .unwrap_or_default(),
        sighting: sighted.map(|(id, _)| id),
        by,
        via: Via::Dashboard,
        note,
        at: now,
    })
}

/// `back` with `answered=ID` in its query (and no earlier `answered`).
fn answered(back: &str, id: &str) -> String {
    let back = back.split('#').next().unwrap_or(back);
    let (path, query) = back.split_once('?').unwrap_or((back, ""));
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        if k != "answered" {
            out.append_pair(&k, &v);
        }
    }
    out.append_pair("answered", id);
    format!("{path}?{}", out.finish())
}

/// What an account page shows of answers: the answers in force about
/// `logins`, the reader's form token (a signed-in person only), where an
/// answer comes back to, and what the answer `answered` did.
pub(super) async fn answers<'a>(
    d: &Dashboard,
    viewer: &Viewer,
    headers: &HeaderMap,
    logins: impl IntoIterator<Item = &'a str>,
    back: String,
    answered: Option<&str>,
) -> Result<Answers, StoreError> {
    let name = |id: &str| d.names.get(id).unwrap_or(id).to_string();
    let csrf = match (viewer, &d.key, session_id(headers)) {
        (Viewer::Person(_), Some(key), Some(session)) => Some(key.form_token(session)),
        _ => None,
    };
    let notice = match answered {
        Some(id) => d.store.correction(id).await?.map(|c| notice(&c, name)),
        None => None,
    };
    Ok(Answers {
        said: Answers::said(&d.store.corrected().await?, logins, name),
        csrf,
        back,
        notice,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_comes_back_to_its_page() {
        assert_eq!(
            answered(
                "/dashboard/accounts/account:acme?days=30&tier=big+one",
                "dashboard-1"
            ),
            "/dashboard/accounts/account:acme?days=30&tier=big+one&answered=dashboard-1"
        );
        assert_eq!(
            answered("/dashboard/accounts/x?answered=old#people", "dashboard-2"),
            "/dashboard/accounts/x?answered=dashboard-2"
        );
        assert_eq!(answered("/dashboard", "d"), "/dashboard?answered=d");
    }

    #[test]
    fn only_dashboard_paths_are_gone_back_to() {
        for hostile in [
            "https://evil.example/dashboard",
            "//evil.example/dashboard",
            "/dashboard//evil.example",
            "/dashboard\\\\evil.example",
            "/dashboard\r\nSet-Cookie: x=1",
            "/elsewhere",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/dashboard", "{hostile:?}");
        }
        assert_eq!(
            safe_next(Some("/dashboard/accounts/account:acme?days=30")),
            "/dashboard/accounts/account:acme?days=30"
        );
    }

    #[test]
    fn logins_are_checked() {
        assert!(plausible_login("wile-e"));
        assert!(plausible_login("dependabot[bot]"));
        assert!(!plausible_login(""));
        assert!(!plausible_login("a/b"));
        assert!(!plausible_login("<script>"));
    }
}
