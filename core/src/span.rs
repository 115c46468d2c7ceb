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

#[cfg(test)]
mod tests {
    use super::*;

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
