//! Knowledge-base updates from the feeds' servers (`exposure-update`): one call, its
//! configuration and summary as JSON.

use crate::error::exposure_error;
use crate::error::Failure;
use crate::exposure_status;
use crate::exposure_status as S;
use crate::guard::guard_result;
use crate::handle::{try_out, try_str};
use crate::strings::{exposure_string, put_json};
use exposure_update::UpdateError;
use std::ffi::c_char;

/// The status of an update that failed (see `ffi/README.md`).
pub(crate) fn update_status(e: &UpdateError) -> S {
    match e {
        UpdateError::Config(_) => S::UpdateConfig,
        UpdateError::Fetch { .. } => S::UpdateFetch,
        UpdateError::Invalid { .. } => S::UpdateInvalidResponse,
        UpdateError::Mirror { .. } => S::UpdateMirror,
        UpdateError::Incomplete { .. } => S::UpdateIncomplete,
        UpdateError::Snapshot { .. } => S::UpdateSnapshot,
        _ => S::UpdateOther,
    }
}

/// Updates the knowledge-base snapshot at `snapshot` (UTF-8 path, `snapshot_len` bytes; the
/// snapshot is created when missing) from the feeds' servers: only what changed since the
/// last update is fetched into the mirror beside it (`<snapshot>.mirror`), then the snapshot is
/// rebuilt and replaced atomically. `config_json` (`config_len` bytes; NULL with 0 for the
/// defaults: NVD, KEV and EPSS from their real URLs) is a JSON object with any of `sources`
/// (`"nvd"`, `"kev"`, `"epss"`, `"osv:<Ecosystem>"`, `"alpine:<branch>/<repo>"`), `nvd_url`,
/// `osv_url`, `kev_url`, `epss_url`, `alpine_url`, `nvd_api_key`, `nvd_page_size`,
/// `nvd_window_days`, `nvd_rate_window_seconds`, `timeout_seconds`, `attempts`,
/// `backoff_seconds`, `max_wait_seconds`, `max_body_bytes`, `input_limit_bytes`, `mirror`,
/// `proxy_from_env`, `now` (Unix seconds; the clock when absent) and `allow_partial`.
///
/// On success `*summary` owns the summary as JSON: `sources` (per source `source`, `added`,
/// `changed`, `withdrawn`, `unchanged`, `requests`, `bytes`, `not_modified`, `seconds`),
/// `written`, `patched` (in place, not rebuilt), `advisories`, `generation`, `seconds`. On
/// failure the snapshot is left as it was and the status says why:
/// `EXPOSURE_STATUS_UPDATE_CONFIG` (bad configuration),
/// `_UPDATE_FETCH` (a request failed after its retries: the message names the source, URL and
/// HTTP status or cause), `_UPDATE_INVALID_RESPONSE`, `_UPDATE_MIRROR`, `_UPDATE_INCOMPLETE`,
/// `_UPDATE_SNAPSHOT`. Blocks the calling thread for the whole update (network and build);
/// not to be called twice at once on one snapshot.
#[no_mangle]
pub extern "C" fn exposure_kb_update(
    snapshot: *const c_char,
    snapshot_len: usize,
    config_json: *const c_char,
    config_len: usize,
    summary: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let snapshot = try_str!(snapshot, snapshot_len);
        let out = try_out!(summary);
        let config = if config_json.is_null() && config_len == 0 {
            exposure_update::Config::default()
        } else {
            let text = try_str!(config_json, config_len);
            exposure_update::Config::from_json(text).map_err(|e| fail(&e))?
        };
        let done = exposure_update::update(
            std::path::Path::new(snapshot),
            &config,
            &mut exposure_update::Quiet,
        )
        .map_err(|e| fail(&e))?;
        put_json(out, &done)
    })
}

fn fail(e: &UpdateError) -> Failure {
    Failure::new(update_status(e), e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(snapshot: &str, config: &str) -> (S, String) {
        let mut summary = std::ptr::null_mut();
        let mut err = std::ptr::null_mut();
        let status = exposure_kb_update(
            snapshot.as_ptr().cast(),
            snapshot.len(),
            config.as_ptr().cast(),
            config.len(),
            &raw mut summary,
            &raw mut err,
        );
        let message = if err.is_null() {
            String::new()
        } else {
            // SAFETY: a message of an error object the call just made.
            let text = unsafe { std::ffi::CStr::from_ptr(crate::exposure_error_message(err)) };
            let text = text.to_string_lossy().into_owned();
            crate::exposure_error_free(err);
            text
        };
        crate::exposure_string_free(summary);
        (status, message)
    }

    #[test]
    fn every_update_error_has_its_status() {
        use exposure_update::FetchError;
        let (s, u) = (|| "kev".to_owned(), || "http://127.0.0.1:1/".to_owned());
        let cases = [
            (UpdateError::Config(String::new()), S::UpdateConfig),
            (
                UpdateError::Fetch {
                    source_name: s(),
                    url: u(),
                    attempts: 1,
                    error: FetchError::Timeout,
                },
                S::UpdateFetch,
            ),
            (
                UpdateError::Invalid {
                    source_name: s(),
                    url: u(),
                    error: FetchError::Invalid("not JSON".into()),
                },
                S::UpdateInvalidResponse,
            ),
            (
                UpdateError::Mirror {
                    path: "m".into(),
                    message: String::new(),
                },
                S::UpdateMirror,
            ),
            (
                UpdateError::Incomplete {
                    source_name: s(),
                    message: String::new(),
                },
                S::UpdateIncomplete,
            ),
            (
                UpdateError::Snapshot {
                    path: "kb.bin".into(),
                    message: String::new(),
                },
                S::UpdateSnapshot,
            ),
        ];
        for (error, status) in cases {
            assert_eq!(update_status(&error), status, "{error}");
        }
    }

    #[test]
    fn a_bad_configuration_and_a_refused_connection_have_their_statuses() {
        let dir = std::env::temp_dir().join(format!("exposure-ffi-update-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        let snapshot = dir.join("kb.bin").display().to_string();
        let (status, message) = run(&snapshot, r#"{"sources": ["gopher"]}"#);
        assert_eq!(status, S::UpdateConfig);
        assert!(message.contains("unknown source"), "{message}");
        // Nothing listens on port 1 of the loopback: refused at once, nothing leaves the host.
        let config = r#"{"sources": ["kev"], "kev_url": "http://127.0.0.1:1/kev.json", "attempts": 1, "proxy_from_env": false}"#;
        let (status, message) = run(&snapshot, config);
        assert_eq!(status, S::UpdateFetch);
        assert!(
            message.starts_with("kev: GET http://127.0.0.1:1/kev.json"),
            "{message}"
        );
        assert!(!std::path::Path::new(&snapshot).exists());
        std::fs::remove_dir_all(&dir).ok();
    }
}
