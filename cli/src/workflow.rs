//! The TVM loop from a shell, over a local store (`--db FILE`, an SQLite database created on
//! first use, see the `exposure-store` crate): assessments recorded into a history, exceptions
//! kept and applied, and what the history shows (list, diff, timeline, views, remediation).
//! The command owns the clock: records are stamped now, and assessments made for the store
//! are judged as of today unless `--as-of` says otherwise.

use crate::args::{DiffCmd, HistoryCmd, RemediationCmd, StoreOpts, TimelineCmd, ViewCmd};
use crate::Failed;
use exposure::exceptions::ExceptionSet;
use exposure::history::AssessmentRecord;
use exposure_store::{
    AssessmentEntry, AssessmentMeta, AssessmentQuery, ExceptionStatus, NewException, Store,
    Timestamp,
};
use std::io::Write;
use std::path::Path;

/// `println!` that returns the write's error (a closed pipe ends the command quietly,
/// [`Failed`]) instead of panicking.
macro_rules! say {
    () => {
        writeln!(std::io::stdout().lock())?
    };
    ($($arg:tt)*) => {
        writeln!(std::io::stdout().lock(), $($arg)*)?
    };
}

/// `print!` that returns the write's error instead of panicking.
macro_rules! say_raw {
    ($($arg:tt)*) => {
        write!(std::io::stdout().lock(), $($arg)*)?
    };
}

impl From<exposure_store::Error> for Failed {
    fn from(e: exposure_store::Error) -> Self {
        let status = match e {
            exposure_store::Error::Io { .. } => 1,
            _ => 2,
        };
        Failed {
            message: e.to_string(),
            status,
        }
    }
}

impl From<exposure::history::RecordError> for Failed {
    fn from(e: exposure::history::RecordError) -> Self {
        Failed {
            message: e.to_string(),
            status: 2,
        }
    }
}

/// Now, as the store stamps rows.
pub(crate) fn now() -> Timestamp {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Timestamp::from_unix_seconds(i64::try_from(seconds).unwrap_or(0))
}

/// The exceptions the store holds as active, as one set (empty when there are none).
pub(crate) fn active_exceptions(store: &Store) -> Result<Option<ExceptionSet>, Failed> {
    let entries = store.exceptions(Some(ExceptionStatus::Active))?;
    if entries.is_empty() {
        return Ok(None);
    }
    let bodies: Vec<&str> = entries.iter().map(|e| e.body.as_str()).collect();
    let document = format!(
        "{{\"format\": \"{}\", \"exceptions\": [{}]}}",
        exposure::exceptions::FORMAT,
        bodies.join(",")
    );
    let set = ExceptionSet::from_text(
        &document,
        &format!("{} (exceptions)", store.path().display()),
    )
    .map_err(|e| Failed {
        message: e.to_string(),
        status: 2,
    })?;
    Ok(Some(set))
}

/// `inputs.exceptions` joined with the store's active ones (an id in both is an error).
pub(crate) fn with_stored_exceptions(
    file: Option<ExceptionSet>,
    stored: Option<ExceptionSet>,
) -> Result<Option<ExceptionSet>, Failed> {
    match (file, stored) {
        (None, stored) => Ok(stored),
        (file, None) => Ok(file),
        (Some(file), Some(stored)) => {
            let all = [file.exceptions(), stored.exceptions()].concat();
            ExceptionSet::new(all).map(Some).map_err(|e| Failed {
                message: format!("--exceptions and the store's exceptions: {e}"),
                status: 2,
            })
        }
    }
}

/// `exposure assess ... --db DB [--label L]`: the store opened first (a store that cannot be
/// used fails before any work), its active exceptions applied with the command's, the
/// assessment made and recorded; its id goes to stderr.
pub(crate) fn assess_into(
    db: &Path,
    inputs: &exposure::assess::AssessInputs,
    label: Option<&str>,
    reporting: crate::Reporting,
) -> Result<(exposure::Assessment, String), Failed> {
    let mut store = Store::open(db)?;
    let mut inputs = inputs.clone();
    inputs.exceptions =
        with_stored_exceptions(inputs.exceptions.take(), active_exceptions(&store)?)?;
    let (assessment, engine) = crate::assessed_keeping_engine(&inputs, reporting)?;
    let label = label.map_or_else(|| default_label(&inputs), str::to_owned);
    let label_out = label.clone();
    let id = record(&mut store, &assessment, engine.kb(), &label)?;
    eprintln!(
        "recorded as assessment #{id} ({label}) in {}",
        store.path().display()
    );
    Ok((assessment, label_out))
}

