//! Lockfiles and directory trees as inventories (`exposure::inventory::lockfiles`,
//! `exposure::inventory::rootfs`), on the fixture tree `tests/rootfs/app-image`, and the
//! project's own `Cargo.lock` against RustSec's advisories.

mod common;

use exposure::inventory::{load_path, rootfs, LoadOptions, LoadedFleet};
use std::path::{Path, PathBuf};

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/rootfs/app-image")
        .join(relative)
}

fn load(relative: &str) -> LoadedFleet {
    load_path(&fixture(relative), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The purls of the one device, in order.
fn purls(loaded: &LoadedFleet) -> Vec<String> {
    assert_eq!(loaded.fleet.devices.len(), 1);
    loaded.fleet.devices[0]
        .software
        .iter()
        .map(|s| {
            s.purl
                .as_ref()
                .map(|p| p.text().to_owned())
                .unwrap_or_default()
        })
        .collect()
}

/// The problems as `record: field` (consequence).
fn problems(loaded: &LoadedFleet) -> Vec<String> {
    loaded
        .report
        .problems
        .iter()
        .map(|p| {
            format!(
                "{}: {} ({:?})",
                p.record.as_deref().unwrap_or("-"),
                p.field,
                p.consequence
            )
        })
        .collect()
}

/// Each format's packages and problems, as its fixture states them.
#[test]
fn every_format_yields_its_packages_and_reports_what_it_cannot_match() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "srv/rust/Cargo.lock",
            &[
                "pkg:cargo/app@0.1.0",
                "pkg:cargo/smallvec@1.6.0",
                "pkg:cargo/time@0.1.45",
            ],
            &["package[3]: name (Skipped)"],
        ),
        (
            "srv/node-v3/package-lock.json",
            &[
                "pkg:npm/%40babel/core@7.22.5",
                "pkg:npm/lodash@4.17.15",
                "pkg:npm/mocha@10.2.0",
                "pkg:npm/ms@2.1.3",
            ],
            &["node_modules/internal-lib: version (Skipped)"],
        ),
        (
            "srv/node-v1/package-lock.json",
            &[
                "pkg:npm/%40types/node@18.11.9",
                "pkg:npm/express@4.16.0",
                "pkg:npm/qs@6.11.0",
                "pkg:npm/qs@6.5.1",
            ],
            &["dependencies.local-thing: version (Skipped)"],
        ),
        (
            "srv/yarn-classic/yarn.lock",
            &[
                "pkg:npm/%40babel/code-frame@7.22.5",
                "pkg:npm/minimist@1.2.5",
                "pkg:npm/string-width@4.2.3",
            ],
            &["line 20:  (Skipped)"],
        ),
        (
            "srv/yarn-berry/yarn.lock",
            &[
                "pkg:npm/axios@0.21.0",
                "pkg:npm/%40types/react@18.2.0",
                "pkg:npm/resolve@1.22.8",
            ],
            &["tool@https://example.com/tool-1.0.0.tgz: resolution (Skipped)"],
        ),
        (
            "srv/pnpm9/pnpm-lock.yaml",
            &[
                "pkg:npm/%40types/node@20.4.2",
                "pkg:npm/%40vue/shared@3.3.4",
                "pkg:npm/minimist@1.2.5",
                "pkg:npm/vite@4.4.0",
            ],
            &[],
        ),
        (
            "srv/pnpm6/pnpm-lock.yaml",
            &["pkg:npm/ws@7.4.5", "pkg:npm/%40babel/traverse@7.20.0"],
            &["github.com/acme/widget/0a1b2c3:  (Skipped)"],
        ),
        (
            "srv/python-pip/requirements.txt",
            &[
                "pkg:pypi/Django@3.2.0",
                "pkg:pypi/requests@2.25.1",
                "pkg:pypi/urllib3@1.26.4",
                "pkg:pypi/numpy@1.21.0",
            ],
            // -r not followed (the walk of a tree reads requirements-base.txt itself),
            // PyYAML>=5.4 and flask unpinned, an editable git install.
            &[
                "line 3: -r (PartlyUsed)",
                "line 9:  (Skipped)",
                "line 10:  (Skipped)",
                "line 11: -e (Skipped)",
            ],
        ),
        (
            "srv/python-poetry/poetry.lock",
            &["pkg:pypi/certifi@2022.12.7", "pkg:pypi/pytest@7.3.1"],
            &["acme-utils 0.4.0: source.type (Skipped)"],
        ),
        (
            "srv/python-uv/uv.lock",
            &["pkg:pypi/aiohttp@3.8.4"],
            &["vendored 1.0.0: source (Skipped)"],
        ),
        (
            "srv/python-pipenv/Pipfile.lock",
            &["pkg:pypi/pillow@8.1.0", "pkg:pypi/black@22.3.0"],
            &["default.mylib: version (Skipped)"],
        ),
        (
            "srv/go/go.mod",
            &[
                "pkg:golang/github.com/gin-gonic/gin@v1.9.0",
                "pkg:golang/golang.org/x/net@v0.7.0",
                "pkg:golang/gopkg.in/yaml.v3@v3.0.0", // github.com/old/yaml, replaced
                "pkg:golang/github.com/sirupsen/logrus@v1.9.0",
            ],
            &["line 10: replace (Skipped)"], // github.com/acme/shared => ../shared
        ),
        (
            "srv/go/go.sum",
            &[
                "pkg:golang/github.com/gin-gonic/gin@v1.9.0",
                "pkg:golang/golang.org/x/net@v0.7.0",
                "pkg:golang/gopkg.in/yaml.v3@v3.0.0",
            ],
            &["line 7:  (Skipped)"],
        ),
        (
            "srv/ruby/Gemfile.lock",
            &[
                "pkg:gem/actionpack@6.1.0",
                "pkg:gem/nokogiri@1.13.10",
                "pkg:gem/racc@1.6.2",
                "pkg:gem/rack@2.2.3",
            ],
            &["acme-auth 0.9.0:  (Skipped)", "acme-app 1.0.0:  (Skipped)"],
        ),
        (
            "srv/php/composer.lock",
            &[
                "pkg:composer/guzzlehttp/guzzle@7.4.0",
                "pkg:composer/symfony/http-kernel@5.4.1",
                "pkg:composer/phpunit/phpunit@9.5.10",
            ],
            &["acme/internal dev-main: version (Skipped)"],
        ),
        (
            "srv/java/pom.xml",
            &[
                "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.12.3",
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                "pkg:maven/com.acme/billing-api@1.4.0",
                "pkg:maven/junit/junit@4.12",
            ],
            &[
                "line 63: project/profiles/profile/dependencies (PartlyUsed)",
                "line 33 org.springframework.boot:spring-boot-starter-web: version (Skipped)",
                "line 48 org.acme:ranged: version (Skipped)",
                "line 53 org.acme:unresolved: version (Skipped)",
            ],
        ),
    ];
    for (file, expected, expected_problems) in cases {
        let loaded = load(file);
        assert_eq!(purls(&loaded), *expected, "{file}");
        assert_eq!(problems(&loaded), *expected_problems, "{file}");
        let report = &loaded.report;
        assert_eq!(
            report.records_read,
            report.records_loaded + report.records_skipped,
            "{file}"
        );
        assert_eq!(
            report.records_skipped,
            expected_problems
                .iter()
                .filter(|p| p.ends_with("(Skipped)"))
                .count(),
            "{file}"
        );
    }
    // The ecosystems are those the advisories name, and names are spelled as they do.
    let names = |file: &str| -> Vec<String> {
        load(file).fleet.devices[0]
            .software
            .iter()
            .map(|s| format!("{} {}", s.ecosystem, s.name))
            .collect()
    };
    assert_eq!(
        names("srv/java/pom.xml")[1],
        "Maven org.apache.logging.log4j:log4j-core"
    );
    assert_eq!(
        names("srv/php/composer.lock")[0],
        "Packagist guzzlehttp/guzzle"
    );
    assert_eq!(names("srv/node-v3/package-lock.json")[0], "npm @babel/core");
    assert_eq!(names("srv/go/go.mod")[0], "Go github.com/gin-gonic/gin");
    assert_eq!(names("srv/ruby/Gemfile.lock")[0], "RubyGems actionpack");
    assert_eq!(names("srv/rust/Cargo.lock")[1], "crates.io smallvec");
}

