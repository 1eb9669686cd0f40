//! What both stores share to run SQL: statements written once with `$N`
//! placeholders (SQLite reads them as `?N`, see [`for_sqlite`]), their
//! parameters, rows read by column, and the [`Sql`] each store implements so
//! that the roles whose SQL is the same on both are written once.

use super::StoreError;
use async_trait::async_trait;

/// A query parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Param {
    Int(i64),
    Text(String),
    /// A text that may be NULL.
    OptText(Option<String>),
}

impl From<i64> for Param {
    fn from(n: i64) -> Self {
        Param::Int(n)
    }
}

impl From<&str> for Param {
    fn from(t: &str) -> Self {
        Param::Text(t.to_string())
    }
}

impl From<String> for Param {
    fn from(t: String) -> Self {
        Param::Text(t)
    }
}

impl From<&String> for Param {
    fn from(t: &String) -> Self {
        Param::Text(t.clone())
    }
}

impl From<Option<String>> for Param {
    fn from(t: Option<String>) -> Self {
        Param::OptText(t)
    }
}

impl From<&Option<String>> for Param {
    fn from(t: &Option<String>) -> Self {
        Param::OptText(t.clone())
    }
}

impl From<Option<&str>> for Param {
    fn from(t: Option<&str>) -> Self {
        Param::OptText(t.map(str::to_string))
    }
}

/// The parameters of a statement, from values of mixed types.
macro_rules! params {
    ($($value:expr),* $(,)?) => {
        vec![$($crate::store::sql::Param::from($value)),*]
    };
}
pub(crate) use params;

/// `$N` placeholders as SQLite's `?N`.
pub(crate) fn for_sqlite(sql: &str) -> String {
    sql.replace('$', "?")
}

/// The highest `$N` in `sql`: how many parameters it takes.
pub(crate) fn parameters(sql: &str) -> usize {
    sql.split('$')
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .max()
        .unwrap_or(0)
}

/// A row of either store, read by column index.
pub(crate) trait Row {
    fn text(&self, i: usize) -> Result<String, StoreError>;
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError>;
    fn int(&self, i: usize) -> Result<i64, StoreError>;
    fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError>;

    /// A count or number that cannot be negative.
    fn count(&self, i: usize) -> Result<u64, StoreError> {
        Ok(u64::try_from(self.int(i)?).unwrap_or(0))
    }

    fn small(&self, i: usize) -> Result<u32, StoreError> {
        Ok(u32::try_from(self.int(i)?.max(0)).unwrap_or(u32::MAX))
    }
}

/// Maps a row to a value.
pub(crate) type MapRow<T> = fn(&dyn Row) -> Result<T, StoreError>;

/// One statement of a transaction.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub sql: &'static str,
    pub params: Vec<Param>,
    /// Run only when the statement at this index changed a row.
    pub after: Option<usize>,
}

impl Step {
    pub fn new(sql: &'static str, params: Vec<Param>) -> Self {
        Step {
            sql,
            params,
            after: None,
        }
    }

    /// Runs only when statement `index` of the transaction changed a row.
    pub fn after(mut self, index: usize) -> Self {
        self.after = Some(index);
        self
    }

    /// Whether the step runs, given the rows each earlier step changed.
    pub fn runs(&self, changed: &[u64]) -> bool {
        self.after
            .is_none_or(|i| changed.get(i).is_some_and(|&n| n > 0))
    }
}

/// How each store runs SQL; the roles whose SQL is the same on both are
/// written once against it.
#[async_trait]
pub(crate) trait Sql: Send + Sync {
    /// Runs one statement (atomic by itself); the rows it changed.
    async fn execute(&self, sql: &'static str, params: Vec<Param>) -> Result<u64, StoreError>;

    /// Runs the steps in one transaction, all or nothing; the rows each
    /// changed (0 for one that did not run).
    async fn transaction(&self, steps: Vec<Step>) -> Result<Vec<u64>, StoreError>;

    /// The rows of a query, each mapped by `map`.
    async fn rows<T: Send + 'static>(
        &self,
        sql: String,
        params: Vec<Param>,
        map: MapRow<T>,
    ) -> Result<Vec<T>, StoreError>;

    /// Whether the store sums rollup days in SQL (PostgreSQL) rather than
    /// folding every day row itself.
    fn sums_rollups(&self) -> bool {
        false
    }

    /// The first row of a query, if any.
    async fn row<T: Send + 'static>(
        &self,
        sql: &'static str,
        params: Vec<Param>,
        map: MapRow<T>,
    ) -> Result<Option<T>, StoreError> {
        Ok(self
            .rows(sql.to_string(), params, map)
            .await?
            .into_iter()
            .next())
    }
}

/// Column 0 as text.
pub(crate) fn first_text(r: &dyn Row) -> Result<String, StoreError> {
    r.text(0)
}

/// Column 0 as a number.
pub(crate) fn first_int(r: &dyn Row) -> Result<i64, StoreError> {
    r.int(0)
}

/// The stored form of a sighting's JSON; a row that no longer parses is skipped.
pub(crate) fn parse_sighting(data: &str) -> Option<crate::sighting::Sighting> {
    serde_json::from_str(data).ok()
}

/// The sightings of rows whose column 0 is a sighting's JSON.
pub(crate) fn parse_sightings(rows: Vec<String>) -> Vec<crate::sighting::Sighting> {
    rows.iter().filter_map(|d| parse_sighting(d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_parameters() {
        assert_eq!(for_sqlite("a = $1"), "a = ?1");
        assert_eq!(parameters("a = $2 AND b < $12 OR c = $1"), 12);
        assert_eq!(
            params![1, "a", None::<String>],
            vec![Param::Int(1), Param::Text("a".into()), Param::OptText(None)]
        );
    }
}
