//! Both stores fail loudly on what they cannot read: a delivery status or
//! an action state this orgradar does not know is an error naming it.

use super::sql::{Sql, params};
use super::{
    ActionRecord, ActionState, ListFilter, NewDelivery, PostgresStore, SqliteStore, Status, Store,
    StoreError,
};

fn unknown(e: StoreError, in_table: &str, named: &str) {
    match e {
        StoreError::UnknownValue { table, value, .. } => {
            assert_eq!((table, value.as_str()), (in_table, named));
        }
        other => panic!("expected an unknown {named} in {in_table}, got {other:?}"),
    }
}

#[test]
fn unknown_values_are_errors_naming_them() {
    assert_eq!(Status::from_db("dead".into()).ok(), Some(Status::Dead));
    let e = Status::from_db("exploded".into()).unwrap_err();
    assert!(
        e.to_string()
            .contains("status \"exploded\" in table deliveries"),
        "{e}"
    );
    unknown(e, "deliveries", "exploded");
    let state = ActionState::from_db("throttled".into()).ok();
    assert_eq!(state, Some(ActionState::Throttled));
    unknown(
        ActionState::from_db("halfway".into()).unwrap_err(),
        "actions",
        "halfway",
    );
}

async fn fails_loudly(store: &(impl Store + Sql)) {
    let delivery = NewDelivery {
        id: "d1".into(),
        event: "issues".into(),
        action: Some("opened".into()),
        installation_id: Some(1),
        repository: Some("acme/widgets".into()),
        received_at: 1,
        payload: "{}".into(),
    };
    store.ingest(delivery).await.unwrap();
    store
        .execute(
            "UPDATE deliveries SET status = 'exploded' WHERE id = $1",
            params!["d1"],
        )
        .await
        .unwrap();
    let filter = ListFilter {
        status: None,
        limit: 10,
    };
    unknown(
        store.list(&filter).await.unwrap_err(),
        "deliveries",
        "exploded",
    );
    unknown(store.get("d1").await.unwrap_err(), "deliveries", "exploded");

    let done = ActionRecord {
        state: ActionState::Done,
        detail: None,
    };
    store.record_action("d1", "label", done, 2).await.unwrap();
    store
        .execute(
            "UPDATE actions SET state = 'halfway' WHERE delivery_id = $1",
            params!["d1"],
        )
        .await
        .unwrap();
    unknown(store.actions("d1").await.unwrap_err(), "actions", "halfway");
    store.close().await;
}

#[tokio::test]
async fn sqlite_fails_loudly_on_values_it_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("o.db")).await.unwrap();
    fails_loudly(&store).await;
}

/// On a database of its own on the server TEST_DATABASE_URL names; skipped
/// without one.
#[tokio::test]
async fn postgres_fails_loudly_on_values_it_does_not_know() {
    use sqlx::Connection;
    let Some(admin) = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        return;
    };
    let name = format!("orgradar_unit_{}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    sqlx::raw_sql(&drop).execute(&mut conn).await.unwrap();
    let create = format!("CREATE DATABASE {name}");
    sqlx::raw_sql(&create).execute(&mut conn).await.unwrap();
    let base = admin.split('?').next().unwrap_or(&admin);
    let url = format!("{}/{name}", &base[..base.rfind('/').unwrap()]);
    let store = PostgresStore::open(&url).await.unwrap();
    fails_loudly(&store).await;
    sqlx::raw_sql(&drop).execute(&mut conn).await.unwrap();
}
