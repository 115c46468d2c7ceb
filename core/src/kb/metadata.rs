//! Knowledge-base metadata: when a knowledge base was built, from which sources, each source's
//! newest record date and its own feed timestamp, and from these how old the knowledge is.
//!
//! Dates are read as the feeds write them (ISO 8601: `2024-05-01`, `2024-05-01T12:00:00Z`,
//! `2024-05-01T12:00:00.000+02:00`) and kept as text; they are compared as instants (an
//! offset is applied, a date without a time is its midnight UTC). The library never reads the
//! clock: the caller passes "now" as Unix seconds ([`KbMetadata::age`]) and the build time
//! ([`KnowledgeBase::set_built_at`](super::KnowledgeBase::set_built_at)).
//!
//! The age of the knowledge is `now` minus its *as-of* instant ([`KbMetadata::as_of`]): the
//! newest of the sources' dates, where a source's date is its feed timestamp when the feed has
//! one and the newest date of its records otherwise; when no source has a date, the build time;
//! when neither is known, the age is unknown (which callers report as a warning, never as
//! fresh).

use serde::{Deserialize, Serialize};

/// One source a knowledge base was loaded from: a top-level input (a file, directory or
/// archive) and one format found in it.
///
/// ```
/// use exposure::kb::KnowledgeBase;
/// let mut kb = KnowledgeBase::new();
/// kb.load_text(r#"{"id": "GO-2022-0493", "modified": "2024-05-01T00:00:00Z"}"#, "go.json");
/// let source = &kb.metadata().sources[0];
/// assert_eq!((source.source.as_str(), source.format.as_str()), ("go.json", "OSV"));
/// assert_eq!(source.newest_record.as_deref(), Some("2024-05-01T00:00:00Z"));
/// assert_eq!(source.as_of(), Some("2024-05-01T00:00:00Z"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SourceInfo {
    /// The input as it was named when loaded (a path, or the origin given with text).
    pub source: String,
    /// The format read from it (`NVD`, `OSV`, `CVE 5`, `KEV/EPSS`, `VEX`, …).
    pub format: String,
    /// Documents of this format read from the input.
    pub documents: usize,
    /// Records loaded from them.
    pub records: usize,
    /// The newest modified or published date among the records, as written.
    pub newest_record: Option<String>,
    /// The feed's own timestamp (NVD `CVE_data_timestamp` or `timestamp`, KEV `dateReleased`,
    /// EPSS `score_date`, CSAF `current_release_date`, OpenVEX `timestamp`), the newest when
    /// several documents have one.
    pub feed_timestamp: Option<String>,
}

impl SourceInfo {
    /// The date this source's knowledge is as of: its feed timestamp, else its newest record
    /// date.
    ///
    /// ```
    /// let mut source = exposure::kb::SourceInfo::default();
    /// assert_eq!(source.as_of(), None);
    /// source.newest_record = Some("2024-01-01".into());
    /// assert_eq!(source.as_of(), Some("2024-01-01"));
    /// ```
    pub fn as_of(&self) -> Option<&str> {
        self.feed_timestamp
            .as_deref()
            .or(self.newest_record.as_deref())
    }

    /// What one document of `format` read from `source` adds to its source, `records` of its
    /// records loaded: one document and its dates, as loading notes them. With
    /// [`SourceInfo::absorb`], a caller that keeps each document's share (an update's mirror)
    /// sums a source without loading it again.
    ///
    /// ```
    /// use exposure::kb::{Format, KnowledgeBase, SourceInfo};
    /// let text = r#"{"id": "GO-1", "modified": "2024-05-01T00:00:00Z"}"#;
    /// let mut kb = KnowledgeBase::new();
    /// let report = kb.load_text_as(Format::OsvJson, text, "go");
    /// let share = SourceInfo::of_document("go", Format::OsvJson, text, report.records_loaded);
    /// assert_eq!(kb.metadata().sources, [share]);
    /// ```
    pub fn of_document(
        source: &str,
        format: super::Format,
        text: &str,
        records: usize,
    ) -> SourceInfo {
        let (record_keys, feed_keys) = format.date_keys();
        let dates = Dates::scan(text, record_keys, feed_keys);
        SourceInfo {
            source: source.to_owned(),
            format: format.name().to_owned(),
            documents: 1,
            records,
            newest_record: dates.newest_record,
            feed_timestamp: dates.feed_timestamp,
        }
    }

