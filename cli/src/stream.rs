//! `exposure stream`: a fleet too large to hold assessed as a stream — devices read from JSON
//! Lines, findings (and device rows) written as each chunk is assessed (JSON Lines, an Arrow
//! IPC stream or Parquet), the organisation's and groups' exposure, the recommendations'
//! patterns, the configuration and view sums kept as it goes, the fleet's results finished
//! from them and written at the end.

#[cfg(feature = "parquet")]
use crate::args::ParquetCodec;
use crate::args::{StreamCmd, StreamFormat};
use crate::{Failed, Reporting};
use exposure::stream::{
    ArrowIpc, ChunkSink, Finished, JsonLines, SinkError, StreamOptions, StreamSummary,
};
#[cfg(feature = "parquet")]
use exposure::stream::{Parquet, ParquetCompression, ParquetOptions, RowGroups};
use exposure::views::dashboard::Dashboard;
use std::io::{BufRead, Write};
use std::path::Path;

/// A buffered writer.
type Output = Box<dyn Write + Send>;

/// A buffered writer to `path`, or to stdout for `-` (the command's [`crate::sink`]).
fn writer(path: &Path) -> Result<Output, Failed> {
    crate::sink(Some(path).filter(|p| p.as_os_str() != "-"))
}

/// The format a file's extension names: `.arrow`/`.arrows` an Arrow IPC stream, `.parquet`
/// Parquet, anything else (and stdout) JSON Lines.
fn format_of(path: &Path) -> StreamFormat {
    let extension = path.extension().and_then(|e| e.to_str());
    match extension.map(str::to_ascii_lowercase).as_deref() {
        Some("arrow" | "arrows") => StreamFormat::Arrow,
        Some("parquet") => StreamFormat::Parquet,
        _ => StreamFormat::Jsonl,
    }
}

/// The command's outputs, in its one format.
enum Outputs {
    Lines(JsonLines<Output>),
    Arrow(Box<ArrowIpc<Output>>),
    #[cfg(feature = "parquet")]
    Parquet(Box<Parquet<Output>>),
}

impl Outputs {
    /// The findings' (and device rows') writers in `--format`, or the format their extensions
    /// name: the same for both.
    fn open(cmd: &StreamCmd) -> Result<Self, Failed> {
        let format = match (cmd.format, cmd.device_rows.as_deref()) {
            (Some(format), _) => format,
            (None, Some(rows)) if format_of(rows) != format_of(&cmd.findings) => {
                return Err(Failed::usage(format!(
                    "--findings {} and --device-rows {} name different formats: give them the \
                     same extension, or --format",
                    cmd.findings.display(),
                    rows.display()
                )))
            }
            (None, _) => format_of(&cmd.findings),
        };
        // Refused before any file is created.
        #[cfg(not(feature = "parquet"))]
        if format == StreamFormat::Parquet {
            return Err(no_parquet());
        }
        let findings = writer(&cmd.findings)?;
        let rows = cmd.device_rows.as_deref().map(writer).transpose()?;
        Ok(match (format, rows) {
            (StreamFormat::Jsonl, None) => Outputs::Lines(JsonLines::new(findings)),
            (StreamFormat::Jsonl, Some(rows)) => {
                Outputs::Lines(JsonLines::with_device_rows(findings, rows))
            }
            (StreamFormat::Arrow, None) => {
                Outputs::Arrow(Box::new(ArrowIpc::new(findings).map_err(failed)?))
            }
            (StreamFormat::Arrow, Some(rows)) => Outputs::Arrow(Box::new(
                ArrowIpc::with_device_rows(findings, rows).map_err(failed)?,
            )),
            #[cfg(feature = "parquet")]
            (StreamFormat::Parquet, None) => Outputs::Parquet(Box::new(
                Parquet::new(findings, parquet(cmd)).map_err(failed)?,
            )),
            #[cfg(feature = "parquet")]
            (StreamFormat::Parquet, Some(rows)) => Outputs::Parquet(Box::new(
                Parquet::with_device_rows(findings, rows, parquet(cmd)).map_err(failed)?,
            )),
            #[cfg(not(feature = "parquet"))]
            (StreamFormat::Parquet, _) => return Err(no_parquet()),
        })
    }

    /// Ends the outputs: flushed, the Arrow streams ended, the Parquet footers written.
    fn finish(&mut self) -> Result<(), Failed> {
        match self {
            Outputs::Lines(lines) => Ok(lines.flush()?),
            Outputs::Arrow(arrow) => arrow.finish().map_err(failed),
            #[cfg(feature = "parquet")]
            Outputs::Parquet(parquet) => parquet.finish().map_err(failed),
        }
    }
}

/// Why `--format parquet` fails in a build without the `parquet` feature.
#[cfg(not(feature = "parquet"))]
fn no_parquet() -> Failed {
    Failed::usage(
        "this exposure was built without Parquet (cargo feature `parquet` of exposure-cli)",
    )
}

/// The Parquet options of the command.
#[cfg(feature = "parquet")]
fn parquet(cmd: &StreamCmd) -> ParquetOptions {
    ParquetOptions {
        compression: match cmd.compression {
            ParquetCodec::Zstd => ParquetCompression::Zstd,
            ParquetCodec::Snappy => ParquetCompression::Snappy,
            ParquetCodec::None => ParquetCompression::Uncompressed,
        },
        row_groups: cmd
            .row_group_rows
            .map_or(RowGroups::PerChunk, RowGroups::Rows),
    }
}

/// A sink's error as the command's (a closed pipe still ends it quietly).
fn failed(e: SinkError) -> Failed {
    std::io::Error::from(e).into()
}

impl ChunkSink for Outputs {
    fn chunk(&mut self, chunk: &exposure::Assessment) -> std::io::Result<()> {
        match self {
            Outputs::Lines(lines) => lines.chunk(chunk),
            Outputs::Arrow(arrow) => arrow.chunk(chunk),
            #[cfg(feature = "parquet")]
            Outputs::Parquet(parquet) => parquet.chunk(chunk),
        }
    }
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
    let mut outputs = Outputs::open(cmd)?;
    let options = StreamOptions {
        chunk_devices: cmd.chunk,
        fleet_size: cmd.fleet_size,
        assess: exposure::engine::AssessOptions {
            as_of: cmd.as_of,
            ..Default::default()
        },
        max_aggregate_entries: cmd.max_aggregate_entries,
    };
    let summary = engine
        .assess_stream(devices.by_ref(), &options, &mut outputs)
        .map_err(|e| Failed::usage(e.to_string()))?;
    outputs.finish()?;
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
    let history = match &cmd.history_db {
        Some(db) => crate::workflow::history_records(
            &exposure_store::Store::open_read_only(db)?,
            &exposure_store::AssessmentQuery {
                label: cmd.history_label.clone(),
                since: None,
            },
        )?,
        None => Vec::new(),
    };
    let dashboards = Dashboard::all_of_stream(&finished, &history, cmd.top);
    write_summary(
        cmd.summary.as_deref(),
        &summary,
        &finished,
        &dashboards,
        &input,
    )?;
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
    dashboards: &[Dashboard],
    devices: &exposure::assessment::InputReport,
) -> Result<(), Failed> {
    // The finished results (organisation, groups, recommendations, configuration, views),
    // the dashboards, then what the stream itself met.
    let mut json = serde_json::to_value(finished).map_err(|e| Failed::usage(e.to_string()))?;
    json["dashboards"] =
        serde_json::to_value(dashboards).map_err(|e| Failed::usage(e.to_string()))?;
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
