//! Fits the likelihood prior table from the shared data set and prints it:
//!
//! ```text
//! cargo run --release -p exposure --example fit_priors -- ../shared/data > core/data/likelihood-priors.tsv
//! ```
//!
//! The data directory holds `epss/vuls-data-raw-epss-2021-08-31.json.gz`, `nvd/json-1.1/` and
//! `nvd/api-2.0-samples/` (see `exposure::score::priors::load_sources`). The committed table
//! must equal this output; `core/tests/priors.rs` refits and compares.

use exposure::score::priors::{load_sources, PriorTable};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: fit_priors <shared data directory, e.g. ../shared/data>");
        return ExitCode::from(2);
    };
    let (kb, sources) = match load_sources(&dir) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("fit_priors: {e}");
            return ExitCode::FAILURE;
        }
    };
    let table = PriorTable::fit(&kb, &sources);
    let mut out = std::io::stdout().lock();
    if let Err(e) = out
        .write_all(table.to_tsv().as_bytes())
        .and_then(|()| out.flush())
    {
        eprintln!("fit_priors: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