/// Content tells a lockfile apart where it can; a `requirements.txt` is told by name only.
#[test]
fn lockfiles_are_told_by_content_through_load_text() {
    use exposure::inventory::load_text;
    for file in [
        "srv/rust/Cargo.lock",
        "srv/node-v3/package-lock.json",
        "srv/yarn-classic/yarn.lock",
        "srv/yarn-berry/yarn.lock",
        "srv/pnpm9/pnpm-lock.yaml",
        "srv/python-poetry/poetry.lock",
        "srv/python-uv/uv.lock",
        "srv/python-pipenv/Pipfile.lock",
        "srv/go/go.mod",
        "srv/ruby/Gemfile.lock",
        "srv/php/composer.lock",
        "srv/java/pom.xml",
    ] {
        let text = std::fs::read_to_string(fixture(file)).unwrap();
        let by_content = load_text(&text, "inline", &LoadOptions::default())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(purls(&by_content), purls(&load(file)), "{file}");
    }
    let text = std::fs::read_to_string(fixture("srv/python-pip/requirements.txt")).unwrap();
    assert!(load_text(&text, "inline", &LoadOptions::default()).is_err());
}

/// A lockfile whose structure does not parse is an error naming it, not an empty device.
#[test]
fn a_broken_lockfile_is_an_error() {
    use exposure::inventory::lockfiles::{load, Kind};
    for (kind, text) in [
        (Kind::Cargo, "[[package]\nname = "),
        (Kind::NpmLock, "{\"lockfileVersion\": 3, \"packages\": ["),
        (Kind::Pnpm, "lockfileVersion: '9.0'\npackages: [1, 2"),
        (Kind::Maven, "<project><dependencies><dependency></project>"),
        (Kind::Composer, "[]"),
    ] {
        let error = load(kind, text, "broken").unwrap_err().to_string();
        assert!(error.starts_with("broken: "), "{kind:?}: {error}");
        assert!(error.contains(kind.file_name()), "{kind:?}: {error}");
    }
}

