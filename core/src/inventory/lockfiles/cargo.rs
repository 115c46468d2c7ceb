//! `Cargo.lock`: every `[[package]]` with its `name` and `version` (`pkg:cargo`). Crates from
//! a registry and the workspace's own crates (no `source`) are kept alike, as `cargo audit`
//! reads them; a git dependency is kept too, under the version its manifest states.

use super::File;

/// Reads a `Cargo.lock` (format versions 1–4).
pub(super) fn read(text: &str, file: &mut File<'_>) -> Result<(), String> {
    let document: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let packages = match document.get("package") {
        None => return Ok(()),
        Some(toml::Value::Array(packages)) => packages,
        Some(_) => return Err("`package` is not an array of tables".into()),
    };
    for (n, package) in packages.iter().enumerate() {
        let record = format!("package[{n}]");
        let field = |key: &str| package.get(key).and_then(toml::Value::as_str);
        match (field("name"), field("version")) {
            (Some(name), Some(version)) => {
                let record = format!("{name} {version}");
                file.package(&record, "cargo", None, name, version);
            }
            (name, _) => {
                let missing = if name.is_none() { "name" } else { "version" };
                file.skip(&record, missing, format!("no {missing} (a string)"));
            }
        }
    }
    Ok(())
}
