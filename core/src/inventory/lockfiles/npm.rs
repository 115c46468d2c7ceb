//! npm packages (`pkg:npm`): `package-lock.json` (v1's nested `dependencies`, walked with an
//! explicit stack; v2 and v3's flat `packages`), `yarn.lock` (classic v1 and berry) and
//! `pnpm-lock.yaml` (lockfile versions 5–9). A package from git, a tarball URL or a local
//! path is reported, not matched; the project itself and its workspaces are not dependencies.

use super::{npm_parts, split_at_version, File};
use serde_json::Value;

fn npm(file: &mut File<'_>, record: &str, name: &str, version: &str) {
    let (scope, bare) = npm_parts(name);
    file.package(record, "npm", scope, bare, version);
}

/// Whether a lock's version is a registry version rather than a git, file or URL spec.
fn is_registry_version(version: &str) -> bool {
    version.starts_with(|c: char| c.is_ascii_digit()) && !version.contains([':', '/'])
}

/// Reads a `package-lock.json` or `npm-shrinkwrap.json`.
pub(super) fn read_package_lock(text: &str, file: &mut File<'_>) -> Result<(), String> {
    let document: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let Some(object) = document.as_object() else {
        return Err("the top level is not an object".into());
    };
    if let Some(packages) = object.get("packages") {
        let Some(packages) = packages.as_object() else {
            return Err("`packages` is not an object".into());
        };
        for (path, entry) in packages {
            if path.is_empty() || entry.get("link").and_then(Value::as_bool) == Some(true) {
                // The project itself; a link to a workspace, listed again at its own path.
                continue;
            }
            let Some(at) = path.rfind("node_modules/") else {
                // A workspace's own folder (`packages/a`): the project's, not a dependency.
                continue;
            };
            let name = entry
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&path[at + "node_modules/".len()..]);
            entry_version(file, path, name, entry);
        }
        return Ok(());
    }
    // Version 1: `dependencies` nested to any depth, walked without recursion.
    let mut pending: Vec<(String, &serde_json::Map<String, Value>)> = Vec::new();
    match object.get("dependencies") {
        None => {}
        Some(Value::Object(top)) => pending.push((String::new(), top)),
        Some(_) => return Err("`dependencies` is not an object".into()),
    }
    while let Some((parent, dependencies)) = pending.pop() {
        for (name, entry) in dependencies {
            let path = format!("{parent}dependencies.{name}");
            entry_version(file, &path, name, entry);
            match entry.get("dependencies") {
                None => {}
                Some(Value::Object(nested)) => pending.push((format!("{path}."), nested)),
                Some(_) => file.note(&path, "dependencies", "not an object: not read"),
            }
        }
    }
    Ok(())
}

/// One package of a `package-lock.json` at `path`.
fn entry_version(file: &mut File<'_>, path: &str, name: &str, entry: &Value) {
    match entry.get("version").and_then(Value::as_str) {
        Some(version) if is_registry_version(version) => npm(file, path, name, version),
        Some(version) => file.skip(
            path,
            "version",
            format!(
                "{version:?} is not a registry version (git, file or URL): no release to match"
            ),
        ),
        None => file.skip(path, "version", "no version (a string)"),
    }
}

/// Reads a `yarn.lock`: berry's (YAML, with `__metadata`) or classic v1's own format.
pub(super) fn read_yarn(text: &str, file: &mut File<'_>) -> Result<(), String> {
    if text.lines().any(|l| l.starts_with("__metadata:")) {
        return read_yarn_berry(text, file);
    }
    let mut header: Option<(usize, &str)> = None;
    let mut version: Option<&str> = None;
    let finish = |header: Option<(usize, &str)>, version: Option<&str>, file: &mut File<'_>| {
        let Some((line, spec)) = header else { return };
        let record = format!("line {line}");
        let first = spec.split(", ").next().unwrap_or(spec).trim_matches('"');
        // An alias (`string-width-cjs@npm:string-width@^4.2.0`) installs the package it names.
        let first = first.split_once("@npm:").map_or(first, |(_, real)| real);
        let Some((name, range)) = split_at_version(first) else {
            file.skip(&record, "", format!("{first:?} is not name@range"));
            return;
        };
        if range.contains("://")
            || ["git", "github:", "file:", "link:"]
                .iter()
                .any(|p| range.starts_with(p))
        {
            file.skip(
                &record,
                "",
                format!("{range:?} is not from the npm registry: no release to match"),
            );
            return;
        }
        match version {
            Some(v) if is_registry_version(v) => npm(file, &format!("{name}@{v}"), name, v),
            Some(v) => file.skip(
                &record,
                "version",
                format!("{v:?} is not a registry version"),
            ),
            None => file.skip(&record, "version", "no version"),
        }
    };
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if !line.starts_with(' ') {
            finish(header.take(), version.take(), file);
            header = Some((n + 1, line.trim_end().trim_end_matches(':')));
        } else if let Some(v) = line.strip_prefix("  version ") {
            version = Some(v.trim().trim_matches('"'));
        }
    }
    finish(header, version, file);
    Ok(())
}

