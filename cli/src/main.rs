//! The `exposure` command: assess a fleet against vulnerability knowledge from a shell.
//!
//! ```text
//! exposure assess --demo
//! exposure assess --kb advisories/ --inventory bom.json --fail-on high --format json -o out.json
//! exposure explain api-gw-01 --demo
//! exposure model show > model.json && exposure assess --demo --model model.json
//! exposure exceptions export examples/exceptions.yaml --format openvex --demo > vex.json
//! exposure completions bash > /etc/bash_completion.d/exposure
//! ```
//!
//! Every subcommand, flag and help text is declared once in [`args`]; this file turns the
//! parsed arguments into core calls and writes their results.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod batch;
mod cpe;
mod json;
mod output;
mod stream;
mod table;
mod update;
mod workflow;

use args::{AssessCmd, AssessFormat, Cli, Command, InputArgs};
use batch::Line;
use clap::{CommandFactory, FromArgMatches};
use exposure::assess::{AssessInputs, InventorySource};
use exposure::assessment::InputReport;
use exposure::filter::SortBy;
use exposure::inventory::Distro;
use exposure::kb::KnowledgeBase;
use exposure::range::{parse_range, HexRequirement};
use exposure::version::{PlainVersion, Scheme, Version};
use output::Style;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub(crate) use args::today;

/// Why a command failed, and its exit status: 2 for wrong arguments and inputs that could
/// not be read or were refused, 1 for a gate that tripped, 0 for a reader that went away (a
/// closed pipe ends the command quietly).
#[derive(Debug)]
pub(crate) struct Failed {
    message: String,
    status: u8,
}

impl Failed {
    /// A failure of the arguments or an input (exit status 2).
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Failed {
            message: message.into(),
            status: 2,
        }
    }
}

impl From<String> for Failed {
    fn from(message: String) -> Self {
        Failed::usage(message)
    }
}

impl From<std::io::Error> for Failed {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Failed {
                message: String::new(),
                status: 0,
            };
        }
        Failed::usage(e.to_string())
    }
}

impl From<exposure::Error> for Failed {
    /// The error, and for an input refused as incomplete every problem its report keeps.
    fn from(e: exposure::Error) -> Self {
        use std::fmt::Write as _;
        let mut message = e.to_string();
        if let Some(report) = e.load_report() {
            message.push_str(" (--allow-partial accepts it)");
            for problem in &report.problems {
                // Writing to a String cannot fail.
                let _ = write!(message, "\n  {problem}");
            }
        }
        Failed::usage(message)
    }
}

/// The core use case's inputs from the command line's: files read, names resolved.
fn inputs_of(a: &InputArgs) -> Result<AssessInputs, Failed> {
    let mut inputs = AssessInputs {
        demo: a.demo,
        knowledge: a.kb.clone(),
        inventories: a
            .inventory
            .iter()
            .cloned()
            .map(InventorySource::Path)
            .chain(a.rootfs.iter().cloned().map(InventorySource::RootFs))
            .collect(),
        cpe_dictionary: a.cpe_dictionary.clone(),
        allow_partial: a.allow_partial,
        as_of: a.as_of,
        ..AssessInputs::default()
    };
    if let Some(limits) = a.input_limit {
        inputs.limits = limits;
    }
    if let Some(name) = &a.distro {
        inputs.distro = Some(Distro::from_name(name).map_err(|e| Failed::usage(e.to_string()))?);
    }
    if let Some(path) = &a.os_release {
        inputs.distro =
            Some(Distro::from_os_release_file(path).map_err(|e| Failed::usage(e.to_string()))?);
    }
    if let Some(path) = &a.model {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failed::usage(format!("--model {}: {e}", path.display())))?;
        inputs.parameters = Some(
            exposure::score::exposure::Parameters::from_json(&text)
                .map_err(|e| Failed::usage(format!("--model {}: {e}", path.display())))?,
        );
    }
    if let Some(path) = &a.exceptions {
        inputs.exceptions = Some(
            exposure::exceptions::ExceptionSet::from_path(path)
                .map_err(|e| Failed::usage(format!("--exceptions: {e}")))?,
        );
    }
    inputs
        .check()
        .map_err(|_| Failed::usage("give --kb and --inventory (or --rootfs), or --demo"))?;
    Ok(inputs)
}

/// How the command reports on stderr: quietly or not, with a progress bar at a terminal.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reporting {
    quiet: bool,
}

