//! The `exposure` command: assess a fleet against vulnerability knowledge from a shell.
//!
//! ```text
//! exposure assess --demo
//! exposure assess --kb advisories/ --inventory bom.json [--inventory fleet.json] [--format json|table]
//! exposure explain api-gw-01 --demo
//! exposure model show > model.json && exposure assess --demo --model model.json
//! exposure assess --demo --exceptions examples/exceptions.yaml
//! exposure exceptions export examples/exceptions.yaml --format openvex --demo > vex.json
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod batch;
mod cpe;
mod json;
mod table;
mod workflow;

use exposure::assess::{AssessInputs, InventorySource};
use exposure::assessment::InputReport;
use exposure::files::Limits;
use exposure::inventory::Distro;
use exposure::kb::KnowledgeBase;
use exposure::range::parse_range;
use exposure::version::{Scheme, Version};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  exposure assess [--demo] [--kb PATH...] [--inventory PATH...] [--distro D | --os-release PATH]
                  [--cpe-dictionary PATH] [--format table|json] [--input-limit SIZE]
                  [--allow-partial] [--as-of DATE|today] [--model FILE]
                  [--exceptions FILE]
  exposure explain [DEVICE | --organisation] [the options of assess]
                                          why DEVICE scores what it does: its findings by
                                          marginal contribution with I, L, what set L, r and
                                          share; without DEVICE (or with --organisation) the
                                          devices by contribution to the organisation's score
  exposure exceptions check FILE          read an exception set (JSON or YAML) and say what
                                          it holds, or exactly what is wrong with it
  exposure exceptions export FILE [--format openvex|cyclonedx] [the options of assess]
                                          assess with the exceptions and write the ones that
                                          applied as VEX (OpenVEX by default) on stdout; what
                                          VEX cannot state is listed on stderr
  exposure assess ... --db DB [--label L] record the assessment in the store DB (an SQLite
                                          file created on first use; its active exceptions
                                          apply; judged as of today unless --as-of)
  exposure history --db DB [--label L] [--since DATE]
                                          the recorded assessments
  exposure diff --db DB [OLD NEW]         what changed between two recorded assessments (the
                                          latest two by default): findings new, fixed and
                                          suppressed, software, devices, score changes, events
  exposure timeline --db DB [--since DATE] the events of the history (Defender's timeline)
  exposure view software|weaknesses|devices|recommendations|dashboard --db DB [--group G]
                                          a view of the latest recorded assessment (the
                                          dashboard: of its history), whole or for one group
  exposure exceptions add FILE --db DB    keep the exceptions of FILE (refused whole if one
                                          has expired or names a recommendation the latest
                                          assessment does not make)
  exposure exceptions list|expire ID|revoke ID --db DB
  exposure remediation create --db DB --recommendation ID --due DATE [--priority P]
                          [--note T] [--device D]... [--group G]
                                          ask for a recommendation to be taken by a day
  exposure remediation status|export --db DB [ACTIVITY]
                                          its progress on the latest assessment: devices
                                          done, open, regressed, gone; overdue; completed
                                          (store commands also take --format table|json|csv)
  exposure model [show]                   the default model parameters (exposure-model/1.0)
                                          as JSON, to edit and pass to --model
  exposure kb build FEED... -o SNAPSHOT [--input-limit SIZE] [--allow-partial]
                                          load feeds (any --kb input) and write one compiled
                                          snapshot, which --kb reads much faster
  exposure kb stats PATH... [--format table|json] [--input-limit SIZE]
                                          load feeds (any --kb input) and summarise them
  exposure version compare --scheme S     stdin: A<TAB>B       stdout: -1, 0 or 1
  exposure range contains --scheme S      stdin: RANGE<TAB>V   stdout: true or false
  exposure cpe parse [--to fs|uri|wfn]    stdin: a CPE 2.3 formatted string, 2.2 URI or WFN
                                          stdout: that name in the binding (default fs)
  exposure cpe compare                    stdin: SOURCE<TAB>TARGET
                                          stdout: EQUAL, SUPERSET, SUBSET, DISJOINT or UNDEFINED
  exposure cpe guess [--dictionary PATH]  stdin: PUBLISHER<TAB>NAME<TAB>VERSION
                                          stdout: CPE<TAB>CONFIDENCE candidates, best first,
                                          joined by ' | ' (empty when nothing supports one);
                                          PATH is NVD's CPE dictionary XML (.gz accepted)

  exposure cvss score                     stdin: a CVSS v2, v3.0, v3.1 or v4.0 vector
                                          stdout: SCORE<TAB>SEVERITY (environmental if any
                                          environmental metric is given, else temporal if any
                                          temporal one is, else base)

  Batch modes write one line per input line; a line they cannot handle gives
  error<TAB>message. S is one of: semver npm cargo golang pypi deb rpm alpm alpine maven
  nuget gem composer hex conan openssl generic intdot lexicographic datetime. RANGE is the
  scheme's native syntax or any vers: string (whose own scheme wins).

  --demo          use the embedded demo knowledge base and fleet (each is replaced by
                  --kb or --inventory when those are given)
  --kb PATH...    knowledge: NVD feeds (JSON 1.1, API 2.0), CVE JSON 5 records, OSV (JSON or
                  YAML), Alpine secdb, Red Hat CSAF advisories, VEX (OpenVEX, CycloneDX,
                  CSAF), CISA KEV catalogs and EPSS scores (JSON or CSV), snapshots written by
                  `kb build`; files, directories, zip and tar archives; .gz accepted
  --inventory P.. CycloneDX or SPDX JSON SBOMs (one device each), fleet documents (see
                  README), dpkg status files, rpm -qa output, Windows registry exports of the
                  Uninstall keys, or CSV or JSON lists with DisplayName, Publisher,
                  DisplayVersion (one device each, named by the path); .gz accepted
  --distro D      the release of devices given as dpkg status files: debian-12, bookworm,
                  ubuntu-22.04 (distro advisories are per release)
  --os-release P  the same, read from that device's /etc/os-release
  --cpe-dictionary P  NVD's CPE dictionary XML (.gz accepted), so that installed programs
                  (registry exports, DisplayName lists) get CPE names beyond the alias table
  --format F      table (default) or json
  --input-limit S the most one input (a file, an archive member, an inventory) may hold once
                  decompressed: bytes, or with K, M or G (binary units); default 1G. A larger
                  one is an error, found as soon as the limit is passed
  --allow-partial assess (or build) even when an input is incomplete: by default a --kb
                  input that yields no advisory, KEV, EPSS or VEX data or loses more than
                  10 % of its records, or an inventory that yields no device, is refused
                  (exit status 2); every load problem is in the output either way

  --as-of D       judge end of support on day D (YYYY-MM-DD, or `today` in UTC): software
                  whose release had ended then gets an end-of-support recommendation (none
                  without this flag, so that an output does not change with the clock)

  --exceptions F  apply the exceptions of file F (exposure-exceptions/1, JSON or YAML; see
                  docs/exceptions.md): third-party control and alternate mitigation remove
                  their findings from the scores, the other justifications hide the
                  recommendations; ones that expire are judged on --as-of, today when it is
                  not given

  --model FILE    the model parameters as JSON (`exposure model show` prints the defaults;
                  fields left out keep them); recorded in the assessment

  Exit status: 0 done; 1 an input could not be read or the output written; 2 the arguments
  are wrong, or an input was refused as incomplete.
";

#[derive(Debug, Default)]
struct AssessArgs {
    inputs: AssessInputs,
    json: bool,
    /// The store to record the assessment into (and whose exceptions apply).
    db: Option<PathBuf>,
    /// The label of the recorded assessment (default: the inventories' names).
    label: Option<String>,
}

/// Today's date in UTC, `YYYY-MM-DD` (civil from days, H. Hinnant's algorithm).
fn today() -> exposure::date::Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    exposure::date::Date::from_days_since_epoch(i64::try_from(secs / 86_400).unwrap_or(0))
}

