//! What an update fetches and how: the sources, their base URLs, the NVD API key, time-outs,
//! retries, the rate limit, size limits and the mirror's path.

use crate::error::UpdateError;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// NVD's CVE API 2.0.
pub const NVD_URL: &str = "https://services.nvd.nist.gov/rest/json/cves/2.0";
/// osv.dev's bucket of per-ecosystem archives.
pub const OSV_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";
/// CISA's Known Exploited Vulnerabilities catalog (JSON).
pub const KEV_URL: &str =
    "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";
/// FIRST's EPSS scores of the day (gzipped CSV).
pub const EPSS_URL: &str = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz";
/// Alpine's secdb (`{branch}/{repo}.json`).
pub const ALPINE_URL: &str = "https://secdb.alpinelinux.org";

/// One source of an update, named as the CLI and the bindings name it: `nvd`, `kev`,
/// `epss`, `osv:<Ecosystem>` (`osv:Go`, `osv:Debian`), `alpine:<branch>/<repo>`
/// (`alpine:v3.20/main`).
///
/// ```
/// use exposure_update::SourceSpec;
/// assert_eq!("osv:Go".parse::<SourceSpec>(), Ok(SourceSpec::Osv("Go".into())));
/// assert_eq!(SourceSpec::Alpine("v3.20/main".into()).to_string(), "alpine:v3.20/main");
/// assert!("gopher".parse::<SourceSpec>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceSpec {
    /// NVD's CVE API 2.0, paged by modification windows.
    Nvd,
    /// One osv.dev ecosystem.
    Osv(String),
    /// An Alpine secdb branch and repository (`v3.20/main`).
    Alpine(String),
    /// CISA KEV.
    Kev,
    /// FIRST EPSS.
    Epss,
}

impl std::fmt::Display for SourceSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceSpec::Nvd => f.write_str("nvd"),
            SourceSpec::Osv(e) => write!(f, "osv:{e}"),
            SourceSpec::Alpine(b) => write!(f, "alpine:{b}"),
            SourceSpec::Kev => f.write_str("kev"),
            SourceSpec::Epss => f.write_str("epss"),
        }
    }
}

impl std::str::FromStr for SourceSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let safe = |part: &str| {
            !part.is_empty()
                && !part.contains("..")
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.:/ ".contains(c))
        };
        match s.split_once(':') {
            None if s == "nvd" => Ok(SourceSpec::Nvd),
            None if s == "kev" => Ok(SourceSpec::Kev),
            None if s == "epss" => Ok(SourceSpec::Epss),
            Some(("osv", e)) if safe(e) && !e.contains('/') => Ok(SourceSpec::Osv(e.to_owned())),
            Some(("alpine", b)) if safe(b) && b.split('/').count() == 2 => {
                Ok(SourceSpec::Alpine(b.to_owned()))
            }
            _ => Err(format!(
                "unknown source {s:?}: give nvd, kev, epss, osv:<Ecosystem> or alpine:<branch>/<repo>"
            )),
        }
    }
}

