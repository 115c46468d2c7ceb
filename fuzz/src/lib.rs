//! The bodies of the fuzz targets, as plain functions: libFuzzer calls them from
//! `fuzz_targets/`, and `tests/replay.rs` replays every seed and every minimized crash
//! through them on stable Rust, so `cargo test` guards against regressions.

use exposure::kb::KnowledgeBase;
use exposure::version::{Scheme, Version};

/// Inputs larger than this are not interesting and slow the fuzzer down. Large enough for
/// what only size finds: a Maven version nested 32,000 levels deep (issue 12) is 64 KB.
pub const MAX_INPUT: usize = 256 * 1024;

/// An error of parsing `text` keeps it as its input, and its offset (if any) is a character
/// boundary of it.
fn points_into(text: &str, input: &str, offset: Option<usize>, error: &dyn std::fmt::Display) {
    assert_eq!(input, text, "{error}");
    if let Some(offset) = offset {
        assert!(
            text.is_char_boundary(offset),
            "offset {offset} not a char boundary of {text:?} (or beyond it): {error}"
        );
    }
}

/// Loading any bytes as an OSV document never panics and accounts for every record.
pub fn osv_document(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    let report = kb.load_text_as(exposure::kb::Format::OsvJson, text, "fuzz");
    assert_eq!(
        report.records_read,
        report.records_loaded + report.records_skipped,
        "{report}"
    );
    assert!(
        report.problem_count >= report.records_skipped,
        "every skipped record has a problem"
    );
    assert!(kb.len() <= report.records_loaded);
}

/// First byte picks the scheme, the rest is the version text. Parsing never panics, a parsed
/// version equals itself and re-parses from its display to an equal version.
pub fn version_parse(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let scheme = Scheme::ALL[usize::from(selector) % Scheme::ALL.len()];
    // A version read in place from any bytes is the one the parser reads from its text.
    if let Some((plain, len)) = exposure::version::PlainVersion::read(scheme, rest) {
        let prefix = std::str::from_utf8(&rest[..len]).expect("a plain version is ASCII");
        let parsed = Version::parse(scheme, prefix).expect("a plain version parses");
        let parsed = parsed.as_semantic().expect("a SemVer-family version");
        assert_eq!(
            (plain.major(), plain.minor(), plain.patch(), plain.pre()),
            (
                parsed.major(),
                parsed.minor(),
                parsed.patch(),
                parsed.pre().as_bytes()
            )
        );
        // Ordered alike read from its bytes with what follows (a word or window at a time)
        // and alone (digit by digit), and against a version in a window of its own.
        let (alone, _) =
            exposure::version::PlainVersion::read(scheme, prefix.as_bytes()).expect("read alone");
        assert_eq!(plain.cmp(&alone), std::cmp::Ordering::Equal);
        let pivot_bytes = b"1.10.0-rc.1\t0123456789abcdef";
        if let Some((pivot, _)) = exposure::version::PlainVersion::read(scheme, pivot_bytes) {
            let pivot_parsed = Version::parse(scheme, "1.10.0-rc.1").expect("pivot parses");
            let expected = Version::parse(scheme, prefix)
                .expect("parses")
                .try_cmp(&pivot_parsed)
                .expect("one scheme");
            assert_eq!(plain.cmp(&pivot), expected);
            assert_eq!(alone.cmp(&pivot), expected);
        }
    }
    compare_pair_as_read_one_by_one(scheme, rest);
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match Version::parse(scheme, text) {
        Ok(version) => {
            assert_eq!(version.try_cmp(&version), Ok(std::cmp::Ordering::Equal));
            let again = Version::parse(scheme, &version.to_string()).expect("display re-parses");
            assert_eq!(again, version);
        }
        Err(e) => assert!(
            e.offset() <= text.len(),
            "offset {} beyond input of {}",
            e.offset(),
            text.len()
        ),
    }
}