fn parse_assess(args: &[String]) -> Result<AssessArgs, String> {
    let mut out = AssessArgs::default();
    let inputs = &mut out.inputs;
    let mut it = args.iter().peekable();
    while let Some(arg) = it.next() {
        // `--kb A B C` and `--kb A --kb B` both work: a path flag takes every following
        // argument up to the next flag.
        let mut paths = |name: &str| -> Result<Vec<PathBuf>, String> {
            let mut found = Vec::new();
            while let Some(next) = it.next_if(|a| !a.starts_with("--")) {
                found.push(PathBuf::from(next));
            }
            if found.is_empty() {
                Err(format!("{name} needs a path"))
            } else {
                Ok(found)
            }
        };
        match arg.as_str() {
            "--demo" => inputs.demo = true,
            "--allow-partial" => inputs.allow_partial = true,
            "--kb" => inputs.knowledge.extend(paths("--kb")?),
            "--inventory" => inputs
                .inventories
                .extend(paths("--inventory")?.into_iter().map(InventorySource::Path)),
            "--distro" => {
                let name = it.next().ok_or("--distro needs a value")?;
                inputs.distro = Some(Distro::from_name(name).map_err(|e| e.to_string())?);
            }
            "--input-limit" => inputs.limits = input_limit(it.next())?,
            "--as-of" => {
                let day = it.next().ok_or("--as-of needs a date")?;
                let day = if day == "today" {
                    today()
                } else {
                    day.parse()
                        .map_err(|_| format!("--as-of {day:?} is not YYYY-MM-DD or today"))?
                };
                inputs.as_of = Some(day);
            }
            "--cpe-dictionary" => {
                inputs.cpe_dictionary = Some(PathBuf::from(
                    it.next().ok_or("--cpe-dictionary needs a path")?,
                ));
            }
            "--os-release" => {
                let path = it.next().ok_or("--os-release needs a path")?;
                inputs.distro =
                    Some(Distro::from_os_release_file(Path::new(path)).map_err(|e| e.to_string())?);
            }
            "--model" => {
                let path = it.next().ok_or("--model needs a path")?;
                let text =
                    std::fs::read_to_string(path).map_err(|e| format!("--model {path}: {e}"))?;
                inputs.parameters = Some(
                    exposure::score::exposure::Parameters::from_json(&text)
                        .map_err(|e| format!("--model {path}: {e}"))?,
                );
            }
            "--exceptions" => {
                let path = it.next().ok_or("--exceptions needs a path")?;
                inputs.exceptions = Some(
                    exposure::exceptions::ExceptionSet::from_path(Path::new(path))
                        .map_err(|e| format!("--exceptions: {e}"))?,
                );
            }
            "--db" => out.db = Some(PathBuf::from(it.next().ok_or("--db needs a path")?)),
            "--label" => out.label = Some(it.next().ok_or("--label needs a value")?.clone()),
            "--format" => match it
                .next()
                .map(String::as_str)
                .ok_or("--format needs a value")?
            {
                "json" => out.json = true,
                "table" => out.json = false,
                other => return Err(format!("unknown format {other:?} (table or json)")),
            },
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    inputs
        .check()
        .map_err(|_| "give --kb and --inventory, or --demo".to_owned())?;
    // Exceptions expire: without a day given, they are judged today (the core never reads
    // the clock, the command does).
    if (inputs.exceptions.is_some() || out.db.is_some()) && inputs.as_of.is_none() {
        inputs.as_of = Some(today());
    }
    Ok(out)
}

/// `exposure exceptions check FILE` and `exposure exceptions export FILE [--format
/// openvex|cyclonedx] ASSESS-OPTIONS...`.
fn exceptions(args: &[String]) -> Result<Result<(), Failed>, String> {
    let (verb, file, rest) = match args {
        [verb, file, rest @ ..] if !file.starts_with("--") => (verb.as_str(), file, rest),
        _ => return Err("exceptions takes check FILE or export FILE".to_owned()),
    };
    let read =
        || exposure::exceptions::ExceptionSet::from_path(Path::new(file)).map_err(Failed::from);
    match verb {
        "check" if rest.is_empty() => Ok(read().and_then(|set| {
            let expiring = set
                .exceptions()
                .iter()
                .filter(|e| e.expires.is_some())
                .count();
            Ok(writeln!(
                std::io::stdout().lock(),
                "{file}: {} exceptions, {expiring} with an expiry day",
                set.len()
            )?)
        })),
        "check" => Err("exceptions check takes one file".to_owned()),
        "export" => {
            let mut cyclonedx = false;
            let mut assess_args = Vec::with_capacity(rest.len() + 2);
            let mut it = rest.iter();
            while let Some(arg) = it.next() {
                if arg == "--format" {
                    match it.next().map(String::as_str) {
                        Some("openvex") => cyclonedx = false,
                        Some("cyclonedx") => cyclonedx = true,
                        other => {
                            return Err(format!(
                                "exceptions export --format {other:?}: openvex or cyclonedx"
                            ))
                        }
                    }
                } else {
                    assess_args.push(arg.clone());
                }
            }
            assess_args.extend(["--exceptions".to_owned(), file.clone()]);
            let parsed = parse_assess(&assess_args)?;
            Ok(export(&parsed.inputs, cyclonedx))
        }
        other => Err(format!(
            "unknown exceptions command {other:?} (check or export)"
        )),
    }
}

/// Assesses with the inputs' exceptions and writes them as VEX; what VEX cannot state goes to
/// stderr.
fn export(inputs: &AssessInputs, cyclonedx: bool) -> Result<(), Failed> {
    let assessment = assessed(inputs)?;
    let Some(set) = &inputs.exceptions else {
        return Err("no exceptions to export".to_owned().into());
    };
    let vex = if cyclonedx {
        set.to_cyclonedx(&assessment)
    } else {
        set.to_openvex(&assessment)
    };
    for u in &vex.unexpressed {
        eprintln!(
            "not stated: exception {} on {} ({}, {}): {}",
            u.exception, u.device_id, u.software, u.advisory_id, u.reason
        );
    }
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let json = serde_json::to_string_pretty(&vex.document).map_err(std::io::Error::from)?;
    writeln!(stdout, "{json}")?;
    Ok(stdout.flush()?)
}

/// A progress bar on stderr for fleets of 100 devices or more, redrawn when the percentage
/// moves (called from matching threads).
fn progress_bar(done: usize, total: usize) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // One more than the highest percentage drawn; threads may report out of order.
    static SHOWN: AtomicUsize = AtomicUsize::new(0);
    if total < 100 {
        return;
    }
    let percent = done * 100 / total.max(1);
    if SHOWN.fetch_max(percent + 1, Ordering::Relaxed) > percent {
        return;
    }
    let filled = percent / 5;
    eprint!(
        "\rmatching [{}{}] {percent:>3}% {done}/{total} devices{}",
        "#".repeat(filled),
        " ".repeat(20 - filled),
        if done == total { "\n" } else { "" }
    );
}

/// Writes each input's load report and its first problems to stderr.
fn print_reports(kind: &str, reports: &[InputReport], problems: usize) {
    for r in reports {
        eprintln!("{kind} {}: {}", r.input, r.report);
        for problem in r.report.problems.iter().take(problems) {
            eprintln!("  {problem}");
        }
    }
}

/// Loads and assesses the inputs, with a progress bar at a terminal, and writes every load
/// report to stderr.
fn assessed(inputs: &AssessInputs) -> Result<exposure::Assessment, Failed> {
    assessed_keeping_engine(inputs).map(|(assessment, _)| assessment)
}

/// [`assessed`], with the engine it loaded.
fn assessed_keeping_engine(
    inputs: &AssessInputs,
) -> Result<(exposure::Assessment, exposure::Engine), Failed> {
    let progress: &(dyn Fn(usize, usize) + Sync) = if std::io::stderr().is_terminal() {
        &progress_bar
    } else {
        &|_, _| {}
    };
    let (assessment, engine) = inputs.assess_keeping_engine(progress)?;
    print_reports("knowledge base", &assessment.knowledge_reports, usize::MAX);
    print_reports("inventory", &assessment.inventory_reports, usize::MAX);
    Ok((assessment, engine))
}

fn assess(args: &AssessArgs) -> Result<(), Failed> {
    let assessment = match &args.db {
        None => assessed(&args.inputs)?,
        Some(db) => workflow::assess_into(db, args)?,
    };
    // Large writes: the JSON of a fleet's findings runs to a gigabyte.
    let mut stdout = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    if args.json {
        // Written as it is serialised: the findings of a large fleet are never one string.
        json::write(&mut stdout, assessment)?;
    } else {
        stdout.write_all(table::render(&assessment).as_bytes())?;
    }
    Ok(stdout.flush()?)
}

/// What `explain` is asked: the assessment's inputs and output format, and the device (the
/// organisation when `None`).
#[derive(Debug)]
struct ExplainArgs {
    assess: AssessArgs,
    device: Option<String>,
}

/// `[DEVICE | --device ID | --organisation] ASSESS-OPTIONS...` for `explain`: the device and
/// `--organisation` taken out, the rest parsed as `assess` parses it.
fn parse_explain(args: &[String]) -> Result<ExplainArgs, String> {
    let mut device = None;
    let mut organisation = false;
    let mut rest = Vec::with_capacity(args.len());
    let mut it = args.iter();
    if let Some(first) = args.first().filter(|a| !a.starts_with('-')) {
        device = Some(first.clone());
        it.next();
    }
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--organisation" | "--organization" => organisation = true,
            "--device" => {
                let id = it.next().ok_or("--device needs a device id")?;
                if device.replace(id.clone()).is_some() {
                    return Err("explain takes one device".to_owned());
                }
            }
            _ => rest.push(arg.clone()),
        }
    }
    if organisation && device.is_some() {
        return Err("explain takes a device or --organisation, not both".to_owned());
    }
    Ok(ExplainArgs {
        assess: parse_assess(&rest)?,
        device,
    })
}