impl Reporting {
    /// Writes each input's load report and its problems to stderr (unless quiet).
    fn reports(self, kind: &str, reports: &[InputReport]) {
        if self.quiet {
            return;
        }
        for r in reports {
            eprintln!("{kind} {}: {}", r.input, r.report);
            for note in &r.report.notes {
                eprintln!("  {note}");
            }
            for problem in &r.report.problems {
                eprintln!("  {problem}");
            }
        }
    }
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
    draw_bar("matching", done, total, "devices");
}

/// Draws a progress bar on stderr: `what [####    ]  40% done/total unit`, a new line when
/// done (the assessment's matching, `kb update`'s sources).
pub(crate) fn draw_bar(what: &str, done: usize, total: usize, unit: &str) {
    let percent = (done * 100 / total.max(1)).min(100);
    let filled = percent / 5;
    eprint!(
        "\r{what} [{}{}] {percent:>3}% {done}/{total} {unit}{}",
        "#".repeat(filled),
        " ".repeat(20 - filled),
        if done >= total { "\n" } else { "" }
    );
}

/// Loads and assesses the inputs (a progress bar at a terminal), every load report to stderr;
/// with the engine it loaded.
pub(crate) fn assessed_keeping_engine(
    inputs: &AssessInputs,
    reporting: Reporting,
) -> Result<(exposure::Assessment, exposure::Engine), Failed> {
    let progress: &(dyn Fn(usize, usize) + Sync) =
        if !reporting.quiet && std::io::stderr().is_terminal() {
            &progress_bar
        } else {
            &|_, _| {}
        };
    let (assessment, engine) = inputs.assess_keeping_engine(progress)?;
    reporting.reports("knowledge base", &assessment.knowledge_reports);
    reporting.reports("inventory", &assessment.inventory_reports);
    Ok((assessment, engine))
}

/// [`assessed_keeping_engine`] without the engine, which is never freed: a command runs once
/// and the process ends, and freeing a knowledge base of every feed (its hundreds of
/// thousands of strings) took an eighth of a short command's instructions.
fn assessed(inputs: &AssessInputs, reporting: Reporting) -> Result<exposure::Assessment, Failed> {
    assessed_keeping_engine(inputs, reporting).map(|(assessment, engine)| {
        std::mem::forget(engine);
        assessment
    })
}

/// Where a command's output goes: `-o FILE` or stdout, buffered.
fn sink(path: Option<&Path>) -> Result<Box<dyn Write + Send>, Failed> {
    Ok(match path {
        Some(path) => Box::new(std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(path)
                .map_err(|e| Failed::usage(format!("{}: {e}", path.display())))?,
        )),
        // Not locked: a writer that is `Send` (Parquet's writer needs one).
        None => Box::new(std::io::BufWriter::with_capacity(
            1 << 20,
            std::io::stdout(),
        )),
    })
}

/// How many rows the summaries' top lists show.
const TOP: usize = 10;

