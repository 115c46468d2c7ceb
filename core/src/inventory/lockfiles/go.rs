//! Go modules (`pkg:golang`): `go.mod`'s `require` directives with its `replace` directives
//! applied (a module replaced by another module at a version is that one; one replaced by a
//! local directory has no version to match and is reported), and `go.sum`'s modules whose
//! code was downloaded (a `/go.mod`-only line hashes the module graph, not code built).

use super::File;
use std::collections::HashMap;

/// The `require` and `replace` directives of a `go.mod`, one line each: a block's lines as
/// if each began with its verb.
fn directives(text: &str) -> Vec<(usize, &'static str, &str)> {
    let mut out = Vec::new();
    let mut block: Option<&'static str> = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.split("//").next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        if let Some(verb) = block {
            if line == ")" {
                block = None;
            } else {
                out.push((n + 1, verb, line));
            }
            continue;
        }
        for verb in ["require", "replace"] {
            if let Some(rest) = line
                .strip_prefix(verb)
                .filter(|r| r.starts_with([' ', '\t', '(']))
            {
                let rest = rest.trim();
                if rest == "(" {
                    block = Some(verb);
                } else {
                    out.push((n + 1, verb, rest));
                }
            }
        }
    }
    out
}

/// What replaces a module (or one version of it): the line of the `replace`, and the module
/// and version it names, or `None` for a local directory.
type Replacement<'a> = (usize, Option<(&'a str, &'a str)>);

/// A module path as purl namespace and name.
fn parts(module: &str) -> (Option<&str>, &str) {
    match module.rsplit_once('/') {
        Some((namespace, name)) => (Some(namespace), name),
        None => (None, module),
    }
}

/// A module at a version, as a package.
fn module_at(file: &mut File<'_>, module: &str, version: &str) {
    let (namespace, name) = parts(module);
    file.package(
        &format!("{module} {version}"),
        "golang",
        namespace,
        name,
        version,
    );
}

/// Reads a `go.mod`.
pub(super) fn read_go_mod(text: &str, file: &mut File<'_>) {
    let lines = directives(text);
    // module (or module@version) → what replaces it: Some((module, version)), or None for
    // a local directory.
    let mut replaced: HashMap<(&str, Option<&str>), Replacement<'_>> = HashMap::new();
    for &(line, verb, rest) in &lines {
        if verb != "replace" {
            continue;
        }
        let Some((from, to)) = rest.split_once("=>") else {
            file.note(
                &format!("line {line}"),
                "replace",
                "no `=>`: the replacement is not applied",
            );
            continue;
        };
        let from: Vec<&str> = from.split_whitespace().collect();
        let to: Vec<&str> = to.split_whitespace().collect();
        let key = (
            from.first().copied().unwrap_or_default(),
            from.get(1).copied(),
        );
        let target = match to.as_slice() {
            [module, version] => Some((*module, *version)),
            _ => None,
        };
        replaced.insert(key, (line, target));
    }
    for &(line, verb, rest) in &lines {
        if verb != "require" {
            continue;
        }
        let record = format!("line {line}");
        let words: Vec<&str> = rest.split_whitespace().collect();
        let [module, version] = words.as_slice() else {
            file.skip(
                &record,
                "require",
                format!("{rest:?} is not `module version`"),
            );
            continue;
        };
        let replacement = replaced
            .get(&(*module, Some(*version)))
            .or_else(|| replaced.get(&(*module, None)));
        let (module, version) = match replacement {
            None => (*module, *version),
            Some((_, Some(target))) => *target,
            Some((at, None)) => {
                file.skip(
                    &record,
                    "replace",
                    format!("{module} is replaced by a local directory (line {at}): no version to match"),
                );
                continue;
            }
        };
        module_at(file, module, version);
    }
}

/// Reads a `go.sum`.
pub(super) fn read_go_sum(text: &str, file: &mut File<'_>) {
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record = format!("line {}", n + 1);
        let words: Vec<&str> = line.split_whitespace().collect();
        let [module, version, hash] = words.as_slice() else {
            file.skip(&record, "", "not `module version hash`");
            continue;
        };
        if !hash.contains(':') {
            file.skip(&record, "", format!("{hash:?} is not a hash"));
            continue;
        }
        if version.ends_with("/go.mod") {
            continue;
        }
        module_at(file, module, version);
    }
}