/// A tree is one device: the apk packages in the release its os-release names, and every
/// lockfile outside `node_modules`, equal packages once.
#[test]
fn a_directory_tree_is_one_device() {
    let loaded = rootfs::load_dir(&fixture(""), &LoadOptions::default()).unwrap();
    let device = &loaded.fleet.devices[0];
    assert_eq!(device.id, "app-image");
    let items = purls(&loaded);
    assert_eq!(
        items[..3],
        [
            "pkg:apk/alpine/musl@1.2.4_git20230717-r4?distro=alpine-3.19",
            "pkg:apk/alpine/openssl@3.1.4-r5?distro=alpine-3.19",
            "pkg:apk/alpine/busybox@1.36.1-r15?distro=alpine-3.19",
        ]
    );
    assert_eq!(device.software[1].ecosystem.to_string(), "Alpine:v3.19");
    assert_eq!(device.software[1].packages, ["libcrypto3", "libssl3"]);
    // requirements-base.txt, which requirements.txt includes, is read by the walk.
    assert!(items.contains(&"pkg:pypi/Jinja2@2.11.2".to_owned()));
    // A lockfile inside node_modules is not read.
    assert!(!items.iter().any(|p| p.contains("should-not-be-read")));
    // 3 apk items and 47 distinct lockfile packages (minimist, gin, x/net and yaml.v3 twice).
    assert_eq!(items.len(), 3 + 47, "{items:#?}");
    let report = &loaded.report;
    assert_eq!(report.files, 18);
    assert_eq!(report.records_replaced, 4);
    assert_eq!(
        report.records_read,
        report.records_loaded + report.records_skipped
    );
    // The apk stanza without P: and V:, and each file's own problems.
    assert_eq!(report.records_skipped, 21);
    assert_eq!(report.problems[0].record.as_deref(), Some("line 64"));
    // Not a directory: an error.
    assert!(rootfs::load_dir(&fixture("etc/os-release"), &LoadOptions::default()).is_err());
}

