//! `exposure stream`: a fleet too large to hold assessed as a stream — devices read from JSON
//! Lines, findings (and device rows) written as JSON Lines as each chunk is assessed, the
//! organisation's and groups' exposure and the recommendations' patterns summed as it goes,
//! the fleet's results finished from them and written at the end.

use crate::args::StreamCmd;
use crate::{Failed, Reporting};
use exposure::stream::{Finished, JsonLines, StreamOptions, StreamSummary};
use std::io::{BufRead, Write};
use std::path::Path;

/// A buffered writer to `path`, or to stdout for `-` (the command's [`crate::sink`]).
fn writer(path: &Path) -> Result<Box<dyn Write>, Failed> {
    crate::sink(Some(path).filter(|p| p.as_os_str() != "-"))
}

/// A buffered reader of `path` (gzip undone when it is compressed), or of stdin for `-`.
fn reader(path: &Path) -> Result<Box<dyn BufRead>, Failed> {
    let raw: Box<dyn std::io::Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(
            std::fs::File::open(path)
                .map_err(|e| Failed::usage(format!("{}: {e}", path.display())))?,
        )
    };
    Ok(exposure::files::decompressing(
        std::io::BufReader::with_capacity(1 << 20, raw),
    )?)
}

/// `exposure stream`.
pub(crate) fn stream(cmd: &StreamCmd, reporting: Reporting) -> Result<(), Failed> {
    let inputs = exposure::assess::AssessInputs {
        demo: cmd.kb.is_empty(),
        knowledge: cmd.kb.clone(),
        allow_partial: cmd.allow_partial,
        ..Default::default()
    };
    let (engine, knowledge) = inputs.load_engine()?;
    reporting.reports("knowledge base", &knowledge);
    let origin = cmd.devices.display().to_string();
    let mut devices =
        exposure::inventory::DeviceLines::new(reader(&cmd.devices)?, &origin, inputs.limits);
    let findings = writer(&cmd.findings)?;
    let mut outputs = match cmd.device_rows.as_deref() {
        Some(path) => JsonLines::with_device_rows(findings, writer(path)?),
        None => JsonLines::new(findings),
    };
    let options = StreamOptions {
        chunk_devices: cmd.chunk,
        fleet_size: cmd.fleet_size,
        assess: exposure::engine::AssessOptions {
            as_of: cmd.as_of,
            ..Default::default()
        },
    };
    let summary = engine
        .assess_stream(devices.by_ref(), &options, &mut outputs)
        .map_err(|e| Failed::usage(e.to_string()))?;
    outputs.flush()?;
    let report = devices.report().clone();
    let input = exposure::assessment::InputReport {
        input: origin,
        report,
    };
    reporting.reports("devices", std::slice::from_ref(&input));
    let finished = summary
        .aggregate
        .finish(&engine)
        .map_err(|e| Failed::usage(e.to_string()))?;
    write_summary(cmd.summary.as_deref(), &summary, &finished, &input)?;
    // Fail closed: devices that did not load are an error, after everything was written.
    if !cmd.allow_partial {
        if let Some(shortfall) = input.report.shortfall(input.report.records_loaded > 0) {
            return Err(Failed::usage(format!(
                "{}: {shortfall} (--allow-partial accepts it)",
                input.input
            )));
        }
    }
    Ok(())
}

/// The summary as JSON: to `path`, or one line to stderr.
fn write_summary(
    path: Option<&Path>,
    summary: &StreamSummary,
    finished: &Finished,
    devices: &exposure::assessment::InputReport,
) -> Result<(), Failed> {
    // The finished results (organisation, groups, recommendations, configuration, views),
    // then what the stream itself met.
    let mut json = serde_json::to_value(finished).map_err(|e| Failed::usage(e.to_string()))?;
    json["renamed"] = summary
        .renamed
        .iter()
        .map(|r| serde_json::json!({"from": r.from, "to": r.to}))
        .collect();
    json["devices_report"] =
        serde_json::to_value(devices).map_err(|e| Failed::usage(e.to_string()))?;
    match path {
        Some(path) => {
            let mut out = writer(path)?;
            serde_json::to_writer_pretty(&mut out, &json)
                .map_err(|e| Failed::usage(e.to_string()))?;
            out.write_all(b"\n")?;
            out.flush()?;
        }
        None => eprintln!("{json}"),
    }
    Ok(())
}
