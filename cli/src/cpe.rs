//! `exposure cpe parse|compare|guess`: CPE names from a shell, one line at a time.

use exposure::cpe::{Binding, Cpe, Dictionary, Normalizer, Vocabulary};

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

/// The vocabulary `cpe guess` scores against: the dictionary's names and titles, the
/// knowledge's CVE configurations, or both merged; `None` without either.
pub(crate) fn vocabulary(
    dictionary: Option<&std::path::Path>,
    kb: &[std::path::PathBuf],
) -> Result<Option<Vocabulary>, crate::Failed> {
    let mut vocabulary = match dictionary {
        Some(path) => Some(
            Dictionary::from_path(path)
                .map_err(|e| crate::Failed::usage(e.to_string()))?
                .vocabulary()
                .clone(),
        ),
        None => None,
    };
    if !kb.is_empty() {
        let inputs = exposure::assess::AssessInputs {
            knowledge: kb.to_vec(),
            ..Default::default()
        };
        let (engine, _) = inputs.load_engine()?;
        vocabulary
            .get_or_insert_with(Vocabulary::new)
            .merge(&engine.vocabulary());
    }
    Ok(vocabulary)
}

/// `PUBLISHER<TAB>NAME<TAB>VERSION` in; out `KIND<TAB>KIND_RULE<TAB>CPE<TAB>CONFIDENCE<TAB>
/// RULE<TAB>VERSION_RULE` for the best candidate (`-` where there is none), or the whole
/// answer as one line of JSON.
pub(crate) fn guess_line(
    normalizer: &Normalizer<'_>,
    line: &str,
    json: bool,
) -> Result<String, String> {
    let mut fields = line.split('\t');
    let (Some(publisher), Some(name), Some(version), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err("expected PUBLISHER, NAME and VERSION separated by TABs".to_owned());
    };
    if name.trim().is_empty() {
        return Err("the name is empty".to_owned());
    }
    let naming = normalizer.name_program(publisher, name, version);
    if json {
        return Ok(naming.to_json().to_string());
    }
    let best = naming.candidates.first();
    Ok([
        naming.kind.as_str().to_owned(),
        naming.kind_rule.to_owned(),
        best.map_or_else(|| "-".to_owned(), |c| c.cpe.to_fs()),
        best.map_or_else(|| "-".to_owned(), |c| format!("{:.2}", c.confidence)),
        best.map_or("-", |c| c.rule).to_owned(),
        best.map_or("-", |c| c.version_rule).to_owned(),
    ]
    .join("\t"))
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

    #[test]
    fn guess_lines_show_the_kind_rule_and_score() {
        let n = Normalizer::with_default_rules();
        assert_eq!(
            guess_line(&n, "Oracle\tJava(TM) 6 Update 31\t6.0.310", false).unwrap(),
            "application\tdefault\tcpe:2.3:a:oracle:jre:1.6.0:update31:*:*:*:*:*:*\t1.00\talias:vendor+alias:product\tversion:java-update"
        );
        assert_eq!(
            guess_line(
                &n,
                "Microsoft Corporation\tSecurity Update for Windows XP (KB2079403)\t1",
                false
            )
            .unwrap(),
            "update\tkb-number\t-\t-\t-\t-"
        );
        let json: serde_json::Value =
            serde_json::from_str(&guess_line(&n, "Mozilla\tMozilla Firefox\t121.0", true).unwrap())
                .unwrap();
        assert_eq!(json["candidates"][0]["rule"], "alias:vendor+alias:product");
        assert!(guess_line(&n, "a\tb", false).is_err());
    }
}