/// Assessed as a directory, the tree's vulnerable packages are found (the demo advisories
/// name lodash, minimist, requests, urllib3, golang.org/x/net, smallvec and time).
#[test]
fn a_directory_tree_is_assessed() {
    use exposure::assess::{AssessInputs, InventorySource};
    let inputs = AssessInputs {
        demo: true,
        inventories: vec![InventorySource::RootFs(fixture(""))],
        ..AssessInputs::default()
    };
    let assessment = inputs.assess().unwrap();
    let mut found: Vec<String> = assessment
        .findings
        .iter()
        .map(|f| format!("{} {}", f.finding.advisory_id, f.finding.software.name))
        .collect();
    found.sort();
    found.dedup();
    assert_eq!(
        found,
        [
            "GHSA-35jh-r3h4-6jhm lodash",
            "GHSA-p6mc-m468-83gw lodash",
            "GHSA-xvch-5gv4-984h minimist",
            "GO-2023-2102 golang.org/x/net",
            "PYSEC-2023-212 urllib3",
            "PYSEC-2023-74 requests",
            "RUSTSEC-2020-0071 time",
            "RUSTSEC-2021-0003 smallvec",
        ]
    );
    assert_eq!(
        assessment.inventory_reports[0].input,
        fixture("").display().to_string()
    );
}

/// Dogfood: this repository's own `Cargo.lock` against RustSec's advisories. A dependency
/// with a known vulnerability fails the test (update it); informational advisories
/// (unmaintained, unsound) are reported apart, as what they are, and do not fail it.
#[test]
fn this_projects_cargo_lock_has_no_known_vulnerability() {
    use exposure::assess::{AssessInputs, InventorySource};
    let Some(archive) = common::shared("data/osv-rustsec/rustsec-osv-crates.tar.gz") else {
        return;
    };
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    let inputs = AssessInputs {
        knowledge: vec![archive],
        inventories: vec![InventorySource::Path(lock)],
        ..AssessInputs::default()
    };
    let assessment = inputs.assess().unwrap();
    let report = &assessment.inventory_reports[0].report;
    assert_eq!(report.problem_count, 0, "{:?}", report.problems);
    common::at_least("crates in Cargo.lock", report.records_loaded, 100);
    common::at_least("RustSec advisories", assessment.knowledge.advisories, 500);
    let describe = |f: &exposure::matching::Finding| {
        format!(
            "{} {} {}: {}",
            f.advisory_id,
            f.software.name,
            f.software.version,
            f.summary.as_deref().unwrap_or_default()
        )
    };
    let vulnerabilities: Vec<String> = assessment
        .findings
        .iter()
        .map(|f| describe(&f.finding))
        .collect();
    assert!(
        vulnerabilities.is_empty(),
        "dependencies with known vulnerabilities (update them in Cargo.toml/Cargo.lock):\n{}",
        vulnerabilities.join("\n")
    );
    for notice in &assessment.informational {
        eprintln!(
            "informational ({}): {}",
            notice.kind,
            describe(&notice.finding)
        );
        assert!(["unmaintained", "unsound", "notice"].contains(&notice.kind.as_str()));
    }
}