/// Berry: each entry's `resolution` is `name@protocol:…`; `npm:` gives the version, a `patch:`
/// of an npm package its `version`, a `workspace:` is the project's own.
fn read_yarn_berry(text: &str, file: &mut File<'_>) -> Result<(), String> {
    let document: serde_yaml::Mapping = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    for (key, entry) in &document {
        let key = key.as_str().unwrap_or_default();
        if key == "__metadata" {
            continue;
        }
        let resolution = entry.get("resolution").and_then(serde_yaml::Value::as_str);
        let version = entry.get("version").and_then(|v| match v {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        let Some((name, protocol)) = resolution.and_then(|r| {
            let at = r.get(1..)?.find('@')? + 1;
            Some((&r[..at], &r[at + 1..]))
        }) else {
            file.skip(key, "resolution", "no resolution `name@protocol:…`");
            continue;
        };
        if protocol.starts_with("workspace:") {
            continue;
        }
        let version = if let Some(v) = protocol.strip_prefix("npm:") {
            Some(v.to_owned())
        } else if protocol.starts_with("patch:") && protocol.contains("@npm%3A") {
            version
        } else {
            None
        };
        match version {
            Some(v) if is_registry_version(&v) => npm(file, &format!("{name}@{v}"), name, &v),
            _ => file.skip(
                key,
                "resolution",
                format!("{protocol:?} is not from the npm registry: no release to match"),
            ),
        }
    }
    Ok(())
}

/// Reads a `pnpm-lock.yaml`: the keys of `packages` (`/name/1.0.0` in version 5,
/// `/name@1.0.0(peer@2)` in 6, `name@1.0.0` in 9), or an entry's own `name` and `version`.
pub(super) fn read_pnpm(text: &str, file: &mut File<'_>) -> Result<(), String> {
    let document: serde_yaml::Mapping = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    let lockfile_version = match document.get("lockfileVersion") {
        Some(serde_yaml::Value::String(s)) => s.clone(),
        Some(serde_yaml::Value::Number(n)) => n.to_string(),
        _ => return Err("no lockfileVersion".into()),
    };
    let packages = match document.get("packages") {
        None => return Ok(()),
        Some(serde_yaml::Value::Mapping(packages)) => packages,
        Some(_) => return Err("`packages` is not a mapping".into()),
    };
    let version5 = lockfile_version.starts_with('5');
    for (key, entry) in packages {
        let key = key.as_str().unwrap_or_default();
        let field = |name: &str| entry.get(name).and_then(serde_yaml::Value::as_str);
        if let (Some(name), Some(version)) = (field("name"), field("version")) {
            if is_registry_version(version) {
                npm(file, key, name, version);
            } else {
                file.skip(
                    key,
                    "version",
                    format!("{version:?} is not a registry version"),
                );
            }
            continue;
        }
        let spec = key.trim_start_matches('/');
        let spec = spec.split('(').next().unwrap_or(spec);
        let parsed = if version5 {
            spec.rsplit_once('/')
                .map(|(name, version)| (name, version.split('_').next().unwrap_or(version)))
        } else {
            split_at_version(spec)
        };
        match parsed {
            Some((name, version)) if is_registry_version(version) => {
                npm(file, key, name, version);
            }
            _ => file.skip(
                key,
                "",
                "not `name@version` of the npm registry (a git, tarball or local package): no release to match",
            ),
        }
    }
    Ok(())
}