/// Explains a device's score, or the organisation's.
fn explain(args: &ExplainArgs) -> Result<(), Failed> {
    let assessment = assessed(&args.assess.inputs)?;
    let Some(id) = &args.device else {
        let e = assessment.explain_organisation();
        let json = args.assess.json.then(|| serde_json::to_string_pretty(&e));
        return write_explanation(json, &e.headline(), &e.table());
    };
    let Some(e) = assessment.explain_device(id) else {
        return Err(Failed {
            message: format!(
                "no device {id:?} in the assessment; `exposure explain --organisation` (or `exposure assess`) with the same inputs lists the device ids"
            ),
            status: 2,
        });
    };
    let json = args.assess.json.then(|| serde_json::to_string_pretty(&e));
    write_explanation(json, &e.headline(), &e.table())
}

/// Writes an explanation as its JSON when given, else as its headline and table.
fn write_explanation(
    json: Option<serde_json::Result<String>>,
    headline: &str,
    table: &exposure::tables::Table,
) -> Result<(), Failed> {
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    if let Some(json) = json {
        writeln!(stdout, "{}", json.map_err(std::io::Error::from)?)?;
    } else {
        stdout.write_all(table::render_explanation(headline, table).as_bytes())?;
    }
    Ok(stdout.flush()?)
}

