//! Threat context per CVE: CISA's Known Exploited Vulnerabilities catalog (JSON or CSV) and
//! FIRST's EPSS scores (its CSV, gzipped or not, or the `{"score_date", "data": [...]}` JSON
//! some mirrors keep). Each loader counts and locates every row it cannot use and keeps the
//! rest; [`ThreatIntel::load_text`] tells the formats apart by content.
//!
//! A JSON row is read into a struct of its shape ([`KevRow`], [`EpssRow`]): a field of the
//! wrong type skips that row with a problem naming its path (`vulnerabilities[3].cwes[0]`); a
//! header field of the wrong type (`catalogVersion`, `score_date`) is a problem and the rows
//! are still read.

use crate::json::{self, FieldError, Obj};
use crate::load_report::{Consequence, LoadReport, Problem};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One entry of the CISA KEV catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KevEntry {
    /// `cveID`.
    pub cve_id: String,
    /// `vendorProject`.
    pub vendor_project: String,
    /// `product`.
    pub product: String,
    /// `vulnerabilityName`.
    pub vulnerability_name: String,
    /// `dateAdded` (YYYY-MM-DD).
    pub date_added: String,
    /// `dueDate` (YYYY-MM-DD): when US federal agencies must have remediated.
    pub due_date: String,
    /// `requiredAction`.
    pub required_action: String,
    /// `knownRansomwareCampaignUse` is `Known`.
    pub known_ransomware_use: bool,
    /// `cwes`.
    pub cwes: Vec<String>,
}

/// One EPSS score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EpssScore {
    /// The probability of exploitation activity in the next 30 days, 0–1.
    pub probability: f64,
    /// The score's percentile among all scored CVEs, 0–1 (absent in EPSS v1 data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percentile: Option<f64>,
}

/// KEV entries and EPSS scores, by CVE id.
///
/// ```
/// use exposure::kb::ThreatIntel;
/// let mut intel = ThreatIntel::new();
/// let report = intel.load_text("#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000\n\
///     cve,epss,percentile\nCVE-2021-44228,0.94358,0.99967\n", "epss.csv");
/// assert_eq!(report.records_loaded, 1);
/// assert_eq!(intel.epss("CVE-2021-44228").map(|s| s.probability), Some(0.94358));
/// assert_eq!(intel.epss_model_version(), Some("v2023.03.01"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct ThreatIntel {
    kev: HashMap<String, KevEntry>,
    kev_catalog_version: Option<String>,
    epss: HashMap<String, EpssScore>,
    /// A snapshot's scores, searched in place until the first change moves them into
    /// `epss` (which is empty while this is set).
    epss_table: Option<crate::kb::snapshot::EpssTable>,
    epss_model_version: Option<String>,
    epss_score_date: Option<String>,
}

/// What a threat feed is, by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    KevJson,
    KevCsv,
    EpssCsv,
    EpssJson,
}

impl ThreatIntel {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The KEV entry of a CVE.
    pub fn kev(&self, cve: &str) -> Option<&KevEntry> {
        self.kev.get(cve)
    }

    /// The EPSS score of a CVE.
    pub fn epss(&self, cve: &str) -> Option<EpssScore> {
        match &self.epss_table {
            Some(table) => table.get(cve),
            None => self.epss.get(cve).copied(),
        }
    }

    /// Records a KEV listing that NVD copied into a CVE record (`cisaExploitAdd`,
    /// `cisaActionDue`), unless an entry for the CVE is known already (CISA's own catalog,
    /// loaded later, replaces it). Loading an NVD API 2.0 record notes its listing; a caller
    /// that keeps the listings apart (an incremental update) notes them again with this.
    ///
    /// ```
    /// use exposure::kb::ThreatIntel;
    /// let mut intel = ThreatIntel::new();
    /// intel.note_nvd_kev("CVE-2021-44228", "2021-12-10", "2021-12-24");
    /// assert_eq!(intel.kev("CVE-2021-44228").map(|e| e.due_date.as_str()), Some("2021-12-24"));
    /// // The catalog's entry, loaded after, replaces the note.
    /// intel.load_text(r#"{"vulnerabilities": [{"cveID": "CVE-2021-44228", "vendorProject": "Apache",
    ///     "product": "Log4j2", "vulnerabilityName": "Log4Shell", "dateAdded": "2021-12-10",
    ///     "shortDescription": "", "requiredAction": "Patch", "dueDate": "2021-12-24"}]}"#, "kev.json");
    /// assert_eq!(intel.kev("CVE-2021-44228").map(|e| e.product.as_str()), Some("Log4j2"));
    /// ```
    pub fn note_nvd_kev(&mut self, cve: &str, added: &str, due: &str) {
        self.kev.entry(cve.to_owned()).or_insert_with(|| KevEntry {
            cve_id: cve.to_owned(),
            vendor_project: String::new(),
            product: String::new(),
            vulnerability_name: String::new(),
            date_added: added.to_owned(),
            due_date: due.to_owned(),
            required_action: String::new(),
            known_ransomware_use: false,
            cwes: Vec::new(),
        });
    }

