//! `exposure cpe parse|compare`: CPE names from a shell, one line at a time.

use exposure::cpe::{Binding, Cpe, Normalizer};

/// A formatted string or URI in, the chosen binding out.
pub(crate) fn parse_line(binding: Binding, line: &str) -> Result<String, String> {
    let cpe = Cpe::parse(line).map_err(|e| e.to_string())?;
    Ok(cpe.to_binding(binding))
}

/// `SOURCE<TAB>TARGET` in, the NISTIR 7696 relation out.
pub(crate) fn compare_line(line: &str) -> Result<String, String> {
    let (source, target) = crate::batch::pair(line)?;
    let source = Cpe::parse(source).map_err(|e| e.to_string())?;
    let target = Cpe::parse(target).map_err(|e| e.to_string())?;
    Ok(source.compare(&target).name().to_owned())
}

/// `PUBLISHER<TAB>NAME<TAB>VERSION` in, `CPE<TAB>CONFIDENCE` candidates best first out,
/// separated by ` | ` (an empty line when nothing supports a guess).
pub(crate) fn guess_line(normalizer: &Normalizer<'_>, line: &str) -> Result<String, String> {
    let mut fields = line.split('\t');
    let (Some(publisher), Some(name), Some(version), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err("expected PUBLISHER, NAME and VERSION separated by TABs".to_owned());
    };
    if name.trim().is_empty() {
        return Err("the name is empty".to_owned());
    }
    Ok(normalizer
        .guess_installed(publisher, name, version)
        .iter()
        .map(|c| format!("{}\t{:.2}", c.cpe, c.confidence))
        .collect::<Vec<_>>()
        .join(" | "))
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
    }
}