/// Two versions written `A<TAB>B<LF>` at the start of `bytes` and compared in place (their
/// numbers a word at a time when short) answer as the two read one after the other, and as
/// the parser orders their texts.
fn compare_pair_as_read_one_by_one(scheme: Scheme, bytes: &[u8]) {
    use exposure::version::PlainVersion;
    let one_by_one = PlainVersion::read(scheme, bytes)
        .filter(|&(_, a_len)| bytes.get(a_len) == Some(&b'\t'))
        .and_then(|(a, a_len)| {
            let rest = &bytes[a_len + 1..];
            let (b, b_len) = PlainVersion::read(scheme, rest)
                .filter(|&(_, b_len)| rest.get(b_len) == Some(&b'\n'))?;
            Some((a.cmp(&b), a_len, b_len))
        });
    let pair = PlainVersion::compare_pair(scheme, bytes, b'\t', b'\n');
    assert_eq!(pair, one_by_one.map(|(order, a_len, b_len)| (order, a_len + b_len + 2)));
    if let Some((order, a_len, b_len)) = one_by_one {
        let parse = |bytes: &[u8]| {
            Version::parse(scheme, std::str::from_utf8(bytes).expect("ASCII")).expect("parses")
        };
        let (a, b) = (parse(&bytes[..a_len]), parse(&bytes[a_len + 1..a_len + 1 + b_len]));
        assert_eq!(a.try_cmp(&b), Ok(order));
    }
}

/// Loading any bytes as an inventory never panics and accounts for every device or component.
pub fn inventory_document(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(loaded) =
        exposure::inventory::load_text(text, "fuzz", &exposure::inventory::LoadOptions::default())
    {
        let r = &loaded.report;
        assert_eq!(r.records_read, r.records_loaded + r.records_skipped, "{r}");
        // Assessing whatever loaded never panics either, and its secure scores are in [0, 100].
        let a = exposure::Engine::demo().assess(&loaded.fleet);
        let config = &a.configuration;
        let scores = config
            .devices
            .iter()
            .map(|d| d.score)
            .chain([config.organisation]);
        for score in scores
            .flatten()
            .chain(config.groups.iter().filter_map(|g| g.score))
        {
            assert!((0.0..=100.0).contains(&score), "secure score {score}");
        }
    }
}

/// Any bytes as JSON Lines of devices (lines of at most 4 KiB): the reader never panics,
/// accounts for every line it read, and the devices it yields, streamed in chunks of three,
/// score as the same devices assessed together.
pub fn device_lines(data: &[u8]) {
    use exposure::inventory::{DeviceLines, Fleet};
    let limits = exposure::files::Limits { input_bytes: 4096 };
    let mut lines = DeviceLines::new(data, "fuzz.jsonl", limits);
    let devices: Vec<_> = lines.by_ref().take_while(Result::is_ok).flatten().collect();
    let r = lines.report();
    assert_eq!(r.records_read, r.records_loaded + r.records_skipped, "{r}");
    assert_eq!(devices.len(), r.records_loaded);
    let engine = exposure::Engine::demo();
    let options = exposure::stream::StreamOptions {
        chunk_devices: 3,
        ..Default::default()
    };
    let streamed = engine
        .assess_stream(
            devices.iter().cloned().map(Ok::<_, ()>),
            &options,
            &mut |_: &exposure::Assessment| Ok(()),
        )
        .expect("a sink that cannot fail");
    let whole = engine.assess(&Fleet { devices });
    let (s, w) = (streamed.organisation.score, whole.organisation.score);
    assert!(
        (0.0..=100.0).contains(&s) && (s - w).abs() <= 1e-9 * w.max(1.0),
        "{s} != {w}"
    );
    assert_eq!(streamed.organisation.findings, whole.organisation.findings);
}