/// `exposure assess`: assess (and record with `--db`), filter, sort, write, gate.
fn assess(cmd: &AssessCmd, style: Style, reporting: Reporting) -> Result<(), Failed> {
    let mut inputs = inputs_of(&cmd.inputs)?;
    // Exceptions expire: without a day given, they are judged today (the core never reads
    // the clock, the command does).
    if (inputs.exceptions.is_some() || cmd.db.is_some()) && inputs.as_of.is_none() {
        inputs.as_of = Some(today());
    }
    inputs.kb_age_check = Some(exposure::kb::KbAgeCheck {
        now: args::unix_now(),
        max_age: cmd.max_kb_age,
    });
    let (assessment, label) = match &cmd.db {
        None => (assessed(&inputs, reporting)?, None),
        Some(db) => {
            let (a, label) = workflow::assess_into(db, &inputs, cmd.label.as_deref(), reporting)?;
            (a, Some(label))
        }
    };
    // Stale or undated knowledge is said even with --quiet: it may hide what is new.
    if let Some(warning) = assessment
        .knowledge_age
        .as_ref()
        .and_then(|age| age.warning.as_deref())
    {
        eprintln!("warning: {warning}");
    }
    let filter = cmd.filters.filter();
    let gate = cmd.fail_on.map(|g| assessment.gate(&g, &filter));
    let mut shown = assessment.filtered(&filter);
    match (cmd.sort_by, cmd.format) {
        (Some(key), _) => shown.sort_findings(key.into()),
        (None, AssessFormat::Table | AssessFormat::Markdown | AssessFormat::Csv) => {
            shown.sort_findings(SortBy::Risk);
        }
        (None, _) => {}
    }
    let mut out = sink(cmd.output.as_deref())?;
    match cmd.format {
        // Written as it is serialised: the findings of a large fleet are never one string.
        AssessFormat::Json => json::write(&mut out, shown)?,
        AssessFormat::Table => {
            let style = if cmd.output.is_some() {
                Style::plain()
            } else {
                style
            };
            out.write_all(table::render(&shown, style).as_bytes())?;
        }
        AssessFormat::Csv => exposure::report::csv::write_findings(&shown, &mut out)?,
        other => {
            let format = other
                .report_format()
                .ok_or_else(|| Failed::usage(format!("{other:?} is not a report format")))?;
            // The HTML report's trend: the store's earlier records of this label.
            let earlier = match (&cmd.db, &label, format) {
                (Some(db), Some(label), exposure::report::Format::Html) => {
                    let mut records = workflow::records_of(db, label)?;
                    records.pop(); // this assessment's, which the report makes itself
                    records
                }
                _ => Vec::new(),
            };
            let rendered = exposure::report::render(&shown, format, &earlier, TOP)
                .map_err(|e| Failed::usage(e.to_string()))?;
            if !reporting.quiet {
                for n in &rendered.unexpressed {
                    eprintln!(
                        "not stated: {} on {} ({}): {}",
                        n.advisory_id, n.device_id, n.software, n.reason
                    );
                }
            }
            out.write_all(rendered.text.as_bytes())?;
        }
    }
    out.flush()?;
    match gate {
        Some(outcome) if outcome.failed() => Err(Failed {
            message: output::gate_message(&outcome),
            status: 1,
        }),
        _ => Ok(()),
    }
}