/// `exposure model [show]`: the default parameter set as JSON.
fn model_show(args: &[String]) -> Result<Result<(), Failed>, String> {
    match args {
        [] => {}
        [show] if show == "show" => {}
        _ => return Err("model takes `show` or nothing".to_owned()),
    }
    Ok(
        serde_json::to_string_pretty(&exposure::score::exposure::Parameters::default())
            .map_err(|e| Failed::from(e.to_string()))
            .and_then(|json| Ok(writeln!(std::io::stdout().lock(), "{json}")?)),
    )
}

/// Why a command failed, and its exit status: 1, or 2 for an input refused as incomplete
/// (as for wrong arguments: the command was not run as asked).
#[derive(Debug)]
struct Failed {
    message: String,
    status: u8,
}

impl Failed {
    /// A failure of the arguments or an input (exit status 2).
    fn usage(message: impl Into<String>) -> Self {
        Failed {
            message: message.into(),
            status: 2,
        }
    }
}

impl From<String> for Failed {
    fn from(message: String) -> Self {
        Failed { message, status: 1 }
    }
}

impl From<std::io::Error> for Failed {
    fn from(e: std::io::Error) -> Self {
        e.to_string().into()
    }
}

impl From<exposure::Error> for Failed {
    /// The error, and for an input refused as incomplete every problem its report keeps.
    fn from(e: exposure::Error) -> Self {
        use std::fmt::Write as _;
        let mut message = e.to_string();
        let Some(report) = e.load_report() else {
            return message.into();
        };
        message.push_str(" (--allow-partial accepts it)");
        for problem in &report.problems {
            // Writing to a String cannot fail.
            let _ = write!(message, "\n  {problem}");
        }
        Failed { message, status: 2 }
    }
}

