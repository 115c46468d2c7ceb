//! The command line's grammar, declared once with `clap`: the help of every subcommand,
//! `--version`, the shell completions and the man page all come from these definitions.
//!
//! Every subcommand's arguments are deferred (`#[command(defer = true)]`): defined only when
//! that subcommand is run (or the whole tree built, for completions and man pages), so that a
//! batch command's start-up does not build the other thirty. The argument structs therefore
//! carry plain comments, not doc comments: a deferred struct's doc comment would become its
//! subcommand's about line over the subcommand's own.

use clap::{Args, Parser, Subcommand, ValueEnum};
use exposure::date::Date;
use exposure::files::Limits;
use exposure::filter::{FailOn, FindingFilter, FixFilter, SortBy};
use exposure::score::cvss::Severity;
use std::path::PathBuf;

/// The exit statuses, in the help of the command and of `assess`.
macro_rules! exit_status {
    () => {
        "Exit status: 0 done (no gate given, or nothing at or above it); 1 findings at or above
--fail-on; 2 the arguments are wrong, an input could not be read or was refused as
incomplete, or the output could not be written. A closed pipe ends the command quietly."
    };
}

const EXIT_STATUS: &str = exit_status!();

const AFTER_HELP: &str = concat!(
    exit_status!(),
    "

Examples:
  exposure assess --demo
  exposure assess --kb ../shared/data/osv-pypa --inventory bom.json --fail-on high
  exposure assess --inventory status --os-release os-release --kb kb.bin --format json -o out.json
  exposure explain api-gw-01 --demo
  exposure assess --demo --db tvm.db && exposure view dashboard --db tvm.db"
);

