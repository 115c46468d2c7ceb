//! Loading: every input told apart by its content in one table ([`Format`] for documents,
//! [`Container`] for snapshots and archives), files, directories and archive members walked
//! by one walker, and each document handed to its format's reader. Three verbs:
//! [`KnowledgeBase::load_path`] (a file, directory or archive), [`KnowledgeBase::load_reader`]
//! (a stream: NVD feeds are read record by record) and [`KnowledgeBase::load_text`] (a
//! document in memory). Every one returns a [`LoadReport`].

use super::metadata::Dates;
use super::store::KnowledgeBase;
use super::{
    alpine, csaf, cve5, mfsa, nodejs, nvd, osv, rubysec, snapshot, vex, SnapshotError, ThreatIntel,
};
use crate::files::{self, Bounded, InputError, Limits};
use crate::load_report::{Consequence, LoadReport, Problem};
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

/// A whole input could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KbError {
    /// The file is a snapshot that cannot be used (other format version, truncated,
    /// corrupted).
    #[error("{path}: {source}")]
    Snapshot {
        /// The path (or origin name).
        path: PathBuf,
        /// What is wrong with it.
        source: SnapshotError,
    },
    /// The input could not be read, decompressed or decoded as text.
    #[error("cannot read {path}: {source}")]
    Input {
        /// The path (or origin name).
        path: PathBuf,
        /// What failed.
        source: InputError,
    },
}

impl KbError {
    pub(crate) fn input(origin: &str, source: impl Into<InputError>) -> Self {
        KbError::Input {
            path: origin.into(),
            source: source.into(),
        }
    }
}

/// A document format the knowledge base reads, told apart by content ([`Format::sniff`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// An NVD JSON 1.1 feed or API 2.0 response (streamed record by record).
    Nvd,
    /// A CISA KEV catalog (JSON or CSV) or EPSS scores (CSV or JSON).
    Threat,
    /// A CVE JSON 5 record.
    Cve5,
    /// VEX: OpenVEX, CycloneDX VEX or CSAF (a CSAF security advisory also states what each
    /// CVE affects).
    Vex,
    /// An Alpine secdb document.
    Alpine,
    /// A Node.js security working group record (`vuln/npm`, `vuln/core`, `vuln/deps`) or a
    /// directory's `index.json` of them.
    NodeJs,
    /// A RubySec advisory (`ruby-advisory-db`, YAML).
    RubySec,
    /// A Mozilla Foundation Security Advisory in YAML.
    Mfsa,
    /// OSV records in YAML (as the PyPA database ships them).
    OsvYaml,
    /// OSV records in JSON: one record or an array.
    OsvJson,
}

/// A test of whether a document looks like one format: `(head, text, name)`, where `head` is
/// the document's first kilobytes and `name` its file name (YAML is told by its extension).
type LooksLike = fn(&str, &str, &str) -> bool;

/// What each format looks like, in the order formats are tried; OSV JSON is what is left.
const SNIFFERS: [(Format, LooksLike); 9] = [
    (Format::Nvd, |head, _, _| nvd::recognizes(head)),
    (Format::Threat, |_, text, _| ThreatIntel::recognizes(text)),
    (Format::Cve5, |_, text, _| cve5::recognizes(text)),
    (Format::Vex, |head, text, _| vex::maybe(head, text)),
    (Format::Alpine, |head, _, _| alpine::recognizes(head)),
    (Format::NodeJs, |head, _, _| nodejs::recognizes(head)),
    (Format::RubySec, |head, _, name| {
        has_yaml_extension(name) && rubysec::recognizes(head)
    }),
    (Format::Mfsa, |head, _, name| {
        has_yaml_extension(name) && mfsa::recognizes(head)
    }),
    (Format::OsvYaml, |_, _, name| has_yaml_extension(name)),
];

