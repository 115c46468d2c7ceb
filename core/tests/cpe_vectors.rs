//! CPE names against the `cpe` package's own doctest transcripts in `../shared/vectors`
//! (override with `EXPOSURE_SHARED_DIR`): which 2.3 formatted strings, URIs and WFNs it
//! accepts and rejects, what it binds them to, and its attribute comparisons. Absent data is
//! reported as SKIPPED. Where the transcript contradicts NISTIR 7695/7696 we follow the
//! specification; each such case is listed in `KNOWN` with the reason.

use exposure::cpe::{compare_values, Cpe, Relation, Value};
use std::collections::HashMap;
use std::path::PathBuf;

mod common;

fn transcripts() -> Option<PathBuf> {
    common::shared("vectors/nilp0inter-cpe/tests")
}

/// Transcript cases we answer differently, by their input, with the reason.
const KNOWN: &[(&str, &str)] = &[
    // The package's `as_wfn()` of a URI object leaves out the language attribute; a WFN
    // has all eleven (we write ANY for it).
    (
        "testfile_cpe2_3_uri.txt:171:",
        "the package's URI as_wfn() drops language",
    ),
    (
        "testfile_cpe2_3_uri.txt:177:",
        "the package's URI as_wfn() drops language",
    ),
];

/// A Python string literal (`'…'`, `"…"`, `r'…'`) at the start of `text`, decoded.
fn python_string(text: &str) -> Option<String> {
    let (raw, rest) = match text.strip_prefix('r') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let mut out = String::new();
    let mut chars = rest[1..].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if raw => {
                out.push('\\');
                out.extend(chars.next());
            }
            // Python keeps the backslash of an escape it does not know (`'x32\~'`).
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                known @ ('\\' | '\'' | '"') => out.push(known),
                other => {
                    out.push('\\');
                    out.push(other);
                }
            },
            c if c == quote => return Some(out),
            c => out.push(c),
        }
    }
    None
}

/// One expectation read from a transcript.
#[derive(Debug)]
enum Expect {
    /// The constructor accepts (`true`) or rejects the input.
    Accepts(String, bool),
    /// A binding of the input, by the package's method name.
    Binds(String, &'static str, String),
    /// `_compare(source, target)` is the relation (or is not, when `holds` is false).
    Compares(String, String, Relation, bool),
}

fn relation(name: &str) -> Option<Relation> {
    Some(match name {
        "LOGICAL_VALUE_EQUAL" => Relation::Equal,
        "LOGICAL_VALUE_SUPERSET" => Relation::Superset,
        "LOGICAL_VALUE_SUBSET" => Relation::Subset,
        "LOGICAL_VALUE_DISJOINT" => Relation::Disjoint,
        "LOGICAL_VALUE_UNDEFINED" => Relation::Undefined,
        _ => return None,
    })
}

/// Reads the expectations of one transcript: variables assigned string literals, objects
/// built from them with `CPE2_3_FS`, `CPE2_3_URI` or `CPE2_3_WFN`, the `as_*` calls on those
/// objects and `CPESet2_3._compare` lines, each with the output line that follows.
fn read(text: &str) -> Vec<(usize, Expect)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut strings: HashMap<String, String> = HashMap::new();
    let mut objects: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(code) = line.strip_prefix(">>> ") else {
            continue;
        };
        let code = code.split("  #").next().unwrap_or(code).trim();
        let next = lines.get(i + 1).copied().unwrap_or("").trim();
        if let Some((name, value)) = code.split_once(" = ") {
            let name = name.trim();
            if let Some(s) = python_string(value.trim()) {
                strings.insert(name.to_owned(), s);
                continue;
            }
            for ctor in ["CPE2_3_FS(", "CPE2_3_URI(", "CPE2_3_WFN("] {
                if let Some(arg) = value.trim().strip_prefix(ctor) {
                    let arg = arg.trim_end_matches(|c: char| c == ')' || c.is_whitespace());
                    let input = python_string(arg).or_else(|| strings.get(arg).cloned());
                    if let Some(input) = input {
                        objects.insert(name.to_owned(), input.clone());
                        out.push((
                            i + 1,
                            Expect::Accepts(input, !next.starts_with("Traceback")),
                        ));
                    }
                }
            }
            continue;
        }
        for (method, binding) in [
            ("as_fs()", "fs"),
            ("as_uri_2_3()", "uri"),
            ("as_wfn()", "wfn"),
        ] {
            if let Some(object) = code.strip_suffix(method).and_then(|o| o.strip_suffix('.')) {
                if let (Some(input), Some(expected)) = (objects.get(object), python_string(next)) {
                    out.push((i + 1, Expect::Binds(input.clone(), binding, expected)));
                }
            }
        }
        if let Some(args) = code.strip_prefix("CPESet2_3._compare(") {
            let Some((call, constant)) = args.split_once(") == CPESet2_3.") else {
                continue;
            };
            let Some((a, b)) = call.split_once(", ") else {
                continue;
            };
            let (Some(a), Some(b), Some(rel)) = (
                python_string(a),
                python_string(b),
                relation(constant.trim()),
            ) else {
                continue;
            };
            out.push((i + 1, Expect::Compares(a, b, rel, next == "True")));
        }
    }
    out
}

