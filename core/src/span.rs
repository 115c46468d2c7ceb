//! Byte offsets into the text a caller passed, for errors of parsers that read a slice of it
//! or a decoding of it. Used on error paths only.

/// Byte offset of `part` in `whole` when `part` is a slice of `whole` (not a copy of it).
pub(crate) fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let start = part.as_ptr().addr().checked_sub(whole.as_ptr().addr())?;
    (start + part.len() <= whole.len()).then_some(start)
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
    fn offsets_before_decoding() {
        assert_eq!(before_decoding("1%2E0%7C", 0), 0);
        assert_eq!(before_decoding("1%2E0%7C", 2), 4);
        assert_eq!(before_decoding("1%2E0%7C", 4), 8);
        assert_eq!(before_decoding("1%2", 2), 3);
    }
}