impl Format {
    /// The format of a document, told by its content (and, for YAML, its name).
    ///
    /// ```
    /// use exposure::kb::Format;
    /// assert_eq!(Format::sniff(r#"{"CVE_data_type": "CVE", "CVE_Items": []}"#, "x.json"), Format::Nvd);
    /// assert_eq!(Format::sniff("cveID,vendorProject,product,dateAdded\n", "kev.csv"), Format::Threat);
    /// assert_eq!(Format::sniff("id: PYSEC-2021-1\n", "PYSEC-2021-1.yaml"), Format::OsvYaml);
    /// assert_eq!(Format::sniff(r#"{"id": 1, "module_name": "x", "vulnerable_versions": "<1"}"#, "1.json"), Format::NodeJs);
    /// assert_eq!(Format::sniff("gem: rack\ncve: 2020-8161\ntitle: t\n", "CVE-2020-8161.yml"), Format::RubySec);
    /// assert_eq!(Format::sniff("announced: May 1, 2024\nfixed_in:\n- Firefox 125\n", "mfsa2024-20.yml"), Format::Mfsa);
    /// assert_eq!(Format::sniff(r#"{"id": "GO-2020-0001"}"#, "GO-2020-0001.json"), Format::OsvJson);
    /// ```
    pub fn sniff(text: &str, name: &str) -> Format {
        let head = files::head(text, 4096);
        SNIFFERS
            .iter()
            .find(|(_, looks)| looks(head, text, name))
            .map_or(Format::OsvJson, |&(format, _)| format)
    }
}

impl Format {
    /// The format's name in [`SourceInfo::format`](super::SourceInfo::format).
    ///
    /// ```
    /// assert_eq!(exposure::kb::Format::OsvYaml.name(), "OSV");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Format::Nvd => "NVD",
            Format::Threat => "KEV/EPSS",
            Format::Cve5 => "CVE 5",
            Format::Vex => "VEX",
            Format::Alpine => "Alpine secdb",
            Format::NodeJs => "Node.js",
            Format::RubySec => "RubySec",
            Format::Mfsa => "MFSA",
            Format::OsvYaml | Format::OsvJson => "OSV",
        }
    }

    /// The keys of the format's record dates and of its feed timestamp (NVD feeds are read
    /// apart, record by record).
    pub(super) fn date_keys(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Format::Nvd => (&[], &["CVE_data_timestamp", "timestamp"]),
            Format::Threat => (&["dateAdded"], &["dateReleased", "score_date"]),
            Format::Cve5 => (&["dateUpdated", "datePublished"], &[]),
            Format::Vex => (&["last_updated"], &["current_release_date", "timestamp"]),
            Format::Alpine | Format::Mfsa => (&[], &[]),
            Format::NodeJs => (&["updated_at", "created_at"], &[]),
            Format::RubySec => (&["date"], &[]),
            Format::OsvYaml | Format::OsvJson => (&["modified", "published"], &[]),
        }
    }
}

fn has_yaml_extension(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Inputs that hold documents rather than being one, told apart by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    /// A compiled knowledge base.
    Snapshot,
    /// A zip archive (osv.dev ships each ecosystem as one).
    Zip,
    /// A tar archive (its gzip already undone).
    Tar,
}

impl Container {
    fn sniff(bytes: &[u8]) -> Option<Container> {
        if snapshot::is_snapshot(bytes) {
            Some(Container::Snapshot)
        } else if bytes.starts_with(b"PK\x03\x04") {
            Some(Container::Zip)
        } else if bytes.len() > 262 && &bytes[257..262] == b"ustar" {
            Some(Container::Tar)
        } else {
            None
        }
    }
}

/// Whether an archive member or file name is a document the knowledge base reads.
fn is_document_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".json", ".yaml", ".yml", ".csv"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Whether a file found in a directory is read: a document or an archive.
fn is_input_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    is_document_name(&lower)
        || [".zip", ".tar", ".tgz", ".gz"]
            .iter()
            .any(|e| lower.ends_with(e))
}

