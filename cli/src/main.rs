//! The `exposure` command: assess a fleet against vulnerability knowledge from a shell.
//!
//! ```text
//! exposure assess --demo
//! exposure assess --kb advisories/ --inventory bom.json [--inventory fleet.json] [--format json|table]
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod table;

use exposure::{inventory, kb::KnowledgeBase, Engine};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  exposure assess [--demo] [--kb PATH...] [--inventory PATH...] [--format table|json]

  --demo          use the embedded demo knowledge base and fleet (each is replaced by
                  --kb or --inventory when those are given)
  --kb PATH...    OSV advisories: JSON files (one record or an array) or directories
  --inventory P.. CycloneDX JSON SBOMs (one device each) or fleet documents (see README)
  --format F      table (default) or json
";

#[derive(Debug, Default)]
struct AssessArgs {
    demo: bool,
    kb: Vec<PathBuf>,
    inventories: Vec<PathBuf>,
    json: bool,
}

fn parse_assess(args: &[String]) -> Result<AssessArgs, String> {
    let mut out = AssessArgs::default();
    let mut it = args.iter().peekable();
    while let Some(arg) = it.next() {
        // `--kb A B C` and `--kb A --kb B` both work: a path flag takes every following
        // argument up to the next flag.
        let mut paths = |name: &str| -> Result<Vec<PathBuf>, String> {
            let mut found = Vec::new();
            while let Some(next) = it.next_if(|a| !a.starts_with("--")) {
                found.push(PathBuf::from(next));
            }
            if found.is_empty() {
                Err(format!("{name} needs a path"))
            } else {
                Ok(found)
            }
        };
        match arg.as_str() {
            "--demo" => out.demo = true,
            "--kb" => out.kb.extend(paths("--kb")?),
            "--inventory" => out.inventories.extend(paths("--inventory")?),
            "--format" => match it
                .next()
                .map(String::as_str)
                .ok_or("--format needs a value")?
            {
                "json" => out.json = true,
                "table" => out.json = false,
                other => return Err(format!("unknown format {other:?} (table or json)")),
            },
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if !out.demo && (out.kb.is_empty() || out.inventories.is_empty()) {
        return Err("give --kb and --inventory, or --demo".into());
    }
    Ok(out)
}

fn assess(args: &AssessArgs) -> Result<(), String> {
    let mut engine = if args.demo && args.kb.is_empty() {
        Engine::demo()
    } else {
        Engine::new(KnowledgeBase::new())
    };
    for path in &args.kb {
        let report = engine
            .kb_mut()
            .load_osv_path(path)
            .map_err(|e| e.to_string())?;
        eprintln!("knowledge base {}: {report}", path.display());
        for problem in &report.problems {
            eprintln!("  {problem}");
        }
    }
    let mut reports = Vec::new();
    let fleet = if args.inventories.is_empty() {
        exposure::demo::fleet()
    } else {
        let mut fleet = inventory::Fleet::default();
        for path in &args.inventories {
            let loaded = inventory::load_path(path).map_err(|e| e.to_string())?;
            eprintln!("inventory {}: {}", path.display(), loaded.report);
            for problem in &loaded.report.problems {
                eprintln!("  {problem}");
            }
            fleet.extend(loaded.fleet);
            reports.push(loaded.report);
        }
        fleet
    };
    let mut assessment = engine.assess(&fleet);
    assessment.inventory_reports = reports;
    let text = if args.json {
        serde_json::to_string_pretty(&assessment).map_err(|e| e.to_string())? + "\n"
    } else {
        table::render(&assessment)
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("assess") => match parse_assess(&args[1..]) {
            Ok(parsed) => match assess(&parsed) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("exposure: {e}");
                    ExitCode::FAILURE
                }
            },
            Err(e) => {
                eprintln!("exposure: {e}\n{USAGE}");
                ExitCode::from(2)
            }
        },
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn path_flags_take_several_values() {
        let parsed = parse_assess(&args("--kb a b --inventory x --kb c --format json")).unwrap();
        assert_eq!(
            parsed.kb,
            [PathBuf::from("a"), PathBuf::from("b"), PathBuf::from("c")]
        );
        assert_eq!(parsed.inventories, [PathBuf::from("x")]);
        assert!(parsed.json);
    }

    #[test]
    fn usage_errors_say_what_is_wrong() {
        assert_eq!(
            parse_assess(&args("--kb")).unwrap_err(),
            "--kb needs a path"
        );
        assert_eq!(
            parse_assess(&args("--kb a")).unwrap_err(),
            "give --kb and --inventory, or --demo"
        );
        assert_eq!(
            parse_assess(&args("--demo --format xml")).unwrap_err(),
            "unknown format \"xml\" (table or json)"
        );
        assert_eq!(
            parse_assess(&args("--demo --frob")).unwrap_err(),
            "unknown argument \"--frob\""
        );
    }
}