    /// Adds another share of the same source: its documents and records, and its dates
    /// where they are newer (an earlier date of the same instant is kept, as loading keeps
    /// it).
    ///
    /// ```
    /// use exposure::kb::{Format, SourceInfo};
    /// let mut sum = SourceInfo::of_document("go", Format::OsvJson, r#"{"modified": "2024-01-01"}"#, 1);
    /// sum.absorb(&SourceInfo::of_document("go", Format::OsvJson, r#"{"modified": "2024-03-01"}"#, 1));
    /// assert_eq!((sum.documents, sum.records), (2, 2));
    /// assert_eq!(sum.newest_record.as_deref(), Some("2024-03-01"));
    /// ```
    pub fn absorb(&mut self, other: &SourceInfo) {
        self.documents += other.documents;
        self.records += other.records;
        newest(&mut self.newest_record, other.newest_record.as_deref());
        newest(&mut self.feed_timestamp, other.feed_timestamp.as_deref());
    }
}

/// What a knowledge base knows about its own making (saved in snapshots).
///
/// ```
/// use exposure::kb::KnowledgeBase;
/// let mut kb = KnowledgeBase::new();
/// kb.load_text(r#"{"id": "GO-1", "modified": "2021-12-10T00:00:00Z"}"#, "go.json");
/// kb.set_built_at(1_700_000_000);
/// let metadata = kb.metadata();
/// assert_eq!(metadata.built_at.as_deref(), Some("2023-11-14T22:13:20Z"));
/// // The sources' newest date, not the build time.
/// assert_eq!(metadata.as_of(), Some("2021-12-10T00:00:00Z"));
/// // Two days after the newest date.
/// let now = exposure::kb::unix_seconds("2021-12-12").unwrap();
/// assert_eq!(metadata.age(now), Some(2 * 86_400));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KbMetadata {
    /// When the knowledge base was built (`kb build`), UTC, RFC 3339; `None` when never set.
    pub built_at: Option<String>,
    /// The sources, in load order.
    pub sources: Vec<SourceInfo>,
}

impl KbMetadata {
    /// The instant the knowledge is as of: the newest of the sources' dates
    /// ([`SourceInfo::as_of`]), else the build time; `None` when neither is known.
    pub fn as_of(&self) -> Option<&str> {
        self.sources
            .iter()
            .filter_map(SourceInfo::as_of)
            .filter_map(|d| Some((unix_seconds(d)?, d)))
            .max_by_key(|&(at, _)| at)
            .map(|(_, d)| d)
            .or_else(|| {
                self.built_at
                    .as_deref()
                    .filter(|d| unix_seconds(d).is_some())
            })
    }

    /// How old the knowledge is at `now` (Unix seconds): `now` minus [`as_of`](Self::as_of),
    /// in seconds (negative for dates in the future); `None` when the age is unknown.
    pub fn age(&self, now: i64) -> Option<i64> {
        Some(now.saturating_sub(unix_seconds(self.as_of()?)?))
    }

    /// Whether the knowledge is older than `max_age` seconds at `now`: `Some(warning)` when it
    /// is, or when its age is unknown (fail closed); `None` when it is fresh.
    ///
    /// ```
    /// let metadata = exposure::kb::KbMetadata::default();
    /// assert!(metadata.staleness(0, 86_400).unwrap().contains("unknown"));
    /// ```
    pub fn staleness(&self, now: i64, max_age: u64) -> Option<String> {
        let Some(age) = self.age(now) else {
            return Some(
                "the knowledge base's age is unknown (no source date and no build time): \
                 rebuild it with `exposure kb build`"
                    .to_owned(),
            );
        };
        let max = i64::try_from(max_age).unwrap_or(i64::MAX);
        (age > max).then(|| {
            format!(
                "the knowledge base is {} old (as of {}), more than the {} allowed: update the feeds and rebuild it",
                format_duration(age.unsigned_abs()),
                self.as_of().unwrap_or("?"),
                format_duration(max_age)
            )
        })
    }

