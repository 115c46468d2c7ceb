//! `exposure kb update`: the update crate's configuration from the arguments, its progress
//! on stderr (a bar at a terminal, one log line per event otherwise, text or JSON) and its
//! summary on stdout (a table per source, or JSON).

use crate::args::{KbUpdateArgs, LogFormat, TextFormat};
use crate::{Failed, Reporting};
use exposure_update::{Config, Event, Observer, Summary};
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};

/// The configuration the arguments describe.
fn config_of(a: &KbUpdateArgs) -> Config {
    let defaults = Config::default();
    Config {
        sources: if a.sources.is_empty() {
            defaults.sources.clone()
        } else {
            a.sources.clone()
        },
        nvd_url: a.nvd_url.clone(),
        osv_url: a.osv_url.clone(),
        kev_url: a.kev_url.clone(),
        epss_url: a.epss_url.clone(),
        alpine_url: a.alpine_url.clone(),
        nvd_api_key: a
            .nvd_api_key
            .clone()
            .or_else(|| std::env::var("NVD_API_KEY").ok().filter(|k| !k.is_empty())),
        nvd_page_size: a.nvd_page_size,
        nvd_rate_window: a.nvd_rate_window,
        timeout: a.timeout,
        attempts: a.attempts,
        backoff: a.backoff,
        limits: a.input_limit.unwrap_or_default(),
        mirror: a.mirror.clone(),
        proxy_from_env: !a.no_proxy,
        now: Some(a.now.unwrap_or_else(crate::args::unix_now)),
        allow_partial: a.allow_partial,
        ..defaults
    }
}

/// Progress on stderr: a bar at a terminal, log lines otherwise, nothing when quiet.
enum Progress {
    Quiet,
    Bar,
    Lines(LogFormat),
}

impl Observer for Progress {
    fn event(&mut self, event: &Event<'_>) {
        match self {
            Progress::Quiet => {}
            Progress::Bar => bar(event),
            Progress::Lines(format) => {
                let line = log_line(event, *format);
                if !line.is_empty() {
                    eprintln!("{line}");
                }
            }
        }
    }
}

fn bar(event: &Event<'_>) {
    match event {
        Event::Progress {
            source,
            done,
            total: Some(total),
            bytes,
        } => crate::draw_bar(
            source,
            usize::try_from(*done).unwrap_or(usize::MAX),
            usize::try_from(*total).unwrap_or(usize::MAX),
            &format!("responses, {} KiB", bytes / 1024),
        ),
        Event::Retry {
            source,
            attempt,
            reason,
            wait,
            ..
        } => {
            eprint!("\r\x1b[K");
            eprintln!(
                "{source}: attempt {attempt} failed ({reason}), retrying in {:.1} s",
                wait.as_secs_f64()
            );
        }
        Event::SourceDone { summary: s } => {
            eprint!("\r\x1b[K");
            let what = if s.not_modified {
                "not modified".to_owned()
            } else {
                format!(
                    "{} added, {} changed, {} withdrawn",
                    s.added, s.changed, s.withdrawn
                )
            };
            eprintln!(
                "{}: {what} ({} requests, {} KiB, {:.1} s)",
                s.source,
                s.requests,
                s.bytes / 1024,
                s.seconds
            );
        }
        _ => {}
    }
}

/// One log line per event (the empty string for events not logged).
fn log_line(event: &Event<'_>, format: LogFormat) -> String {
    let value = match event {
        Event::SourceStarted { source } => {
            serde_json::json!({"event": "source_started", "source": source})
        }
        Event::Progress {
            source,
            done,
            total,
            bytes,
        } => {
            serde_json::json!({"event": "progress", "source": source, "done": done, "total": total, "bytes": bytes})
        }
        Event::Retry {
            source,
            url,
            attempt,
            reason,
            wait,
        } => {
            serde_json::json!({"event": "retry", "source": source, "url": url, "attempt": attempt, "reason": reason, "wait_seconds": wait.as_secs_f64()})
        }
        Event::RateLimited { source, wait } => {
            serde_json::json!({"event": "rate_limited", "source": source, "wait_seconds": wait.as_secs_f64()})
        }
        Event::SourceDone { summary } => {
            let mut v = serde_json::to_value(summary).unwrap_or_default();
            v["event"] = "source_done".into();
            v
        }
        Event::Building => serde_json::json!({"event": "building"}),
        Event::Done { written } => serde_json::json!({"event": "done", "written": written}),
        _ => return String::new(),
    };
    match format {
        LogFormat::Json => value.to_string(),
        LogFormat::Text => {
            let serde_json::Value::Object(map) = value else {
                return String::new();
            };
            let mut parts = Vec::new();
            if let Some(e) = map.get("event").and_then(|e| e.as_str()) {
                parts.push(format!("event={e}"));
            }
            for (k, v) in &map {
                if k != "event" {
                    let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                    let v = if v.contains(' ') { format!("{v:?}") } else { v };
                    parts.push(format!("{k}={v}"));
                }
            }
            parts.join(" ")
        }
    }
}

/// The summary as a table: one row per source.
fn table(summary: &Summary) -> String {
    let mut cells = vec![[
        "SOURCE",
        "ADDED",
        "CHANGED",
        "WITHDRAWN",
        "UNCHANGED",
        "REQUESTS",
        "BYTES",
        "SECONDS",
    ]
    .map(str::to_owned)
    .to_vec()];
    for s in &summary.sources {
        cells.push(vec![
            s.source.clone(),
            s.added.to_string(),
            s.changed.to_string(),
            s.withdrawn.to_string(),
            if s.not_modified {
                format!("{} (not modified)", s.unchanged)
            } else {
                s.unchanged.to_string()
            },
            s.requests.to_string(),
            s.bytes.to_string(),
            format!("{:.2}", s.seconds),
        ]);
    }
    let mut out = crate::table::aligned(&cells);
    let _ = writeln!(
        out,
        "{} advisories; snapshot {} (mirror generation {}) in {:.2} s",
        summary.advisories,
        if summary.patched {
            "patched in place"
        } else if summary.written {
            "rebuilt"
        } else {
            "up to date"
        },
        summary.generation,
        summary.seconds
    );
    out
}

/// Runs the update and prints its summary.
pub(crate) fn kb_update(a: &KbUpdateArgs, reporting: Reporting) -> Result<(), Failed> {
    let config = config_of(a);
    let mut progress = if reporting.quiet {
        Progress::Quiet
    } else if std::io::stderr().is_terminal() && a.log_format == LogFormat::Text {
        Progress::Bar
    } else {
        Progress::Lines(a.log_format)
    };
    let summary = exposure_update::update(&a.snapshot, &config, &mut progress).map_err(|e| {
        Failed::usage(format!(
            "kb update {}: {e} (the snapshot is left as it was)",
            a.snapshot.display()
        ))
    })?;
    let text = match a.format {
        TextFormat::Json => {
            serde_json::to_string_pretty(&summary).map_err(std::io::Error::from)? + "\n"
        }
        TextFormat::Table => table(&summary),
    };
    Ok(std::io::stdout().lock().write_all(text.as_bytes())?)
}
