//! Fuzz targets on stable Rust: property-based runs over arbitrary and
//! mutated inputs of everything that reads text from outside. Each target
//! asserts that the input is either taken or refused with a message, never a
//! panic. `cargo test --test fuzz` runs them briefly; `.ci/run` runs more
//! cases (`PROPTEST_CASES`) within a time bound.

use axum::body::Body;
use axum::http::Request;
use orgradar::affiliation::{Accounts, Context, Profile, classify};
use orgradar::config::{AppFile, HttpLimits, WebhookSecrets};
use orgradar::ingress::signature::{parse, sign, verify};
use orgradar::ingress::{self, Ingress, WebhookBudget, WorkerAlive};
use orgradar::metrics::Metrics;
use orgradar::store::Store;
use proptest::prelude::*;
use std::path::Path;
use std::sync::{Arc, LazyLock, RwLock};
use tower::ServiceExt;

const SECRET: &str = "fuzz-webhook-secret";
const APP_YML: &str = include_str!("../app.yml");

fn config(cases: u32) -> ProptestConfig {
    // PROPTEST_CASES (read by proptest) raises the count for longer runs.
    let mut c = ProptestConfig::with_cases(cases);
    if let Ok(n) = std::env::var("PROPTEST_CASES")
        && let Ok(n) = n.parse()
    {
        c.cases = n;
    }
    c.failure_persistence = None;
    c
}

/// `text` with `edits` applied: each replaces, inserts or removes one byte.
fn mutate(text: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut out = text.to_vec();
    for &(at, kind, byte) in edits {
        let i = if out.is_empty() { 0 } else { at % out.len() };
        match kind % 3 {
            0 if !out.is_empty() => out[i] = byte,
            1 => out.insert(i, byte),
            _ if !out.is_empty() => {
                out.remove(i);
            }
            _ => out.push(byte),
        }
    }
    out
}

fn edits() -> impl Strategy<Value = Vec<(usize, u8, u8)>> {
    prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8)
}

// --- the signature check -------------------------------------------------

proptest! {
    #![proptest_config(config(2048))]

    #[test]
    fn signature_headers_of_any_shape_are_refused_or_verified(header in ".{0,100}", body in prop::collection::vec(any::<u8>(), 0..256)) {
        let secrets = WebhookSecrets::parse(SECRET).unwrap();
        let result = verify(&secrets, &header, &body);
        if parse(&header).is_err() {
            prop_assert!(result.is_err());
        }
        prop_assert_eq!(verify(&secrets, &sign(SECRET.as_bytes(), &body), &body), Ok(()));
    }
}

// --- the webhook endpoint: headers, form/JSON decoding, payload slimming --

struct Endpoint {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
    _dir: tempfile::TempDir,
}

static ENDPOINT: LazyLock<Endpoint> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fuzz.db");
    let store: Arc<dyn Store> = runtime
        .block_on(async { Arc::new(orgradar::store::SqliteStore::open(&path).await.unwrap()) });
    let ingress = Arc::new(Ingress {
        secrets: Arc::new(RwLock::new(WebhookSecrets::parse(SECRET).map(Arc::new))),
        store,
        metrics: Arc::new(Metrics::new()),
        queued: Default::default(),
        handoff: None,
        budget: WebhookBudget::new(&HttpLimits::default()),
        worker: WorkerAlive::default(),
        metrics_access: Default::default(),
        slack: Default::default(),
    });
    Endpoint {
        router: ingress::router(ingress, "/hook"),
        runtime,
        _dir: dir,
    }
});

/// Real payload shapes to mutate: an issue, a pull request, a star, a ping.
const SEEDS: &[&str] = &[
    r#"{"action":"opened","issue":{"number":1,"title":"It crashes","html_url":"https://github.com/acme/widgets/issues/1","user":{"login":"alice","id":1,"type":"User"},"author_association":"NONE","body":"x"},"repository":{"id":42,"full_name":"acme/widgets","private":false},"sender":{"login":"alice","id":1,"type":"User"},"installation":{"id":7}}"#,
    r#"{"action":"opened","number":2,"pull_request":{"number":2,"title":"Fix","html_url":"https://github.com/acme/widgets/pull/2","user":{"login":"bob","id":2,"type":"User"},"author_association":"CONTRIBUTOR"},"repository":{"id":42,"full_name":"acme/widgets","private":false},"sender":{"login":"bob","id":2,"type":"User"},"installation":{"id":7}}"#,
    r#"{"action":"created","starred_at":"2024-01-01T00:00:00Z","repository":{"id":42,"full_name":"acme/widgets","private":false},"sender":{"login":"carol","id":3,"type":"User"},"installation":{"id":18446744073709551615}}"#,
    r#"{"zen":"Keep it logically awesome.","hook_id":1}"#,
];

fn post(
    event: &str,
    id: &str,
    content_type: &str,
    body: Vec<u8>,
    signature: String,
) -> (u16, Vec<u8>) {
    let request = Request::post("/hook")
        .header("x-github-event", event)
        .header("x-github-delivery", id)
        .header("content-type", content_type)
        .header("x-hub-signature-256", signature)
        .body(Body::from(body))
        .unwrap();
    let e = &*ENDPOINT;
    e.runtime.block_on(async {
        let response = e.router.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, body.to_vec())
    })
}