/// Every record of `label` in the store at `db`, oldest first.
pub(crate) fn records_of(db: &Path, label: &str) -> Result<Vec<AssessmentRecord>, Failed> {
    let store = Store::open_read_only(db)?;
    store
        .assessments(&AssessmentQuery {
            label: Some(label.to_owned()),
            since: None,
        })?
        .iter()
        .map(|e| load_record(&store, e.id))
        .collect()
}

/// The label of an assessment when none is given: its inventories' file names, or `demo`.
fn default_label(inputs: &exposure::assess::AssessInputs) -> String {
    let names: Vec<String> = inputs
        .inventories
        .iter()
        .map(|source| match source {
            exposure::assess::InventorySource::Path(path)
            | exposure::assess::InventorySource::RootFs(path) => path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            exposure::assess::InventorySource::Text { origin, .. }
            | exposure::assess::InventorySource::Bytes { origin, .. } => origin.clone(),
        })
        .collect();
    if names.is_empty() {
        "demo".to_owned()
    } else {
        names.join("+")
    }
}

/// Records `assessment` into `store` under `label`; returns its id.
pub(crate) fn record(
    store: &mut Store,
    assessment: &exposure::Assessment,
    kb: &exposure::kb::KnowledgeBase,
    label: &str,
) -> Result<i64, Failed> {
    let record = assessment.record(kb)?;
    let meta = AssessmentMeta {
        recorded_at: now(),
        as_of: record.as_of,
        label: label.to_owned(),
        score: record.score,
        level: record.level.name().to_owned(),
        devices: record.devices.len() as u64,
        findings: record.findings.len() as u64,
        format: record.format.clone(),
    };
    Ok(store.record_assessment(&meta, &record.to_binary())?)
}

/// The record stored under `id`.
pub(crate) fn load_record(store: &Store, id: i64) -> Result<AssessmentRecord, Failed> {
    let payload = store.assessment_payload(id)?.ok_or_else(|| {
        Failed::usage(format!("no assessment #{id} in {}", store.path().display()))
    })?;
    Ok(AssessmentRecord::from_binary(&payload)?)
}

/// The records of the assessments `query` selects in `store`, oldest first: a dashboard's
/// history.
pub(crate) fn history_records(
    store: &Store,
    query: &AssessmentQuery,
) -> Result<Vec<AssessmentRecord>, Failed> {
    store
        .assessments(query)?
        .iter()
        .map(|e| load_record(store, e.id))
        .collect()
}

/// The latest recorded assessment (of `label`, when given).
pub(crate) fn latest(store: &Store, label: Option<&str>) -> Result<AssessmentEntry, Failed> {
    store.latest_assessment(label)?.ok_or_else(|| {
        Failed::usage(format!(
            "{} holds no assessment{}: record one with `exposure assess ... --db {}`",
            store.path().display(),
            label
                .map(|l| format!(" labelled {l:?}"))
                .unwrap_or_default(),
            store.path().display()
        ))
    })
}

/// Options shared by the store commands, as the grammar gave them: `--db FILE`, `--label L`,
/// `--format table|json|csv`, and each command's own `--since`, `--group`, words and flags.
#[derive(Debug, Default)]
pub(crate) struct StoreArgs {
    pub db: Option<std::path::PathBuf>,
    pub label: Option<String>,
    pub since: Option<exposure::date::Date>,
    pub format: Format,
    pub group: Option<String>,
    pub words: Vec<String>,
    pub flags: Vec<(String, String)>,
}

/// An output format of the store commands.
pub(crate) use crate::args::StoreFormat as Format;