/// `--scheme S` for the batch modes.
fn scheme_arg(args: &[String]) -> Result<Scheme, String> {
    match args {
        [flag, name] if flag == "--scheme" => name.parse::<Scheme>().map_err(|e| e.to_string()),
        _ => Err("give --scheme S".to_owned()),
    }
}

fn compare_line(scheme: Scheme, line: &str) -> Result<String, String> {
    let (a, b) = batch::pair(line)?;
    let a = Version::parse(scheme, a).map_err(|e| e.to_string())?;
    let b = Version::parse(scheme, b).map_err(|e| e.to_string())?;
    let order = a.try_cmp(&b).map_err(|e| e.to_string())?;
    Ok((order as i8).to_string())
}

fn contains_line(scheme: Scheme, line: &str) -> Result<String, String> {
    let (range, version) = batch::pair(line)?;
    let range = parse_range(scheme, range).map_err(|e| e.to_string())?;
    let contains = range.contains_text(version).map_err(|e| e.to_string())?;
    Ok(contains.to_string())
}

/// A CVSS vector in, `SCORE<TAB>SEVERITY` out: the most specific score, one decimal.
fn cvss_line(line: &str) -> Result<String, String> {
    let cvss: exposure::score::cvss::Cvss = line
        .parse()
        .map_err(|e: exposure::score::cvss::CvssError| e.to_string())?;
    Ok(format!("{:.1}\t{}", cvss.score(), cvss.severity().name()))
}

fn run_batch(args: &[String], handle: fn(Scheme, &str) -> Result<String, String>) -> ExitCode {
    exit_code(scheme_arg(args).map(|scheme| {
        let stdin = std::io::BufReader::new(std::io::stdin().lock());
        let stdout = std::io::BufWriter::new(std::io::stdout().lock());
        batch::run(stdin, stdout, |line| handle(scheme, line))
    }))
}