    /// Every EPSS score with its CVE, in no particular order.
    pub fn epss_entries(&self) -> impl Iterator<Item = (&str, EpssScore)> {
        let table = self
            .epss_table
            .iter()
            .flat_map(crate::kb::snapshot::EpssTable::entries);
        self.epss
            .iter()
            .map(|(id, s)| (id.as_str(), *s))
            .chain(table)
    }

    /// Sets a snapshot's scores, searched in place (into a store that holds no score yet;
    /// otherwise added to its map).
    pub(crate) fn restore_epss_table(&mut self, table: crate::kb::snapshot::EpssTable) {
        if self.epss.is_empty() && self.epss_table.is_none() {
            self.epss_table = Some(table);
        } else {
            self.own_epss();
            self.epss
                .extend(table.entries().map(|(id, s)| (id.to_owned(), s)));
        }
    }

    /// Moves a snapshot's scores into the map, to change them.
    fn own_epss(&mut self) {
        if let Some(table) = self.epss_table.take() {
            self.epss.reserve(table.len());
            self.epss
                .extend(table.entries().map(|(id, s)| (id.to_owned(), s)));
        }
    }

    /// Restores what a snapshot saved.
    pub(crate) fn restore(
        &mut self,
        kev: Vec<KevEntry>,
        epss: Vec<(String, EpssScore)>,
        versions: [Option<String>; 3],
    ) {
        self.kev
            .extend(kev.into_iter().map(|e| (e.cve_id.clone(), e)));
        if !epss.is_empty() {
            self.own_epss();
            self.epss.extend(epss);
        }
        let [catalog, model, date] = versions;
        self.kev_catalog_version = catalog.or(self.kev_catalog_version.take());
        self.epss_model_version = model.or(self.epss_model_version.take());
        self.epss_score_date = date.or(self.epss_score_date.take());
    }

    /// Every KEV entry, in no particular order.
    pub fn kev_entries(&self) -> impl Iterator<Item = &KevEntry> {
        self.kev.values()
    }

    /// Number of KEV entries.
    pub fn kev_len(&self) -> usize {
        self.kev.len()
    }

    /// Number of EPSS scores.
    pub fn epss_len(&self) -> usize {
        self.epss.len()
            + self
                .epss_table
                .as_ref()
                .map_or(0, crate::kb::snapshot::EpssTable::len)
    }

    /// The KEV `catalogVersion` of the last JSON catalog loaded.
    pub fn kev_catalog_version(&self) -> Option<&str> {
        self.kev_catalog_version.as_deref()
    }

    /// The EPSS model version of the last EPSS file that stated one.
    pub fn epss_model_version(&self) -> Option<&str> {
        self.epss_model_version.as_deref()
    }

    /// The EPSS score date of the last EPSS file that stated one.
    pub fn epss_score_date(&self) -> Option<&str> {
        self.epss_score_date.as_deref()
    }

    /// Whether text looks like a threat feed this store reads (KEV JSON or CSV, EPSS CSV or
    /// JSON).
    pub fn recognizes(text: &str) -> bool {
        detect(text).is_some()
    }