    /// The age check of an assessment ([`crate::assess::AssessInputs::kb_age_check`]): the
    /// knowledge's dates, its age at `check.now` and the warning when it is older than
    /// `check.max_age` or of unknown age.
    ///
    /// ```
    /// use exposure::kb::{KbAgeCheck, KnowledgeBase};
    /// let mut kb = KnowledgeBase::new();
    /// kb.set_built_at(1_000_000);
    /// let age = kb.metadata().age_check(KbAgeCheck { now: 1_000_000 + 90_000, max_age: 86_400 });
    /// assert_eq!(age.age_seconds, Some(90_000));
    /// assert!(age.warning.is_some_and(|w| w.contains("1d 1h old")));
    /// ```
    pub fn age_check(&self, check: KbAgeCheck) -> KnowledgeAge {
        let stale_sources = self.stale_sources(check.now, check.max_age);
        let warning = self.staleness(check.now, check.max_age).or_else(|| {
            let first = stale_sources.first()?;
            let others = match stale_sources.len() {
                1 => String::new(),
                2 => " and one other feed".to_owned(),
                n => format!(" and {} other feeds", n - 1),
            };
            Some(format!(
                "the {} feed {} is {} old (as of {}){others}, more than the {} allowed, beside \
                 fresher sources: update it and rebuild the knowledge base",
                first.format,
                first.source,
                format_duration(first.age_seconds.unsigned_abs()),
                first.feed_timestamp,
                format_duration(check.max_age)
            ))
        });
        KnowledgeAge {
            as_of: self.as_of().map(str::to_owned),
            built_at: self.built_at.clone(),
            age_seconds: self.age(check.now),
            max_age_seconds: check.max_age,
            warning,
            stale_sources,
        }
    }

    /// The sources whose own feed timestamp (NVD, KEV, EPSS, CSAF, OpenVEX: feeds published to
    /// be fetched again) is older than `max_age` seconds at `now`, the oldest first. A source
    /// dated only by its records is not listed: an old CVE record or a vendor's VEX document
    /// of 2023 is not stale for being old. A month-old KEV catalogue beside today's NVD is:
    /// it misses the month's exploited CVEs, while the knowledge base as a whole looks fresh.
    ///
    /// ```
    /// use exposure::kb::{KbMetadata, SourceInfo};
    /// let mut kev = SourceInfo::default();
    /// kev.source = "kev.json".into();
    /// kev.feed_timestamp = Some("2024-01-01T00:00:00Z".into());
    /// let mut nvd = SourceInfo::default();
    /// nvd.feed_timestamp = Some("2024-02-01T00:00:00Z".into());
    /// let mut metadata = KbMetadata::default();
    /// metadata.sources = vec![kev, nvd];
    /// let now = exposure::kb::unix_seconds("2024-02-02").unwrap();
    /// let stale = metadata.stale_sources(now, 7 * 86_400);
    /// assert_eq!(stale.len(), 1);
    /// assert_eq!((stale[0].source.as_str(), stale[0].age_seconds), ("kev.json", 32 * 86_400));
    /// ```
    pub fn stale_sources(&self, now: i64, max_age: u64) -> Vec<StaleSource> {
        let max = i64::try_from(max_age).unwrap_or(i64::MAX);
        let mut stale: Vec<StaleSource> = self
            .sources
            .iter()
            .filter_map(|s| {
                let stamp = s.feed_timestamp.as_deref()?;
                let age = now.saturating_sub(unix_seconds(stamp)?);
                (age > max).then(|| StaleSource {
                    source: s.source.clone(),
                    format: s.format.clone(),
                    feed_timestamp: stamp.to_owned(),
                    age_seconds: age,
                })
            })
            .collect();
        stale.sort_by(|a, b| {
            b.age_seconds
                .cmp(&a.age_seconds)
                .then(a.source.cmp(&b.source))
        });
        stale
    }

