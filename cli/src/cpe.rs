//! `exposure cpe parse|compare`: CPE names from a shell, one line at a time.

use exposure::cpe::Cpe;

/// Which binding `cpe parse` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Binding {
    /// The 2.3 formatted string (canonical).
    Fs,
    /// The 2.2 URI.
    Uri,
    /// WFN text.
    Wfn,
}

/// `[--to fs|uri|wfn]`.
pub(crate) fn binding_arg(args: &[String]) -> Result<Binding, String> {
    match args {
        [] => Ok(Binding::Fs),
        [flag, to] if flag == "--to" => match to.as_str() {
            "fs" => Ok(Binding::Fs),
            "uri" => Ok(Binding::Uri),
            "wfn" => Ok(Binding::Wfn),
            other => Err(format!("unknown binding {other:?} (fs, uri or wfn)")),
        },
        _ => Err("cpe parse takes only --to fs|uri|wfn".to_owned()),
    }
}

/// A formatted string or URI in, the chosen binding out.
pub(crate) fn parse_line(binding: Binding, line: &str) -> Result<String, String> {
    let cpe = Cpe::parse(line).map_err(|e| e.to_string())?;
    Ok(match binding {
        Binding::Fs => cpe.to_fs(),
        Binding::Uri => cpe.to_uri(),
        Binding::Wfn => cpe.to_wfn(),
    })
}

/// `SOURCE<TAB>TARGET` in, the NISTIR 7696 relation out.
pub(crate) fn compare_line(line: &str) -> Result<String, String> {
    let (source, target) = crate::batch::pair(line)?;
    let source = Cpe::parse(source).map_err(|e| e.to_string())?;
    let target = Cpe::parse(target).map_err(|e| e.to_string())?;
    Ok(source.compare(&target).name().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_compare_lines() {
        assert_eq!(
            parse_line(
                Binding::Fs,
                "cpe:/a:microsoft:internet_explorer:8.%02:sp%01"
            ),
            Ok("cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*".to_owned())
        );
        assert_eq!(
            parse_line(Binding::Uri, "cpe:2.3:a:Microsoft:IE:8.0:*:*:*:*:*:*:*"),
            Ok("cpe:/a:microsoft:ie:8.0".to_owned())
        );
        assert!(parse_line(Binding::Fs, "cpe:2.3:a:b")
            .unwrap_err()
            .contains("components"));
        assert_eq!(
            compare_line("cpe:2.3:a:adobe:*:9.*:*:*:*:*:*:*:*\tcpe:/a:adobe:reader:9.3.2"),
            Ok("SUPERSET".to_owned())
        );
        assert_eq!(
            compare_line("cpe:/a:adobe:reader:9.3.2\tcpe:/a:adobe:reader:9.%02"),
            Ok("UNDEFINED".to_owned())
        );
        assert_eq!(
            binding_arg(&["--to".into(), "x".into()]).unwrap_err(),
            "unknown binding \"x\" (fs, uri or wfn)"
        );
    }
}
