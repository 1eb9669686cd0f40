//! Values that an option or an environment variable can both supply: an
//! error names the one that was given.

use anyhow::{Result, bail};
use orgradar::config::Env;
use std::path::PathBuf;

/// The config file: `--config`, else `ORGRADAR_CONFIG`, else `./app.yml`.
/// One that cannot be read is refused naming where its path came from.
pub fn config_file(option: Option<PathBuf>, env: &Env) -> Result<PathBuf> {
    let from_option = option.is_some();
    let path = option.unwrap_or_else(|| env.config_path.clone());
    let Err(e) = std::fs::File::open(&path) else {
        return Ok(path);
    };
    let shown = path.display();
    if from_option {
        bail!("--config {shown}: cannot read it ({e}); check the path");
    }
    if std::env::var_os("ORGRADAR_CONFIG").is_some_and(|v| !v.is_empty()) {
        bail!(
            "ORGRADAR_CONFIG={shown}: cannot read it ({e}); set ORGRADAR_CONFIG to the path of app.yml"
        );
    }
    bail!(
        "cannot read {shown} in this folder ({e}); run orgradar from the folder that holds app.yml, or set ORGRADAR_CONFIG to its path (check, explain and simulate also take --config)"
    )
}