    /// The metadata as the interfaces show it (`exposure kb stats --format json`, the C and
    /// Python accessors): `built_at`, `as_of` and `sources`.
    ///
    /// ```
    /// let kb = exposure::demo::knowledge_base();
    /// let json = serde_json::to_value(kb.metadata().described())?;
    /// assert_eq!(json["as_of"], "2023-10-17T20:15:00Z");
    /// assert_eq!(json["sources"][1]["feed_timestamp"], "2023-10-10T00:00:00.000Z");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn described(&self) -> MetadataView<'_> {
        MetadataView {
            built_at: self.built_at.as_deref(),
            as_of: self.as_of(),
            sources: &self.sources,
        }
    }

    /// Adds what one document brought to the source `(source, format)`.
    pub(super) fn note(&mut self, source: &str, format: &str, records: usize, dates: &Dates) {
        // The source of the document before is the likeliest (a directory's documents).
        let found = self
            .sources
            .iter()
            .rposition(|s| s.source == source && s.format == format);
        let at = found.unwrap_or_else(|| {
            self.sources.push(SourceInfo {
                source: source.to_owned(),
                format: format.to_owned(),
                ..SourceInfo::default()
            });
            self.sources.len() - 1
        });
        let info = &mut self.sources[at];
        info.documents += 1;
        info.records += records;
        newest(&mut info.newest_record, dates.newest_record.as_deref());
        newest(&mut info.feed_timestamp, dates.feed_timestamp.as_deref());
    }
}

/// [`KbMetadata`] with its as-of date, to serialise ([`KbMetadata::described`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MetadataView<'a> {
    /// When the knowledge base was built.
    pub built_at: Option<&'a str>,
    /// The instant its knowledge is as of ([`KbMetadata::as_of`]).
    pub as_of: Option<&'a str>,
    /// Its sources.
    pub sources: &'a [SourceInfo],
}

/// When to judge the knowledge's age and how old it may be.
///
/// ```
/// let check = exposure::kb::KbAgeCheck { now: 1_700_000_000, max_age: exposure::kb::DEFAULT_MAX_KB_AGE };
/// assert_eq!(check.max_age, 7 * 86_400);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KbAgeCheck {
    /// Now, Unix seconds (the caller reads the clock).
    pub now: i64,
    /// The oldest the knowledge may be, seconds.
    pub max_age: u64,
}

/// The default of `exposure assess --max-kb-age`: seven days.
pub const DEFAULT_MAX_KB_AGE: u64 = 7 * 86_400;

/// How old the knowledge of an assessment was ([`crate::Assessment::knowledge_age`]).
///
/// ```
/// let age = exposure::kb::KbMetadata::default().age_check(exposure::kb::KbAgeCheck { now: 0, max_age: 60 });
/// assert_eq!((age.as_of, age.age_seconds), (None, None));
/// assert!(age.warning.is_some(), "an unknown age is a warning");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct KnowledgeAge {
    /// The instant the knowledge is as of ([`KbMetadata::as_of`]).
    pub as_of: Option<String>,
    /// When the knowledge base was built, when known.
    pub built_at: Option<String>,
    /// Its age in seconds at the time of the check; `None` when unknown.
    pub age_seconds: Option<i64>,
    /// The oldest it was allowed to be, seconds.
    pub max_age_seconds: u64,
    /// Why it is not fresh: older than allowed, of unknown age, or with a feed older than
    /// allowed beside fresher sources ([`KbMetadata::stale_sources`]); `None` when fresh.
    pub warning: Option<String>,
    /// The feeds older than allowed ([`KbMetadata::stale_sources`]), the oldest first.
    pub stale_sources: Vec<StaleSource>,
}