/// Threat and vulnerability management from a shell: assess a fleet's software against
/// vulnerability knowledge, score its exposure, rank what to fix first, and follow the fixing
/// through time.
#[derive(Debug, Parser)]
#[command(
    name = "exposure",
    version,
    propagate_version = true,
    arg_required_else_help = true,
    after_help = AFTER_HELP
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to colour the output: auto (a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Write nothing to stderr but errors: no progress bar, no load reports.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum Command {
    /// Assess a fleet: findings, scores, recommendations (and record them with --db).
    Assess(AssessCmd),
    /// Assess a fleet too large to hold, as a stream: devices from JSON Lines, findings out
    /// chunk by chunk (JSON Lines, Arrow IPC or Parquet), the organisation's exposure at the end.
    Stream(StreamCmd),
    /// Why a device (or the organisation) scores what it does.
    Explain(ExplainCmd),
    /// Exceptions: check a file, export as VEX, or keep them in a store.
    #[command(subcommand)]
    Exceptions(ExceptionsCmd),
    /// The assessments recorded in a store.
    History(HistoryCmd),
    /// What changed between two recorded assessments.
    Diff(DiffCmd),
    /// The events of a store's history (Defender's event timeline).
    Timeline(TimelineCmd),
    /// A view of the latest recorded assessment: software, weaknesses, devices,
    /// recommendations, dashboard.
    View(ViewCmd),
    /// Remediation activities: ask for a recommendation to be taken by a day, follow it.
    #[command(subcommand)]
    Remediation(RemediationCmd),
    /// The model's parameters (exposure-model/1.0) as JSON, to edit and pass to --model.
    Model {
        #[command(subcommand)]
        action: Option<ModelCmd>,
    },
    /// Knowledge bases: build a snapshot, or summarise feeds.
    #[command(subcommand)]
    Kb(KbCmd),
    /// Versions, batch: compare pairs read from stdin.
    #[command(subcommand)]
    Version(VersionCmd),
    /// Ranges, batch: membership of versions read from stdin.
    #[command(subcommand)]
    Range(RangeCmd),
    /// CPE names, batch: parse, compare, guess from installed programs.
    #[command(subcommand)]
    Cpe(CpeCmd),
    /// CVSS, batch: score vectors read from stdin.
    #[command(subcommand)]
    Cvss(CvssCmd),
    /// Shell completions for bash, zsh, fish, elvish or PowerShell, on stdout.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The manual page (roff) on stdout, or one page per command into a directory.
    Man {
        /// Write exposure.1 and a page per subcommand into this directory.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

// `exposure stream`: memory stays at one chunk of devices plus the knowledge base.
#[derive(Debug, Clone, Args)]
pub(crate) struct StreamCmd {
    /// Knowledge, as for `assess --kb` (a snapshot from `kb build` loads fastest); the demo
    /// knowledge base when none is given.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub kb: Vec<PathBuf>,
    /// The devices: JSON Lines, one fleet-document device object per line (`-` for stdin;
    /// gzip accepted).
    #[arg(long, value_name = "FILE")]
    pub devices: PathBuf,
    /// Devices assessed together: memory grows with it.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(usize))]
    pub chunk: usize,
    /// The fleet's size when known: device rows then carry their final weights.
    #[arg(long, value_name = "N")]
    pub fleet_size: Option<usize>,
    /// Where the findings go (`-` for stdout), the findings view's columns: JSON Lines, an
    /// Arrow IPC stream (.arrow, .arrows) or Parquet (.parquet), by the file's extension
    /// unless --format says; each chunk is written as it is assessed.
    #[arg(long, value_name = "FILE", default_value = "-")]
    pub findings: PathBuf,
    /// Also write each device's row (score, level, weight, findings) here, in the findings'
    /// format.
    #[arg(long, value_name = "FILE")]
    pub device_rows: Option<PathBuf>,
    /// The format of --findings and --device-rows (default: from their extension, JSON Lines
    /// for any other and for stdout).
    #[arg(long, value_enum)]
    pub format: Option<StreamFormat>,
    /// Parquet only: the columns' compression.
    #[arg(long, value_enum, value_name = "CODEC", default_value_t = ParquetCodec::Zstd)]
    pub compression: ParquetCodec,
    /// Parquet only: row groups of N rows (default: one row group per chunk).
    #[arg(long, value_name = "N")]
    pub row_group_rows: Option<std::num::NonZeroUsize>,
    /// Write the summary (organisation, groups, the secure configuration, the software,
    /// weaknesses, recommendations and devices views, the ranked recommendations, the
    /// dashboards, the devices' load report) here as JSON instead of one line on stderr.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// The dashboards' trends and events start with the assessments recorded in this store
    /// (`exposure assess ... --db`), oldest first; without it they hold this stream alone.
    #[arg(long, value_name = "DB")]
    pub history_db: Option<PathBuf>,
    /// Only the recorded assessments of this label (with --history-db).
    #[arg(long, value_name = "LABEL", requires = "history_db")]
    pub history_label: Option<String>,
    /// How many rows the dashboards' lists show (at most 20: the devices a stream keeps).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub top: usize,
    /// The most entries (distinct item-advisory facts, recommendation patterns and their
    /// findings; about 2 KB each) the fleet's running aggregate may hold: a fleet whose
    /// devices share few product versions and contexts fails past it instead of growing
    /// without bound.
    #[arg(long, value_name = "N", default_value_t = exposure::stream::DEFAULT_MAX_AGGREGATE_ENTRIES)]
    pub max_aggregate_entries: usize,
    /// Judge end of support and unused software on this day (YYYY-MM-DD, or `today` in UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub as_of: Option<Date>,
    /// Accept inputs that lose records (see `assess --allow-partial`).
    #[arg(long)]
    pub allow_partial: bool,
}

/// The formats `exposure stream` writes findings and device rows in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum StreamFormat {
    /// One JSON object per line (.jsonl, and any extension not below).
    Jsonl,
    /// An Arrow IPC stream, a record batch per chunk (.arrow, .arrows).
    Arrow,
    /// Parquet, a row group per chunk (.parquet); the file is whole once the command ends.
    Parquet,
}

/// Parquet's compressions `exposure stream` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ParquetCodec {
    /// Zstandard: the smallest files.
    Zstd,
    /// Snappy: the fastest (Spark's and pyarrow's default).
    Snappy,
    /// None.
    None,
}

// What to assess: knowledge, inventories, and how to read and judge them.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct InputArgs {
    /// Use the embedded demo knowledge base and fleet (each replaced by --kb or --inventory
    /// when given).
    #[arg(long)]
    pub demo: bool,
    /// Knowledge: NVD feeds (JSON 1.1, API 2.0), CVE JSON 5, OSV (JSON or YAML), Alpine
    /// secdb, Red Hat CSAF, Node.js security WG records, RubySec and Mozilla MFSA YAML, VEX
    /// (OpenVEX, CycloneDX, CSAF), CISA KEV, EPSS (JSON or CSV), snapshots from `kb build`;
    /// files, directories, zip and tar archives; .gz accepted.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub kb: Vec<PathBuf>,
    /// Inventories: CycloneDX or SPDX JSON SBOMs, fleet documents, dpkg status files, rpm -qa
    /// output, Windows registry exports of the Uninstall keys, CSV or JSON program lists;
    /// .gz accepted.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub inventory: Vec<PathBuf>,
    /// A directory tree read as one device (an image's or a host's root): its os-release,
    /// dpkg status, apk installed database, rpm -qa text (var/lib/rpm/rpm-qa.txt) and every
    /// lockfile (Cargo.lock, package-lock.json, yarn.lock, pnpm-lock.yaml, requirements.txt,
    /// poetry.lock, uv.lock, Pipfile.lock, go.mod/go.sum, Gemfile.lock, composer.lock, pom.xml).
    #[arg(long, value_name = "DIR")]
    pub rootfs: Vec<PathBuf>,
    /// The release of devices given as dpkg status files: debian-12, bookworm, ubuntu-22.04.
    #[arg(long, value_name = "RELEASE", conflicts_with = "os_release")]
    pub distro: Option<String>,
    /// The same, read from the device's /etc/os-release.
    #[arg(long, value_name = "PATH")]
    pub os_release: Option<PathBuf>,
    /// NVD's CPE dictionary XML (.gz accepted), to name installed programs beyond the alias
    /// table.
    #[arg(long, value_name = "PATH")]
    pub cpe_dictionary: Option<PathBuf>,
    /// The most one input may hold once decompressed: bytes, or with K, M or G (binary
    /// units); default 1G.
    #[arg(long, value_name = "SIZE", value_parser = parse_limit)]
    pub input_limit: Option<Limits>,
    /// Assess even when an input is incomplete (by default an input that yields nothing or
    /// loses more than 10 % of its records is refused); every load problem is reported.
    #[arg(long)]
    pub allow_partial: bool,
    /// Judge end of support, unused software and exceptions on this day (YYYY-MM-DD, or
    /// `today` in UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub as_of: Option<Date>,
    /// The model parameters as JSON (`exposure model show` prints the defaults).
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Apply the exceptions of this file (exposure-exceptions/1, JSON or YAML;
    /// docs/exceptions.md): accepted risks with a reason and an expiry.
    #[arg(long, value_name = "FILE")]
    pub exceptions: Option<PathBuf>,
}

// Which findings a report shows.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct FilterArgs {
    /// Show only findings of these severities (comma-separated: critical,high,medium,low).
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_severity)]
    pub severity: Vec<Severity>,
    /// Show only findings a known version fixes.
    #[arg(long, visible_alias = "only-fixed", conflicts_with = "only_unfixed")]
    pub ignore_unfixed: bool,
    /// Show only findings no known version fixes.
    #[arg(long)]
    pub only_unfixed: bool,
    /// Show only findings listed in CISA's KEV catalog.
    #[arg(long)]
    pub kev_only: bool,
    /// Show only findings whose EPSS probability is at least P (0-1).
    #[arg(long, value_name = "P", value_parser = parse_probability)]
    pub min_epss: Option<f64>,
    /// Show only findings on devices of this group (repeatable).
    #[arg(long, value_name = "GROUP")]
    pub group: Vec<String>,
}

