//! The store a test runs against: a SQLite file in the test's folder, or a
//! fresh PostgreSQL database when TEST_DATABASE_URL names a server.

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A test's folder (working directory of the processes it starts) and its store.
pub struct TestDir {
    dir: tempfile::TempDir,
    pub database_url: String,
    pub backend: Backend,
    postgres: Option<(String, String)>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    format!("{}/{database}{query}", &base[..path_start])
}

fn block_on<T, F, Fut>(make: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = T>,
{
    // A runtime of its own on a thread of its own: callers may be inside one already.
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(make())
    })
    .join()
    .unwrap()
}

impl TestDir {
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database_url = format!("sqlite://{}", dir.path().join("orgradar.db").display());
        TestDir {
            dir,
            database_url,
            backend: Backend::Sqlite,
            postgres: None,
        }
    }

    /// A new, empty PostgreSQL database; `None` when TEST_DATABASE_URL is not set.
    pub fn postgres() -> Option<Self> {
        let admin = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())?;
        let name = format!(
            "orgradar_test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let (admin_url, create) = (admin.clone(), name.clone());
        block_on(move || async move {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&admin_url)
                .await
                .expect("connect to TEST_DATABASE_URL");
            sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {create}"))
                .execute(&mut conn)
                .await
                .unwrap();
            sqlx::raw_sql(&format!("CREATE DATABASE {create}"))
                .execute(&mut conn)
                .await
                .unwrap();
        });
        Some(TestDir {
            dir: tempfile::tempdir().unwrap(),
            database_url: with_database(&admin, &name),
            backend: Backend::Postgres,
            postgres: Some((admin, name)),
        })
    }

    /// The store `backend`, or `None` (after saying why) when it is not available.
    pub fn new(backend: Backend, test: &str) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite()),
            Backend::Postgres => {
                let dir = Self::postgres();
                if dir.is_none() {
                    super::missing(
                        &format!("{test} on PostgreSQL"),
                        "TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test; .ci/run sets it)",
                    );
                }
                dir
            }
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `(delivery id, count)` rows of a query whose first column is a delivery
    /// id and second a count, run on this test's store.
    pub fn counts(&self, sql: &str) -> Vec<(String, i64)> {
        match self.backend {
            Backend::Sqlite => {
                let db = rusqlite::Connection::open_with_flags(
                    self.path().join("orgradar.db"),
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                )
                .unwrap();
                let mut stmt = db.prepare(sql).unwrap();
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect()
            }
            Backend::Postgres => {
                let (url, sql) = (self.database_url.clone(), sql.to_string());
                block_on(move || async move {
                    use sqlx::Connection;
                    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
                    sqlx::query_as::<_, (String, i64)>(&sql)
                        .fetch_all(&mut conn)
                        .await
                        .unwrap()
                })
            }
        }
    }

    /// Runs a statement on this test's store (to simulate a broken database).
    pub fn execute(&self, sql: &str) {
        match self.backend {
            Backend::Sqlite => {
                let db = rusqlite::Connection::open(self.path().join("orgradar.db")).unwrap();
                db.execute_batch(sql).unwrap();
            }
            Backend::Postgres => {
                let (url, sql) = (self.database_url.clone(), sql.to_string());
                block_on(move || async move {
                    use sqlx::Connection;
                    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
                    sqlx::raw_sql(&sql).execute(&mut conn).await.unwrap();
                });
            }
        }
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.postgres.take() {
            block_on(move || async move {
                use sqlx::Connection;
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let _ = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await;
                }
            });
        }
    }
}

/// Runs an async scenario on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL.
#[macro_export]
macro_rules! on_both_stores {
    ($scenario:ident) => {
        mod $scenario {
            use $crate::support::db::{Backend, TestDir};

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(dir) = TestDir::new(Backend::Sqlite, stringify!($scenario)) {
                    super::$scenario(dir).await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(dir) = TestDir::new(Backend::Postgres, stringify!($scenario)) {
                    super::$scenario(dir).await;
                }
            }
        }
    };
}
