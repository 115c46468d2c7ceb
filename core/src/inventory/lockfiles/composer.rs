//! `composer.lock`: the `packages` and `packages-dev` lists (`pkg:composer/vendor/name`).
//! Versions lose the `v` Composer keeps from tags (`v5.4.1` is `5.4.1`, as Packagist's
//! advisories write them); a branch (`dev-main`, `1.x-dev`) is no release and is reported.

use super::File;
use serde_json::Value;

/// Reads a `composer.lock`.
pub(super) fn read(text: &str, file: &mut File<'_>) -> Result<(), String> {
    let document: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let Some(object) = document.as_object() else {
        return Err("the top level is not an object".into());
    };
    for list in ["packages", "packages-dev"] {
        let packages = match object.get(list) {
            None | Some(Value::Null) => continue,
            Some(Value::Array(packages)) => packages,
            Some(_) => return Err(format!("`{list}` is not an array")),
        };
        for (n, package) in packages.iter().enumerate() {
            let record = format!("{list}[{n}]");
            let field = |key: &str| package.get(key).and_then(Value::as_str);
            let (Some(name), Some(version)) = (field("name"), field("version")) else {
                file.skip(&record, "name", "no name or version (strings)");
                continue;
            };
            if version.starts_with("dev-") || version.ends_with("-dev") {
                file.skip(
                    &format!("{name} {version}"),
                    "version",
                    format!("{version:?} is a branch, not a release: no version to match"),
                );
                continue;
            }
            let version = version
                .strip_prefix(['v', 'V'])
                .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
                .unwrap_or(version);
            let Some((vendor, project)) = name.split_once('/') else {
                file.skip(&record, "name", format!("{name:?} is not vendor/name"));
                continue;
            };
            file.package(
                &format!("{name} {version}"),
                "composer",
                Some(vendor),
                project,
                version,
            );
        }
    }
    Ok(())
}