impl StoreArgs {
    /// The store options every store command takes.
    pub(crate) fn of(opts: &StoreOpts) -> Self {
        StoreArgs {
            db: Some(opts.db.clone()),
            label: opts.label.clone(),
            format: opts.format,
            ..StoreArgs::default()
        }
    }

    /// The values given for `flag`, in order.
    pub(crate) fn values<'a>(&'a self, flag: &'a str) -> impl Iterator<Item = &'a str> {
        self.flags
            .iter()
            .filter(move |(f, _)| f == flag)
            .map(|(_, v)| v.as_str())
    }

    /// The last value given for `flag`.
    pub(crate) fn value<'a>(&'a self, flag: &'a str) -> Option<&'a str> {
        self.values(flag).last()
    }

    fn db(&self) -> &Path {
        self.db.as_deref().unwrap_or(Path::new("exposure.db"))
    }

    /// The store, opened to write (created on first use).
    pub(crate) fn open(&self) -> Result<Store, Failed> {
        Ok(Store::open(self.db())?)
    }

    /// The store, opened to read (never created nor changed).
    pub(crate) fn open_read_only(&self) -> Result<Store, Failed> {
        Ok(Store::open_read_only(self.db())?)
    }
}

/// Writes `rows` as the format asks: JSON (an array), CSV (header from the first row's
/// fields) or a table (aligned columns of the same fields).
pub(crate) fn write_rows<T: serde::Serialize>(rows: &[T], format: Format) -> Result<(), Failed> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, rows).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        Format::Csv | Format::Table => {
            let table = crate::table::rows(rows).map_err(Failed::usage)?;
            if format == Format::Csv {
                for line in &table {
                    let cells: Vec<String> = line.iter().map(|c| csv_cell(c)).collect();
                    writeln!(out, "{}", cells.join(","))?;
                }
            } else {
                out.write_all(crate::table::aligned(&table).as_bytes())?;
            }
        }
    }
    Ok(out.flush()?)
}

/// `text` as a CSV cell (RFC 4180 quoting).
fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// One row of `exposure history`.
#[derive(serde::Serialize)]
struct HistoryRow<'a> {
    id: i64,
    recorded_at: &'a str,
    as_of: String,
    label: &'a str,
    score: f64,
    level: &'a str,
    devices: u64,
    findings: u64,
}

/// `exposure history --db DB [--label L] [--since DATE] [--format table|json|csv]`.
pub(crate) fn history(cmd: &HistoryCmd) -> Result<(), Failed> {
    let mut args = StoreArgs::of(&cmd.store);
    args.since = cmd.since;
    {
        let store = args.open_read_only()?;
        let entries = store.assessments(&AssessmentQuery {
            label: args.label.clone(),
            since: args.since,
        })?;
        let rows: Vec<HistoryRow<'_>> = entries
            .iter()
            .map(|e| HistoryRow {
                id: e.id,
                recorded_at: e.meta.recorded_at.as_str(),
                as_of: e.meta.as_of.map(|d| d.to_string()).unwrap_or_default(),
                label: &e.meta.label,
                score: (e.meta.score * 10.0).round() / 10.0,
                level: &e.meta.level,
                devices: e.meta.devices,
                findings: e.meta.findings,
            })
            .collect();
        write_rows(&rows, args.format)
    }
}

/// `exposure exceptions expire ID --db DB` (or `revoke ID`).
pub(crate) fn change_exception(opts: &StoreOpts, id: &str, revoke: bool) -> Result<(), Failed> {
    let mut store = StoreArgs::of(opts).open()?;
    let entry = if revoke {
        store.revoke_exception(id, &now())?
    } else {
        store.expire_exception(id, &now())?
    };
    eprintln!("exception {} is {}", entry.id, entry.status.as_str());
    Ok(())
}

