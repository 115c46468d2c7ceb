//! Every function of the header that takes `exposure_error **err` is walked by the C test
//! `tests/c/enums.c` (`argument_checks_fill_err`) with a failing argument, which checks that
//! `*err` is filled with the returned status (a line naming `EXPOSURE_STATUS_NULL_ARGUMENT`, or
//! the test's `NULL_ARGUMENT(call, name)` macro): a function added to the ABI without that
//! check fails here.

use std::path::PathBuf;

fn read(relative: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The header without its comments.
fn without_comments(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut rest = header;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out.lines()
        .filter(|l| !l.trim_start().starts_with("//") && !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names of the header's functions with an `err` parameter.
fn functions_taking_err(header: &str) -> Vec<String> {
    let mut names = Vec::new();
    for declaration in without_comments(header).split(';') {
        let flat: String = declaration.split_whitespace().collect::<Vec<_>>().join(" ");
        if !flat.contains("exposure_error **err") {
            continue;
        }
        let Some(open) = flat.find('(') else { continue };
        if let Some(name) = flat[..open].split_whitespace().last() {
            names.push(name.trim_start_matches('*').to_owned());
        }
    }
    names
}

#[test]
fn every_function_taking_err_is_checked_to_fill_it() {
    let header = read("../include/exposure.h");
    let test = read("../tests/c/enums.c");
    let start = test
        .find("static void argument_checks_fill_err")
        .expect("the C test of argument checks");
    let body = &test[start..];
    let body = &body[..body.find("\n}\n").expect("its end")];
    let functions = functions_taking_err(&header);
    assert!(functions.len() >= 11, "{functions:?}");
    let unchecked: Vec<&String> = functions
        .iter()
        .filter(|name| {
            !body.match_indices(&format!("{name}(")).any(|(at, _)| {
                body[at..]
                    .lines()
                    .next()
                    .is_some_and(|l| l.contains("EXPOSURE_STATUS_NULL_ARGUMENT"))
                    || body[..at].ends_with("NULL_ARGUMENT(")
            })
        })
        .collect();
    assert!(
        unchecked.is_empty(),
        "functions taking err without a NULL-argument check that err is filled: {unchecked:?}"
    );
}
