//! Installed programs from a Windows registry export of the Uninstall keys (`regedit /e`:
//! UTF-16LE with a byte-order mark, or UTF-8), one program per key with a `DisplayName`.

/// One installed program as the Uninstall key describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InstalledProgram {
    /// The registry key (`HKEY_LOCAL_MACHINE\…\Uninstall\Adobe Shockwave Player`).
    pub key: String,
    /// `DisplayName`.
    pub name: String,
    /// `Publisher` (empty when absent).
    pub publisher: String,
    /// `DisplayVersion` (empty when absent).
    pub version: String,
}

/// Why an export could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// Neither UTF-16LE with a byte-order mark nor UTF-8.
    #[error("not a registry export: {0}")]
    Encoding(String),
    /// The first line is not a registry export header.
    #[error("not a registry export: the first line is {0:?}")]
    Header(String),
    /// A string value that does not end.
    #[error("line {line}: unterminated string value")]
    Unterminated {
        /// 1-based line number.
        line: usize,
    },
}

/// The text of an export: UTF-16LE after a `FF FE` mark, else UTF-8 (a UTF-8 mark dropped).
fn decode(bytes: &[u8]) -> Result<String, RegistryError> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        if rest.len() % 2 != 0 {
            return Err(RegistryError::Encoding(
                "odd number of UTF-16 bytes".to_owned(),
            ));
        }
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
            .collect();
        return String::from_utf16(&units).map_err(|e| RegistryError::Encoding(e.to_string()));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| RegistryError::Encoding(e.to_string()))
}

/// A `"…"` value with `\\` and `\"` escapes, from its opening quote.
fn string_value(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = text.strip_prefix('"')?.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '"' => return Some(out),
            c => out.push(c),
        }
    }
    None
}

/// Reads the programs of an Uninstall export: every key with a `DisplayName`, in order.
///
/// ```
/// use exposure::inventory::windows::parse_uninstall_export;
/// let export = "Windows Registry Editor Version 5.00\r\n\r\n\
///     [HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\7-Zip]\r\n\
///     \"DisplayName\"=\"7-Zip 23.01 (x64)\"\r\n\"DisplayVersion\"=\"23.01\"\r\n\"Publisher\"=\"Igor Pavlov\"\r\n";
/// let programs = parse_uninstall_export(export.as_bytes())?;
/// assert_eq!(programs[0].name, "7-Zip 23.01 (x64)");
/// assert_eq!(programs[0].publisher, "Igor Pavlov");
/// # Ok::<(), exposure::inventory::windows::RegistryError>(())
/// ```
pub fn parse_uninstall_export(bytes: &[u8]) -> Result<Vec<InstalledProgram>, RegistryError> {
    let text = decode(bytes)?;
    let mut lines = text.lines().enumerate();
    let header = lines.next().map(|(_, l)| l.trim()).unwrap_or_default();
    if !(header.starts_with("Windows Registry Editor") || header == "REGEDIT4") {
        return Err(RegistryError::Header(header.chars().take(60).collect()));
    }
    let mut out = Vec::new();
    let mut current: Option<InstalledProgram> = None;
    let finish = |program: Option<InstalledProgram>, out: &mut Vec<InstalledProgram>| {
        out.extend(program.filter(|p| !p.name.is_empty()));
    };
    for (i, line) in lines {
        let line = line.trim_end_matches('\r');
        if let Some(key) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            finish(current.take(), &mut out);
            current = Some(InstalledProgram {
                key: key.to_owned(),
                ..InstalledProgram::default()
            });
            continue;
        }
        let Some(program) = current.as_mut() else {
            continue;
        };
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let field = match string_value(name.trim()).as_deref() {
            Some("DisplayName") => &mut program.name,
            Some("Publisher") => &mut program.publisher,
            Some("DisplayVersion") => &mut program.version,
            _ => continue,
        };
        if value.starts_with('"') {
            *field = string_value(value).ok_or(RegistryError::Unterminated { line: i + 1 })?;
        }
    }
    finish(current, &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_exports_with_escapes() {
        let text = "\u{feff}Windows Registry Editor Version 5.00\r\n\r\n[HKEY\\A]\r\n\"DisplayName\"=\"Say \\\"hi\\\"\"\r\n\"Publisher\"=\"C:\\\\Acme\"\r\n\r\n[HKEY\\B]\r\n\"UninstallString\"=\"x\"\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        for unit in text.trim_start_matches('\u{feff}').encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let programs = parse_uninstall_export(&bytes).unwrap();
        assert_eq!(
            programs.len(),
            1,
            "a key without DisplayName is not a program"
        );
        assert_eq!(programs[0].name, "Say \"hi\"");
        assert_eq!(programs[0].publisher, "C:\\Acme");
        assert_eq!(programs[0].key, "HKEY\\A");
        assert!(matches!(
            parse_uninstall_export(b"hello"),
            Err(RegistryError::Header(_))
        ));
        assert!(matches!(
            parse_uninstall_export(b"REGEDIT4\n[K]\n\"DisplayName\"=\"open\n"),
            Err(RegistryError::Unterminated { line: 3 })
        ));
    }
}