    /// Loads a KEV catalog (JSON or CSV) or EPSS scores (CSV or JSON), told apart by content.
    /// `origin` names the input in problems. A later entry for the same CVE replaces the
    /// earlier one (counted in `records_replaced`).
    pub fn load_text(&mut self, text: &str, origin: &str) -> LoadReport {
        let mut report = LoadReport::one_file();
        match detect(text) {
            Some(Format::KevJson) => self.load_kev_json(text, origin, &mut report),
            Some(Format::KevCsv) => self.load_kev_csv(text, origin, &mut report),
            Some(Format::EpssCsv) => self.load_epss_csv(text, origin, &mut report),
            Some(Format::EpssJson) => self.load_epss_json(text, origin, &mut report),
            None => report.problem(Problem::skipped_input(origin, "neither a CISA KEV catalog (JSON with \"vulnerabilities\" or CSV with a cveID column) \
                 nor EPSS scores (CSV with cve,epss columns or JSON with \"data\")")),
        }
        report
    }

    fn load_kev_json(&mut self, text: &str, origin: &str, report: &mut LoadReport) {
        let value = match json::parse(text) {
            Ok(v) => v,
            Err(e) => return report.left_out(origin, None, e),
        };
        let rows = Rows::Required("vulnerabilities");
        let ([version], rows) = json_rows(&value, ["catalogVersion"], rows, origin, report);
        if let Some(v) = version {
            self.kev_catalog_version = Some(v.to_owned());
        }
        for (i, row) in rows.iter().enumerate() {
            report.records_read += 1;
            let path = format!("vulnerabilities[{i}]");
            let entry = json::read::<KevRow>(row, &path).and_then(|row| {
                kev_entry(row).map_err(|(name, message)| FieldError {
                    path: format!("{path}.{name}"),
                    message,
                })
            });
            self.keep_kev(entry, origin, &format!("#{}", i + 1), report);
        }
    }

    fn load_kev_csv(&mut self, text: &str, origin: &str, report: &mut LoadReport) {
        let Some((mut reader, headers)) = csv_with_headers(text, origin, report) else {
            return;
        };
        let column = |name: &str| headers.iter().position(|h| h.trim() == name);
        for (i, row) in reader.records().enumerate() {
            report.records_read += 1;
            let line = format!("line {}", i + 2);
            let row = match row {
                Ok(r) => r,
                Err(e) => {
                    report.records_skipped += 1;
                    report.problem(Problem::new(
                        origin,
                        Some(&line),
                        "",
                        e.to_string(),
                        Consequence::Skipped,
                    ));
                    continue;
                }
            };
            let field = |name: &str| column(name).and_then(|c| row.get(c)).unwrap_or_default();
            let entry = kev_entry(KevRow::from_columns(field))
                .map_err(|(path, message)| FieldError { path, message });
            self.keep_kev(entry, origin, &line, report);
        }
    }

    fn keep_kev(
        &mut self,
        entry: Result<KevEntry, FieldError>,
        origin: &str,
        record: &str,
        report: &mut LoadReport,
    ) {
        if let Some(entry) = report.kept_or_skipped(origin, Some(record), entry) {
            if self.kev.insert(entry.cve_id.clone(), entry).is_some() {
                report.records_replaced += 1;
            }
        }
    }

    fn load_epss_csv(&mut self, text: &str, origin: &str, report: &mut LoadReport) {
        let mut body = text;
        let mut first_line = 1;
        // FIRST's files start with `#model_version:v2023.03.01,score_date:2025-...`.
        while let Some(rest) = body.strip_prefix('#') {
            let (comment, after) = rest.split_once('\n').unwrap_or((rest, ""));
            for part in comment.trim().split(',') {
                match part.split_once(':') {
                    Some(("model_version", v)) => self.epss_model_version = Some(v.to_owned()),
                    Some(("score_date", v)) => self.epss_score_date = Some(v.to_owned()),
                    _ => {}
                }
            }
            body = after;
            first_line += 1;
        }
        let Some((mut reader, headers)) = csv_with_headers(body, origin, report) else {
            return;
        };
        let column = |name: &str| headers.iter().position(|h| h.trim() == name);
        let (Some(cve), Some(epss)) = (column("cve"), column("epss")) else {
            return report.problem(Problem::skipped_input(
                origin,
                "the header has no `cve` and `epss` columns",
            ));
        };
        let percentile = column("percentile");
        for (i, row) in reader.records().enumerate() {
            report.records_read += 1;
            let line = format!("line {}", i + first_line + 1);
            let parsed = row.map_err(|e| e.to_string()).and_then(|row| {
                let id = row.get(cve).unwrap_or_default();
                let probability = probability(row.get(epss), "epss")?;
                let percentile = match percentile.and_then(|c| row.get(c)) {
                    Some(p) if !p.is_empty() => Some(probability_value(p, "percentile")?),
                    _ => None,
                };
                Ok((
                    id.to_owned(),
                    EpssScore {
                        probability,
                        percentile,
                    },
                ))
            });
            self.keep_epss(parsed.map_err(unlocated), origin, &line, report);
        }
    }