/// A source whose own feed timestamp is older than allowed ([`KbMetadata::stale_sources`]).
///
/// ```
/// let stale = exposure::kb::KbMetadata::default().stale_sources(0, 60);
/// assert!(stale.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StaleSource {
    /// The input as it was named when loaded.
    pub source: String,
    /// The format read from it.
    pub format: String,
    /// Its feed timestamp, as written.
    pub feed_timestamp: String,
    /// Its age at the time of the check, seconds.
    pub age_seconds: i64,
}

/// The dates found in one document.
#[derive(Debug, Default)]
pub(super) struct Dates {
    pub(super) newest_record: Option<String>,
    pub(super) feed_timestamp: Option<String>,
}

impl Dates {
    /// The dates of `text` under the keys of `format` (`record_keys` for records,
    /// `feed_keys` for the feed).
    pub(super) fn scan(text: &str, record_keys: &[&str], feed_keys: &[&str]) -> Dates {
        let mut dates = Dates::default();
        for key in record_keys {
            scan_key(text, key, &mut dates.newest_record);
        }
        for key in feed_keys {
            scan_key(text, key, &mut dates.feed_timestamp);
        }
        dates
    }
}

/// Keeps in `slot` the newer of it and `candidate` (a date that does not read is ignored).
pub(super) fn newest(slot: &mut Option<String>, candidate: Option<&str>) {
    let Some((at, text)) = candidate.and_then(|c| Some((unix_seconds(c)?, c))) else {
        return;
    };
    if slot
        .as_deref()
        .and_then(unix_seconds)
        .is_none_or(|held| at > held)
    {
        *slot = Some(text.to_owned());
    }
}

/// Every value of `key` in `text` (JSON `"key": "value"`, YAML `key: value`, or `key:value`
/// in a CSV comment) that reads as a date, the newest kept in `slot`. Linear in the text.
fn scan_key(text: &str, key: &str, slot: &mut Option<String>) {
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices(key) {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        let rest = &text[at + key.len()..];
        let rest = rest.strip_prefix('"').unwrap_or(rest);
        let Some(rest) = rest.trim_start_matches([' ', '\t']).strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start_matches([' ', '\t', '"', '\'']);
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || "-:T.+Z ".contains(c)))
            .unwrap_or(rest.len())
            .min(40);
        newest(slot, Some(rest[..end].trim_end()));
    }
}

/// A date as Unix seconds: `YYYY-MM-DD`, optionally followed by `T` (or a space) and
/// `HH:MM[:SS[.fraction]]` and an offset (`Z`, `+HH:MM`, `+HHMM`); `None` for anything else.
///
/// ```
/// use exposure::kb::unix_seconds;
/// assert_eq!(unix_seconds("1970-01-02"), Some(86_400));
/// assert_eq!(unix_seconds("2023-11-14T22:13:20Z"), Some(1_700_000_000));
/// assert_eq!(unix_seconds("2023-11-15T00:13:20.123+02:00"), Some(1_700_000_000));
/// assert_eq!(unix_seconds("May 1, 2024"), None);
/// ```
pub fn unix_seconds(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(range)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if b[4] != b'-' || b[7] != b'-' || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    let mut rest = &b[10..];
    if matches!(rest.first(), Some(b'T' | b' ')) && rest.len() >= 6 {
        let time = &text[text.len() - rest.len() + 1..];
        let t = time.as_bytes();
        let field = |at: usize| -> Option<i64> {
            let part = t.get(at..at + 2)?;
            part.iter()
                .all(u8::is_ascii_digit)
                .then(|| i64::from(part[0] - b'0') * 10 + i64::from(part[1] - b'0'))
        };
        let (hour, minute) = (field(0)?, field(3)?);
        if t[2] != b':' || hour > 23 || minute > 59 {
            return None;
        }
        let mut used = 5;
        let mut second = 0;
        if t.get(5) == Some(&b':') {
            second = field(6)?;
            used = 8;
            if t.get(8) == Some(&b'.') {
                used += 1 + t[9..].iter().take_while(|d| d.is_ascii_digit()).count();
            }
        }
        seconds += hour * 3600 + minute * 60 + second;
        rest = &t[used..];
        match rest.first() {
            Some(&sign @ (b'+' | b'-')) => {
                let offset = &rest[1..];
                let (h, m) = match offset.len() {
                    5 if offset[2] == b':' => (&offset[..2], &offset[3..]),
                    4 => (&offset[..2], &offset[2..]),
                    2 => (offset, &b"00"[..]),
                    _ => return None,
                };
                let number = |two: &[u8]| {
                    two.iter()
                        .all(u8::is_ascii_digit)
                        .then(|| i64::from(two[0] - b'0') * 10 + i64::from(two[1] - b'0'))
                };
                let shift = number(h)? * 3600 + number(m)? * 60;
                seconds += if sign == b'+' { -shift } else { shift };
                rest = &[];
            }
            Some(b'Z') => rest = &rest[1..],
            _ => {}
        }
    }
    rest.is_empty().then_some(seconds)
}