/// Adds every exception of `file` to the store, checked first: none may have expired, and one
/// naming a recommendation must name one of the latest recorded assessment's (when there is
/// one). Nothing is added unless all are.
pub(crate) fn add_exceptions(opts: &StoreOpts, file: &Path) -> Result<(), Failed> {
    let args = &StoreArgs::of(opts);
    let set = ExceptionSet::from_path(file)?;
    let today = crate::today();
    let mut store = args.open()?;
    let known: Option<Vec<String>> = match store.latest_assessment(args.label.as_deref())? {
        Some(entry) => {
            let record = load_record(&store, entry.id)?;
            Some(
                record
                    .recommendations
                    .iter()
                    .map(|r| r.id.clone())
                    .collect(),
            )
        }
        None => None,
    };
    for e in set.exceptions() {
        if let Some(expires) = e.expires {
            if expires < today {
                return Err(Failed::usage(format!(
                    "{}: exception {} expired on {expires}: nothing added",
                    file.display(),
                    e.id
                )));
            }
        }
        if let (exposure::exceptions::Scope::Recommendation(id), Some(known)) = (&e.scope, &known) {
            if !known.contains(id) {
                let mut near: Vec<&String> = known
                    .iter()
                    .filter(|k| k.rsplit(':').next() == id.rsplit(':').next())
                    .collect();
                near.truncate(5);
                return Err(Failed::usage(format!(
                    "{}: exception {} names recommendation {id:?}, which the latest assessment does not make{}: nothing added",
                    file.display(),
                    e.id,
                    if near.is_empty() {
                        String::new()
                    } else {
                        format!(" (did you mean {}?)", near.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", "))
                    }
                )));
            }
        }
    }
    let at = now();
    let new: Vec<NewException> = set
        .exceptions()
        .iter()
        .map(|e| {
            Ok(NewException {
                id: e.id.clone(),
                body: serde_json::to_string(e).map_err(std::io::Error::from)?,
                created_at: at.clone(),
                expires: e.expires,
            })
        })
        .collect::<Result<_, Failed>>()?;
    if let Some(taken) = new
        .iter()
        .find_map(|n| store.exception(&n.id).transpose())
        .transpose()?
    {
        return Err(Failed::usage(format!(
            "{}: exception {} is already in {} ({}): nothing added",
            file.display(),
            taken.id,
            store.path().display(),
            taken.status.as_str()
        )));
    }
    for exception in &new {
        store.add_exception(exception)?;
    }
    eprintln!(
        "{} exceptions added to {}",
        new.len(),
        store.path().display()
    );
    Ok(())
}

/// One row of `exposure exceptions list`.
#[derive(serde::Serialize)]
struct ExceptionRow<'a> {
    id: &'a str,
    status: &'a str,
    scope: String,
    justification: String,
    groups: String,
    requester: String,
    created: &'a str,
    expires: String,
    reason: String,
}

pub(crate) fn list_exceptions(opts: &StoreOpts, status: Option<&str>) -> Result<(), Failed> {
    let args = &StoreArgs::of(opts);
    let status = status
        .map(|s| {
            s.parse::<ExceptionStatus>()
                .map_err(|_| Failed::usage(format!("--status {s:?}: active, expired or revoked")))
        })
        .transpose()?;
    let store = args.open_read_only()?;
    let entries = store.exceptions(status)?;
    let rows: Vec<ExceptionRow<'_>> = entries
        .iter()
        .map(|e| {
            let body: serde_json::Value = serde_json::from_str(&e.body).unwrap_or_default();
            let text = |key: &str| plain(&body[key]);
            ExceptionRow {
                id: &e.id,
                status: e.status.as_str(),
                scope: text("scope"),
                justification: text("justification"),
                groups: text("groups"),
                requester: text("requester"),
                created: e.created_at.as_str(),
                expires: e.expires.map(|d| d.to_string()).unwrap_or_default(),
                reason: text("reason"),
            }
        })
        .collect();
    if args.format == Format::Json {
        // The exceptions themselves, as their file holds them, with the store's status.
        let documents: Vec<serde_json::Value> = entries
            .iter()
            .map(|e| {
                let mut body: serde_json::Value = serde_json::from_str(&e.body).unwrap_or_default();
                body["status"] = serde_json::Value::String(e.status.as_str().to_owned());
                body
            })
            .collect();
        return write_rows(&documents, Format::Json);
    }
    write_rows(&rows, args.format)
}