/// First byte picks the scheme; the rest is `RANGE<TAB>VERSION`. Parsing any range (native or
/// `vers:`) never panics; an error keeps the input and points at a character boundary in it; a parsed range's canonical text parses back to a superset of it
/// (the same set but for PEP 440 `>V` and RubyGems `~>`), and membership never panics.
pub fn range_parse(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let scheme = Scheme::ALL[usize::from(selector) % Scheme::ALL.len()];
    let (range_text, version_text) = text.split_once('\t').unwrap_or((text, ""));
    let range = match exposure::range::parse_range(scheme, range_text) {
        Ok(range) => range,
        Err(e) => return points_into(range_text, e.input(), e.offset(), &e),
    };
    let again =
        exposure::range::parse_range(scheme, &range.to_string()).expect("canonical text parses");
    assert!(
        again.includes(&range).expect("same scheme"),
        "{range} does not cover itself after a round trip"
    );
    if let Ok(version) = Version::parse(range.scheme(), version_text) {
        let _ = range.contains(&version);
        let _ = range.complement().contains(&version);
    }
}

/// Any text as a CPE name (formatted string, URI or WFN): parsing never panics, an error
/// points inside the input, and a parsed name round-trips through all three bindings and
/// relates to itself as EQUAL (UNDEFINED when it has wildcards, which a target may not have).
/// A second name after a TAB is compared with the first both ways, and the relations mirror.
pub fn cpe_parse(data: &[u8]) {
    use exposure::cpe::{Cpe, Relation, Value};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (first, second) = text.split_once('\t').unwrap_or((text, ""));
    let name = match Cpe::parse(first) {
        Ok(name) => name,
        Err(e) => {
            assert!(
                e.offset() <= first.len(),
                "offset {} beyond input of {}",
                e.offset(),
                first.len()
            );
            return;
        }
    };
    for bound in [name.to_fs(), name.to_uri(), name.to_wfn()] {
        assert_eq!(
            Cpe::parse(&bound).as_ref(),
            Ok(&name),
            "{bound} does not round-trip"
        );
    }
    let wild = name.values().iter().any(Value::has_wildcards);
    assert_eq!(
        name.compare(&name),
        if wild {
            Relation::Undefined
        } else {
            Relation::Equal
        }
    );
    if let Ok(other) = Cpe::parse(second) {
        let no_wildcards = !wild && !other.values().iter().any(Value::has_wildcards);
        if no_wildcards {
            let mirrored = match name.compare(&other) {
                Relation::Superset => Relation::Subset,
                Relation::Subset => Relation::Superset,
                r => r,
            };
            assert_eq!(other.compare(&name), mirrored);
        }
    }
}

/// Any text as a CVSS vector: parsing never panics; an error keeps the input and points at a
/// character boundary in it; a parsed vector's scores are within
/// 0–10 with one decimal, its canonical form parses back to the same vector and scores, and
/// its severity agrees with its score.
pub fn cvss_parse(data: &[u8]) {
    use exposure::score::cvss::Cvss;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let cvss = match text.parse::<Cvss>() {
        Ok(cvss) => cvss,
        Err(e) => return points_into(text, e.input(), e.offset(), &e),
    };
    let scores = [
        Some(cvss.score()),
        Some(cvss.base_score()),
        cvss.temporal_score(),
        cvss.environmental_score(),
    ];
    for score in scores.into_iter().flatten() {
        assert!((0.0..=10.0).contains(&score), "{text}: score {score}");
        assert!(
            ((score * 10.0).round() - score * 10.0).abs() < 1e-9,
            "{text}: {score} has more than one decimal"
        );
    }
    let again: Cvss = cvss.to_string().parse().expect("canonical vector parses");
    assert_eq!(again, cvss);
    assert_eq!(again.score().to_bits(), cvss.score().to_bits());
}