/// Unix seconds as UTC RFC 3339 (`2023-11-14T22:13:20Z`).
///
/// ```
/// assert_eq!(exposure::kb::format_utc(1_700_000_000), "2023-11-14T22:13:20Z");
/// ```
pub fn format_utc(seconds: i64) -> String {
    let (days, time) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        time / 3600,
        time / 60 % 60,
        time % 60
    )
}

/// A duration such as `7d`, `36h`, `90m`, `3600s` or `3600` (seconds) as seconds.
///
/// ```
/// use exposure::kb::parse_duration;
/// assert_eq!(parse_duration("7d"), Ok(7 * 86_400));
/// assert_eq!(parse_duration("36h"), Ok(36 * 3_600));
/// assert!(parse_duration("soon").is_err());
/// ```
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let factor = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => {
            return Err(format!(
                "{text:?} is not a duration such as 7d, 36h, 90m or 3600s"
            ))
        }
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .ok_or_else(|| format!("{text:?} is not a duration such as 7d, 36h, 90m or 3600s"))
}

/// A duration in the largest whole unit that keeps a day's precision (`3d 4h`, `5h`, `42s`).
fn format_duration(seconds: u64) -> String {
    let (days, hours) = (seconds / 86_400, seconds % 86_400 / 3_600);
    match (days, hours) {
        (0, 0) if seconds >= 60 => format!("{}m", seconds / 60),
        (0, 0) => format!("{seconds}s"),
        (0, h) => format!("{h}h"),
        (d, 0) => format!("{d}d"),
        (d, h) => format!("{d}d {h}h"),
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let doy = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_offsets_apply() {
        for s in [0, 86_399, 951_782_400, 1_700_000_000, -86_400] {
            assert_eq!(unix_seconds(&format_utc(s)), Some(s), "{s}");
        }
        assert_eq!(
            unix_seconds("2024-02-29"),
            unix_seconds("2024-02-29T00:00Z")
        );
        assert_eq!(
            unix_seconds("2024-01-01T01:00:00+0100"),
            unix_seconds("2024-01-01T00:00:00Z")
        );
        assert_eq!(unix_seconds("2024-13-01"), None);
        assert_eq!(unix_seconds("2024-01-01T25:00"), None);
        assert_eq!(unix_seconds("2024-01-01Tx"), None);
        // Whatever a forged snapshot holds reads as no date, never a panic.
        for text in [
            "2024-01-01T00:00+aé",
            "2024-01-01T00:00:00.é",
            "2024-01-01Té",
            "é",
            "",
        ] {
            assert_eq!(unix_seconds(text), None, "{text}");
        }
        assert_eq!(unix_seconds("2024-01-01T00:00++1:00"), None);
    }

    #[test]
    fn scan_keeps_the_newest_whole_key() {
        let text = r#"{"modified": "2023-01-01T00:00:00Z", "x_modified": "2030-01-01",
            "published":"2024-03-01T10:00:00.5Z", "modified": "bad"}"#;
        let dates = Dates::scan(text, &["modified", "published"], &[]);
        assert_eq!(
            dates.newest_record.as_deref(),
            Some("2024-03-01T10:00:00.5Z")
        );
        let csv = "#model_version:v2023.03.01,score_date:2024-06-01T00:00:00+0000\ncve,epss\n";
        let dates = Dates::scan(csv, &[], &["score_date"]);
        assert_eq!(
            dates.feed_timestamp.as_deref(),
            Some("2024-06-01T00:00:00+0000")
        );
    }

    #[test]
    fn a_stale_feed_beside_a_fresh_one_is_warned_about() {
        let dated = |stamp: &str| Dates {
            newest_record: None,
            feed_timestamp: Some(stamp.into()),
        };
        let mut metadata = KbMetadata::default();
        metadata.note("nvd", "NVD", 10, &dated("2024-02-01"));
        metadata.note("kev.json", "KEV/EPSS", 1, &dated("2024-01-01"));
        metadata.note("epss.csv", "KEV/EPSS", 1, &dated("2023-12-01"));
        // A record date alone never makes a source stale.
        metadata.note(
            "cve.json",
            "CVE 5",
            1,
            &Dates {
                newest_record: Some("2019-01-01".into()),
                feed_timestamp: None,
            },
        );
        let now = unix_seconds("2024-02-02").unwrap();
        let age = metadata.age_check(KbAgeCheck {
            now,
            max_age: 7 * 86_400,
        });
        assert_eq!(age.age_seconds, Some(86_400), "the newest source is fresh");
        let names: Vec<&str> = age
            .stale_sources
            .iter()
            .map(|s| s.source.as_str())
            .collect();
        assert_eq!(names, ["epss.csv", "kev.json"], "the oldest first");
        let warning = age.warning.expect("a warning");
        assert!(
            warning.contains("epss.csv is 63d old") && warning.contains("one other feed"),
            "{warning}"
        );
        // Within the limit: no warning, nothing listed.
        let lenient = metadata.age_check(KbAgeCheck {
            now,
            max_age: 90 * 86_400,
        });
        assert_eq!((lenient.warning, lenient.stale_sources.len()), (None, 0));
    }

    #[test]
    fn staleness_warns_when_old_or_unknown() {
        let mut metadata = KbMetadata::default();
        assert!(metadata.staleness(0, 1).is_some());
        metadata.built_at = Some("2024-01-01T00:00:00Z".into());
        let built = unix_seconds("2024-01-01").unwrap();
        assert_eq!(metadata.age(built + 10), Some(10));
        // A source date wins over the build time.
        metadata.note(
            "kev.json",
            "KEV/EPSS",
            1,
            &Dates {
                newest_record: None,
                feed_timestamp: Some("2023-12-01".into()),
            },
        );
        let as_of = unix_seconds("2023-12-01").unwrap();
        assert_eq!(metadata.age(as_of + 5), Some(5));
        assert_eq!(metadata.staleness(as_of + 86_400, 86_400), None);
        // Any now the caller passes (C and Python pass theirs) is an age, never an overflow.
        assert_eq!(metadata.age(i64::MIN), Some(i64::MIN));
        assert!(metadata.staleness(i64::MAX, u64::MAX).is_none());
        let warning = metadata.staleness(as_of + 86_401, 86_400).unwrap();
        assert!(
            warning.contains("1d old") && warning.contains("2023-12-01"),
            "{warning}"
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("3600"), Ok(3600));
        assert_eq!(parse_duration("2w"), Ok(14 * 86_400));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("99999999999999999999d").is_err());
        assert_eq!(format_duration(90_000), "1d 1h");
    }
}
