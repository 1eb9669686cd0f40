//! [`Sql`] on PostgreSQL: statements on the pool, transactions begun and
//! committed on one of its connections.

use super::PostgresStore;
use crate::store::StoreError;
use crate::store::sql::{MapRow, Param, Row, Sql, Step};
use async_trait::async_trait;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::{Postgres, Row as _};

impl Row for PgRow {
    fn text(&self, i: usize) -> Result<String, StoreError> {
        Ok(self.try_get(i)?)
    }

    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        Ok(self.try_get(i)?)
    }

    /// A BIGINT, or an INTEGER widened.
    fn int(&self, i: usize) -> Result<i64, StoreError> {
        match self.try_get::<i64, _>(i) {
            Ok(n) => Ok(n),
            Err(e) => self
                .try_get::<i32, _>(i)
                .map(i64::from)
                .map_err(|_| e.into()),
        }
    }

    fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.try_get::<Option<i64>, _>(i) {
            Ok(n) => Ok(n),
            Err(e) => self
                .try_get::<Option<i32>, _>(i)
                .map(|n| n.map(i64::from))
                .map_err(|_| e.into()),
        }
    }
}

fn bind<'q>(sql: &'q str, params: Vec<Param>) -> Query<'q, Postgres, PgArguments> {
    let mut query = sqlx::query(sql);
    for p in params {
        query = match p {
            Param::Int(n) => query.bind(n),
            Param::Text(t) => query.bind(t),
            Param::OptText(t) => query.bind(t),
        };
    }
    query
}

#[async_trait]
impl Sql for PostgresStore {
    async fn execute(&self, sql: &'static str, params: Vec<Param>) -> Result<u64, StoreError> {
        let done = bind(sql, params).execute(&self.pool).await?;
        Ok(done.rows_affected())
    }

    async fn transaction(&self, steps: Vec<Step>) -> Result<Vec<u64>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut changed = Vec::with_capacity(steps.len());
        for step in steps {
            changed.push(if step.runs(&changed) {
                bind(step.sql, step.params)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            } else {
                0
            });
        }
        tx.commit().await?;
        Ok(changed)
    }

    async fn rows<T: Send + 'static>(
        &self,
        sql: String,
        params: Vec<Param>,
        map: MapRow<T>,
    ) -> Result<Vec<T>, StoreError> {
        let rows = bind(&sql, params).fetch_all(&self.pool).await?;
        rows.iter().map(|r| map(r)).collect()
    }

    fn sums_rollups(&self) -> bool {
        true
    }
}