/// Runs a batch mode that takes no per-line argument.
fn run_lines(handle: impl FnMut(&str) -> Result<String, String>) -> std::io::Result<()> {
    let stdin = std::io::BufReader::new(std::io::stdin().lock());
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    batch::run(stdin, stdout, handle)
}

/// `--input-limit SIZE`: bytes, or a number of KiB, MiB or GiB with `K`, `M` or `G`.
fn input_limit(value: Option<&String>) -> Result<Limits, String> {
    let value = value.ok_or("--input-limit needs a size")?;
    let upper = value.to_ascii_uppercase();
    let text = upper.strip_suffix("IB").unwrap_or(&upper);
    let (digits, shift) = match text.char_indices().last() {
        Some((at, 'K')) => (&text[..at], 10),
        Some((at, 'M')) => (&text[..at], 20),
        Some((at, 'G')) => (&text[..at], 30),
        _ => (text, 0),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .map(|input_bytes| Limits { input_bytes })
        .ok_or_else(|| format!("--input-limit: {value:?} is not a size (bytes, or 512K, 64M, 2G)"))
}

/// What `kb build` is asked: the feeds, the snapshot to write, how much one input may hold,
/// whether incomplete feeds are allowed.
struct KbBuild {
    paths: Vec<PathBuf>,
    out: PathBuf,
    limits: Limits,
    allow_partial: bool,
}

/// `FEED... -o SNAPSHOT [--input-limit SIZE] [--allow-partial]` for `kb build`.
fn kb_build_args(args: &[String]) -> Result<KbBuild, String> {
    let mut paths = Vec::new();
    let mut out = None;
    let mut limits = Limits::default();
    let mut allow_partial = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-o" | "--output" => out = Some(PathBuf::from(it.next().ok_or("-o needs a path")?)),
            "--input-limit" => limits = input_limit(it.next())?,
            "--allow-partial" => allow_partial = true,
            flag if flag.starts_with('-') => return Err(format!("unknown argument {flag:?}")),
            path => paths.push(PathBuf::from(path)),
        }
    }
    match (paths.is_empty(), out) {
        (false, Some(out)) => Ok(KbBuild {
            paths,
            out,
            limits,
            allow_partial,
        }),
        _ => Err("kb build needs feed paths and -o SNAPSHOT".to_owned()),
    }
}

/// Loads the feeds, each checked as an assessment checks it (an incomplete one is refused
/// unless allowed), and writes one snapshot of them.
fn kb_build(build: &KbBuild) -> Result<(), Failed> {
    let KbBuild {
        paths,
        out,
        limits,
        allow_partial,
    } = build;
    let started = std::time::Instant::now();
    let mut kb = KnowledgeBase::new();
    kb.set_limits(*limits);
    for path in paths {
        let report = exposure::assess::load_knowledge(&mut kb, path, *allow_partial)?;
        eprintln!("{}: {report}", path.display());
        for problem in report.problems.iter().take(10) {
            eprintln!("  {problem}");
        }
    }
    let loaded = started.elapsed();
    let written = std::time::Instant::now();
    kb.save_snapshot(out)
        .map_err(|e| format!("{}: {e}", out.display()))?;
    let size = std::fs::metadata(out).map_or(0, |m| m.len());
    eprintln!(
        "{}: {} advisories, {size} bytes, feeds read in {:.2} s, written in {:.2} s",
        out.display(),
        kb.len(),
        loaded.as_secs_f64(),
        written.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `PATH... [--format table|json] [--input-limit SIZE]` for `kb stats`.
fn kb_stats_args(args: &[String]) -> Result<(Vec<PathBuf>, bool, Limits), String> {
    let mut paths = Vec::new();
    let mut json = false;
    let mut limits = Limits::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--input-limit" => limits = input_limit(it.next())?,
            "--format" => match it.next().map(String::as_str) {
                Some("json") => json = true,
                Some("table") => json = false,
                _ => return Err("--format needs table or json".to_owned()),
            },
            flag if flag.starts_with("--") => return Err(format!("unknown argument {flag:?}")),
            path => paths.push(PathBuf::from(path)),
        }
    }
    if paths.is_empty() {
        return Err("kb stats needs at least one feed path".to_owned());
    }
    Ok((paths, json, limits))
}