/// The files below `root` that [`KnowledgeBase::load_path`] reads, sorted (so that merging
/// is deterministic), with a problem in `report` for each entry left out. The walk ends on any
/// tree:
/// - every real directory is walked once (known by device and inode; by canonical path where
///   there are no inodes);
/// - a symbolic link, to a file or a directory, is followed only when what it points to was
///   not met already; links are followed after the real entries, in sorted order, so that what
///   is met both ways is read under its real path (a link to a directory that is walked
///   already, such as `ln -s . self`, is a problem, as is a link to nothing);
/// - FIFOs, sockets and devices are left out with a problem (reading one would block or
///   never end);
/// - a subdirectory that cannot be read is a problem naming it, and the rest is read; only
///   `root` itself is an error.
fn input_files(root: &Path, report: &mut LoadReport) -> std::io::Result<Vec<PathBuf>> {
    let mut seen = std::collections::HashSet::new();
    seen.insert(identity(root, &std::fs::metadata(root)?));
    let mut files = Vec::new();
    let mut dirs = vec![root.to_owned()];
    let mut links = std::collections::BTreeSet::new();
    let mut skip = |path: &Path, message: String| {
        report.problem(Problem::skipped_input(&path.display().to_string(), message));
    };
    loop {
        while let Some(dir) = dirs.pop() {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if dir == root => return Err(e),
                Err(e) => {
                    skip(&dir, format!("cannot read directory: {e}"));
                    continue;
                }
            };
            for entry in entries {
                let (path, meta) = match entry.and_then(|e| Ok((e.path(), e.metadata()?))) {
                    Ok(found) => found,
                    Err(e) => {
                        skip(&dir, format!("cannot read an entry: {e}"));
                        continue;
                    }
                };
                let kind = meta.file_type();
                if kind.is_symlink() {
                    links.insert(path);
                } else if kind.is_dir() {
                    if seen.insert(identity(&path, &meta)) {
                        dirs.push(path);
                    }
                } else if take_file(&path, kind, &mut skip) {
                    seen.insert(identity(&path, &meta));
                    files.push(path);
                }
            }
        }
        let Some(link) = links.pop_first() else {
            break;
        };
        let meta = match std::fs::metadata(&link) {
            Ok(meta) => meta,
            Err(e) => {
                skip(&link, format!("a symbolic link to nothing readable: {e}"));
                continue;
            }
        };
        if !meta.is_dir() && !is_input_name(&link.display().to_string()) {
            continue;
        }
        if !seen.insert(identity(&link, &meta)) {
            let target = std::fs::read_link(&link).unwrap_or_default();
            let message = format!(
                "a symbolic link to {}, which is read already",
                target.display()
            );
            skip(&link, message);
        } else if meta.is_dir() {
            dirs.push(link);
        } else if take_file(&link, meta.file_type(), &mut skip) {
            files.push(link);
        }
    }
    files.sort();
    Ok(files)
}

/// Whether a file met by the walk is read: its name is an input's and it is a regular file;
/// a FIFO, socket or device with such a name is a problem.
fn take_file(path: &Path, kind: std::fs::FileType, skip: &mut dyn FnMut(&Path, String)) -> bool {
    if !is_input_name(&path.display().to_string()) {
        return false;
    }
    if !kind.is_file() {
        skip(path, format!("{}, not a regular file", special_kind(kind)));
    }
    kind.is_file()
}

/// What a file that is neither regular, a directory nor a link is.
fn special_kind(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        } else if kind.is_socket() {
            return "a socket";
        } else if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    let _ = kind;
    "a special file"
}