/// A transcript value for `_compare`: `ANY`, `NA` or a WFN string.
fn value(text: &str) -> Value {
    match text {
        "ANY" => Value::Any,
        "NA" => Value::Na,
        other => Value::Text(other.to_ascii_lowercase().into()),
    }
}

fn check(file: &str, line: usize, expect: &Expect) -> Option<String> {
    let origin = format!("{file}:{line}");
    match expect {
        Expect::Accepts(input, accepts) => {
            let got = Cpe::parse(input);
            (got.is_ok() != *accepts).then(|| {
                format!(
                    "{origin}: {input:?}: the package {} it, we say {:?}",
                    if *accepts { "accepts" } else { "rejects" },
                    got.err().map(|e| e.to_string())
                )
            })
        }
        Expect::Binds(input, binding, expected) => {
            let got = Cpe::parse(input).map(|c| match *binding {
                "fs" => c.to_fs(),
                "uri" => c.to_uri(),
                _ => c.to_wfn(),
            });
            (got.as_deref() != Ok(expected.as_str())).then(|| {
                format!("{origin}: {input:?} as {binding}: expected {expected:?}, got {got:?}")
            })
        }
        Expect::Compares(a, b, rel, holds) => {
            let got = compare_values(&value(a), &value(b));
            ((got == *rel) != *holds).then(|| {
                format!("{origin}: compare({a:?}, {b:?}) == {rel:?} is {holds}, we say {got:?}")
            })
        }
    }
}

#[test]
fn the_cpe_packages_transcripts() {
    let Some(dir) = transcripts() else { return };
    let mut total = 0;
    let mut failures = Vec::new();
    let mut excused = 0;
    // Each transcript with the number of cases the reader finds in it (every one is checked).
    for (file, minimum) in [
        ("testfile_cpe2_3_fs.txt", 28),
        ("testfile_cpe2_3_uri.txt", 26),
        ("testfile_cpe2_3_wfn.txt", 19),
        ("testfile_cpeset2_3.txt", 37),
    ] {
        let text = std::fs::read_to_string(dir.join(file)).expect("readable transcript");
        let cases = read(&text);
        common::at_least(file, cases.len(), minimum);
        for (line, expect) in &cases {
            total += 1;
            if let Some(failure) = check(file, *line, expect) {
                if KNOWN.iter().any(|(text, _)| failure.contains(text)) {
                    excused += 1;
                } else {
                    failures.push(failure);
                }
            }
        }
    }
    eprintln!(
        "cpe transcripts: {} of {total} cases agree, {excused} known deviations",
        total - failures.len() - excused
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