/// The two records a diff compares: `OLD NEW` ids when given, else the latest assessment (of
/// `--label`) and the one before it.
fn pair(store: &Store, args: &StoreArgs) -> Result<(i64, i64), Failed> {
    let id = |text: &String| {
        text.trim_start_matches('#')
            .parse::<i64>()
            .map_err(|_| Failed::usage(format!("{text:?} is not an assessment id")))
    };
    match args.words.as_slice() {
        [old, new] => Ok((id(old)?, id(new)?)),
        [] => {
            let newest = latest(store, args.label.as_deref())?;
            let before = store.previous_assessment(newest.id)?.ok_or_else(|| {
                Failed::usage(format!(
                    "assessment #{} ({}) is the only one of its label: nothing to compare",
                    newest.id, newest.meta.label
                ))
            })?;
            Ok((before.id, newest.id))
        }
        _ => Err(Failed::usage("diff takes two assessment ids, or none")),
    }
}

/// One row of the diff's table.
#[derive(serde::Serialize)]
struct ChangeRow {
    change: &'static str,
    device: String,
    what: String,
    detail: String,
}

/// `exposure diff --db DB [OLD NEW] [--label L] [--format table|json]`: what changed between
/// two recorded assessments, with the events.
pub(crate) fn diff(cmd: &DiffCmd) -> Result<(), Failed> {
    let mut args = StoreArgs::of(&cmd.store);
    args.words.extend(cmd.old.iter().chain(&cmd.new).cloned());
    {
        let store = args.open_read_only()?;
        let (old_id, new_id) = pair(&store, &args)?;
        let (old, new) = (load_record(&store, old_id)?, load_record(&store, new_id)?);
        let (diff, events) = exposure::history::changes(
            &old,
            &new,
            None,
            &exposure::history::EventOptions::default(),
        );
        if args.format == Format::Json {
            let document = serde_json::json!({
                "old": old_id, "new": new_id, "diff": diff, "events": events,
            });
            return write_rows(&[document], Format::Json);
        }
        let o = &diff.organisation;
        say!(
            "assessment #{old_id} -> #{new_id}: exposure {:.1} -> {:.1} ({:+.1}); {} new findings, {} fixed, {} suppressed, {} devices added, {} gone",
            o.before,
            o.after,
            o.change,
            diff.new_findings.len(),
            diff.fixed_findings.len(),
            diff.suppressed_findings.len(),
            diff.devices_added.len(),
            diff.devices_gone.len()
        );
        let mut rows: Vec<ChangeRow> = Vec::new();
        let finding = |change, f: &exposure::history::FindingChange| ChangeRow {
            change,
            device: f.device.clone(),
            what: f.advisory.clone(),
            detail: format!("{} {} ({})", f.name, f.version, f.ecosystem),
        };
        rows.extend(diff.new_findings.iter().map(|f| finding("new finding", f)));
        rows.extend(
            diff.fixed_findings
                .iter()
                .map(|f| finding("fixed finding", f)),
        );
        rows.extend(
            diff.suppressed_findings
                .iter()
                .map(|f| finding("suppressed finding", f)),
        );
        rows.extend(diff.devices_added.iter().map(|d| ChangeRow {
            change: "device added",
            device: d.clone(),
            what: String::new(),
            detail: String::new(),
        }));
        rows.extend(diff.devices_gone.iter().map(|d| ChangeRow {
            change: "device gone",
            device: d.clone(),
            what: String::new(),
            detail: String::new(),
        }));
        rows.extend(diff.software.iter().map(|s| ChangeRow {
            change: "software",
            device: s.device.clone(),
            what: format!("{} ({})", s.name, s.ecosystem),
            detail: match &s.change {
                exposure::history::SoftwareChangeKind::Installed { version } => {
                    format!("installed {version}")
                }
                exposure::history::SoftwareChangeKind::Removed { version } => {
                    format!("removed {version}")
                }
                exposure::history::SoftwareChangeKind::Updated { from, to } => {
                    format!("updated {from} -> {to}")
                }
            },
        }));
        if !rows.is_empty() {
            say!();
            write_rows(&rows, Format::Table)?;
        }
        if !events.is_empty() {
            say!("\nEvents");
            write_rows(&event_rows(&events), Format::Table)?;
        }
        Ok(())
    }
}

