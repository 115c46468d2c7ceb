//! Inputs nested as deep as the engine accepts, handled on a thread with a 64 KB stack: no
//! function recurses once per level of its input, so none overflows a host's small stack
//! (a C host's worker thread, a Python thread after `threading.stack_size`).

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