/// What a file or directory is, whatever the path it is reached by: its device and inode.
#[cfg(unix)]
fn identity(_: &Path, meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// What a file or directory is, whatever the path it is reached by: its canonical path.
#[cfg(not(unix))]
fn identity(path: &Path, _: &std::fs::Metadata) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// One member of an archive, as the walker meets it.
enum Member {
    /// A document: its name (`archive!member`) and text.
    Document { name: String, text: String },
    /// A document that could not be read: its name and why.
    Unreadable { name: String, error: String },
    /// The archive itself is damaged here.
    Broken(Problem),
}

/// Every document member of a zip or tar archive, in archive order, to `visit`; a member that
/// holds more than `limits` allow once decompressed is unreadable.
fn walk_archive(
    container: Container,
    bytes: &[u8],
    origin: &str,
    limits: Limits,
    visit: &mut dyn FnMut(Member),
) {
    let broken = |message: String, field: &str| {
        Member::Broken(Problem::new(
            origin,
            None,
            field,
            message,
            Consequence::Skipped,
        ))
    };
    let read = |name: String, reader: &mut dyn Read| {
        let mut text = String::new();
        match limits.bound(reader, &name).read_to_string(&mut text) {
            Ok(_) => Member::Document { name, text },
            Err(e) => Member::Unreadable {
                name,
                error: InputError::from(e).to_string(),
            },
        }
    };
    match container {
        Container::Zip => {
            let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
                Ok(a) => a,
                Err(e) => return visit(broken(format!("not a zip archive: {e}"), "")),
            };
            for index in 0..archive.len() {
                match archive.by_index(index) {
                    Ok(mut member) => {
                        if member.is_dir() || !is_document_name(member.name()) {
                            continue;
                        }
                        let name = format!("{origin}!{}", member.name());
                        visit(read(name, &mut member));
                    }
                    Err(e) => visit(broken(e.to_string(), &format!("member {index}"))),
                }
            }
        }
        Container::Tar => {
            let mut archive = tar::Archive::new(bytes);
            let entries = match archive.entries() {
                Ok(e) => e,
                Err(e) => return visit(broken(format!("not a tar archive: {e}"), "")),
            };
            for entry in entries {
                let mut entry = match entry {
                    Ok(e) => e,
                    Err(e) => return visit(broken(format!("tar entry: {e}"), "")),
                };
                let member = entry
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                if !entry.header().entry_type().is_file() || !is_document_name(&member) {
                    continue;
                }
                visit(read(format!("{origin}!{member}"), &mut entry));
            }
        }
        Container::Snapshot => {}
    }
}

impl KnowledgeBase {
    /// Sets how much one input may hold when this knowledge base loads it (the default is
    /// [`Limits::default`]): every file, stream, document and archive member loaded after.
    ///
    /// ```
    /// use exposure::{files::Limits, kb::KnowledgeBase};
    /// let mut kb = KnowledgeBase::new();
    /// kb.set_limits(Limits { input_bytes: 16 });
    /// let report = kb.load_text(r#"{"id": "GO-2022-0493", "aliases": ["CVE-2022-29526"]}"#, "go.json");
    /// assert_eq!((report.records_skipped, kb.len()), (1, 0));
    /// assert!(report.problems[0].message.contains("more than 16 bytes"));
    /// assert_eq!(kb.limits(), Limits { input_bytes: 16 });
    /// ```
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// How much one input may hold when this knowledge base loads it.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Loads any input this knowledge base reads, told apart by content (gzip undone):
    /// - an NVD JSON 1.1 feed or API 2.0 response (streamed);
    /// - a CVE JSON 5 record;
    /// - a CISA KEV catalog or EPSS scores (JSON or CSV) into the [threat
    ///   intelligence](Self::threat);
    /// - OSV records: JSON, or YAML (`.yaml`/`.yml`, as the PyPA database ships them);
    /// - Alpine secdb; VEX (OpenVEX, CycloneDX, CSAF);
    /// - the vendors' own advisories: the Node.js security working group's JSON records,
    ///   RubySec's YAML records, Mozilla's MFSA YAML;
    /// - a snapshot written by [`KnowledgeBase::save_snapshot`];
    /// - an archive of any of these: a zip (as osv.dev ships each ecosystem) or a tar, gzipped
    ///   or not;
    /// - a directory: every `.json`, `.yaml`, `.yml`, `.csv`, `.zip`, `.tar`, `.tgz` and
    ///   `.gz` file below it, in sorted order (so merging is deterministic). Each real
    ///   directory is walked once and a symbolic link followed only to what was not met
    ///   already; FIFOs, sockets and devices are left out, and a subdirectory that cannot be
    ///   read is a problem naming it (the rest is read).
    ///
    /// Every input and archive member is read up to the [limits](Self::set_limits): one that
    /// holds more once decompressed is an [`InputError::TooLarge`], and binary data (a NUL
    /// byte in the first kilobytes of what is not an archive or snapshot) is rejected from
    /// its head. A member or file that cannot be read is a problem in the report; a path that
    /// cannot be read at all is an error.
    pub fn load_path(&mut self, path: &Path) -> Result<LoadReport, KbError> {
        let origin = path.display().to_string();
        self.as_source(&origin, |kb| kb.load_path_within(path, &origin))
    }