    fn load_epss_json(&mut self, text: &str, origin: &str, report: &mut LoadReport) {
        let value = match json::parse(text) {
            Ok(v) => v,
            Err(e) => return report.left_out(origin, None, e),
        };
        let header = ["score_date", "model_version"];
        let ([date, model], rows) =
            json_rows(&value, header, Rows::Optional("data"), origin, report);
        if let Some(date) = date {
            self.epss_score_date = Some(date.to_owned());
        }
        if let Some(model) = model {
            self.epss_model_version = Some(model.to_owned());
        }
        for (i, row) in rows.iter().enumerate() {
            report.records_read += 1;
            let record = format!("data[{i}]");
            let parsed =
                json::read::<EpssRow>(row, &record).and_then(|row| row.score().map_err(unlocated));
            self.keep_epss(parsed, origin, &record, report);
        }
    }

    fn keep_epss(
        &mut self,
        parsed: Result<(String, EpssScore), FieldError>,
        origin: &str,
        record: &str,
        report: &mut LoadReport,
    ) {
        let checked = parsed.and_then(|(id, score)| {
            if is_cve_id(&id) {
                Ok((id, score))
            } else {
                Err(unlocated(format!("{id:?} is not a CVE id")))
            }
        });
        if let Some((id, score)) = report.kept_or_skipped(origin, Some(record), checked) {
            self.own_epss();
            if self.epss.insert(id, score).is_some() {
                report.records_replaced += 1;
            }
        }
    }
}

/// Where a JSON document lists its rows.
#[derive(Debug, Clone, Copy)]
enum Rows<'k> {
    /// Under this key, which must be there.
    Required(&'k str),
    /// Under this key, when there are any.
    Optional(&'k str),
}

/// The text of each `header` field of a JSON document, and its rows. What cannot be read is a
/// problem: a header field of the wrong type reads as absent, a document that is no object or
/// rows that are no list as no rows.
fn json_rows<'v, const N: usize>(
    value: &'v serde_json::Value,
    header: [&str; N],
    rows: Rows<'_>,
    origin: &str,
    report: &mut LoadReport,
) -> ([Option<&'v str>; N], &'v [serde_json::Value]) {
    let document = match Obj::new(value, String::new()) {
        Ok(document) => document,
        Err(e) => {
            report.left_out(origin, None, e);
            return ([None; N], &[]);
        }
    };
    let fields = header.map(|key| report.optional(origin, None, document.opt_str(key)));
    let listed = match rows {
        Rows::Required(key) => document.req_array(key),
        Rows::Optional(key) => document.opt_array(key),
    };
    let listed = listed.unwrap_or_else(|e| {
        report.left_out(origin, None, e);
        &[]
    });
    (fields, listed)
}

/// A problem about a whole row (the record names it).
fn unlocated(message: String) -> FieldError {
    FieldError {
        path: String::new(),
        message,
    }
}

/// A KEV row as the JSON catalog writes it; the CSV catalog has the same columns. Every field
/// may be absent (what is required is checked by [`kev_entry`], which names the field).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KevRow {
    #[serde(rename = "cveID")]
    cve_id: Option<String>,
    vendor_project: Option<String>,
    product: Option<String>,
    vulnerability_name: Option<String>,
    date_added: Option<String>,
    due_date: Option<String>,
    required_action: Option<String>,
    known_ransomware_campaign_use: Option<String>,
    cwes: Option<Vec<String>>,
}

impl KevRow {
    /// A CSV row, its fields found by column name (`cwes` is one field, the ids separated
    /// by commas, semicolons or spaces).
    fn from_columns<'a>(field: impl Fn(&str) -> &'a str) -> Self {
        let text = |name: &str| Some(field(name).to_owned());
        KevRow {
            cve_id: text("cveID"),
            vendor_project: text("vendorProject"),
            product: text("product"),
            vulnerability_name: text("vulnerabilityName"),
            date_added: text("dateAdded"),
            due_date: text("dueDate"),
            required_action: text("requiredAction"),
            known_ransomware_campaign_use: text("knownRansomwareCampaignUse"),
            cwes: Some(
                field("cwes")
                    .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
        }
    }
}

