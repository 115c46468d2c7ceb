use super::{load, Kind};
use proptest::prelude::*;

fn purls(kind: Kind, text: &str) -> Vec<String> {
    let loaded = load(kind, text, "t").unwrap();
    loaded.fleet.devices[0]
        .software
        .iter()
        .map(|s| s.purl.as_ref().unwrap().text().to_owned())
        .collect()
}

#[test]
fn file_names_and_contents_name_the_format() {
    for kind in Kind::ALL {
        assert_eq!(Kind::from_file_name(kind.file_name()), Some(kind));
    }
    assert_eq!(
        Kind::from_file_name("requirements-prod.txt"),
        Some(Kind::Requirements)
    );
    assert_eq!(Kind::from_file_name("package.json"), None);
    assert_eq!(
        Kind::from_text("{\"name\": \"x\", \"lockfileVersion\": 2}"),
        Some(Kind::NpmLock)
    );
    assert_eq!(Kind::from_text("{\"bomFormat\": \"CycloneDX\"}"), None);
    assert_eq!(Kind::from_text("Package: bash\n"), None);
}

#[test]
fn package_lock_v1_nesting_is_walked_without_recursion() {
    // 60 levels, two objects each (serde_json refuses documents nested deeper than 128
    // before the walk sees them: a deeper lock is an error, not a stack overflow).
    let mut text = String::from("{\"version\": \"1.0.0\"}");
    for level in (0..60).rev() {
        text = format!(
            "{{\"version\": \"1.0.{level}\", \"dependencies\": {{\"p{}\": {text}}}}}",
            level + 1
        );
    }
    let text = format!("{{\"lockfileVersion\": 1, \"dependencies\": {{\"p0\": {text}}}}}");
    let items = purls(Kind::NpmLock, &text);
    assert_eq!(items.len(), 61);
    assert!(items.contains(&"pkg:npm/p60@1.0.0".to_owned()));
}

#[test]
fn requirements_lines_are_read_as_pip_reads_them() {
    let text = "a==1.0 # comment\nb[x,y] == 2.0 ; python_version < '3.8'\nc===3.0\n\
                d==1.*\ne==1.0,!=1.0.1\nf @ https://x/f.whl\n--index-url https://pypi.org/simple\n\
                g==4.0 \\\n    --hash=sha256:00\n#h==9\n";
    let loaded = load(Kind::Requirements, text, "r").unwrap();
    let items: Vec<String> = loaded.fleet.devices[0]
        .software
        .iter()
        .map(|s| format!("{} {}", s.name, s.version))
        .collect();
    assert_eq!(items, ["a 1.0", "b 2.0", "c 3.0", "g 4.0"]);
    assert_eq!(loaded.report.records_skipped, 3); // d, e, f
    assert_eq!(loaded.report.problems[0].record.as_deref(), Some("line 4"));
}

#[test]
fn go_mod_replacements_apply_to_one_version_or_all() {
    let text = "module m\n\nrequire (\n\ta.io/x v1.0.0\n\tb.io/y v2.0.0\n)\n\
                replace a.io/x v1.0.0 => c.io/x v1.0.1\nreplace b.io/y v9.9.9 => d.io/y v1.0.0\n";
    assert_eq!(
        purls(Kind::GoMod, text),
        ["pkg:golang/c.io/x@v1.0.1", "pkg:golang/b.io/y@v2.0.0"]
    );
}

#[test]
fn equal_packages_are_one_item_counted_as_replaced() {
    let loaded = load(Kind::Requirements, "a==1\na==1\nA==2\n", "r").unwrap();
    assert_eq!(loaded.fleet.devices[0].software.len(), 2);
    assert_eq!(loaded.report.records_replaced, 1);
    assert_eq!(loaded.report.records_loaded, 3);
}

#[test]
fn deeply_nested_poms_are_refused() {
    let text = format!(
        "<project>{}{}</project>",
        "<a>".repeat(100),
        "</a>".repeat(100)
    );
    let error = load(Kind::Maven, &text, "pom").unwrap_err().to_string();
    assert!(error.contains("nested deeper than 64"), "{error}");
}

proptest! {
    /// The line-oriented readers account for every line they keep or skip, on any text.
    #[test]
    fn line_readers_never_lose_a_record(text in "([a-zA-Z0-9 =<>~!@.()\\[\\];:/#\\\\-]{0,30}\n){0,12}") {
        for kind in [Kind::Requirements, Kind::GoMod, Kind::GoSum, Kind::Gemfile, Kind::Yarn] {
            let loaded = load(kind, &text, "p").unwrap();
            let r = &loaded.report;
            prop_assert_eq!(r.records_read, r.records_loaded + r.records_skipped);
            prop_assert!(r.problem_count >= r.records_skipped);
            prop_assert_eq!(loaded.fleet.devices[0].software.len() + r.records_replaced, r.records_loaded);
        }
    }
}