impl FilterArgs {
    /// The core filter these flags ask for.
    pub(crate) fn filter(&self) -> FindingFilter {
        FindingFilter {
            severities: self.severity.clone(),
            fix: if self.ignore_unfixed {
                FixFilter::Fixed
            } else if self.only_unfixed {
                FixFilter::Unfixed
            } else {
                FixFilter::Any
            },
            kev_only: self.kev_only,
            min_epss: self.min_epss,
            groups: self.group.clone(),
        }
    }
}

/// The output formats of an assessment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum AssessFormat {
    /// A summary, the recommendations, then the findings by risk (for people).
    #[default]
    Table,
    /// The whole assessment (schema: schemas/assessment.schema.json).
    Json,
    /// One row per finding.
    Csv,
    /// A summary for pull-request comments.
    Markdown,
    /// SARIF 2.1.0, for code scanning (GitHub and others).
    Sarif,
    /// CycloneDX 1.6 VEX: a statement per vulnerability and product.
    Cyclonedx,
    /// OpenVEX: a statement per vulnerability and product.
    Openvex,
    /// A self-contained HTML report with charts (the score over the history with --db).
    Html,
}

#[derive(Debug, Args)]
#[command(after_help = EXIT_STATUS)]
pub(crate) struct AssessCmd {
    #[command(flatten)]
    pub inputs: InputArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// The output format.
    #[arg(short, long, value_enum, default_value_t = AssessFormat::Table)]
    pub format: AssessFormat,
    /// Write the output to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a counted finding (after the filters) is at or above this: low, medium,
    /// high, critical; risk (r >= 0.7) or risk:R; kev; score:N (the organisation's score).
    #[arg(long, value_name = "GATE", value_parser = parse_fail_on)]
    pub fail_on: Option<FailOn>,
    /// The order of the findings (default: risk for tables, the assessment's order otherwise).
    #[arg(long, value_enum)]
    pub sort_by: Option<SortKey>,
    /// Record the assessment in this store (SQLite, created on first use); its active
    /// exceptions apply, judged today unless --as-of.
    #[arg(long, value_name = "DB")]
    pub db: Option<PathBuf>,
    /// The label of the recorded assessment (default: the inventories' names).
    #[arg(long, requires = "db")]
    pub label: Option<String>,
    /// Warn when the knowledge (--kb) is older than this: 7d, 36h, 90m, 3600s. Its age is now
    /// minus the newest of its sources' dates (a feed's own timestamp, else its newest record
    /// date), else minus the snapshot's build time; an unknown age is warned about too. The
    /// JSON report states the age under `knowledge_age`.
    #[arg(long, value_name = "DURATION", default_value = "7d", value_parser = exposure::kb::parse_duration)]
    pub max_kb_age: u64,
}