/// Any text as a likelihood prior table: parsing never panics; an error names a line of the
/// text (or the one after its last); a parsed table's text parses back to an equal table and
/// the same text, and a lookup without a vector gives a class the table has.
pub fn prior_table(data: &[u8]) {
    use exposure::score::priors::PriorTable;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let table = match PriorTable::parse(text) {
        Ok(table) => table,
        Err(e) => {
            let lines = text.split_terminator('\n').count();
            assert!(
                (1..=lines + 1).contains(&e.line()),
                "{e} (the text has {lines} lines)"
            );
            return;
        }
    };
    let written = table.to_tsv();
    let again = PriorTable::parse(&written).expect("a table's own text parses");
    assert_eq!(again, table);
    assert_eq!(again.to_tsv(), written);
    let prior = table.prior(None, &[]);
    assert!((0.0..=1.0).contains(&prior.probability));
    assert_eq!(
        table.class(&prior.class).map(|c| c.n),
        Some(prior.class_size)
    );
}

/// Any text as an end-of-support table: parsing never panics; an error names a line of the
/// text (or the one after its last); every row of a parsed table is found again by its product
/// and release (a `<bound` release aside: the bound itself is past its line), and its end day
/// has not ended on itself.
pub fn eol_table(data: &[u8]) {
    use exposure::eol::EndOfLife;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let table = match EndOfLife::parse(text) {
        Ok(table) => table,
        Err(e) => {
            let lines = text.lines().count();
            assert!(
                (1..=lines + 1).contains(&e.line()),
                "{e} (the text has {lines} lines)"
            );
            return;
        }
    };
    assert!(table.entries().len() <= text.lines().count());
    for entry in table.entries() {
        assert!(!entry.ended(&entry.end), "{entry:?}");
        if !entry.release.starts_with('<') {
            let found = table.lookup(&entry.product, &entry.release);
            assert!(found.is_some(), "{entry:?} not found again");
        }
    }
}

/// Any text as an exception set: reading never panics; a set read has unique, non-empty ids
/// and no expiry before its creation; applied to the demo fleet (as of a day and without one),
/// every exception is reported once, in order, and the VEX exports are made.
pub fn exception_set(data: &[u8]) {
    use exposure::exceptions::{ExceptionSet, ExceptionStatus};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(set) = ExceptionSet::from_text(text, "fuzz") else {
        return;
    };
    let mut ids = std::collections::HashSet::new();
    for e in set.exceptions() {
        assert!(
            !e.id.trim().is_empty() && ids.insert(e.id.as_str()),
            "{e:?}"
        );
        assert!(e.expires.is_none_or(|x| x >= e.created), "{e:?}");
    }
    let engine = exposure::Engine::demo();
    let fleet = exposure::demo::fleet();
    for as_of in [None, "2026-12-04".parse().ok()] {
        let options = exposure::engine::AssessOptions {
            as_of,
            exceptions: Some(&set),
        };
        let a = engine.assess_with(&fleet, &options, &|_, _| {});
        let reported: Vec<&str> = a.exceptions.iter().map(|o| o.id.as_str()).collect();
        let listed: Vec<&str> = set.exceptions().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(reported, listed);
        for (o, e) in a.exceptions.iter().zip(set.exceptions()) {
            if as_of.is_none() && e.expires.is_some() {
                assert_eq!(o.status, ExceptionStatus::NotJudged);
            }
        }
        let _ = set.to_openvex(&a);
        let _ = set.to_cyclonedx(&a);
    }
}

/// Any bytes as a knowledge-base input (what `KnowledgeBase::load_path` reads after opening
/// a file: an NVD feed, a zip or tar archive, a snapshot, any document): loading never panics,
/// and a report accounts for what it kept.
pub fn kb_reader(data: &[u8]) {
    let mut kb = KnowledgeBase::new();
    if let Ok(report) = kb.load_reader(data, "fuzz") {
        assert!(report.problem_count >= report.problems.len(), "{report}");
    }
}