    /// Runs one load with `origin` as the source of what it reads, unless a load that
    /// encloses it named the source already.
    fn as_source<T>(&mut self, origin: &str, load: impl FnOnce(&mut Self) -> T) -> T {
        if self.loading.is_some() {
            return load(self);
        }
        self.loading = Some(origin.to_owned());
        let out = load(self);
        self.loading = None;
        out
    }

    /// Records what one document brought (see [`KnowledgeBase::metadata`]).
    fn note(&mut self, format: Format, origin: &str, records: usize, dates: &Dates) {
        let source = self.loading.clone().unwrap_or_else(|| origin.to_owned());
        self.metadata.note(&source, format.name(), records, dates);
    }

    /// Adds a snapshot opened from `origin` (see [`KnowledgeBase::absorb`]: moved in whole,
    /// still opened lazily, when this knowledge base holds nothing).
    fn absorb_snapshot(
        &mut self,
        opened: Result<KnowledgeBase, SnapshotError>,
        origin: &str,
    ) -> Result<LoadReport, KbError> {
        let other = opened.map_err(|e| KbError::Snapshot {
            path: origin.into(),
            source: e,
        })?;
        let records = other.len();
        let replaced = self.absorb(other);
        Ok(LoadReport {
            files: 1,
            records_read: records,
            records_loaded: records,
            records_replaced: replaced,
            ..LoadReport::default()
        })
    }

    fn load_path_within(&mut self, path: &Path, origin: &str) -> Result<LoadReport, KbError> {
        let origin = origin.to_owned();
        if !path.is_dir() {
            if let Some(opened) = snapshot::open_if_snapshot(path, self.limits) {
                return self.absorb_snapshot(opened, &origin);
            }
            let reader = files::open_unbounded(path).map_err(|e| KbError::input(&origin, e))?;
            return self.load_reader(reader, &origin);
        }
        let mut report = LoadReport::default();
        for file in input_files(path, &mut report).map_err(|e| KbError::input(&origin, e))? {
            match self.load_path(&file) {
                Ok(r) => report.absorb(r),
                Err(e) => {
                    report.files += 1;
                    report.problem(Problem::skipped_input(
                        &file.display().to_string(),
                        e.to_string(),
                    ));
                }
            }
        }
        Ok(report)
    }

    /// Loads one input from a reader (its gzip already undone, see
    /// [`files::open`](crate::files::open)): an NVD feed is read record by record; anything
    /// else is read whole and told apart as [`KnowledgeBase::load_path`] tells files apart.
    /// At most the [limit](Self::set_limits) is read: an input that holds more is an
    /// [`InputError::TooLarge`] and leaves nothing in the knowledge base. `origin` names the
    /// input in problems.
    ///
    /// ```
    /// use exposure::kb::KnowledgeBase;
    /// let mut kb = KnowledgeBase::new();
    /// let feed = r#"{"CVE_data_type": "CVE", "CVE_Items": [{"cve": {"CVE_data_meta": {"ID": "CVE-2017-0001"}}}]}"#;
    /// let report = kb.load_reader(feed.as_bytes(), "nvd.json")?;
    /// assert_eq!(report.records_loaded, 1);
    /// # Ok::<(), exposure::kb::KbError>(())
    /// ```
    pub fn load_reader(
        &mut self,
        reader: impl BufRead,
        origin: &str,
    ) -> Result<LoadReport, KbError> {
        self.as_source(origin, |kb| kb.load_reader_within(reader, origin))
    }