/// An EPSS JSON row: the CVE as `id` (or `cve`), the scores as numbers or numeric text.
#[derive(Debug, Deserialize)]
struct EpssRow {
    id: Option<String>,
    cve: Option<String>,
    epss: Option<Probability>,
    percentile: Option<Probability>,
}

/// A probability as EPSS JSON writes it: a number, or a number in text.
#[derive(Debug, Deserialize)]
#[serde(untagged, expecting = "expected a number or a string")]
enum Probability {
    Number(serde_json::Number),
    Text(String),
}

impl EpssRow {
    /// The CVE and its score; a probability outside 0-1 is an error naming it.
    fn score(self) -> Result<(String, EpssScore), String> {
        let number = |name: &str, value: Option<Probability>| match value {
            None => Ok(None),
            Some(Probability::Number(n)) => n
                .as_f64()
                .filter(|p| (0.0..=1.0).contains(p))
                .map(Some)
                .ok_or_else(|| format!("{name} {n} is not a probability in 0-1")),
            Some(Probability::Text(s)) => probability_value(&s, name).map(Some),
        };
        let probability = number("epss", self.epss)?.ok_or_else(|| "epss is missing".to_owned())?;
        Ok((
            self.id.or(self.cve).unwrap_or_default(),
            EpssScore {
                probability,
                percentile: number("percentile", self.percentile)?,
            },
        ))
    }
}

fn detect(text: &str) -> Option<Format> {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('{') {
        // Only the first few kilobytes: the catalog's header fields come first.
        let window = crate::files::head(head, 4096);
        if window.contains("\"catalogVersion\"")
            || (window.contains("\"vulnerabilities\"") && window.contains("\"cveID\""))
        {
            return Some(Format::KevJson);
        }
        if window.contains("\"data\"") && window.contains("\"epss\"") {
            return Some(Format::EpssJson);
        }
        return None;
    }
    let header = head
        .lines()
        .find(|l| !l.starts_with('#'))
        .unwrap_or_default();
    let columns: Vec<&str> = header.split(',').map(str::trim).collect();
    if columns.contains(&"cveID") && columns.contains(&"dateAdded") {
        Some(Format::KevCsv)
    } else if columns.contains(&"cve") && columns.contains(&"epss") {
        Some(Format::EpssCsv)
    } else {
        None
    }
}

/// `CVE-YYYY-NNNN…`.
fn is_cve_id(id: &str) -> bool {
    let Some(rest) = id.strip_prefix("CVE-") else {
        return false;
    };
    let Some((year, number)) = rest.split_once('-') else {
        return false;
    };
    year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && number.len() >= 4
        && number.bytes().all(|b| b.is_ascii_digit())
}

fn probability(text: Option<&str>, name: &str) -> Result<f64, String> {
    match text {
        Some(t) if !t.trim().is_empty() => probability_value(t, name),
        _ => Err(format!("{name} is missing")),
    }
}

fn probability_value(text: &str, name: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|p| (0.0..=1.0).contains(p))
        .ok_or_else(|| format!("{name} {text:?} is not a probability in 0-1"))
}

/// A KEV entry from its row, or the field that is wrong (named as the catalog names it).
fn kev_entry(row: KevRow) -> Result<KevEntry, (String, String)> {
    let text = |field: Option<String>| field.as_deref().unwrap_or_default().trim().to_owned();
    let cve_id = text(row.cve_id);
    if !is_cve_id(&cve_id) {
        return Err(("cveID".to_owned(), format!("{cve_id:?} is not a CVE id")));
    }
    let date_added = text(row.date_added);
    let due_date = text(row.due_date);
    for (name, value) in [("dateAdded", &date_added), ("dueDate", &due_date)] {
        if !is_iso_date(value) {
            return Err((
                name.to_owned(),
                format!("{value:?} is not a YYYY-MM-DD date"),
            ));
        }
    }
    let known_ransomware_use = match text(row.known_ransomware_campaign_use).as_str() {
        "Known" => true,
        "Unknown" | "" => false,
        other => {
            return Err((
                "knownRansomwareCampaignUse".to_owned(),
                format!("{other:?} is neither Known nor Unknown"),
            ))
        }
    };
    Ok(KevEntry {
        cve_id,
        vendor_project: text(row.vendor_project),
        product: text(row.product),
        vulnerability_name: text(row.vulnerability_name),
        date_added,
        due_date,
        required_action: text(row.required_action),
        known_ransomware_use,
        cwes: row.cwes.unwrap_or_default(),
    })
}