/// Any bytes as a snapshot's head and body, framed with the header and checksum a snapshot
/// has (what a forged or buggy file would hold): the first four bytes (little endian) say how
/// many of the rest are the head, the others are the body of records. Reading it never panics
/// nor allocates without bound, what reads writes back to a snapshot that reads the same, and
/// opened lazily it gives the same knowledge or the same refusal (at open, or as damage once
/// every record is read).
pub fn snapshot_payload(data: &[u8]) {
    let (head, body) = match data.split_first_chunk::<4>() {
        Some((length, rest)) => {
            let length = (u32::from_le_bytes(*length) as usize).min(rest.len());
            rest.split_at(length)
        }
        None => (data, &[][..]),
    };
    let mut bytes = Vec::with_capacity(28 + data.len());
    bytes.extend_from_slice(b"EXPOSURE-KB\0");
    bytes.extend_from_slice(&exposure::kb::SNAPSHOT_FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(head.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&crc32fast::hash(head).to_le_bytes());
    bytes.extend_from_slice(head);
    bytes.extend_from_slice(body);
    let eager = KnowledgeBase::from_snapshot(&bytes);
    // Opened lazily: the same knowledge, or the same refusal — at open, or as damage once
    // every record has been read.
    let lazy = KnowledgeBase::open_snapshot(std::sync::Arc::new(bytes));
    match (eager, lazy) {
        (Ok(kb), Ok(lazy)) => {
            assert_eq!(lazy.stats(), kb.stats());
            assert!(lazy.damage().is_empty(), "{:?}", lazy.damage());
            let again =
                KnowledgeBase::from_snapshot(&kb.to_snapshot()).expect("a written snapshot reads");
            assert_eq!(again.stats(), kb.stats());
        }
        (Err(_), Ok(lazy)) => {
            let _ = lazy.stats();
            assert!(
                !lazy.damage().is_empty(),
                "refused whole, read lazily without damage"
            );
        }
        (Ok(_), Err(e)) => panic!("read whole, refused lazily: {e}"),
        (Err(_), Err(_)) => {}
    }
}

/// Any bytes as a partition's aggregate, as a Spark executor sends it to the driver
/// (`Aggregate::from_bytes`): reading never panics; an aggregate read writes bytes that read
/// back to the same bytes; finished against the demo engine, or merged into the demo fleet's
/// own aggregate and finished, it gives results or a typed refusal, never a panic.
pub fn aggregate_bytes(data: &[u8]) {
    use exposure::stream::Aggregate;
    static ENGINE: std::sync::OnceLock<exposure::Engine> = std::sync::OnceLock::new();
    let Ok(aggregate) = Aggregate::from_bytes(data) else {
        return;
    };
    let bytes = aggregate.to_bytes();
    let again = Aggregate::from_bytes(&bytes).expect("an aggregate's own bytes read back");
    assert!(
        again.to_bytes() == bytes,
        "bytes read back write the same bytes"
    );
    let engine = ENGINE.get_or_init(exposure::Engine::demo);
    let _ = aggregate.finish(engine);
    let fleet = exposure::demo::fleet();
    let mut merged = Aggregate::new(engine);
    merged.add_with_fleet(&engine.assess(&fleet), &fleet);
    if merged.merge(&aggregate).is_ok() {
        let _ = merged.finish(engine);
    }
}

/// Lines as the command's batch modes read them (the first byte picks the scheme): each line
/// through what `version compare`, `range contains`, `cvss score`, `cpe parse`, `cpe compare`
/// and `cpe guess` do with it. Nothing panics; an error names a position inside its input.
pub fn batch_lines(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let scheme = Scheme::ALL[usize::from(selector) % Scheme::ALL.len()];
    static NORMALIZER: std::sync::OnceLock<exposure::cpe::Normalizer<'static>> =
        std::sync::OnceLock::new();
    let normalizer = NORMALIZER.get_or_init(exposure::cpe::Normalizer::with_default_rules);
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        if let [a, b] = fields[..] {
            if let (Ok(a), Ok(b)) = (Version::parse(scheme, a), Version::parse(scheme, b)) {
                let _ = a.try_cmp(&b);
            }
            if let Ok(range) = exposure::range::parse_range(scheme, a) {
                let _ = range.contains_text(b);
            }
            if let (Ok(a), Ok(b)) = (exposure::cpe::Cpe::parse(a), exposure::cpe::Cpe::parse(b)) {
                let _ = a.compare(&b);
            }
        }
        if let [publisher, name, version] = fields[..] {
            let _ = normalizer.guess_installed(publisher, name, version);
        }
        if let Ok(cvss) = line.parse::<exposure::score::cvss::Cvss>() {
            let _ = cvss.score();
        }
        if let Ok(cpe) = exposure::cpe::Cpe::parse(line) {
            for binding in exposure::cpe::Binding::ALL {
                let _ = cpe.to_binding(binding);
            }
        }
    }
}

