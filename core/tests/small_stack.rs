//! Inputs nested as deep as the engine accepts, handled on a thread with a 64 KB stack: no
//! function recurses once per level of its input, so none overflows a host's small stack
//! (a C host's worker thread, a Python thread after `threading.stack_size`).

use exposure::cpe::{Applicability, ConfigurationError, Cpe, MAX_NODE_DEPTH};
use exposure::version::{Scheme, Version};
use std::cmp::Ordering::{Equal, Greater, Less};

/// Runs `f` on a thread with a 64 KB stack; a stack overflow aborts the test process.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(f)
        .expect("a thread")
        .join()
        .expect("the thread finished")
}

/// Maven opens a sub-list at every switch between digits and letters: `1a` repeated 32,700
/// times (65 KB) nests 65,400 lists. Each answer is Maven 3.8.7's, checked with its
/// `ComparableVersion` on the same shapes 2,000 pairs deep.
#[test]
fn maven_compares_65_kb_versions_on_a_64_kb_stack() {
    let answers = on_small_stack(|| {
        let n = 32_700;
        let deep = |tail: &str| {
            let text = format!("{}{tail}", "1a".repeat(n - 1));
            Version::parse(Scheme::Maven, &text).expect("a Maven version")
        };
        let (a, b, c, d, e, f) = (
            deep("1a"),
            deep("1b"),
            deep("1"),
            deep("2"),
            deep("1a0"),
            deep("1-sp"),
        );
        let again = deep("1a");
        let cmp = |x: &Version, y: &Version| x.try_cmp(y).expect("one scheme");
        vec![
            cmp(&a, &again),
            cmp(&a, &b),
            cmp(&b, &a),
            cmp(&a, &c),
            cmp(&c, &d),
            cmp(&d, &e),
            cmp(&e, &a),
            cmp(&a, &f),
            cmp(&f, &c),
        ]
    });
    assert_eq!(
        answers,
        [Equal, Less, Greater, Greater, Less, Greater, Less, Greater, Greater]
    );
}

/// NVD JSON 1.1 nodes nested `depth` levels through `children`, ANDed, each with a criterion
/// `cpe:2.3:a:example:lib` below 2.0.
fn nested_nodes(depth: usize) -> String {
    let criterion = r#"{"vulnerable": true, "versionEndExcluding": "2.0",
        "cpe23Uri": "cpe:2.3:a:example:lib:*:*:*:*:*:*:*:*"}"#;
    let mut node = format!(r#"{{"operator": "AND", "cpe_match": [{criterion}]}}"#);
    for _ in 1..depth {
        node =
            format!(r#"{{"operator": "AND", "cpe_match": [{criterion}], "children": [{node}]}}"#);
    }
    format!(r#"{{"nodes": [{node}]}}"#)
}

/// A statement nested as deep as one is read: read, walked, evaluated, written back and
/// dropped on a 64 KB stack (each of these walks the tree recursively, so the depth limit is
/// what bounds them).
#[test]
fn the_deepest_nvd_statement_read_is_handled_on_a_64_kb_stack() {
    let (matched, criteria, again) = on_small_stack(|| {
        let statement =
            Applicability::from_nvd_json_text(&nested_nodes(MAX_NODE_DEPTH)).expect("read");
        let device: Vec<Cpe> = vec!["cpe:2.3:a:example:lib:1.0:*:*:*:*:*:*:*".parse().unwrap()];
        let matched = statement.evaluate(&device).map_or(0, |m| m.len());
        let criteria = statement.criteria().count();
        let json = statement.to_nvd_json();
        let again = Applicability::from_nvd_json(&json)
            .expect("read back")
            .to_nvd_json()
            == json;
        (matched, criteria, again)
    });
    assert_eq!(
        (matched, criteria, again),
        (MAX_NODE_DEPTH, MAX_NODE_DEPTH, true)
    );
    let err = Applicability::from_nvd_json_text(&nested_nodes(MAX_NODE_DEPTH + 1)).unwrap_err();
    let path = format!(
        "configurations.nodes[0]{}",
        ".children[0]".repeat(MAX_NODE_DEPTH)
    );
    assert_eq!(
        err,
        ConfigurationError::TooDeep {
            path,
            limit: MAX_NODE_DEPTH
        }
    );
}
