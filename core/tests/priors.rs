//! The shipped likelihood prior table (`core/data/likelihood-priors.tsv`) refitted from the
//! real data in `../shared/data` and compared with the embedded one, class by class.

mod common;

use exposure::score::priors::{load_sources, PriorTable, MIN_CLASS_SIZE};
use std::time::Instant;

#[test]
fn the_shipped_prior_table_is_what_the_shared_data_fits() {
    let Some(dir) = common::shared("data") else {
        return;
    };
    let started = Instant::now();
    let (kb, sources) = load_sources(&dir).expect("the shared data loads");
    let loaded = started.elapsed();
    let fitting = Instant::now();
    let refitted = PriorTable::fit(&kb, &sources);
    eprintln!(
        "loaded in {loaded:.1?}, refitted in {:.1?}",
        fitting.elapsed()
    );
    let shipped = PriorTable::embedded();

    // Class by class first, so that a difference is named, then the whole text.
    let names = |t: &PriorTable| t.classes().map(|(c, _)| c.to_owned()).collect::<Vec<_>>();
    assert_eq!(names(&refitted), names(shipped), "classes differ");
    for (class, fitted) in refitted.classes() {
        assert_eq!(
            Some(fitted),
            shipped.class(class),
            "class {class}: refitted n, mean and median differ from the shipped table"
        );
    }
    assert_eq!(
        refitted.to_tsv(),
        shipped.to_tsv(),
        "the header differs (sources, counts or held-out figures): regenerate with \
         `cargo run --release -p exposure --example fit_priors -- ../shared/data > core/data/likelihood-priors.tsv`"
    );
    assert_eq!(&refitted, shipped);

    let all = shipped.class("all").expect("all");
    common::at_least("CVEs covered by NVD and EPSS", all.n, 14_000);
    assert!(shipped
        .classes()
        .all(|(c, s)| c == "all" || s.n >= MIN_CLASS_SIZE));
}

#[test]
fn priors_of_real_vectors_name_their_class() {
    let table = PriorTable::embedded();
    let cvss = |v: &str| v.parse::<exposure::score::cvss::Cvss>().expect("vector");
    // Log4Shell: network, no privileges, no interaction, CWE-502 (deserialisation).
    let log4shell = table.prior(
        Some(&cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")),
        &[
            "CWE-502".to_owned(),
            "CWE-400".to_owned(),
            "CWE-20".to_owned(),
        ],
    );
    assert_eq!(log4shell.class, "AV:N/PR:N/UI:N/CWE-502");
    assert!(log4shell.probability > table.class("all").expect("all").mean);
    // A v4.0 vector with active user interaction is classed as "required".
    let v4 = table.prior(
        Some(&cvss(
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        )),
        &[],
    );
    assert_eq!(v4.class, "AV:N/PR:N/UI:R");
    // Too few v2-only records for a class of their own: back to the attack vector.
    let v2 = table.prior(Some(&cvss("AV:N/AC:L/Au:N/C:P/I:P/A:P")), &[]);
    assert_eq!(v2.class, "AV:N");
    // One covered CVE has no vector at all: too few for a `none` class.
    assert_eq!(table.prior(None, &[]).class, "all");
}
