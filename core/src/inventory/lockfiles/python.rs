//! Python (`pkg:pypi`): `requirements*.txt` pins, `poetry.lock`, `uv.lock` and
//! `Pipfile.lock`. Only an exact pin (`==`, `===`) gives a version: a line with a range, no
//! version, a URL or a path is reported as skipped, and an option that reads another file
//! (`-r`, `-c`) as a part not read.

use super::File;
use serde_json::Value;

/// Reads a `requirements.txt`: one requirement per logical line (a `\` at the end joins the
/// next), comments and environment markers removed.
pub(super) fn read_requirements(text: &str, file: &mut File<'_>) {
    let mut logical = String::new();
    let mut start = 0usize;
    for (n, raw) in text.lines().enumerate() {
        if logical.is_empty() {
            start = n + 1;
        }
        let line = strip_comment(raw);
        if let Some(continued) = line.strip_suffix('\\') {
            logical.push_str(continued);
            logical.push(' ');
            continue;
        }
        logical.push_str(line);
        requirement(std::mem::take(&mut logical).trim(), start, file);
    }
    if !logical.trim().is_empty() {
        requirement(logical.trim(), start, file);
    }
}

/// A line without its comment (`#` at the start or after white space).
fn strip_comment(line: &str) -> &str {
    let cut = line
        .char_indices()
        .find(|&(i, c)| c == '#' && (i == 0 || line[..i].ends_with([' ', '\t'])))
        .map_or(line.len(), |(i, _)| i);
    line[..cut].trim_end()
}

fn requirement(line: &str, at: usize, file: &mut File<'_>) {
    if line.is_empty() {
        return;
    }
    let record = format!("line {at}");
    if line.starts_with('-') {
        let option = line.split_whitespace().next().unwrap_or_default();
        if matches!(option, "-r" | "--requirement" | "-c" | "--constraint")
            || option.starts_with("--requirement=")
            || option.starts_with("--constraint=")
        {
            file.note(
                &record,
                option,
                format!("{line:?}: the file it names is not read"),
            );
        } else if matches!(option, "-e" | "--editable") {
            file.skip(
                &record,
                option,
                format!("{line:?}: an editable install has no version to match"),
            );
        }
        // Other options (--index-url, --hash, --pre) say where and how, not what.
        return;
    }
    // Per-requirement options (`--hash=…`) and environment markers follow the requirement.
    let requirement = line.split(" --").next().unwrap_or(line);
    let requirement = requirement.split(';').next().unwrap_or(requirement).trim();
    if requirement.contains("://")
        || requirement.contains(" @ ")
        || requirement.starts_with(['.', '/'])
    {
        file.skip(
            &record,
            "",
            format!("{requirement:?} names a URL or a path, not a release"),
        );
        return;
    }
    let name_end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(requirement.len());
    let name = &requirement[..name_end];
    let mut rest = requirement[name_end..].trim_start();
    if rest.starts_with('[') {
        rest = rest.split_once(']').map_or("", |(_, r)| r).trim_start();
    }
    let pinned = rest
        .strip_prefix("===")
        .or_else(|| rest.strip_prefix("=="))
        .map(str::trim)
        .filter(|v| !v.is_empty() && !v.contains([',', '*', ' ', '<', '>', '!', '~']));
    match pinned {
        Some(version) if !name.is_empty() => {
            file.package(&format!("{name} {version}"), "pypi", None, name, version);
        }
        _ => file.skip(
            &record,
            "",
            format!("{requirement:?} is not pinned with ==: no version to match"),
        ),
    }
}

/// The `[[package]]` tables of a TOML lock (`poetry.lock`, `uv.lock`).
fn toml_packages(text: &str) -> Result<Vec<toml::Value>, String> {
    let document: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    match document.get("package") {
        None => Ok(Vec::new()),
        Some(toml::Value::Array(packages)) => Ok(packages.clone()),
        Some(_) => Err("`package` is not an array of tables".into()),
    }
}

/// Reads a `poetry.lock`: packages from an index (PyPI or a `legacy` one) are kept, those
/// from git, a directory, a file or a URL are reported.
pub(super) fn read_poetry(text: &str, file: &mut File<'_>) -> Result<(), String> {
    for (n, package) in toml_packages(text)?.iter().enumerate() {
        let field = |key: &str| package.get(key).and_then(toml::Value::as_str);
        let (Some(name), Some(version)) = (field("name"), field("version")) else {
            file.skip(
                &format!("package[{n}]"),
                "name",
                "no name or version (strings)",
            );
            continue;
        };
        let record = format!("{name} {version}");
        let source = package
            .get("source")
            .and_then(|s| s.get("type"))
            .and_then(toml::Value::as_str);
        match source {
            None | Some("legacy") => file.package(&record, "pypi", None, name, version),
            Some(other) => file.skip(
                &record,
                "source.type",
                format!("from a {other} source, not a package index: no release to match"),
            ),
        }
    }
    Ok(())
}

/// Reads a `uv.lock`: packages from a registry are kept; the project itself (`editable` or
/// `virtual` source) is not a dependency; git, path and directory sources are reported.
pub(super) fn read_uv(text: &str, file: &mut File<'_>) -> Result<(), String> {
    for (n, package) in toml_packages(text)?.iter().enumerate() {
        let name = package.get("name").and_then(toml::Value::as_str);
        let version = package.get("version").and_then(toml::Value::as_str);
        let source = package.get("source").and_then(toml::Value::as_table);
        let kind = source.and_then(|s| s.keys().next()).map(String::as_str);
        let Some(name) = name else {
            file.skip(&format!("package[{n}]"), "name", "no name (a string)");
            continue;
        };
        match (kind, version) {
            (Some("editable" | "virtual"), _) => {}
            (Some("registry") | None, Some(version)) => {
                file.package(&format!("{name} {version}"), "pypi", None, name, version);
            }
            (_, version) => file.skip(
                &format!("{name} {}", version.unwrap_or("(no version)")),
                "source",
                format!(
                    "from a {} source, not a registry: no release to match",
                    kind.unwrap_or("unknown")
                ),
            ),
        }
    }
    Ok(())
}

/// Reads a `Pipfile.lock`: its `default` and `develop` sections; a version is `==X`.
pub(super) fn read_pipfile(text: &str, file: &mut File<'_>) -> Result<(), String> {
    let document: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let Some(object) = document.as_object() else {
        return Err("the top level is not an object".into());
    };
    for section in ["default", "develop"] {
        let packages = match object.get(section) {
            None => continue,
            Some(Value::Object(packages)) => packages,
            Some(_) => return Err(format!("`{section}` is not an object")),
        };
        for (name, entry) in packages {
            let record = format!("{section}.{name}");
            match entry.get("version").and_then(Value::as_str) {
                Some(pin) if pin.starts_with("==") => {
                    let version = pin.trim_start_matches('=');
                    file.package(&format!("{name} {version}"), "pypi", None, name, version);
                }
                Some(other) => {
                    file.skip(&record, "version", format!("{other:?} is not an exact pin"));
                }
                None => file.skip(
                    &record,
                    "version",
                    "no version (a git, path or editable requirement): no release to match",
                ),
            }
        }
    }
    Ok(())
}