/// The RustSec data's informational advisories are told apart from vulnerabilities when
/// loaded: a crate version with both kinds gets a finding for one and a notice for the other.
#[test]
fn rustsec_informational_advisories_are_reported_apart() {
    use exposure::assess::{AssessInputs, InventorySource};
    let Some(archive) = common::shared("data/osv-rustsec/rustsec-osv-crates.tar.gz") else {
        return;
    };
    // atty 0.2.14: unmaintained (RUSTSEC-2024-0375) and unsound (RUSTSEC-2021-0145).
    // smallvec 1.6.0: a vulnerability (RUSTSEC-2021-0003).
    let inputs = AssessInputs {
        knowledge: vec![archive],
        inventories: vec![InventorySource::Text {
            text: "{\"devices\": [{\"id\": \"d\", \"software\": [{\"purl\": \"pkg:cargo/atty@0.2.14\"}, {\"purl\": \"pkg:cargo/smallvec@1.6.0\"}]}]}".into(),
            origin: "inline".into(),
        }],
        ..AssessInputs::default()
    };
    let assessment = inputs.assess().unwrap();
    let findings: Vec<String> = assessment
        .findings
        .iter()
        .map(|f| format!("{} {}", f.finding.advisory_id, f.finding.software.name))
        .collect();
    assert_eq!(findings, ["RUSTSEC-2021-0003 smallvec"]);
    let mut notices: Vec<String> = assessment
        .informational
        .iter()
        .map(|n| {
            format!(
                "{} {} {}",
                n.finding.advisory_id, n.finding.software.name, n.kind
            )
        })
        .collect();
    notices.sort();
    assert_eq!(
        notices,
        [
            "RUSTSEC-2021-0145 atty unsound",
            "RUSTSEC-2024-0375 atty unmaintained"
        ]
    );
    assert_eq!(assessment.organisation.findings, 1);
    // The assessment's JSON, notices included, follows the published schema.
    let json = serde_json::to_value(&assessment).unwrap();
    assert_eq!(
        json["informational"][0]["finding"]["software"]["name"],
        "atty"
    );
    if let Some(python) = common::validator_python() {
        let path = std::env::temp_dir().join(format!(
            "exposure-informational-{}.json",
            std::process::id()
        ));
        std::fs::write(&path, json.to_string()).unwrap();
        let schema = common::root().join("schemas/assessment.schema.json");
        common::validate(&python, "schema", &[&schema, &path]);
        std::fs::remove_file(&path).unwrap();
    }
}

/// A snapshot keeps what an informational advisory is about.
#[test]
fn snapshots_keep_informational_advisories() {
    let mut kb = exposure::kb::KnowledgeBase::new();
    kb.load_text(
        r#"{"id": "RUSTSEC-2021-0145", "affected": [{"package": {"ecosystem": "crates.io", "name": "atty"},
            "database_specific": {"informational": "unsound"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.0.0-0"}]}]}]}"#,
        "rustsec",
    );
    let again = exposure::kb::KnowledgeBase::from_snapshot(&kb.to_snapshot()).unwrap();
    let advisory = again.get("RUSTSEC-2021-0145").unwrap();
    assert_eq!(advisory.informational.as_deref(), Some("unsound"));
}

/// A Debian tree: dpkg's status in the release of `etc/os-release` (a symbolic link out of
/// the tree is not followed: `usr/lib/os-release` is read instead), `rpm -qa` text at its
/// conventional path, a lockfile deep down; `proc` at the root is not entered, a directory
/// called `dev` further down is.
#[test]
fn a_debian_tree_with_rpm_text_and_links() {
    let root = std::env::temp_dir().join(format!("exposure-rootfs-debian-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for dir in [
        "etc",
        "usr/lib",
        "var/lib/dpkg",
        "var/lib/rpm",
        "proc/1",
        "opt/app/dev/x",
    ] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    std::fs::write(
        root.join("usr/lib/os-release"),
        "ID=debian\nVERSION_ID=\"12\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/nonexistent/os-release", root.join("etc/os-release")).unwrap();
    std::fs::write(
        root.join("var/lib/dpkg/status"),
        "Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n",
    )
    .unwrap();
    std::fs::write(root.join(rootfs::RPM_QA), "sudo-1.9.5p2-9.el9.x86_64\n").unwrap();
    std::fs::write(root.join("proc/1/requirements.txt"), "never==1.0\n").unwrap();
    std::fs::write(
        root.join("opt/app/dev/x/requirements.txt"),
        "django==4.2.1\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(fixture("srv"), root.join("opt/linked")).unwrap();
    let loaded = rootfs::load_dir(&root, &LoadOptions::default()).unwrap();
    let items: Vec<String> = loaded.fleet.devices[0]
        .software
        .iter()
        .map(|s| format!("{} {} {}", s.ecosystem, s.name, s.version))
        .collect();
    assert_eq!(
        items,
        [
            "Debian:12 openssl 3.0.11-1~deb12u2",
            "Red Hat sudo 1.9.5p2-9.el9",
            "PyPI django 4.2.1",
        ]
    );
    assert_eq!(
        loaded.report.problem_count, 0,
        "{:?}",
        loaded.report.problems
    );
    std::fs::remove_dir_all(&root).unwrap();
}