fn is_iso_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// A CSV reader over `text` (rows may differ in length) and its header row; a header that
/// cannot be read is a problem that skips the input.
fn csv_with_headers<'t>(
    text: &'t str,
    origin: &str,
    report: &mut LoadReport,
) -> Option<(csv::Reader<&'t [u8]>, csv::StringRecord)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    match reader.headers() {
        Ok(headers) => {
            let headers = headers.clone();
            Some((reader, headers))
        }
        Err(e) => {
            report.problem(Problem::skipped_input(origin, e.to_string()));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kev_csv_with_quoted_commas_and_a_bad_row() {
        let csv = "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n\
            CVE-2021-44228,Apache,Log4j2,\"Apache Log4j2 Remote Code Execution Vulnerability\",2021-12-10,\"JNDI features, as used in ...\",\"Apply updates per vendor instructions.\",2021-12-24,Known,\"https://x, y\",\"CWE-20, CWE-917\"\n\
            CVE-2021-45046,Apache,Log4j2,Name,2021/12/10,d,a,2021-12-24,Unknown,,\n";
        let mut intel = ThreatIntel::new();
        let report = intel.load_text(csv, "kev.csv");
        assert_eq!(
            (
                report.records_read,
                report.records_loaded,
                report.records_skipped
            ),
            (2, 1, 1)
        );
        let log4shell = intel.kev("CVE-2021-44228").expect("loaded");
        assert!(log4shell.known_ransomware_use);
        assert_eq!(log4shell.cwes, ["CWE-20", "CWE-917"]);
        assert_eq!(
            report.problems[0].to_string(),
            "kev.csv: record line 3: dateAdded: \"2021/12/10\" is not a YYYY-MM-DD date (skipped)"
        );
    }

    #[test]
    fn kev_json_catalog() {
        let json = r#"{"catalogVersion": "2025.08.25", "vulnerabilities": [
            {"cveID": "CVE-2023-4863", "vendorProject": "Google", "product": "Chromium WebP",
             "vulnerabilityName": "Heap Buffer Overflow", "dateAdded": "2023-09-13",
             "dueDate": "2023-10-04", "knownRansomwareCampaignUse": "Unknown", "cwes": ["CWE-787"]},
            {"cveID": "GHSA-xxxx", "dateAdded": "2023-09-13", "dueDate": "2023-10-04"}]}"#;
        let mut intel = ThreatIntel::new();
        let report = intel.load_text(json, "kev.json");
        assert_eq!((report.records_loaded, report.records_skipped), (1, 1));
        assert_eq!(intel.kev_catalog_version(), Some("2025.08.25"));
        assert_eq!(report.problems[0].field, "vulnerabilities[1].cveID");
        assert!(
            !intel
                .kev("CVE-2023-4863")
                .expect("loaded")
                .known_ransomware_use
        );
    }

    #[test]
    fn epss_rows_out_of_range_are_reported() {
        let csv = "#model_version:v2025.03.14,score_date:2025-03-17T00:00:00+0000\ncve,epss,percentile\n\
                   CVE-2024-3094,0.84,0.99\nCVE-2024-0001,1.5,0.2\nnot-a-cve,0.1,0.1\nCVE-2024-0002,0.01,\n";
        let mut intel = ThreatIntel::new();
        let report = intel.load_text(csv, "epss.csv");
        assert_eq!(
            (
                report.records_read,
                report.records_loaded,
                report.records_skipped
            ),
            (4, 2, 2)
        );
        assert_eq!(intel.epss_score_date(), Some("2025-03-17T00:00:00+0000"));
        assert_eq!(intel.epss("CVE-2024-0002").and_then(|s| s.percentile), None);
        assert_eq!(report.problems[0].record.as_deref(), Some("line 4"));
        assert!(report.problems[0]
            .message
            .contains("\"1.5\" is not a probability"));
    }

    #[test]
    fn unknown_text_is_one_problem() {
        let report = ThreatIntel::new().load_text("a,b\n1,2\n", "x.csv");
        assert_eq!((report.records_read, report.problem_count), (0, 1));
    }
}
