//! [`Sql`] on SQLite: statements (written with `$N`) prepared once and
//! cached; writes through the writer thread, reads on the reader connection.

use super::SqliteStore;
use crate::store::StoreError;
use crate::store::sql::{MapRow, Param, Row, Sql, Step, for_sqlite};
use async_trait::async_trait;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

impl Row for rusqlite::Row<'_> {
    fn text(&self, i: usize) -> Result<String, StoreError> {
        Ok(self.get(i)?)
    }

    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        Ok(self.get(i)?)
    }

    fn int(&self, i: usize) -> Result<i64, StoreError> {
        Ok(self.get(i)?)
    }

    fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        Ok(self.get(i)?)
    }
}

fn values(params: Vec<Param>) -> impl rusqlite::Params {
    params_from_iter(params.into_iter().map(|p| match p {
        Param::Int(n) => Value::Integer(n),
        Param::Text(t) => Value::Text(t),
        Param::OptText(t) => t.map_or(Value::Null, Value::Text),
    }))
}

/// Runs one statement; the rows it changed.
pub(super) fn execute(conn: &Connection, sql: &str, params: Vec<Param>) -> Result<u64, StoreError> {
    let n = conn
        .prepare_cached(&for_sqlite(sql))?
        .execute(values(params))?;
    Ok(n as u64)
}

/// The rows of a query, each mapped by `map`.
pub(super) fn rows<T>(
    conn: &Connection,
    sql: &str,
    params: Vec<Param>,
    map: MapRow<T>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(&for_sqlite(sql))?;
    let mut rows = stmt.query(values(params))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(map(r)?);
    }
    Ok(out)
}

#[async_trait]
impl Sql for SqliteStore {
    async fn execute(&self, sql: &'static str, params: Vec<Param>) -> Result<u64, StoreError> {
        self.write_statement(move |conn| execute(conn, sql, params))
            .await
    }

    async fn transaction(&self, steps: Vec<Step>) -> Result<Vec<u64>, StoreError> {
        self.write(move |conn| {
            let mut changed = Vec::with_capacity(steps.len());
            for step in steps {
                changed.push(if step.runs(&changed) {
                    execute(conn, step.sql, step.params)?
                } else {
                    0
                });
            }
            Ok(changed)
        })
        .await
    }

    async fn rows<T: Send + 'static>(
        &self,
        sql: String,
        params: Vec<Param>,
        map: MapRow<T>,
    ) -> Result<Vec<T>, StoreError> {
        self.read(move |conn| rows(conn, &sql, params, map)).await
    }
}