/// `exposure explain`: a device's score, or the organisation's.
fn explain(cmd: &args::ExplainCmd, reporting: Reporting) -> Result<(), Failed> {
    let assessment = assessed(&inputs_of(&cmd.inputs)?, reporting)?;
    let json = cmd.format == args::TextFormat::Json;
    let device = cmd.device_word.as_ref().or(cmd.device.as_ref());
    let Some(id) = device else {
        let e = assessment.explain_organisation();
        let text = json.then(|| serde_json::to_string_pretty(&e));
        return write_explanation(text, &e.headline(), &e.table());
    };
    let Some(e) = assessment.explain_device(id) else {
        return Err(Failed::usage(format!(
            "no device {id:?} in the assessment; `exposure explain --organisation` (or `exposure assess`) with the same inputs lists the device ids"
        )));
    };
    let text = json.then(|| serde_json::to_string_pretty(&e));
    write_explanation(text, &e.headline(), &e.table())
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

/// `exposure exceptions check|export|add|list|expire|revoke`.
fn exceptions(cmd: &args::ExceptionsCmd, reporting: Reporting) -> Result<(), Failed> {
    use args::ExceptionsCmd as E;
    match cmd {
        E::Check { file } => {
            let set = exposure::exceptions::ExceptionSet::from_path(file)
                .map_err(|e| Failed::usage(e.to_string()))?;
            let expiring = set
                .exceptions()
                .iter()
                .filter(|e| e.expires.is_some())
                .count();
            Ok(writeln!(
                std::io::stdout().lock(),
                "{}: {} exceptions, {expiring} with an expiry day",
                file.display(),
                set.len()
            )?)
        }
        E::Export {
            file,
            format,
            inputs,
        } => {
            let mut inputs = inputs.clone();
            inputs.exceptions = Some(file.clone());
            let mut inputs = inputs_of(&inputs)?;
            if inputs.as_of.is_none() {
                inputs.as_of = Some(today());
            }
            export(&inputs, *format == args::VexFormat::Cyclonedx, reporting)
        }
        E::Add { file, store } => workflow::add_exceptions(store, file),
        E::List { status, store } => workflow::list_exceptions(store, status.as_deref()),
        E::Expire { id, store } => workflow::change_exception(store, id, false),
        E::Revoke { id, store } => workflow::change_exception(store, id, true),
    }
}

/// Assesses with the inputs' exceptions and writes them as VEX; what VEX cannot state goes to
/// stderr.
fn export(inputs: &AssessInputs, cyclonedx: bool, reporting: Reporting) -> Result<(), Failed> {
    let assessment = assessed(inputs, reporting)?;
    let Some(set) = &inputs.exceptions else {
        return Err(Failed::usage("no exceptions to export"));
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

/// Loads the feeds, each checked as an assessment checks it (an incomplete one is refused
/// unless allowed), and writes one snapshot of them.
fn kb_build(
    feeds: &[PathBuf],
    out: &Path,
    limits: exposure::files::Limits,
    allow_partial: bool,
    reporting: Reporting,
) -> Result<(), Failed> {
    let started = std::time::Instant::now();
    let mut kb = KnowledgeBase::new();
    kb.set_limits(limits);
    for path in feeds {
        let report = exposure::assess::load_knowledge(&mut kb, path, allow_partial)?;
        if !reporting.quiet {
            eprintln!("{}: {report}", path.display());
            for problem in report.problems.iter().take(10) {
                eprintln!("  {problem}");
            }
        }
    }
    kb.set_built_at(args::unix_now());
    let loaded = started.elapsed();
    let written = std::time::Instant::now();
    kb.save_snapshot(out)
        .map_err(|e| Failed::usage(format!("{}: {e}", out.display())))?;
    let size = std::fs::metadata(out).map_or(0, |m| m.len());
    if !reporting.quiet {
        eprintln!(
            "{}: {} advisories, {size} bytes, feeds read in {:.2} s, written in {:.2} s",
            out.display(),
            kb.len(),
            loaded.as_secs_f64(),
            written.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Loads the feeds and prints what the knowledge base holds, with each load report.
fn kb_stats(
    paths: &[PathBuf],
    json: bool,
    limits: exposure::files::Limits,
    reporting: Reporting,
) -> Result<(), Failed> {
    use std::fmt::Write as _;
    let mut kb = KnowledgeBase::new();
    kb.set_limits(limits);
    let mut reports = Vec::new();
    for path in paths {
        let started = std::time::Instant::now();
        let report = kb
            .load_path(path)
            .map_err(|e| Failed::usage(e.to_string()))?;
        if !reporting.quiet {
            eprintln!(
                "{}: {report} in {:.2} s",
                path.display(),
                started.elapsed().as_secs_f64()
            );
            for problem in report.problems.iter().take(10) {
                eprintln!("  {problem}");
            }
        }
        reports.push((path.display().to_string(), report));
    }
    let stats = kb.stats();
    let metadata = kb.metadata();
    let text = if json {
        let value = serde_json::json!({"stats": stats, "metadata": metadata.described(), "loads": reports.iter().map(|(p, r)| serde_json::json!({"path": p, "report": r})).collect::<Vec<_>>()});
        serde_json::to_string_pretty(&value).map_err(std::io::Error::from)? + "\n"
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
        out.push_str(&metadata_table(metadata));
        out
    };
    Ok(std::io::stdout().lock().write_all(text.as_bytes())?)
}

/// The build time, the knowledge's as-of date and one row per source.
fn metadata_table(metadata: &exposure::kb::KbMetadata) -> String {
    use std::fmt::Write as _;
    let unknown = |d: Option<&str>| d.unwrap_or("-").to_owned();
    let mut out = format!(
        "built at: {}\nknowledge as of: {}\nsources:\n",
        unknown(metadata.built_at.as_deref()),
        unknown(metadata.as_of())
    );
    let header = [
        "SOURCE",
        "FORMAT",
        "DOCUMENTS",
        "RECORDS",
        "NEWEST RECORD",
        "FEED TIMESTAMP",
    ];
    let rows: Vec<[String; 6]> = metadata
        .sources
        .iter()
        .map(|s| {
            [
                s.source.clone(),
                s.format.clone(),
                s.documents.to_string(),
                s.records.to_string(),
                unknown(s.newest_record.as_deref()),
                unknown(s.feed_timestamp.as_deref()),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(header.map(str::to_owned)).chain(rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        let _ = writeln!(out, "  {}", cells.join("  ").trim_end());
    }
    out
}

/// `A<TAB>B` in, `-1`, `0` or `1` out.
fn compare_line(scheme: Scheme, line: Line<'_>, out: &mut Vec<u8>) -> Result<(), String> {
    let (a, b) = line.pair()?;
    let order = Version::compare_texts(scheme, a, b).map_err(|e| e.to_string())?;
    push_order(order, out);
    Ok(())
}

/// `A<TAB>B\n` answered from its bytes when both are plain versions of a SemVer-family
/// `scheme` (compared in place by `PlainVersion::compare_pair`): its answer line written, and
/// the line's length with its newline; or `None` for [`compare_line`] to read it.
#[allow(clippy::inline_always)] // in the batch's line loop
#[inline(always)]
fn compare_in_place(scheme: Scheme, bytes: &[u8], out: &mut Vec<u8>) -> Option<usize> {
    let (order, len) = PlainVersion::compare_pair(scheme, bytes, b'\t', b'\n')?;
    push_order_line(order, out);
    Some(len)
}

/// `-1`, `0` or `1`, without a branch on the order (random orders would mispredict it about
/// every other line): written from a table, then cut to the answer's length.
#[inline]
fn push_order(order: std::cmp::Ordering, out: &mut Vec<u8>) {
    push_order_text(order, false, out);
}

/// [`push_order`] with the newline that ends an answer line, in the same write.
#[inline]
fn push_order_line(order: std::cmp::Ordering, out: &mut Vec<u8>) {
    push_order_text(order, true, out);
}

/// The order's text, and a newline when `line`: four bytes written from a table, then cut.
#[inline(always)]
fn push_order_text(order: std::cmp::Ordering, line: bool, out: &mut Vec<u8>) {
    const TEXTS: [([u8; 4], usize); 3] = [(*b"-1\n ", 2), (*b"0\n  ", 1), (*b"1\n  ", 1)];
    let (text, len) = TEXTS[usize::from((order as i8 + 1).cast_unsigned())]; // 0, 1 or 2
    out.extend_from_slice(&text);
    out.truncate(out.len() - text.len() + len + usize::from(line));
}

/// `RANGE<TAB>VERSION` in conan's own reading of the range, pre-releases as `mode` says.
fn conan_contains_line(
    mode: exposure::range::ConanPrereleases,
    line: Line<'_>,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    let (range, version) = line.pair()?;
    let range = exposure::range::ConanRange::parse(range).map_err(|e| e.to_string())?;
    let version = Version::parse(Scheme::Conan, version).map_err(|e| e.to_string())?;
    push_bool(range.contains(&version, mode), out);
    Ok(())
}

/// `RANGE<TAB>VERSION` in, `true` or `false` out.
fn contains_line(scheme: Scheme, line: Line<'_>, out: &mut Vec<u8>) -> Result<(), String> {
    let (range, version) = line.pair()?;
    let range = parse_range(scheme, range).map_err(|e| e.to_string())?;
    let contains = range.contains_text(version).map_err(|e| e.to_string())?;
    push_bool(contains, out);
    Ok(())
}

/// An Elixir requirement and a hex version in, `Version.match?(v, req, allow_pre: ...)` out.
fn hex_match_line(allow_pre: bool, line: Line<'_>, out: &mut Vec<u8>) -> Result<(), String> {
    let (requirement, version) = line.pair()?;
    let requirement = HexRequirement::parse(requirement).map_err(|e| e.to_string())?;
    let version = Version::parse(Scheme::Hex, version).map_err(|e| e.to_string())?;
    push_bool(requirement.matches(&version, allow_pre), out);
    Ok(())
}

fn push_bool(value: bool, out: &mut Vec<u8>) {
    out.extend_from_slice(if value { b"true" } else { b"false" });
}

/// A CVSS vector in, `SCORE<TAB>SEVERITY` out: the most specific score, one decimal.
fn cvss_line(line: Line<'_>, out: &mut Vec<u8>) -> Result<(), String> {
    let (score, severity) =
        exposure::score::cvss::Cvss::rate(line.text()).map_err(|e| e.to_string())?;
    push_tenths(score, out);
    out.push(b'\t');
    out.extend_from_slice(severity.name().as_bytes());
    Ok(())
}

/// A score of 0.0 to 10.0 in tenths, as `{:.1}` writes it (CVSS scores are whole tenths).
fn push_tenths(score: f64, out: &mut Vec<u8>) {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // clamped to 0..=100
    let tenths = (score * 10.0 + 0.5).clamp(0.0, 100.0) as u8;
    if tenths >= 100 {
        out.push(b'1');
    }
    out.extend_from_slice(&[b'0' + tenths / 10 % 10, b'.', b'0' + tenths % 10]);
}

/// Runs a batch mode on every core: one line of stdin in, one line of stdout out.
fn run_lines(handle: impl batch::Handler) -> Result<(), Failed> {
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    let file = batch::regular_file(&stdin);
    Ok(batch::run(
        stdin,
        stdout,
        batch::threads(),
        file.as_ref(),
        handle,
    )?)
}

/// The whole command tree, every subcommand's deferred arguments defined, for completions
/// and man pages.
fn whole_command() -> clap::Command {
    let mut command = Cli::command();
    command.build();
    command
}

/// `exposure man [--out-dir DIR]`: the manual page of the command (and, into a directory,
/// one per subcommand), from the same definitions as the help.
fn man(out_dir: Option<&Path>) -> Result<(), Failed> {
    let command = whole_command();
    let Some(dir) = out_dir else {
        let mut stdout = std::io::stdout().lock();
        clap_mangen::Man::new(command).render(&mut stdout)?;
        return Ok(stdout.flush()?);
    };
    std::fs::create_dir_all(dir).map_err(|e| Failed::usage(format!("{}: {e}", dir.display())))?;
    let mut pages = vec![(String::from("exposure"), command.clone())];
    for sub in command
        .get_subcommands()
        .filter(|sub| sub.get_name() != "help")
    {
        pages.push((format!("exposure-{}", sub.get_name()), sub.clone()));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut file = std::fs::File::create(&path)
            .map_err(|e| Failed::usage(format!("{}: {e}", path.display())))?;
        clap_mangen::Man::new(page).title(name).render(&mut file)?;
    }
    Ok(())
}

/// Runs the parsed command.
fn run(cli: Cli) -> Result<(), Failed> {
    let style = Style::for_stdout(cli.color);
    let reporting = Reporting { quiet: cli.quiet };
    match cli.command {
        Command::Assess(cmd) => assess(&cmd, style, reporting),
        Command::Stream(cmd) => stream::stream(&cmd, reporting),
        Command::Explain(cmd) => explain(&cmd, reporting),
        Command::Exceptions(cmd) => exceptions(&cmd, reporting),
        Command::History(cmd) => workflow::history(&cmd),
        Command::Diff(cmd) => workflow::diff(&cmd),
        Command::Timeline(cmd) => workflow::timeline(&cmd),
        Command::View(cmd) => workflow::view(&cmd),
        Command::Remediation(cmd) => workflow::remediation(&cmd),
        Command::Model { .. } => {
            let json =
                serde_json::to_string_pretty(&exposure::score::exposure::Parameters::default())
                    .map_err(std::io::Error::from)?;
            Ok(writeln!(std::io::stdout().lock(), "{json}")?)
        }
        Command::Kb(args::KbCmd::Build {
            feeds,
            output,
            input_limit,
            allow_partial,
        }) => kb_build(
            &feeds,
            &output,
            input_limit.unwrap_or_default(),
            allow_partial,
            reporting,
        ),
        Command::Kb(args::KbCmd::Update(a)) => update::kb_update(&a, reporting),
        Command::Kb(args::KbCmd::Stats {
            paths,
            format,
            input_limit,
        }) => kb_stats(
            &paths,
            format == args::TextFormat::Json,
            input_limit.unwrap_or_default(),
            reporting,
        ),
        Command::Version(args::VersionCmd::Compare(s)) => {
            let scheme = s.scheme;
            let answer = move |line: Line<'_>, out: &mut Vec<u8>| compare_line(scheme, line, out);
            if scheme.is_semantic() {
                run_lines(batch::InPlace {
                    answer,
                    in_place: move |bytes: &[u8], out: &mut Vec<u8>| {
                        compare_in_place(scheme, bytes, out)
                    },
                })
            } else {
                run_lines(answer)
            }
        }
        Command::Range(args::RangeCmd::Contains(a)) => {
            match (a.scheme.scheme, a.allow_pre, a.conan_prereleases) {
                (scheme, None, None) => {
                    run_lines(|line: Line<'_>, out: &mut Vec<u8>| contains_line(scheme, line, out))
                }
                (Scheme::Hex, Some(allow_pre), None) => {
                    run_lines(|line: Line<'_>, out: &mut Vec<u8>| {
                        hex_match_line(allow_pre, line, out)
                    })
                }
                (Scheme::Conan, None, Some(mode)) => {
                    run_lines(|line: Line<'_>, out: &mut Vec<u8>| {
                        conan_contains_line(mode, line, out)
                    })
                }
                (scheme, Some(_), _) => Err(Failed::usage(format!(
                    "--allow-pre is Elixir's option, for --scheme hex only (not {scheme})"
                ))),
                (_, None, Some(_)) => Err(Failed::usage(
                    "--conan-prereleases needs --scheme conan".to_owned(),
                )),
            }
        }
        Command::Cpe(args::CpeCmd::Parse { to }) => {
            run_lines(batch::text_answers(|line| cpe::parse_line(to, line)))
        }
        Command::Cpe(args::CpeCmd::Compare) => run_lines(batch::text_answers(cpe::compare_line)),
        Command::Cpe(args::CpeCmd::Guess {
            dictionary,
            kb,
            format,
        }) => {
            let vocabulary = cpe::vocabulary(dictionary.as_deref(), &kb)?;
            let rules = exposure::cpe::Normalizer::with_default_rules();
            let normalizer = match &vocabulary {
                Some(v) => rules.with_vocabulary(v),
                None => rules,
            };
            let json = format == "json";
            run_lines(batch::text_answers(|line| {
                cpe::guess_line(&normalizer, line, json)
            }))
        }
        Command::Cvss(args::CvssCmd::Score) => run_lines(cvss_line),
        Command::Completions { shell } => {
            // Generated whole first: the generator panics on a failed write (a closed pipe
            // must end the command quietly).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut whole_command(), "exposure", &mut script);
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&script)?;
            Ok(stdout.flush()?)
        }
        Command::Man { out_dir } => man(out_dir.as_deref()),
    }
}

fn main() -> ExitCode {
    // `Cli::try_parse` with the command tree and the matches kept to the end of the process
    // instead of freed (a tenth of a short command's start-up: callgrind, 133,000
    // instructions of the 1.37 million).
    let mut command = Cli::command();
    let parsed = command
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|mut matches| {
            let cli = Cli::from_arg_matches_mut(&mut matches);
            std::mem::forget(matches);
            cli.map_err(|e| e.format(&mut command))
        });
    std::mem::forget(command);
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // Help and --version go to stdout with status 0; usage errors to stderr with 2.
            let status = if e.use_stderr() { 2 } else { 0 };
            // A closed pipe while printing the help ends quietly too.
            let _ = e.print();
            return ExitCode::from(status);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failed { message, status }) => {
            if !message.is_empty() {
                eprintln!("exposure: {message}");
            }
            ExitCode::from(status)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One batch answer as a string.
    fn answer(
        handle: impl Fn(Line<'_>, &mut Vec<u8>) -> Result<(), String>,
        line: &str,
    ) -> Result<String, String> {
        let mut out = Vec::new();
        handle(Line::new(line), &mut out).map(|()| String::from_utf8(out).unwrap())
    }

    fn compare_line(scheme: Scheme, line: &str) -> Result<String, String> {
        answer(|l, o| super::compare_line(scheme, l, o), line)
    }

    /// Lines of SemVer-family pairs, plain and not, valid and not, compared in place and
    /// as text: the same answers, for every scheme of the family.
    #[test]
    fn version_pairs_compared_in_place_answer_as_compared_as_text() {
        let words = [
            "1.2.3",
            "v1.2.3",
            "=1.2.3",
            "v 1.2.3",
            "01.2.3",
            "1.2",
            "v1",
            "1.2.3-rc.1",
            "1.2.3-rc.01",
            "1.2.3-0a",
            "1.2.3+b.7",
            "1.2.3-a..b",
            "10.20.30",
            "0.0.0-",
            "99999999999999999999.0.0",
            "1.2.3 ",
            "1.2.3-é",
            "2.0.0-alpha.beta",
            "",
        ];
        let mut input = String::new();
        let mut state = 7u64;
        for _ in 0..20_000 {
            let mut pick = || {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                words[(state >> 33) as usize % words.len()]
            };
            let (a, b) = (pick(), pick());
            for part in [a, "\t", b, "\n"] {
                input.push_str(part);
            }
        }
        input.push_str("1.0.0\t1.0.0"); // the last line without its newline
        for scheme in [
            Scheme::Semver,
            Scheme::Npm,
            Scheme::Cargo,
            Scheme::Golang,
            Scheme::Hex,
        ] {
            let mut text = Vec::new();
            let answer = |l: Line<'_>, o: &mut Vec<u8>| super::compare_line(scheme, l, o);
            batch::run(input.as_bytes(), &mut text, 2, None, answer).unwrap();
            let mut in_place = Vec::new();
            let handler = batch::InPlace {
                answer,
                in_place: |b: &[u8], o: &mut Vec<u8>| compare_in_place(scheme, b, o),
            };
            batch::run(input.as_bytes(), &mut in_place, 2, None, handler).unwrap();
            assert_eq!(
                String::from_utf8(text).unwrap(),
                String::from_utf8(in_place).unwrap(),
                "{scheme}"
            );
        }
    }

    #[test]
    fn orders_are_written_as_minus_one_zero_and_one_after_what_is_there() {
        use std::cmp::Ordering::{Equal, Greater, Less};
        let mut out = b"x".to_vec();
        for order in [Less, Equal, Greater, Less, Greater, Equal] {
            push_order(order, &mut out);
            out.push(b',');
        }
        assert_eq!(out, b"x-1,0,1,-1,1,0,");
        let mut lines = b"x\n".to_vec();
        for order in [Less, Equal, Greater, Less, Greater, Equal] {
            push_order_line(order, &mut lines);
        }
        assert_eq!(lines, b"x\n-1\n0\n1\n-1\n1\n0\n");
        for (line, answer) in [
            ("1.0.0\t1.0.1", "-1"),
            ("1.0.1\t1.0.0", "1"),
            ("1.0.0\tv1.0.0", "0"),
        ] {
            assert_eq!(
                compare_line(Scheme::Npm, line),
                Ok(answer.to_owned()),
                "{line}"
            );
        }
    }

    fn contains_line(scheme: Scheme, line: &str) -> Result<String, String> {
        answer(|l, o| super::contains_line(scheme, l, o), line)
    }

    fn cvss_line(line: &str) -> Result<String, String> {
        answer(super::cvss_line, line)
    }

    fn hex_match_line(allow_pre: bool, line: &str) -> Result<String, String> {
        answer(|l, o| super::hex_match_line(allow_pre, l, o), line)
    }

    fn conan_contains_line(
        mode: exposure::range::ConanPrereleases,
        line: &str,
    ) -> Result<String, String> {
        answer(|l, o| super::conan_contains_line(mode, l, o), line)
    }

    #[test]
    fn tenths_as_format_writes_them() {
        for tenths in 0..=100u32 {
            let score = f64::from(tenths) / 10.0;
            let mut out = Vec::new();
            push_tenths(score, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), format!("{score:.1}"));
        }
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
        assert_eq!(
            contains_line(Scheme::Hex, "~> 2.0\t2.5.0-rc.1"),
            Ok("true".into())
        );
        assert_eq!(
            hex_match_line(false, "~> 2.0\t2.5.0-rc.1"),
            Ok("false".into())
        );
        assert!(hex_match_line(true, "== 2.0\t2.0.0")
            .unwrap_err()
            .contains("only `~>` takes a version without its patch number"));
    }

    /// Conan's own reading leaves a pre-release out unless the range or the mode lets it in;
    /// the engine's reading lets it in where its order puts it.
    #[test]
    fn conan_lines() {
        use exposure::range::ConanPrereleases as Mode;
        let line = "[>=1.0 <2.0]\t1.5-rc";
        assert_eq!(contains_line(Scheme::Conan, line), Ok("true".into()));
        assert_eq!(
            conan_contains_line(Mode::AsWritten, line),
            Ok("false".into())
        );
        assert_eq!(conan_contains_line(Mode::Always, line), Ok("true".into()));
        let line = ">=1.0 <2.0, include_prerelease\t1.5-rc";
        assert_eq!(
            conan_contains_line(Mode::AsWritten, line),
            Ok("true".into())
        );
        assert_eq!(conan_contains_line(Mode::Never, line), Ok("false".into()));
        assert!(conan_contains_line(Mode::AsWritten, "~=1.0\t1.0")
            .unwrap_err()
            .contains("`~=` is no Conan operator"));
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
    fn inputs_need_knowledge_and_inventories_or_the_demo() {
        let none = InputArgs::default();
        assert_eq!(
            inputs_of(&none).unwrap_err().message,
            "give --kb and --inventory (or --rootfs), or --demo"
        );
        let demo = InputArgs {
            demo: true,
            ..InputArgs::default()
        };
        assert!(inputs_of(&demo).unwrap().demo);
        let bad = InputArgs {
            demo: true,
            distro: Some("plan9".into()),
            ..InputArgs::default()
        };
        assert_eq!(inputs_of(&bad).unwrap_err().status, 2);
    }

    #[test]
    fn broken_pipes_end_quietly() {
        let f = Failed::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert_eq!((f.status, f.message.as_str()), (0, ""));
        assert_eq!(Failed::from(std::io::Error::other("disk full")).status, 2);
    }
}