/// One row of a timeline.
#[derive(serde::Serialize)]
struct EventRow {
    date: String,
    event: &'static str,
    advisory: String,
    devices: usize,
    score_change: f64,
    before: String,
    after: String,
}

fn event_rows(events: &[exposure::history::Event]) -> Vec<EventRow> {
    let number = |v: Option<f64>| {
        v.map(|v| {
            format!("{v:.4}")
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_owned()
        })
        .unwrap_or_default()
    };
    events
        .iter()
        .map(|e| EventRow {
            date: e.date.map(|d| d.to_string()).unwrap_or_default(),
            event: e.kind.name(),
            advisory: e
                .advisory
                .clone()
                .or_else(|| e.software.clone())
                .unwrap_or_default(),
            devices: e.devices,
            score_change: (e.score_change * 100.0).round() / 100.0,
            before: number(e.before),
            after: number(e.after),
        })
        .collect()
}

/// `exposure timeline --db DB [--label L] [--since DATE] [--format table|json|csv]`: the
/// events of the history, in date order.
pub(crate) fn timeline(cmd: &TimelineCmd) -> Result<(), Failed> {
    let mut args = StoreArgs::of(&cmd.store);
    args.since = cmd.since;
    {
        let store = args.open_read_only()?;
        let label = match &args.label {
            Some(label) => label.clone(),
            None => latest(&store, None)?.meta.label,
        };
        let entries = store.assessments(&AssessmentQuery {
            label: Some(label),
            since: None,
        })?;
        let records: Vec<AssessmentRecord> = entries
            .iter()
            .map(|e| load_record(&store, e.id))
            .collect::<Result<_, _>>()?;
        let timeline = exposure::history::Timeline::of(&records, args.since);
        if args.format == Format::Json {
            return write_rows(&timeline.events, Format::Json);
        }
        write_rows(&event_rows(&timeline.events), args.format)
    }
}