/// Loads the feeds and prints what the knowledge base holds, with each load report.
fn kb_stats(paths: &[PathBuf], json: bool, limits: Limits) -> Result<(), String> {
    use std::fmt::Write as _;
    let mut kb = KnowledgeBase::new();
    kb.set_limits(limits);
    let mut reports = Vec::new();
    for path in paths {
        let started = std::time::Instant::now();
        let report = kb.load_path(path).map_err(|e| e.to_string())?;
        eprintln!(
            "{}: {report} in {:.2} s",
            path.display(),
            started.elapsed().as_secs_f64()
        );
        for problem in report.problems.iter().take(10) {
            eprintln!("  {problem}");
        }
        reports.push((path.display().to_string(), report));
    }
    let stats = kb.stats();
    let text = if json {
        let value = serde_json::json!({"stats": stats, "loads": reports.iter().map(|(p, r)| serde_json::json!({"path": p, "report": r})).collect::<Vec<_>>()});
        serde_json::to_string_pretty(&value).map_err(|e| e.to_string())? + "\n"
    } else {
        let mut out = format!(
            "advisories: {} ({} withdrawn) from {} sources\nCPE applicability statements: {} naming {} products\nKEV entries: {}  EPSS scores: {}  VEX statements: {}\n",
            stats.advisories, stats.withdrawn, stats.sources, stats.applicability_statements, stats.cpe_products,
            stats.kev_entries, stats.epss_scores, stats.vex_statements
        );
        for (kind, n) in &stats.with_cvss {
            let _ = writeln!(out, "advisories with {kind}: {n}");
        }
        out.push_str("affected entries by ecosystem:\n");
        for (ecosystem, n) in &stats.affected_by_ecosystem {
            let _ = writeln!(out, "  {ecosystem}: {n}");
        }
        out
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| e.to_string())
}

