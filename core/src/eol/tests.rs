use super::{is_date, EndOfLife, EolErrorKind};

#[test]
fn embedded_table_parses_and_every_row_cites_a_source() {
    let table = EndOfLife::embedded();
    assert!(table.entries().len() > 50);
    for e in table.entries() {
        assert!(e.source.starts_with("https://"), "{e:?}");
        assert!(is_date(&e.end), "{e:?}");
        assert!(
            e.product.starts_with("cpe:") || e.product.contains('/'),
            "{e:?}"
        );
    }
}

#[test]
fn release_lines_match_component_wise() {
    let t = EndOfLife::embedded();
    let ssl = |v| {
        t.lookup("cpe:openssl:openssl", v)
            .map(|e| e.release.as_str())
    };
    assert_eq!(ssl("1.0.2k"), Some("1.0.2"));
    assert_eq!(ssl("1.1.1w"), Some("1.1.1"));
    assert_eq!(ssl("3.0.19"), Some("3.0"));
    assert_eq!(ssl("3.5.0"), None);
    let sql = |v| {
        t.lookup("cpe:microsoft:sql_server", v)
            .map(|e| e.end.as_str())
    };
    assert_eq!(sql("10.50.1600.1"), Some("2019-07-09"));
    assert_eq!(sql("100.0"), None);
    let fx = |v| {
        t.lookup("CPE:Mozilla:Firefox", v)
            .map(|e| e.release.as_str())
    };
    assert_eq!(fx("10.0.2"), Some("<115"));
    assert_eq!(fx("57.0.2"), Some("<115"));
    assert_eq!(fx("128.1.0"), None);
    let debian = t
        .lookup("Debian/base-files", "12.4+deb12u13")
        .expect("listed");
    assert_eq!(debian.end, "2028-06-30");
    assert!(!debian.ended("2026-12-04") && debian.ended("2028-07-01"));
}

#[test]
fn bad_tables_are_typed_errors_with_lines() {
    let kind = |text: &str| EndOfLife::parse(text).map(|_| ()).unwrap_err();
    assert_eq!(kind("exposure-eol/2\n").kind(), &EolErrorKind::Header);
    assert_eq!(kind("").kind(), &EolErrorKind::Header);
    let e = kind("exposure-eol/1\nproduct\tend\n");
    assert_eq!((e.kind(), e.line()), (&EolErrorKind::Columns, 2));
    let head = "exposure-eol/1\nproduct\trelease\tend\tsuccessor\tsource\n";
    let e = kind(&format!("{head}# note\ncpe:a:b\t1\t2020-01-01\n"));
    assert_eq!((e.kind(), e.line()), (&EolErrorKind::Cells { found: 3 }, 4));
    let e = kind(&format!("{head}cpe:a:b\t1\t2020-13-01\tc\thttps://x\n"));
    assert!(matches!(e.kind(), EolErrorKind::Date { .. }));
    let e = kind(&format!("{head}\t1\t2020-12-01\tc\thttps://x\n"));
    assert_eq!(e.kind(), &EolErrorKind::Empty { column: "product" });
}