/// A JSON value as plain words: `{"vulnerability": "CVE-1"}` → `vulnerability CVE-1`,
/// `{"software": {"ecosystem": "npm", "name": "lodash"}}` → `software npm lodash`, lists
/// joined by `, `.
fn plain(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        serde_json::Value::Object(fields) => fields
            .iter()
            .map(|(k, v)| format!("{k} {}", plain_inner(v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// A nested value: an object's values only.
fn plain_inner(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Object(fields) => fields
            .values()
            .map(plain_inner)
            .collect::<Vec<_>>()
            .join(" "),
        other => plain(other),
    }
}

/// The latest record (of `--label`), with its entry.
fn latest_record(
    store: &Store,
    args: &StoreArgs,
) -> Result<(AssessmentEntry, AssessmentRecord), Failed> {
    let entry = latest(store, args.label.as_deref())?;
    let record = load_record(store, entry.id)?;
    Ok((entry, record))
}

/// `exposure view software|weaknesses|devices|recommendations|dashboard --db DB [--group G]
/// [--label L] [--top N] [--format table|json|csv]`: a view of the latest recorded assessment
/// (the dashboard: of the whole history of its label).
pub(crate) fn view(cmd: &ViewCmd) -> Result<(), Failed> {
    use crate::args::ViewName;
    let mut args = StoreArgs::of(&cmd.store);
    args.since = cmd.since;
    args.group.clone_from(&cmd.group);
    let top = cmd.top;
    {
        use exposure::views::{
            dashboard::Dashboard, devices, recommendations, software, weaknesses, Filter,
        };
        let store = args.open_read_only()?;
        let filter = args
            .group
            .as_deref()
            .map_or_else(Filter::all, Filter::group);
        let (entry, record) = latest_record(&store, &args)?;
        if let Some(group) = &args.group {
            if !exposure::views::groups(&record).contains(group) {
                return Err(Failed::usage(format!(
                    "no device of assessment #{} is in group {group:?} (groups: {})",
                    entry.id,
                    exposure::views::groups(&record).join(", ")
                )));
            }
        }
        match cmd.name {
            ViewName::Software => write_rows(&software::rows(&record, &filter), args.format),
            ViewName::Weaknesses => write_rows(&weaknesses::rows(&record, &filter), args.format),
            ViewName::Devices => write_rows(&devices::rows(&record, &filter, top), args.format),
            ViewName::Recommendations => {
                write_rows(&recommendations::rows(&record, &filter), args.format)
            }
            ViewName::Dashboard => {
                let history = history_records(
                    &store,
                    &AssessmentQuery {
                        label: Some(entry.meta.label.clone()),
                        since: args.since,
                    },
                )?;
                let dashboard = Dashboard::of(&history, &filter, top);
                if args.format == Format::Table {
                    write_dashboard(&dashboard)
                } else {
                    write_rows(&[dashboard], Format::Json)
                }
            }
        }
    }
}

/// The dashboard at a terminal: its figures, then each top list.
fn write_dashboard(d: &exposure::views::dashboard::Dashboard) -> Result<(), Failed> {
    say!(
        "Exposure score: {:.1} ({}){}  devices: {}  as of {}",
        d.score,
        d.level.name(),
        d.group
            .as_deref()
            .map(|g| format!("  group: {g}"))
            .unwrap_or_default(),
        d.devices,
        d.as_of.map_or_else(|| "-".to_owned(), |a| a.to_string())
    );
    if let Some(secure) = d.secure_score {
        say!("Secure score: {secure:.1}");
    }
    let trend: Vec<String> = d
        .trend
        .iter()
        .map(|p| {
            format!(
                "{} {:.1}",
                p.as_of.map_or_else(|| "-".to_owned(), |a| a.to_string()),
                p.score
            )
        })
        .collect();
    say!("Trend: {}", trend.join(" -> "));
    say!(
        "Distribution: {}",
        serde_json::to_string(&d.distribution).map_err(std::io::Error::from)?
    );
    say!("\nTop recommendations");
    write_rows(&d.top_recommendations, Format::Table)?;
    say!("\nTop vulnerable software");
    write_rows(&d.top_software, Format::Table)?;
    say!("\nTop exposed devices");
    write_rows(&d.top_devices, Format::Table)?;
    say!("\nTop events");
    write_rows(&event_rows(&d.top_events), Format::Table)
}

/// `exposure remediation create|status|export`.
pub(crate) fn remediation(cmd: &RemediationCmd) -> Result<(), Failed> {
    match cmd {
        RemediationCmd::Create {
            store,
            recommendation,
            due,
            priority,
            note,
            device,
            group,
        } => {
            let mut args = StoreArgs::of(store);
            args.group.clone_from(group);
            let mut flags = vec![("--recommendation", recommendation.clone())];
            flags.extend(priority.iter().map(|p| ("--priority", p.clone())));
            flags.extend(note.iter().map(|n| ("--note", n.clone())));
            flags.extend(device.iter().map(|d| ("--device", d.clone())));
            flags.push(("--due", due.to_string()));
            args.flags = flags.into_iter().map(|(f, v)| (f.to_owned(), v)).collect();
            create_activity(&args)
        }
        RemediationCmd::Status { store, activity } | RemediationCmd::Export { store, activity } => {
            let mut args = StoreArgs::of(store);
            args.words.extend(activity.iter().cloned());
            activity_status(&args, matches!(cmd, RemediationCmd::Export { .. }))
        }
    }
}

fn create_activity(args: &StoreArgs) -> Result<(), Failed> {
    use exposure::remediation::{ActivityOptions, Priority, RemediationActivity, Targets};
    let recommendation = args
        .value("--recommendation")
        .ok_or_else(|| Failed::usage("remediation create needs --recommendation ID"))?;
    let due: exposure::date::Date = args
        .value("--due")
        .ok_or_else(|| Failed::usage("remediation create needs --due YYYY-MM-DD"))?
        .parse()
        .map_err(|_| Failed::usage("--due is not YYYY-MM-DD"))?;
    let priority: Priority = match args.value("--priority") {
        None => Priority::Medium,
        Some(p) => {
            serde_json::from_value(serde_json::Value::String(p.to_owned())).map_err(|_| {
                Failed::usage(format!("--priority {p:?}: low, medium, high or critical"))
            })?
        }
    };
    let mut store = args.open()?;
    let (entry, record) = latest_record(&store, args)?;
    let at = now();
    let mut options = ActivityOptions::new(
        format!("RA-{}", at.as_str().replace([':', '-'], "")),
        at.date(),
    );
    options.due = Some(due);
    options.priority = priority;
    args.value("--note")
        .unwrap_or_default()
        .clone_into(&mut options.note);
    options.targets = Targets {
        devices: args.values("--device").map(str::to_owned).collect(),
        groups: args.group.iter().cloned().collect(),
    };
    let activity = RemediationActivity::create(&record, recommendation, options)
        .map_err(|e| Failed::usage(e.to_string()))?;
    let body = serde_json::to_string(&activity).map_err(std::io::Error::from)?;
    let targets = serde_json::json!({
        "label": entry.meta.label,
        "devices": activity.targets.devices,
        "groups": activity.targets.groups,
    });
    let stored = store.create_activity(&exposure_store::NewActivity {
        recommendation_id: activity.recommendation_id.clone(),
        created_at: at,
        due,
        priority: activity.priority.name().to_owned(),
        note: (!activity.note.is_empty()).then(|| activity.note.clone()),
        targets: targets.to_string(),
        body,
    })?;
    eprintln!(
        "remediation activity #{} ({}): {} on {} devices, due {due}",
        stored.id,
        activity.id,
        activity.title,
        activity.devices.len()
    );
    Ok(())
}

/// The progress of every stored activity (or the one named) on the history of its label.
fn activity_status(args: &StoreArgs, export: bool) -> Result<(), Failed> {
    use exposure::remediation::{export as rows, RemediationActivity};
    let store = args.open_read_only()?;
    let mut entries = store.activities(None)?;
    if let [id] = args.words.as_slice() {
        let id: i64 = id
            .trim_start_matches('#')
            .parse()
            .map_err(|_| Failed::usage(format!("{id:?} is not an activity number")))?;
        entries.retain(|e| e.id == id);
        if entries.is_empty() {
            return Err(Failed::usage(format!("no remediation activity #{id}")));
        }
    }
    if entries.is_empty() && args.format != Format::Json {
        eprintln!(
            "no remediation activities in the store (`exposure remediation create` makes one)"
        );
    }
    let mut progress = Vec::new();
    for entry in &entries {
        let activity: RemediationActivity = serde_json::from_str(&entry.body)
            .map_err(|e| Failed::usage(format!("activity #{}: {e}", entry.id)))?;
        let label = serde_json::from_str::<serde_json::Value>(&entry.targets)
            .ok()
            .and_then(|t| t["label"].as_str().map(str::to_owned));
        let latest = latest(&store, label.as_deref())?;
        progress.push(activity.progress(&load_record(&store, latest.id)?));
    }
    let devices = export || args.words.len() == 1;
    match (args.format, devices) {
        (Format::Csv, true) => say_raw!(
            "{}",
            rows::to_csv(&rows::device_rows(&progress))
                .map_err(|e| Failed::usage(e.to_string()))?
        ),
        (Format::Csv, false) => say_raw!(
            "{}",
            rows::to_csv(&rows::activity_rows(&progress))
                .map_err(|e| Failed::usage(e.to_string()))?
        ),
        (Format::Json, _) => write_rows(&progress, Format::Json)?,
        (Format::Table, true) => {
            write_rows(&rows::activity_rows(&progress), Format::Table)?;
            say!();
            write_rows(&rows::device_rows(&progress), Format::Table)?;
        }
        (Format::Table, false) => write_rows(&rows::activity_rows(&progress), Format::Table)?,
    }
    Ok(())
}
