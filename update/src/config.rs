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

/// The configuration as the C and Python interfaces give it: a JSON object whose keys are
/// optional (the rest keeps [`Config::default`]): `sources` (names as [`SourceSpec`] reads
/// them), `nvd_url`, `osv_url`, `kev_url`, `epss_url`, `alpine_url`, `nvd_api_key`,
/// `nvd_page_size`, `nvd_window_days`, `nvd_rate_window_seconds`, `timeout_seconds`,
/// `attempts`, `backoff_seconds`, `max_wait_seconds`, `max_body_bytes`, `input_limit_bytes`,
/// `mirror`, `proxy_from_env`, `now` (Unix seconds), `allow_partial`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ConfigJson {
    sources: Option<Vec<String>>,
    nvd_url: Option<String>,
    osv_url: Option<String>,
    kev_url: Option<String>,
    epss_url: Option<String>,
    alpine_url: Option<String>,
    nvd_api_key: Option<String>,
    nvd_page_size: Option<u32>,
    nvd_window_days: Option<u32>,
    nvd_rate_window_seconds: Option<f64>,
    timeout_seconds: Option<f64>,
    attempts: Option<u32>,
    backoff_seconds: Option<f64>,
    max_wait_seconds: Option<f64>,
    max_body_bytes: Option<u64>,
    input_limit_bytes: Option<u64>,
    mirror: Option<PathBuf>,
    proxy_from_env: Option<bool>,
    now: Option<i64>,
    allow_partial: Option<bool>,
}

impl Config {
    /// A configuration from JSON (the C and Python interfaces' form): an object with any of
    /// the keys `sources`, `nvd_url`, `osv_url`, `kev_url`, `epss_url`, `alpine_url`,
    /// `nvd_api_key`, `nvd_page_size`, `nvd_window_days`, `nvd_rate_window_seconds`,
    /// `timeout_seconds`, `attempts`, `backoff_seconds`, `max_wait_seconds`,
    /// `max_body_bytes`, `input_limit_bytes`, `mirror`, `proxy_from_env`, `now` (Unix
    /// seconds) and `allow_partial`; the others keep [`Config::default`]. An unknown key, a
    /// value of the wrong type, an unknown source or a negative duration is an
    /// [`UpdateError::Config`].
    ///
    /// ```
    /// use exposure_update::{Config, SourceSpec};
    /// let c = Config::from_json(r#"{"sources": ["kev", "osv:Go"], "timeout_seconds": 0.5}"#)?;
    /// assert_eq!(c.sources, [SourceSpec::Kev, SourceSpec::Osv("Go".into())]);
    /// assert_eq!(c.timeout, std::time::Duration::from_millis(500));
    /// assert!(Config::from_json(r#"{"sorces": []}"#).is_err());
    /// # Ok::<(), exposure_update::UpdateError>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Config, UpdateError> {
        let j: ConfigJson =
            serde_json::from_str(text).map_err(|e| UpdateError::Config(e.to_string()))?;
        let seconds = |name: &str, v: Option<f64>, default: Duration| match v {
            None => Ok(default),
            Some(s) => Duration::try_from_secs_f64(s)
                .map_err(|_| UpdateError::Config(format!("{name}: {s} is not a duration"))),
        };
        let d = Config::default();
        let sources = match j.sources {
            None => d.sources.clone(),
            Some(names) => names
                .iter()
                .map(|n| n.parse::<SourceSpec>().map_err(UpdateError::Config))
                .collect::<Result<_, _>>()?,
        };
        Ok(Config {
            sources,
            nvd_rate_window: seconds(
                "nvd_rate_window_seconds",
                j.nvd_rate_window_seconds,
                d.nvd_rate_window,
            )?,
            timeout: seconds("timeout_seconds", j.timeout_seconds, d.timeout)?,
            backoff: seconds("backoff_seconds", j.backoff_seconds, d.backoff)?,
            max_wait: seconds("max_wait_seconds", j.max_wait_seconds, d.max_wait)?,
            nvd_url: j.nvd_url.unwrap_or(d.nvd_url),
            osv_url: j.osv_url.unwrap_or(d.osv_url),
            kev_url: j.kev_url.unwrap_or(d.kev_url),
            epss_url: j.epss_url.unwrap_or(d.epss_url),
            alpine_url: j.alpine_url.unwrap_or(d.alpine_url),
            nvd_api_key: j.nvd_api_key.or(d.nvd_api_key),
            nvd_page_size: j.nvd_page_size.unwrap_or(d.nvd_page_size),
            nvd_window_days: j.nvd_window_days.unwrap_or(d.nvd_window_days),
            attempts: j.attempts.unwrap_or(d.attempts),
            max_body_bytes: j.max_body_bytes.unwrap_or(d.max_body_bytes),
            limits: j
                .input_limit_bytes
                .map_or(d.limits, |input_bytes| exposure::files::Limits {
                    input_bytes,
                }),
            mirror: j.mirror.or(d.mirror),
            proxy_from_env: j.proxy_from_env.unwrap_or(d.proxy_from_env),
            now: j.now.or(d.now),
            allow_partial: j.allow_partial.unwrap_or(d.allow_partial),
        })
    }
}