fn answered_as_documented(status: u16, body: &[u8]) -> Result<(), TestCaseError> {
    prop_assert!(
        [200, 202, 400, 401, 413, 415].contains(&status),
        "status {}",
        status
    );
    let json: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| TestCaseError::fail(e.to_string()))?;
    if status >= 400 {
        prop_assert!(
            json["error"]
                .as_str()
                .is_some_and(|e| !e.is_empty() && !e.contains(SECRET))
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn signed_mutated_payloads_are_stored_or_refused_never_crash(
        seed in 0..SEEDS.len(),
        edits in edits(),
        event in prop::sample::select(vec!["issues", "pull_request", "star", "ping", "fork", "push"]),
        form in any::<bool>(),
        n in any::<u64>(),
    ) {
        let json = mutate(SEEDS[seed].as_bytes(), &edits);
        let (content_type, body) = if form {
            let encoded: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("payload", &String::from_utf8_lossy(&json))
                .finish();
            ("application/x-www-form-urlencoded", encoded.into_bytes())
        } else {
            ("application/json", json)
        };
        let signature = sign(SECRET.as_bytes(), &body);
        let (status, answer) = post(event, &format!("fuzz-{n}"), content_type, body, signature);
        answered_as_documented(status, &answer)?;
    }

    #[test]
    fn raw_form_bodies_of_any_bytes_are_refused_or_taken(body in prop::collection::vec(any::<u8>(), 0..512), n in any::<u64>()) {
        let signature = sign(SECRET.as_bytes(), &body);
        let (status, answer) = post("issues", &format!("form-{n}"), "application/x-www-form-urlencoded", body, signature);
        answered_as_documented(status, &answer)?;
    }
}

// --- app.yml and the CRM export -------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn mutated_app_yml_is_loaded_or_refused_with_a_place(edits in edits()) {
        let text = String::from_utf8_lossy(&mutate(APP_YML.as_bytes(), &edits)).into_owned();
        if let Err(e) = AppFile::parse(&text, Path::new("app.yml")) {
            prop_assert!(e.to_string().contains("app.yml"), "{}", e);
        }
    }

    #[test]
    fn any_crm_export_is_loaded_or_refused_with_a_place(
        rows in prop::collection::vec(prop::collection::vec("[a-zA-Z0-9 .;@\"',\\-]{0,12}", 0..8), 0..6),
        header in prop::sample::subsequence(vec!["id", "name", "tier", "domains", "github_orgs", "aliases", "not", "extra"], 0..8),
    ) {
        let mut csv = header.join(",");
        for row in rows {
            csv.push('\n');
            csv.push_str(&row.join(","));
        }
        let app = AppFile::parse("name: fuzz\naccounts_file: accounts.csv\n", Path::new("app.yml")).unwrap();
        let loaded = app.accounts(Path::new("app.yml"), |_| Ok(csv.clone()));
        if let Err(e) = loaded {
            prop_assert!(e.to_string().contains("accounts.csv"), "{}", e);
        }
    }
}

// --- profile classification -----------------------------------------------

static ACCOUNTS: LazyLock<Accounts> = LazyLock::new(|| {
    let text = "name: fuzz\naccounts:\n  - { id: acme, name: Acme Corporation, tier: enterprise, domains: [acme.com], github_orgs: [acme], aliases: [ACME Labs] }\n  - { id: globex, name: Globex, domains: [globex.co.uk], not: [Globex Bricks] }\n";
    let app = AppFile::parse(text, Path::new("app.yml")).unwrap();
    app.accounts(Path::new("app.yml"), |_| Ok(String::new()))
        .unwrap()
});

proptest! {
    #![proptest_config(config(2048))]

    #[test]
    fn any_profile_text_is_classified(
        login in "\\PC{0,40}",
        company in prop::option::of("\\PC{0,80}"),
        email in prop::option::of("\\PC{0,60}"),
        blog in prop::option::of("\\PC{0,60}"),
        name in prop::option::of("\\PC{0,40}"),
        kind in prop::option::of("\\PC{0,12}"),
        orgs in prop::collection::vec("\\PC{0,20}", 0..3),
        commits in prop::collection::vec("\\PC{0,40}", 0..3),
        association in prop::option::of("[A-Z_]{0,14}"),
    ) {
        let mut p = Profile::new(login.clone());
        p.company = company;
        p.blog = blog;
        p.name = name;
        p.kind = kind;
        p.orgs = orgs;
        if let Some(e) = email {
            p.set_email(&e);
        }
        for e in commits {
            p.add_commit_email(&e);
        }
        let context = Context { author_association: association.as_deref().map(orgradar::affiliation::Association::parse), installation_account: Some("acme".into()) };
        let a = classify(&p, &ACCOUNTS, &context);
        prop_assert_eq!(a.login, login);
        prop_assert!((0.0..=1.0).contains(&a.confidence), "{}", a.confidence);
    }
}
