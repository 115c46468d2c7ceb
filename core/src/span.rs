//! Byte offsets into the text a caller passed, for errors of parsers that read a slice of it,
//! or a copy of it with some characters taken out. Used on error paths only.

/// Byte offset of `part` in `whole` when `part` is a slice of `whole` (not a copy of it).
pub(crate) fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let start = part.as_ptr().addr().checked_sub(whole.as_ptr().addr())?;
    (start + part.len() <= whole.len()).then_some(start)
}

/// Offset in `original` of byte `at` of the text `original` becomes when every character
/// `removed` selects is taken out: where the character at `at` came from (the end of
/// `original` for the end of the shorter text). A character boundary of the shorter text
/// maps to one of `original`.
pub(crate) fn before_removal(original: &str, removed: impl Fn(char) -> bool, at: usize) -> usize {
    let mut kept = 0;
    for (i, c) in original.char_indices() {
        if removed(c) {
            continue;
        }
        if kept >= at {
            return i;
        }
        kept += c.len_utf8();
    }
    original.len()
}

/// Offset in the percent-encoded `raw` of byte `at` of its decoding (each `%XX` is one byte).
pub(crate) fn before_decoding(raw: &str, at: usize) -> usize {
    let bytes = raw.as_bytes();
    let (mut i, mut decoded) = (0, 0);
    while i < bytes.len() && decoded < at {
        i += if bytes[i] == b'%' { 3 } else { 1 };
        decoded += 1;
    }
    i.min(raw.len())
}

/// The byte offset in `text` of the place a JSON error of `serde_json` names ("at line L
/// column C": lines from 1, columns counted in bytes from 1), or `None` when it names none.
/// For bindings that read JSON themselves and report where it broke.
///
/// ```
/// let text = "{\n  \"a\": ]}";
/// let e = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
/// assert_eq!(e.to_string(), "expected value at line 2 column 8");
/// assert_eq!(exposure::json_error_offset(text, &e), Some(9));
/// assert_eq!(&text[9..10], "]");
/// ```
pub fn json_error_offset(text: &str, e: &serde_json::Error) -> Option<usize> {
    (e.line() > 0)
        .then(|| line_start(text, e.line()) + e.column().saturating_sub(1))
        .map(|at| at.min(text.len()))
}

/// The byte offset in `text` of the place a YAML error names (its line from 1 and its column
/// from 1 in characters), or `None` when it names none.
pub(crate) fn yaml_error_offset(text: &str, e: &serde_yaml::Error) -> Option<usize> {
    let location = e.location()?;
    let start = line_start(text, location.line());
    let column = location.column().saturating_sub(1);
    let within = text[start..]
        .char_indices()
        .nth(column)
        .map_or(text.len() - start, |(i, _)| i);
    Some(start + within)
}

/// The byte offset of the start of line `line` (from 1) of `text`; its end past the last line.
fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_of_json_and_yaml_errors() {
        let text = "{\"a\": 1,\n \"b\": [1,,]}";
        let e = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        let at = json_error_offset(text, &e).unwrap();
        assert_eq!((e.line(), e.column(), at, &text[at..=at]), (2, 10, 18, ","));
        let e = serde_json::from_str::<serde_json::Value>("").unwrap_err();
        assert_eq!(json_error_offset("", &e), Some(0));
        let yaml = "a: 1\nb: [é, 1\nc: 2";
        let e = serde_yaml::from_str::<serde_yaml::Value>(yaml).unwrap_err();
        let at = yaml_error_offset(yaml, &e).unwrap();
        assert!(e.to_string().contains("at line 3 column 2"), "{e}");
        assert_eq!(&yaml[at..=at], ":");
    }

    #[test]
    fn offsets_of_slices_and_copies() {
        let whole = "vers:npm/>=1.0|<2.0";
        assert_eq!(offset_in(whole, &whole[9..14]), Some(9));
        assert_eq!(offset_in(whole, &whole[19..]), Some(19));
        let copy = whole[9..14].to_owned();
        assert_eq!(offset_in(whole, &copy), None);
        assert_eq!(offset_in(&whole[9..], whole), None);
    }

    #[test]
    fn offsets_before_removal_and_decoding() {
        let original = " >= 1.0 ,\t< 2é";
        let compact: String = original.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(compact, ">=1.0,<2é");
        for (at, expected) in [(0, 1), (2, 4), (5, 8), (6, 10), (7, 12), (8, 13), (10, 15)] {
            assert_eq!(
                before_removal(original, char::is_whitespace, at),
                expected,
                "{at}"
            );
        }
        assert_eq!(before_decoding("1%2E0%7C", 0), 0);
        assert_eq!(before_decoding("1%2E0%7C", 2), 4);
        assert_eq!(before_decoding("1%2E0%7C", 4), 8);
        assert_eq!(before_decoding("1%2", 2), 3);
    }
}