/// How an update fetches. [`Config::default`] holds the real URLs and NVD's published
/// rate limit; tests point the URLs at a server on 127.0.0.1 and shorten the waits.
///
/// ```
/// let config = exposure_update::Config::default();
/// assert_eq!(config.nvd_rate_limit(), 5); // per rolling 30 s without an API key
/// assert_eq!(config.sources.len(), 3);   // nvd, kev, epss
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    /// The sources to fetch, each into its own part of the mirror; the snapshot holds these.
    pub sources: Vec<SourceSpec>,
    /// NVD's CVE API 2.0 endpoint.
    pub nvd_url: String,
    /// osv.dev's base URL (`{osv_url}/{ecosystem}/all.zip`).
    pub osv_url: String,
    /// The KEV catalog's URL.
    pub kev_url: String,
    /// The EPSS CSV's URL (gzipped).
    pub epss_url: String,
    /// Alpine secdb's base URL (`{alpine_url}/{branch}/{repo}.json`).
    pub alpine_url: String,
    /// NVD's API key, sent as the `apiKey` header (raises the rate limit tenfold).
    pub nvd_api_key: Option<String>,
    /// Records per NVD page (`resultsPerPage`, at most 2000).
    pub nvd_page_size: u32,
    /// The longest NVD modification window (NVD allows 120 days).
    pub nvd_window_days: u32,
    /// NVD's rate window: 5 requests (50 with a key) per this duration (NVD: 30 s).
    pub nvd_rate_window: Duration,
    /// The time-out of one request, from connecting to the body's end.
    pub timeout: Duration,
    /// Requests per URL at most (the first and its retries).
    pub attempts: u32,
    /// The first back-off; each retry waits twice as long as the one before (or what
    /// `Retry-After` says, up to [`Config::max_wait`]).
    pub backoff: Duration,
    /// The longest wait before a retry.
    pub max_wait: Duration,
    /// The largest response body accepted (compressed bodies are also bounded once
    /// decompressed, by [`Config::limits`]).
    pub max_body_bytes: u64,
    /// What one document may hold once decompressed (core's bound).
    pub limits: exposure::files::Limits,
    /// The mirror's path; `None`: `<snapshot>.mirror`.
    pub mirror: Option<PathBuf>,
    /// Use the proxy named by `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` (the default).
    pub proxy_from_env: bool,
    /// "Now" as Unix seconds: the end of NVD's windows and the snapshot's build time;
    /// `None` reads the clock (tests pass a fixed instant so that snapshots compare byte
    /// for byte).
    pub now: Option<i64>,
    /// Build even when a source's mirrored records load incompletely.
    pub allow_partial: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            sources: vec![SourceSpec::Nvd, SourceSpec::Kev, SourceSpec::Epss],
            nvd_url: NVD_URL.into(),
            osv_url: OSV_URL.into(),
            kev_url: KEV_URL.into(),
            epss_url: EPSS_URL.into(),
            alpine_url: ALPINE_URL.into(),
            nvd_api_key: None,
            nvd_page_size: 2000,
            nvd_window_days: 120,
            nvd_rate_window: Duration::from_secs(30),
            timeout: Duration::from_secs(120),
            attempts: 5,
            backoff: Duration::from_secs(2),
            max_wait: Duration::from_secs(120),
            max_body_bytes: 1 << 30,
            limits: exposure::files::Limits::default(),
            mirror: None,
            proxy_from_env: true,
            now: None,
            allow_partial: false,
        }
    }
}

impl Config {
    /// NVD's published rate limit for this configuration: 5 requests per window without an
    /// API key, 50 with one.
    pub fn nvd_rate_limit(&self) -> usize {
        if self.nvd_api_key.is_some() {
            50
        } else {
            5
        }
    }

    /// The mirror's path for `snapshot`: [`Config::mirror`], else `<snapshot>.mirror`.
    ///
    /// ```
    /// use std::path::Path;
    /// let config = exposure_update::Config::default();
    /// assert_eq!(config.mirror_path(Path::new("kb.bin")), Path::new("kb.bin.mirror"));
    /// ```
    pub fn mirror_path(&self, snapshot: &Path) -> PathBuf {
        self.mirror.clone().unwrap_or_else(|| {
            let mut name = snapshot.as_os_str().to_owned();
            name.push(".mirror");
            PathBuf::from(name)
        })
    }

    /// The configuration checked: at least one source, no source twice, URLs with a scheme,
    /// at least one attempt, a page size NVD accepts.
    pub fn check(&self) -> Result<(), UpdateError> {
        if self.sources.is_empty() {
            return Err(UpdateError::Config("no source to update".into()));
        }
        let mut seen = std::collections::BTreeSet::new();
        for s in &self.sources {
            if !seen.insert(s) {
                return Err(UpdateError::Config(format!("source {s} given twice")));
            }
        }
        for (name, url) in [
            ("nvd", &self.nvd_url),
            ("osv", &self.osv_url),
            ("kev", &self.kev_url),
            ("epss", &self.epss_url),
            ("alpine", &self.alpine_url),
        ] {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(UpdateError::Config(format!(
                    "the {name} URL {url:?} is neither http:// nor https://"
                )));
            }
        }
        if self.attempts == 0 {
            return Err(UpdateError::Config("attempts must be at least 1".into()));
        }
        if !(1..=2000).contains(&self.nvd_page_size) {
            return Err(UpdateError::Config(
                "the NVD page size must be 1 to 2000".into(),
            ));
        }
        if !(1..=120).contains(&self.nvd_window_days) {
            return Err(UpdateError::Config(
                "the NVD window must be 1 to 120 days".into(),
            ));
        }
        Ok(())
    }
}