impl AssessFormat {
    /// The core report format this is, for those core's `report` room writes.
    pub(crate) fn report_format(self) -> Option<exposure::report::Format> {
        use exposure::report::Format;
        match self {
            AssessFormat::Table | AssessFormat::Json => None,
            AssessFormat::Csv => Some(Format::Csv),
            AssessFormat::Markdown => Some(Format::Markdown),
            AssessFormat::Sarif => Some(Format::Sarif),
            AssessFormat::Cyclonedx => Some(Format::Cyclonedx),
            AssessFormat::Openvex => Some(Format::Openvex),
            AssessFormat::Html => Some(Format::Html),
        }
    }
}

/// A sort key of the findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SortKey {
    /// Highest risk first.
    Risk,
    /// Highest severity first.
    Severity,
    /// Highest EPSS first.
    Epss,
    /// KEV-listed first.
    Kev,
}

impl From<SortKey> for SortBy {
    fn from(k: SortKey) -> SortBy {
        match k {
            SortKey::Risk => SortBy::Risk,
            SortKey::Severity => SortBy::Severity,
            SortKey::Epss => SortBy::Epss,
            SortKey::Kev => SortBy::Kev,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct ExplainCmd {
    /// The device to explain (its id); without it, the organisation.
    #[arg(value_name = "DEVICE", conflicts_with_all = ["device", "organisation"])]
    pub device_word: Option<String>,
    /// The device to explain (its id).
    #[arg(long, value_name = "ID")]
    pub device: Option<String>,
    /// Explain the organisation: its devices by contribution.
    #[arg(long, visible_alias = "organization", conflicts_with = "device")]
    pub organisation: bool,
    /// The output format.
    #[arg(short, long, value_enum, default_value_t = TextFormat::Table)]
    pub format: TextFormat,
    #[command(flatten)]
    pub inputs: InputArgs,
}

/// Table or JSON.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum TextFormat {
    /// Aligned columns.
    #[default]
    Table,
    /// JSON.
    Json,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum ExceptionsCmd {
    /// Read an exception set (JSON or YAML) and say what it holds, or what is wrong with it.
    Check {
        /// The exception file.
        file: PathBuf,
    },
    /// Assess with the exceptions and write the ones that applied as VEX on stdout (what VEX
    /// cannot state is listed on stderr).
    Export {
        /// The exception file.
        file: PathBuf,
        /// The VEX format.
        #[arg(short, long, value_enum, default_value_t = VexFormat::Openvex)]
        format: VexFormat,
        #[command(flatten)]
        inputs: InputArgs,
    },
    /// Keep the exceptions of FILE in the store (refused whole if one has expired or names a
    /// recommendation the latest assessment does not make).
    Add {
        /// The exception file.
        file: PathBuf,
        #[command(flatten)]
        store: StoreOpts,
    },
    /// The exceptions kept in the store.
    List {
        /// Only those of this status (active, expired, revoked).
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        store: StoreOpts,
    },
    /// Mark a kept exception expired.
    Expire {
        /// The exception's id.
        id: String,
        #[command(flatten)]
        store: StoreOpts,
    },
    /// Revoke a kept exception.
    Revoke {
        /// The exception's id.
        id: String,
        #[command(flatten)]
        store: StoreOpts,
    },
}

/// A VEX document format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum VexFormat {
    /// OpenVEX.
    Openvex,
    /// CycloneDX VEX.
    Cyclonedx,
}

// The options of every store command.
#[derive(Debug, Clone, Args)]
pub(crate) struct StoreOpts {
    /// The store (an SQLite file written by `exposure assess ... --db`).
    #[arg(long, value_name = "DB")]
    pub db: PathBuf,
    /// The output format.
    #[arg(short, long, value_enum, default_value_t = StoreFormat::Table)]
    pub format: StoreFormat,
    /// Only the assessments of this label (default: every label; for the latest, the latest
    /// assessment's).
    #[arg(long)]
    pub label: Option<String>,
}

/// The output formats of the store commands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum StoreFormat {
    /// Aligned columns.
    #[default]
    Table,
    /// JSON.
    Json,
    /// CSV.
    Csv,
}

#[derive(Debug, Args)]
pub(crate) struct HistoryCmd {
    #[command(flatten)]
    pub store: StoreOpts,
    /// Only assessments as of this day or later (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub since: Option<Date>,
}

#[derive(Debug, Args)]
pub(crate) struct DiffCmd {
    #[command(flatten)]
    pub store: StoreOpts,
    /// The earlier assessment's number (default: the latest two).
    #[arg(requires = "new")]
    pub old: Option<String>,
    /// The later assessment's number.
    pub new: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct TimelineCmd {
    #[command(flatten)]
    pub store: StoreOpts,
    /// Only events on this day or later (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub since: Option<Date>,
}

/// A view of a recorded assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ViewName {
    /// The software inventory.
    Software,
    /// The weaknesses (vulnerabilities).
    Weaknesses,
    /// The devices.
    Devices,
    /// The security recommendations.
    Recommendations,
    /// The dashboard of the history.
    Dashboard,
}

#[derive(Debug, Args)]
pub(crate) struct ViewCmd {
    /// The view.
    #[arg(value_enum)]
    pub name: ViewName,
    #[command(flatten)]
    pub store: StoreOpts,
    /// Only this device group.
    #[arg(long)]
    pub group: Option<String>,
    /// How many rows the dashboard's lists (and a device's recommendations) show.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// The dashboard's history from this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub since: Option<Date>,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum RemediationCmd {
    /// Ask for a recommendation of the latest assessment to be taken by a day.
    Create {
        #[command(flatten)]
        store: StoreOpts,
        /// The recommendation's id (`exposure view recommendations` lists them).
        #[arg(long, value_name = "ID")]
        recommendation: String,
        /// The due day (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        due: Date,
        /// low, medium, high or critical (default medium).
        #[arg(long)]
        priority: Option<String>,
        /// A note for whoever takes it.
        #[arg(long)]
        note: Option<String>,
        /// Only these devices (repeatable).
        #[arg(long, value_name = "ID")]
        device: Vec<String>,
        /// Only the devices of this group.
        #[arg(long)]
        group: Option<String>,
    },
    /// The progress of every activity (or of one, per device) on the latest assessment.
    Status {
        #[command(flatten)]
        store: StoreOpts,
        /// One activity's number.
        activity: Option<String>,
    },
    /// The progress per device, for ticketing systems.
    Export {
        #[command(flatten)]
        store: StoreOpts,
        /// One activity's number.
        activity: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum ModelCmd {
    /// The default parameters as JSON.
    Show,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum KbCmd {
    /// Load feeds and write one compiled snapshot, which --kb reads much faster.
    Build {
        /// The feeds (any --kb input).
        #[arg(required = true, value_name = "FEED")]
        feeds: Vec<PathBuf>,
        /// The snapshot to write.
        #[arg(short, long, value_name = "SNAPSHOT")]
        output: PathBuf,
        /// The most one input may hold once decompressed (default 1G).
        #[arg(long, value_name = "SIZE", value_parser = parse_limit)]
        input_limit: Option<Limits>,
        /// Build even from incomplete feeds.
        #[arg(long)]
        allow_partial: bool,
    },
    /// Update a snapshot from the feeds' servers: only what changed since the last update is
    /// fetched (NVD by modification windows, OSV by its modified-id list, KEV, EPSS and
    /// Alpine conditionally) into a mirror beside the snapshot, which is then rebuilt and
    /// replaced atomically. A failure leaves the snapshot as it was (exit status 2).
    Update(Box<KbUpdateArgs>),
    /// Load feeds and summarise them.
    Stats {
        /// The feeds (any --kb input).
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// The output format.
        #[arg(short, long, value_enum, default_value_t = TextFormat::Table)]
        format: TextFormat,
        /// The most one input may hold once decompressed (default 1G).
        #[arg(long, value_name = "SIZE", value_parser = parse_limit)]
        input_limit: Option<Limits>,
    },
}

// `kb update`: the snapshot, the sources, where they are and how to fetch them.
#[derive(Debug, Args)]
pub(crate) struct KbUpdateArgs {
    /// The snapshot to update (created when missing).
    #[arg(value_name = "SNAPSHOT")]
    pub snapshot: PathBuf,
    /// A source to fetch, repeatable: nvd, kev, epss, osv:<Ecosystem> (osv:Go, osv:Debian),
    /// alpine:<branch>/<repo> (alpine:v3.20/main). Default: nvd, kev and epss.
    #[arg(long = "source", value_name = "SOURCE", value_parser = parse_source)]
    pub sources: Vec<exposure_update::SourceSpec>,
    /// The mirror of fetched records (default: SNAPSHOT.mirror).
    #[arg(long, value_name = "PATH")]
    pub mirror: Option<PathBuf>,
    /// NVD's CVE API 2.0 endpoint.
    #[arg(long, value_name = "URL", default_value = exposure_update::NVD_URL)]
    pub nvd_url: String,
    /// osv.dev's base URL ({URL}/{ecosystem}/all.zip).
    #[arg(long, value_name = "URL", default_value = exposure_update::OSV_URL)]
    pub osv_url: String,
    /// The CISA KEV catalog (JSON).
    #[arg(long, value_name = "URL", default_value = exposure_update::KEV_URL)]
    pub kev_url: String,
    /// FIRST's EPSS scores (gzipped CSV).
    #[arg(long, value_name = "URL", default_value = exposure_update::EPSS_URL)]
    pub epss_url: String,
    /// Alpine secdb's base URL ({URL}/{branch}/{repo}.json).
    #[arg(long, value_name = "URL", default_value = exposure_update::ALPINE_URL)]
    pub alpine_url: String,
    /// NVD's API key (default: the NVD_API_KEY environment variable); raises NVD's rate
    /// limit from 5 to 50 requests per 30 s.
    #[arg(long, value_name = "KEY")]
    pub nvd_api_key: Option<String>,
    /// NVD's rate window (5 requests, 50 with a key, per window): 30s, 500ms.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_wait)]
    pub nvd_rate_window: std::time::Duration,
    /// Records per NVD page (1 to 2000).
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub nvd_page_size: u32,
    /// The time-out of one request: 120s, 2m, 500ms.
    #[arg(long, value_name = "DURATION", default_value = "120s", value_parser = parse_wait)]
    pub timeout: std::time::Duration,
    /// Requests per URL at most (retries on 403, 429, 503, time-outs, broken connections).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub attempts: u32,
    /// The first wait before a retry, doubled at each (unless the server sends Retry-After).
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = parse_wait)]
    pub backoff: std::time::Duration,
    /// Ignore HTTPS_PROXY, HTTP_PROXY and ALL_PROXY.
    #[arg(long)]
    pub no_proxy: bool,
    /// The instant to update as of (RFC 3339) instead of the clock: the end of NVD's window
    /// and the snapshot's build time (for reproducible snapshots).
    #[arg(long, value_name = "TIME", value_parser = parse_instant)]
    pub now: Option<i64>,
    /// The most one document may hold once decompressed (default 1G).
    #[arg(long, value_name = "SIZE", value_parser = parse_limit)]
    pub input_limit: Option<Limits>,
    /// Build even when a source's records load incompletely.
    #[arg(long)]
    pub allow_partial: bool,
    /// The summary's format.
    #[arg(short, long, value_enum, default_value_t = TextFormat::Table)]
    pub format: TextFormat,
    /// The progress log's format on stderr when it is not a terminal: text or json lines.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// How progress is logged when stderr is not a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LogFormat {
    /// `key=value` lines.
    Text,
    /// One JSON object per line.
    Json,
}

fn parse_source(value: &str) -> Result<exposure_update::SourceSpec, String> {
    value.parse()
}

/// A wait: `500ms`, or a duration as `parse_duration` reads it (`30s`, `2m`, `1h`).
pub(crate) fn parse_wait(value: &str) -> Result<std::time::Duration, String> {
    if let Some(ms) = value.trim().strip_suffix("ms") {
        return ms
            .parse::<u64>()
            .map(std::time::Duration::from_millis)
            .map_err(|_| format!("not a duration: {value:?}"));
    }
    exposure::kb::parse_duration(value).map(std::time::Duration::from_secs)
}

fn parse_instant(value: &str) -> Result<i64, String> {
    exposure::kb::unix_seconds(value)
        .ok_or_else(|| format!("not an RFC 3339 instant: {value:?} (2026-12-05T00:00:00Z)"))
}

// `--scheme S` of the batch modes.
#[derive(Debug, Args)]
pub(crate) struct SchemeArg {
    /// The version scheme: semver npm cargo golang pypi deb rpm alpm alpine maven nuget gem
    /// composer hex conan openssl generic intdot lexicographic datetime.
    #[arg(long, value_name = "S", value_parser = parse_scheme)]
    pub scheme: exposure::version::Scheme,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum VersionCmd {
    /// stdin: A<TAB>B lines; stdout: -1, 0 or 1 (error<TAB>message for a bad line).
    Compare(SchemeArg),
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum RangeCmd {
    /// stdin: RANGE<TAB>VERSION lines (RANGE native or vers:); stdout: true or false.
    Contains(ContainsArgs),
}

// `range contains`: the scheme, for hex Elixir's `allow_pre` and for Conan conan's own
// pre-release rule.
#[derive(Debug, Args)]
pub(crate) struct ContainsArgs {
    #[command(flatten)]
    pub scheme: SchemeArg,
    /// With --scheme hex: Elixir's `Version.match?` option. `true` (the default) is the
    /// range's order; `false` (Hex's resolver) keeps a pre-release out of `>`, `>=` and `~>`
    /// unless their own version is one. RANGE is then an Elixir requirement.
    #[arg(long, value_name = "BOOL")]
    pub allow_pre: Option<bool>,

    /// With --scheme conan: read each range as conan does, pre-releases decided as MODE
    /// says (as-written: only where the range says include_prerelease, conan's default;
    /// always; never) and `*` patterns on the text. Without it a pre-release is inside when
    /// its order puts it there, as for every scheme.
    #[arg(long, value_name = "MODE", value_parser = parse_conan_prereleases)]
    pub conan_prereleases: Option<exposure::range::ConanPrereleases>,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum CpeCmd {
    /// stdin: CPE 2.3 formatted strings, 2.2 URIs or WFNs; stdout: the name in a binding.
    Parse {
        /// The binding to write: fs, uri or wfn.
        #[arg(long, default_value = "fs", value_parser = parse_binding)]
        to: exposure::cpe::Binding,
    },
    /// stdin: SOURCE<TAB>TARGET; stdout: EQUAL, SUPERSET, SUBSET, DISJOINT or UNDEFINED.
    Compare,
    /// stdin: PUBLISHER<TAB>NAME<TAB>VERSION (a Windows Uninstall entry); stdout: what the
    /// entry is and the CPE name NVD would use for it, with the rule and score:
    /// KIND<TAB>KIND_RULE<TAB>CPE<TAB>CONFIDENCE<TAB>RULE<TAB>VERSION_RULE (`-` where there
    /// is none: updates, drivers, language packs and components are never named), or with
    /// `--format json` one JSON object per line with every candidate.
    Guess {
        /// NVD's CPE dictionary XML (.gz accepted): its names and titles are scored against.
        #[arg(long, value_name = "PATH")]
        dictionary: Option<PathBuf>,
        /// Knowledge (a snapshot or feeds, repeatable): the CPE names of its CVE
        /// configurations are scored against too.
        #[arg(long, value_name = "PATH")]
        kb: Vec<PathBuf>,
        /// `tsv` (the best candidate) or `json` (every candidate).
        #[arg(long, default_value = "tsv", value_parser = ["tsv", "json"])]
        format: String,
    },
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub(crate) enum CvssCmd {
    /// stdin: CVSS v2, v3.0, v3.1 or v4.0 vectors; stdout: SCORE<TAB>SEVERITY.
    Score,
}

/// `--input-limit SIZE`: bytes, or a number of KiB, MiB or GiB with `K`, `M` or `G`.
pub(crate) fn parse_limit(value: &str) -> Result<Limits, String> {
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
        .ok_or_else(|| format!("{value:?} is not a size (bytes, or 512K, 64M, 2G)"))
}

/// Now, in Unix seconds (the command reads the clock; the core never does).
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Today's date in UTC (the command reads the clock; the core never does).
pub(crate) fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_days_since_epoch(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// A day: `YYYY-MM-DD` or `today`.
fn parse_day(value: &str) -> Result<Date, String> {
    if value == "today" {
        return Ok(today());
    }
    value
        .parse()
        .map_err(|_| format!("{value:?} is not YYYY-MM-DD or today"))
}

fn parse_severity(value: &str) -> Result<Severity, String> {
    match Severity::from_word(value) {
        Some(s) if s != Severity::None => Ok(s),
        _ => Err(format!(
            "{value:?} is not a severity (critical, high, medium, low)"
        )),
    }
}

fn parse_probability(value: &str) -> Result<f64, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|p| (0.0..=1.0).contains(p))
        .ok_or_else(|| format!("{value:?} is not a probability from 0 to 1"))
}

fn parse_fail_on(value: &str) -> Result<FailOn, String> {
    value.parse()
}

fn parse_scheme(value: &str) -> Result<exposure::version::Scheme, String> {
    value
        .parse()
        .map_err(|e: exposure::version::UnknownScheme| e.to_string())
}

fn parse_conan_prereleases(value: &str) -> Result<exposure::range::ConanPrereleases, String> {
    exposure::range::ConanPrereleases::from_name(value)
        .ok_or_else(|| format!("unknown mode {value:?} (as-written, always or never)"))
}

fn parse_binding(value: &str) -> Result<exposure::cpe::Binding, String> {
    exposure::cpe::Binding::from_name(value)
        .ok_or_else(|| format!("unknown binding {value:?} (fs, uri or wfn)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(line: &str) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("exposure").chain(line.split_whitespace()))
    }

    #[test]
    fn the_definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    /// Every subcommand's about line and long about, as declared on its variant (and
    /// listed by its parent before its own arguments are defined), are the ones its deferred
    /// arguments leave once defined: a doc comment on an argument struct would replace them.
    #[test]
    fn deferred_arguments_keep_every_subcommands_about() {
        fn about(command: &clap::Command) -> String {
            format!("{:?} / {:?}", command.get_about(), command.get_long_about())
        }
        fn subcommands(command: &clap::Command) -> impl Iterator<Item = &clap::Command> {
            command
                .get_subcommands()
                .filter(|sub| sub.get_name() != "help")
        }
        let mut declared = Vec::new();
        let mut paths = vec![Vec::<String>::new()];
        while let Some(path) = paths.pop() {
            // Parsing the path defines the arguments along it, and no further.
            let mut command = Cli::command();
            let words = std::iter::once("exposure").chain(path.iter().map(String::as_str));
            let _ = command.try_get_matches_from_mut(words);
            let level = path.iter().fold(&command, |level, name| {
                level.find_subcommand(name).expect("a subcommand")
            });
            for sub in subcommands(level) {
                let mut child = path.clone();
                child.push(sub.get_name().to_owned());
                declared.push((child.join(" "), about(sub)));
                paths.push(child);
            }
        }
        let mut command = Cli::command();
        command.build();
        let mut built = Vec::new();
        let mut pending = vec![(String::new(), &command)];
        while let Some((path, level)) = pending.pop() {
            for sub in subcommands(level) {
                let path = format!("{path} {}", sub.get_name()).trim_start().to_owned();
                built.push((path.clone(), about(sub)));
                pending.push((path, sub));
            }
        }
        declared.sort();
        built.sort();
        assert!(declared.len() > 30, "{declared:?}");
        assert_eq!(declared, built);
    }

    #[test]
    fn path_flags_take_several_values() {
        let Command::Assess(a) =
            parse("assess --kb a b --inventory x --kb c --format json --allow-partial")
                .unwrap()
                .command
        else {
            panic!("assess")
        };
        assert!(a.inputs.allow_partial);
        assert_eq!(
            a.inputs.kb,
            [PathBuf::from("a"), PathBuf::from("b"), PathBuf::from("c")]
        );
        assert_eq!(a.inputs.inventory, [PathBuf::from("x")]);
        assert_eq!(a.format, AssessFormat::Json);
    }

    #[test]
    fn explain_takes_a_device_or_the_organisation() {
        let explain = |line: &str| match parse(line).map(|c| c.command) {
            Ok(Command::Explain(e)) => Ok(e),
            Ok(other) => panic!("{other:?}"),
            Err(e) => Err(e),
        };
        let e = explain("explain api-gw-01 --demo --format json").unwrap();
        assert_eq!(e.device_word.as_deref(), Some("api-gw-01"));
        assert!(e.inputs.demo && e.format == TextFormat::Json);
        assert_eq!(
            explain("explain --demo --device db-01")
                .unwrap()
                .device
                .as_deref(),
            Some("db-01")
        );
        assert!(
            explain("explain --organisation --demo")
                .unwrap()
                .organisation
        );
        assert!(explain("explain x --organisation --demo").is_err());
    }

    #[test]
    fn sizes_days_and_gates() {
        assert_eq!(parse_limit("1048576").map(|l| l.input_bytes), Ok(1 << 20));
        assert_eq!(parse_limit("64MiB").map(|l| l.input_bytes), Ok(64 << 20));
        assert!(parse_limit("big").is_err() && parse_limit("99999999999G").is_err());
        assert!(parse_day("2026-02-30").is_err());
        assert_eq!(parse_day("today"), Ok(today()));
        let Command::Assess(a) =
            parse("assess --demo --fail-on critical --severity high,critical --min-epss 0.1")
                .unwrap()
                .command
        else {
            panic!("assess")
        };
        assert_eq!(a.fail_on, Some(FailOn::Severity(Severity::Critical)));
        assert_eq!(
            a.filters.filter().severities,
            [Severity::High, Severity::Critical]
        );
        assert!(parse("assess --demo --min-epss 2").is_err());
        assert!(parse("assess --demo --fail-on sometimes").is_err());
        assert!(parse("assess --demo --ignore-unfixed --only-unfixed").is_err());
        assert!(
            parse("assess --demo --label x").is_err(),
            "--label needs --db"
        );
    }

    #[test]
    fn unknown_arguments_and_formats_are_errors() {
        for line in [
            "assess --demo --frob",
            "assess --demo --format xml",
            "frob",
            "version compare",
        ] {
            assert!(parse(line).is_err(), "{line}");
        }
        assert_eq!(
            parse("--version").unwrap_err().kind(),
            clap::error::ErrorKind::DisplayVersion
        );
        assert_eq!(
            parse("assess --help").unwrap_err().kind(),
            clap::error::ErrorKind::DisplayHelp
        );
    }
}