    fn load_reader_within(
        &mut self,
        reader: impl BufRead,
        origin: &str,
    ) -> Result<LoadReport, KbError> {
        let mut reader = self.limits.bound(reader, origin);
        let head = reader.fill_buf().map_err(|e| KbError::input(origin, e))?;
        let head = String::from_utf8_lossy(&head[..head.len().min(files::HEAD)]).into_owned();
        if nvd::recognizes(&head) {
            return self.load_nvd(reader, origin, &head);
        }
        let mut bytes = files::read_head(&mut reader).map_err(|e| KbError::input(origin, e))?;
        let container = Container::sniff(&bytes);
        if container.is_none() {
            files::head_text(&bytes).map_err(|e| KbError::input(origin, e))?;
        }
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| KbError::input(origin, e))?;
        match container {
            Some(Container::Snapshot) => {
                let opened = KnowledgeBase::open_snapshot(std::sync::Arc::new(bytes));
                self.absorb_snapshot(opened, origin)
            }
            Some(container) => {
                let mut report = LoadReport::default();
                let limits = self.limits;
                walk_archive(
                    container,
                    &bytes,
                    origin,
                    limits,
                    &mut |member| match member {
                        Member::Document { name, text } => {
                            report.absorb(self.load_text(&text, &name));
                        }
                        Member::Unreadable { name, error } => {
                            report.files += 1;
                            report.problem(Problem::skipped_input(&name, error));
                        }
                        Member::Broken(problem) => report.problem(problem),
                    },
                );
                Ok(report)
            }
            None => {
                let text = files::decode_text(bytes).map_err(|e| KbError::input(origin, e))?;
                Ok(self.load_text(&text, origin))
            }
        }
    }

    /// Loads one document of text, its format told apart by content ([`Format::sniff`]).
    /// `origin` names the input in problems.
    ///
    /// ```
    /// use exposure::kb::KnowledgeBase;
    /// let mut kb = KnowledgeBase::new();
    /// kb.load_text(r#"{"id": "GO-2022-0493", "aliases": ["CVE-2022-29526"]}"#, "go.json");
    /// kb.load_text("cve,epss,percentile\nCVE-2022-29526,0.00043,0.0853\n", "epss.csv");
    /// assert_eq!(kb.len(), 1);
    /// assert_eq!(kb.threat().epss("CVE-2022-29526").map(|s| s.probability), Some(0.00043));
    /// ```
    pub fn load_text(&mut self, text: &str, origin: &str) -> LoadReport {
        self.as_source(origin, |kb| kb.load_text_within(text, origin))
    }

    fn load_text_within(&mut self, text: &str, origin: &str) -> LoadReport {
        if let Some(report) = self.beyond_limits(text, origin) {
            return report;
        }
        let head = files::head(text, files::HEAD);
        // A format that looked right but declines the document (JSON mentioning OpenVEX that
        // is no VEX) passes it on to the next that looks right.
        for (format, looks) in SNIFFERS {
            if looks(head, text, origin) {
                if let Some(report) = self.read_as(format, text, origin) {
                    return report;
                }
            }
        }
        self.load_text_as(Format::OsvJson, text, origin)
    }

    /// Loads one document of text in the given format. `origin` names the input in problems.
    ///
    /// ```
    /// use exposure::kb::{Format, KnowledgeBase};
    /// let mut kb = KnowledgeBase::new();
    /// let report = kb.load_text_as(Format::Vex, r#"{"id": "GO-2022-0493"}"#, "x.json");
    /// assert_eq!((report.records_skipped, kb.len()), (1, 0));
    /// ```
    pub fn load_text_as(&mut self, format: Format, text: &str, origin: &str) -> LoadReport {
        self.as_source(origin, |kb| kb.load_text_as_within(format, text, origin))
    }

    fn load_text_as_within(&mut self, format: Format, text: &str, origin: &str) -> LoadReport {
        if let Some(report) = self.beyond_limits(text, origin) {
            return report;
        }
        self.read_as(format, text, origin).unwrap_or_else(|| {
            let mut report = LoadReport::one_file();
            report.document_skipped(origin, format!("not a {format:?} document"));
            report
        })
    }

    /// The report of a document of text larger than the limits allow (one record skipped,
    /// its problem the [`InputError::TooLarge`]); `None` for a document within them.
    fn beyond_limits(&self, text: &str, origin: &str) -> Option<LoadReport> {
        let error = self.limits.check(text.len(), origin).err()?;
        let mut report = LoadReport::one_file();
        report.document_skipped(origin, error.to_string());
        Some(report)
    }

    /// Reads a document as `format`; `None` when the format declines it (VEX and the Node.js
    /// working group's records: their tests are guesses until the JSON is read).
    fn read_as(&mut self, format: Format, text: &str, origin: &str) -> Option<LoadReport> {
        let report = self.read_document(format, text, origin)?;
        if format != Format::Nvd {
            let (records, feed) = format.date_keys();
            let dates = Dates::scan(text, records, feed);
            self.note(format, origin, report.records_loaded, &dates);
        }
        Some(report)
    }

    /// Reads a document as `format` (see [`KnowledgeBase::read_as`]).
    fn read_document(&mut self, format: Format, text: &str, origin: &str) -> Option<LoadReport> {
        let mut report = LoadReport::one_file();
        match format {
            Format::Nvd => {
                // Within the limits already (`beyond_limits`), so never cut.
                let reader = self.limits.bound(text.as_bytes(), origin);
                let head = files::head(text, files::HEAD);
                return Some(self.load_nvd(reader, origin, head).unwrap_or_else(|e| {
                    report.document_skipped(origin, e.to_string());
                    report
                }));
            }
            Format::Threat => return Some(self.threat.load_text(text, origin)),
            Format::Vex => return self.load_vex(text, origin),
            Format::Cve5 => {
                if let Some((advisory, statement)) = cve5::parse(text, origin, &mut report) {
                    report.records_replaced += usize::from(self.insert_cve5(advisory, statement));
                }
            }
            Format::Alpine => {
                for advisory in alpine::parse(text, origin, &mut report) {
                    self.insert(advisory);
                }
            }
            Format::NodeJs => {
                let records = nodejs::parse(text, origin, &mut report)?;
                for (advisory, statement) in records.advisories {
                    report.records_replaced += usize::from(self.insert_vendor(advisory, statement));
                }
                for statement in records.statements {
                    self.vex.add(statement);
                }
            }
            Format::RubySec => {
                if let Some((advisory, statement)) = rubysec::parse(text, origin, &mut report) {
                    report.records_replaced += usize::from(self.insert_vendor(advisory, statement));
                }
            }
            Format::Mfsa => {
                for (advisory, statement) in mfsa::parse(text, origin, &mut report) {
                    report.records_replaced += usize::from(self.insert_vendor(advisory, statement));
                }
            }
            Format::OsvYaml => {
                let advisories = osv::parse_yaml(text, origin, &mut report);
                self.insert_counted(advisories, &mut report);
            }
            Format::OsvJson => {
                let advisories = osv::parse_document(text, origin, &mut report);
                self.insert_counted(advisories, &mut report);
            }
        }
        Some(report)
    }

    /// Inserts advisories, counting those merged into earlier ones.
    fn insert_counted(&mut self, advisories: Vec<super::Advisory>, report: &mut LoadReport) {
        for advisory in advisories {
            report.records_replaced += usize::from(self.insert(advisory));
        }
    }

    /// Reads an NVD feed or response record by record. Its records are inserted once the
    /// whole input is read, so that one cut at the size limit (an error) leaves nothing behind.
    fn load_nvd<R: Read>(
        &mut self,
        mut reader: Bounded<R>,
        origin: &str,
        head: &str,
    ) -> Result<LoadReport, KbError> {
        let mut report = LoadReport::one_file();
        let mut records = Vec::new();
        let (_, feed) = Format::Nvd.date_keys();
        let mut dates = Dates::scan(head, &[], feed);
        nvd::stream(
            &mut reader,
            origin,
            &mut report,
            &mut dates.newest_record,
            &mut |r| records.push(r),
        );
        if reader.exceeded() {
            return Err(KbError::input(origin, self.limits.too_large(origin)));
        }
        self.note(Format::Nvd, origin, records.len(), &dates);
        for record in records {
            report.records_replaced += usize::from(self.insert_nvd(record));
        }
        Ok(report)
    }

    /// Loads a VEX document (OpenVEX, CycloneDX VEX, CSAF) when the text is one; `None`
    /// otherwise.
    fn load_vex(&mut self, text: &str, origin: &str) -> Option<LoadReport> {
        let document: serde_json::Value = serde_json::from_str(text).ok()?;
        let mut report = vex::recognizes(&document)
            .then(|| self.vex.load(&document, origin))
            .flatten()?;
        if csaf::is_advisory(&document) {
            // A security advisory is also a statement of what each CVE affects.
            let mut advisories = LoadReport::default();
            let parsed = csaf::parse(&document, origin, &mut advisories);
            self.insert_counted(parsed, &mut advisories);
            report.records_replaced += advisories.records_replaced;
            report.problem_count += advisories.problem_count;
            report.problems.extend(advisories.problems);
        }
        Some(report)
    }
}
