//! Cross-language conformance vectors in `tests/vectors/`, shared with the C and Python tests.

use exposure::Engine;

fn rows(name: &str) -> Vec<Vec<String>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

#[test]
fn demo_findings_are_exactly_the_vectors() {
    let assessment = Engine::demo().assess(&exposure::demo::fleet());
    let actual: Vec<Vec<String>> = assessment
        .findings
        .iter()
        .map(|f| {
            let f = &f.finding;
            vec![
                f.device_id.clone(),
                f.software.ecosystem.to_string(),
                f.software.name.clone(),
                f.software.version.clone(),
                f.advisory_id.clone(),
                f.fix.clone().unwrap_or_else(|| "-".into()),
                f.evidence.matched.clone(),
            ]
        })
        .collect();
    assert_eq!(actual, rows("demo-findings.tsv"));
}