/// First byte picks the lockfile format, the rest is the file. Reading never panics, a file
/// whose structure breaks is an error naming its format, and every package read is kept or
/// skipped with a problem.
pub fn lockfile(data: &[u8]) {
    use exposure::inventory::lockfiles::{load, Kind};
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let kind = Kind::ALL[usize::from(selector) % Kind::ALL.len()];
    match load(kind, text, "fuzz") {
        Ok(loaded) => {
            let r = &loaded.report;
            assert_eq!(r.records_read, r.records_loaded + r.records_skipped, "{r}");
            assert!(
                r.problem_count >= r.records_skipped,
                "every skipped record has a problem"
            );
            let software = &loaded.fleet.devices[0].software;
            assert_eq!(software.len() + r.records_replaced, r.records_loaded, "{r}");
            assert!(software
                .iter()
                .all(|s| s.purl.is_some() && !s.version.is_empty()));
        }
        Err(e) => assert!(e.to_string().contains(kind.file_name()), "{e}"),
    }
}

/// Lines of `PUBLISHER<TAB>NAME<TAB>VERSION` named by a normaliser whose vocabulary holds the
/// CPE names the input's other lines spell: naming never panics, only applications get
/// names, every candidate clears the threshold and is an application name, and names are
/// ordered best first.
pub fn program_naming(data: &[u8]) {
    use exposure::cpe::{
        Attribute, Cpe, Normalizer, Part, ProgramKind, Vocabulary, MIN_CONFIDENCE,
    };
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut vocabulary = Vocabulary::new();
    for line in text.lines().filter(|l| l.starts_with("cpe:")) {
        if let Ok(cpe) = Cpe::parse(line) {
            vocabulary.add(&cpe, Some(line));
        }
    }
    let normalizer = Normalizer::with_default_rules();
    let with = normalizer.with_vocabulary(&vocabulary);
    for line in text.lines().filter(|l| !l.starts_with("cpe:")) {
        let mut fields = line.splitn(3, '\t');
        let (publisher, name, version) = (
            fields.next().unwrap_or_default(),
            fields.next().unwrap_or_default(),
            fields.next().unwrap_or_default(),
        );
        for n in [&normalizer, &with] {
            let naming = n.name_program(publisher, name, version);
            assert!(naming.kind == ProgramKind::Application || naming.candidates.is_empty());
            for pair in naming.candidates.windows(2) {
                assert!(pair[0].confidence >= pair[1].confidence, "best first");
            }
            for c in &naming.candidates {
                assert!(
                    c.confidence >= MIN_CONFIDENCE && c.confidence <= 1.0,
                    "{c:?}"
                );
                assert_eq!(c.cpe.part(), Some(Part::Application));
                assert!(c
                    .cpe
                    .get(Attribute::Vendor)
                    .literal()
                    .is_some_and(|v| !v.is_empty()));
            }
            let _ = naming.to_json();
        }
    }
}