/// The exit status of a command: 0 when it ran, 1 (with the error) when it failed, 2 when an
/// input was refused as incomplete (with the error and its problems) or its arguments were
/// wrong (with the usage).
fn exit_code<E: Into<Failed>>(outcome: Result<Result<(), E>, String>) -> ExitCode {
    match outcome {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            let Failed { message, status } = e.into();
            eprintln!("exposure: {message}");
            ExitCode::from(status)
        }
        Err(usage) => {
            eprintln!("exposure: {usage}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().take(2).map(String::as_str).collect();
    match words.as_slice() {
        ["version", "compare"] => return run_batch(&args[2..], compare_line),
        ["range", "contains"] => return run_batch(&args[2..], contains_line),
        ["cpe", "parse"] => {
            return exit_code(
                cpe::binding_arg(&args[2..])
                    .map(|binding| run_lines(|line| cpe::parse_line(binding, line))),
            )
        }
        ["cvss", "score"] => {
            return exit_code(if args.len() == 2 {
                Ok(run_lines(cvss_line))
            } else {
                Err("cvss score takes no arguments".to_owned())
            })
        }
        ["cpe", "guess"] => {
            return exit_code(cpe::dictionary_arg(&args[2..]).map(|dictionary| {
                let rules = exposure::cpe::Normalizer::with_default_rules();
                let normalizer = match &dictionary {
                    Some(d) => rules.with_dictionary(d),
                    None => rules,
                };
                run_lines(|line| cpe::guess_line(&normalizer, line))
            }))
        }
        ["kb", "build"] => {
            return exit_code(kb_build_args(&args[2..]).map(|build| kb_build(&build)))
        }
        ["kb", "stats"] => {
            return exit_code(
                kb_stats_args(&args[2..])
                    .map(|(paths, json, limits)| kb_stats(&paths, json, limits)),
            )
        }
        ["cpe", "compare"] => {
            return exit_code(if args.len() == 2 {
                Ok(run_lines(cpe::compare_line))
            } else {
                Err("cpe compare takes no arguments".to_owned())
            })
        }
        _ => {}
    }
    match args.first().map(String::as_str) {
        Some("assess") => exit_code(parse_assess(&args[1..]).map(|parsed| assess(&parsed))),
        Some("explain") => exit_code(parse_explain(&args[1..]).map(|parsed| explain(&parsed))),
        Some("model") => exit_code(model_show(&args[1..])),
        Some("exceptions") => match args.get(1).map(String::as_str) {
            Some(verb @ ("add" | "list" | "expire" | "revoke")) => {
                exit_code(workflow::exceptions(verb, &args[2..]))
            }
            _ => exit_code(exceptions(&args[1..])),
        },
        Some("history") => exit_code(workflow::history(&args[1..])),
        Some("diff") => exit_code(workflow::diff(&args[1..])),
        Some("timeline") => exit_code(workflow::timeline(&args[1..])),
        Some("view") => exit_code(workflow::view(&args[1..])),
        Some("remediation") => match args.get(1) {
            Some(verb) => exit_code(workflow::remediation(verb, &args[2..])),
            None => {
                exit_code::<Failed>(Err("remediation takes create, status or export".to_owned()))
            }
        },
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn path_flags_take_several_values() {
        let parsed = parse_assess(&args(
            "--kb a b --inventory x --kb c --format json --allow-partial",
        ))
        .unwrap();
        assert!(parsed.inputs.allow_partial);
        assert_eq!(
            parsed.inputs.knowledge,
            [PathBuf::from("a"), PathBuf::from("b"), PathBuf::from("c")]
        );
        assert_eq!(
            parsed.inputs.inventories,
            [InventorySource::Path(PathBuf::from("x"))]
        );
        assert!(parsed.json);
    }

    #[test]
    fn explain_takes_a_device_and_the_options_of_assess() {
        let parsed = parse_explain(&args("api-gw-01 --demo --format json")).unwrap();
        assert_eq!(parsed.device.as_deref(), Some("api-gw-01"));
        assert!(parsed.assess.inputs.demo && parsed.assess.json);
        let parsed = parse_explain(&args("--demo --device db-01")).unwrap();
        assert_eq!(parsed.device.as_deref(), Some("db-01"));
        assert!(parse_explain(&args("--organisation --demo"))
            .unwrap()
            .device
            .is_none());
        assert!(parse_explain(&args("x --organisation --demo")).is_err());
        assert!(parse_explain(&args("x")).is_err(), "no inputs");
    }

    #[test]
    fn input_limits_are_sizes() {
        let limit = |text: &str| input_limit(Some(&text.to_owned())).map(|l| l.input_bytes);
        assert_eq!(limit("1048576"), Ok(1 << 20));
        assert_eq!(
            (limit("512K"), limit("64M"), limit("2G")),
            (Ok(512 << 10), Ok(64 << 20), Ok(2 << 30))
        );
        assert_eq!(limit("64MiB"), Ok(64 << 20));
        assert!(limit("big").is_err() && limit("99999999999G").is_err());
        let parsed = parse_assess(&args("--demo --input-limit 1M")).unwrap();
        assert_eq!(parsed.inputs.limits.input_bytes, 1 << 20);
    }

    #[test]
    fn batch_lines() {
        assert_eq!(compare_line(Scheme::Deb, "1.0~rc1\t1.0"), Ok("-1".into()));
        assert_eq!(
            compare_line(Scheme::Maven, "1.0-SNAPSHOT\t1.0"),
            Ok("-1".into())
        );
        assert_eq!(compare_line(Scheme::Pypi, "1.0\t1.0.0"), Ok("0".into()));
        assert!(compare_line(Scheme::Pypi, "1.0\tnope")
            .unwrap_err()
            .contains("invalid pypi version"));
        assert_eq!(
            contains_line(Scheme::Npm, "^1.2.3\t1.9.0"),
            Ok("true".into())
        );
        assert_eq!(
            contains_line(Scheme::Npm, "vers:deb/>=1.0|<2.0\t1.5-1"),
            Ok("true".into())
        );
        assert_eq!(
            contains_line(Scheme::Pypi, ">=2.3.0,<2.31.0\t2.31.0"),
            Ok("false".into())
        );
    }

    #[test]
    fn cvss_lines() {
        assert_eq!(
            cvss_line("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            Ok("9.8\tCRITICAL".into())
        );
        assert_eq!(
            cvss_line("AV:N/AC:L/Au:N/C:P/I:P/A:P"),
            Ok("7.5\tHIGH".into())
        );
        assert_eq!(
            cvss_line("AV:L/AC:H/Au:M/C:N/I:N/A:N"),
            Ok("0.0\tLOW".into())
        );
        assert!(cvss_line("CVSS:3.1/AV:N")
            .unwrap_err()
            .contains("missing mandatory metric AC"));
        // v4: the cvss package answers the same.
        assert_eq!(
            cvss_line("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U"),
            Ok("8.1\tHIGH".into())
        );
    }

    #[test]
    fn usage_errors_say_what_is_wrong() {
        assert_eq!(
            parse_assess(&args("--kb")).unwrap_err(),
            "--kb needs a path"
        );
        assert_eq!(
            parse_assess(&args("--kb a")).unwrap_err(),
            "give --kb and --inventory, or --demo"
        );
        assert_eq!(
            parse_assess(&args("--demo --format xml")).unwrap_err(),
            "unknown format \"xml\" (table or json)"
        );
        assert_eq!(
            parse_assess(&args("--demo --frob")).unwrap_err(),
            "unknown argument \"--frob\""
        );
    }
}
