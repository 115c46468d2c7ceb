//! What every version parser shares: trim, reject empty input, and locate errors in the
//! untrimmed input. Also the one way a scheme's `Ord` provides `PartialOrd`, `PartialEq` and
//! `Eq`, so that equality always means "compares equal".

use super::{Scheme, VersionError, VersionErrorKind};

/// A version input, trimmed, with where the trimmed text starts in it.
pub(crate) struct Trimmed<'a> {
    scheme: Scheme,
    input: &'a str,
    /// The trimmed text.
    pub(crate) text: &'a str,
    /// Byte offset of `text` in the input.
    pub(crate) lead: usize,
}

impl<'a> Trimmed<'a> {
    /// Trims `input`; empty or blank input is [`VersionErrorKind::Empty`] at byte 0.
    pub(crate) fn new(scheme: Scheme, input: &'a str) -> Result<Self, VersionError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(VersionError::new(scheme, input, 0, VersionErrorKind::Empty));
        }
        Ok(Self {
            scheme,
            input,
            text,
            lead: input.len() - input.trim_start().len(),
        })
    }

    /// An error at byte `at` of the trimmed text.
    pub(crate) fn error(&self, at: usize, kind: VersionErrorKind) -> VersionError {
        VersionError::new(self.scheme, self.input, self.lead + at, kind)
    }

    /// Rejects white space and control characters inside the version.
    pub(crate) fn no_space_or_control(&self) -> Result<(), VersionError> {
        // Printable ASCII, the common case, needs no decoding.
        if self.text.bytes().all(|b| b.is_ascii_graphic()) {
            return Ok(());
        }
        match self
            .text
            .char_indices()
            .find(|(_, c)| c.is_whitespace() || c.is_control())
        {
            Some((at, found)) => Err(self.error(at, VersionErrorKind::UnexpectedChar { found })),
            None => Ok(()),
        }
    }

    /// Rejects a version whose first character is not accepted by `is_start`.
    pub(crate) fn starts_with_letter_or_digit(
        &self,
        is_start: impl Fn(char) -> bool,
    ) -> Result<(), VersionError> {
        if self.text.chars().next().is_some_and(is_start) {
            Ok(())
        } else {
            Err(self.error(
                0,
                VersionErrorKind::Invalid("must start with a letter or digit".into()),
            ))
        }
    }
}

/// `text` split at every `separator` byte (an ASCII character), like `str::split` but with a
/// plain byte loop, which is faster on the few short parts of a version.
pub(crate) fn split_at_byte(text: &str, separator: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        if let Some(i) = current.bytes().position(|b| b == separator) {
            rest = Some(&current[i + 1..]);
            Some(&current[..i])
        } else {
            rest = None;
            Some(current)
        }
    })
}

/// `PartialOrd`, `PartialEq` and `Eq` from the type's `Ord`.
macro_rules! order_from_ord {
    ($($ty:ty),+ $(,)?) => {$(
        impl PartialOrd for $ty {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl PartialEq for $ty {
            fn eq(&self, other: &Self) -> bool {
                self.cmp(other).is_eq()
            }
        }

        impl Eq for $ty {}
    )+};
}

pub(crate) use order_from_ord;

/// A run of one kind in a version text: ASCII digits, ASCII letters, or one other byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Run<'a> {
    /// Consecutive ASCII digits.
    Digits(&'a str),
    /// Consecutive ASCII letters.
    Letters(&'a str),
    /// Any other byte (a separator, or one byte of a non-ASCII character).
    Other(u8),
}

/// The runs of `text`, in order: what RubyGems, Composer and vendor versions split into.
#[inline]
pub(crate) fn runs(text: &str) -> impl Iterator<Item = Run<'_>> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let &first = bytes.get(at)?;
        let start = at;
        let same = |b: &u8| {
            if first.is_ascii_digit() {
                b.is_ascii_digit()
            } else {
                b.is_ascii_alphabetic()
            }
        };
        if !first.is_ascii_alphanumeric() {
            at += 1;
            return Some(Run::Other(first));
        }
        at += bytes[at..].iter().take_while(|b| same(b)).count();
        let run = &text[start..at];
        Some(if first.is_ascii_digit() {
            Run::Digits(run)
        } else {
            Run::Letters(run)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::{runs, Run};

    #[test]
    fn runs_split_digits_letters_and_the_rest() {
        let got: Vec<Run<'_>> = runs("1.0rc2-é").collect();
        assert_eq!(
            got,
            [
                Run::Digits("1"),
                Run::Other(b'.'),
                Run::Digits("0"),
                Run::Letters("rc"),
                Run::Digits("2"),
                Run::Other(b'-'),
                Run::Other(0xc3),
                Run::Other(0xa9),
            ]
        );
    }
}
