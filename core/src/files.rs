//! Reading the files callers hand the engine: gzip is undone when the bytes start with its
//! magic number (whatever the file is called), and text is UTF-8 or, after a byte-order mark,
//! UTF-16LE (as `regedit` exports it). Every read is bounded by [`Limits`]: an input that
//! holds more than the limit once decompressed (a gzip bomb, a sparse file) is an
//! [`InputError::TooLarge`] as soon as the limit is passed, never an exhausted memory.

use std::io::{BufRead, Read};
use std::path::Path;

/// Why the bytes of an input are not text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The file could not be read or decompressed.
    #[error("{0}")]
    Io(std::io::Error),
    /// The bytes are not UTF-8 (nor UTF-16LE after a byte-order mark).
    #[error("not UTF-8 text: invalid byte at offset {offset}")]
    NotUtf8 {
        /// Offset of the first invalid byte (after decompression).
        offset: usize,
    },
    /// UTF-16LE with an odd number of bytes or an unpaired surrogate.
    #[error("not UTF-16LE text: {0}")]
    NotUtf16(String),
    /// Binary data where text was expected, told from the input's first bytes: a NUL byte
    /// (a sparse or zeroed file, an image), which no text input of the engine holds outside
    /// UTF-16.
    #[error("binary data, not text: a NUL byte at offset {offset}")]
    Binary {
        /// Offset of the first NUL byte (after decompression).
        offset: usize,
    },
    /// The input holds more bytes (after decompression) than [`Limits::input_bytes`] allows;
    /// reading stopped at the limit.
    #[error("{input} holds more than {limit} bytes once decompressed, the input size limit")]
    TooLarge {
        /// The input: a path, an origin name or `archive!member`.
        input: String,
        /// The limit that was passed, in bytes.
        limit: u64,
    },
}

impl From<std::io::Error> for InputError {
    /// An I/O error, or the [`InputError::TooLarge`] a [`Bounded`] reader reported through it.
    fn from(e: std::io::Error) -> Self {
        match e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<InputError>())
        {
            Some(InputError::TooLarge { input, limit }) => InputError::TooLarge {
                input: input.clone(),
                limit: *limit,
            },
            _ => InputError::Io(e),
        }
    }
}

/// How much one input may hold: the bound every reader of this crate puts on what it
/// decompresses and reads, so that no input can exhaust memory or run for ever.
///
/// The default, [`Limits::DEFAULT_INPUT_BYTES`] (1 GiB), is about four times the largest real
/// input the engine is made for (an NVD yearly JSON 1.1 feed is 85 MB decompressed for 2017
/// and grows with the number of CVEs; osv.dev's per-ecosystem zips and their records, NVD's
/// CPE dictionary are smaller or of that order), while a decompression bomb stops there
/// instead of taking all memory: a 1 MB gzip of zeros decompresses to 1 GB, a 8 MB one to
/// 8 GB. A document read whole is parsed in memory, which takes a few times its size, so a
/// host that must stay small sets a smaller limit.
///
/// ```
/// use exposure::files::{InputError, Limits};
/// let limits = Limits { input_bytes: 4 };
/// let mut text = String::new();
/// let err = std::io::Read::read_to_string(&mut limits.bound(&b"12345"[..], "five.txt"), &mut text).unwrap_err();
/// assert!(matches!(InputError::from(err), InputError::TooLarge { limit: 4, .. }));
/// assert_eq!(Limits::default().input_bytes, 1 << 30);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes one input may hold once its gzip is undone: a file, a stream, a
    /// document handed over as text, or one member of a zip or tar archive (an archive read
    /// whole, as a tar is, is one input).
    pub input_bytes: u64,
}

impl Limits {
    /// The default [`Limits::input_bytes`]: 1 GiB (see [`Limits`] for why).
    pub const DEFAULT_INPUT_BYTES: u64 = 1 << 30;

    /// `reader` cut at the limit: reading past [`Limits::input_bytes`] fails with an
    /// [`InputError::TooLarge`] naming `input` (inside an [`std::io::Error`]; convert it
    /// with `InputError::from`).
    pub fn bound<R>(self, reader: R, input: &str) -> Bounded<R> {
        Bounded {
            inner: reader,
            left: self.input_bytes,
            limit: self.input_bytes,
            input: input.to_owned(),
            exceeded: false,
        }
    }

    /// Whether text of `len` bytes is within the limit; the error names `input` otherwise.
    pub(crate) fn check(self, len: usize, input: &str) -> Result<(), InputError> {
        if len as u64 > self.input_bytes {
            return Err(self.too_large(input));
        }
        Ok(())
    }

    pub(crate) fn too_large(self, input: &str) -> InputError {
        InputError::TooLarge {
            input: input.to_owned(),
            limit: self.input_bytes,
        }
    }

    /// A buffered reader over a file, decompressing on the fly when it is gzipped, for
    /// inputs read as a stream (NVD feeds of hundreds of megabytes), bounded by the limit.
    pub fn open(self, path: &Path) -> Result<Box<dyn BufRead>, InputError> {
        Ok(Box::new(
            self.bound(open_unbounded(path)?, &path.display().to_string()),
        ))
    }

    /// The bytes of a file, decompressed when gzipped, at most the limit.
    pub fn read_bytes(self, path: &Path) -> Result<Vec<u8>, InputError> {
        let mut bytes = Vec::new();
        self.open(path)?.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// The text of a file: decompressed when gzipped, decoded per [`decode_text`], at most
    /// the limit.
    pub fn read_text(self, path: &Path) -> Result<String, InputError> {
        decode_text(self.read_bytes(path)?)
    }

    /// Decompresses gzipped bytes (all members), at most the limit (the error names
    /// `input`); other bytes come back unchanged.
    pub fn decompress(self, raw: Vec<u8>, input: &str) -> Result<Vec<u8>, InputError> {
        if !is_gzip(&raw) {
            return Ok(raw);
        }
        let mut out = Vec::new();
        self.bound(flate2::read::MultiGzDecoder::new(raw.as_slice()), input)
            .read_to_end(&mut out)?;
        Ok(out)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            input_bytes: Self::DEFAULT_INPUT_BYTES,
        }
    }
}

/// A reader that fails once more than its limit has been read from it (see
/// [`Limits::bound`]). It reads one byte past the limit to tell an input of exactly the limit
/// from a larger one; nothing beyond is read.
#[derive(Debug)]
pub struct Bounded<R> {
    inner: R,
    left: u64,
    limit: u64,
    input: String,
    exceeded: bool,
}

impl<R> Bounded<R> {
    /// Whether reading stopped at the limit.
    pub fn exceeded(&self) -> bool {
        self.exceeded
    }

    /// The error that says so.
    fn too_large(&mut self) -> std::io::Error {
        self.exceeded = true;
        std::io::Error::other(InputError::TooLarge {
            input: self.input.clone(),
            limit: self.limit,
        })
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            return match self.inner.read(&mut [0u8])? {
                0 => Ok(0),
                _ => Err(self.too_large()),
            };
        }
        let room = usize::try_from(self.left).map_or(buf.len(), |left| left.min(buf.len()));
        let n = self.inner.read(&mut buf[..room])?;
        self.left -= n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Bounded<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.left == 0 {
            if self.inner.fill_buf()?.is_empty() {
                return Ok(&[]);
            }
            return Err(self.too_large());
        }
        let left = self.left;
        let buf = self.inner.fill_buf()?;
        let room = usize::try_from(left).map_or(buf.len(), |left| left.min(buf.len()));
        Ok(&buf[..room])
    }

    fn consume(&mut self, amount: usize) {
        self.left = self.left.saturating_sub(amount as u64);
        self.inner.consume(amount);
    }
}

/// Whether bytes start with gzip's magic number.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// The bytes of a file, decompressed when gzipped, at most [`Limits::default`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    Limits::default().read_bytes(path)
}

/// Decompresses gzipped bytes (all members), at most [`Limits::default`]; other bytes come
/// back unchanged.
///
/// ```
/// use std::io::Write;
/// let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
/// gz.write_all(b"CVE-2021-44228")?;
/// let bytes = gz.finish()?;
/// assert_eq!(exposure::files::decompress(bytes)?, b"CVE-2021-44228");
/// assert_eq!(exposure::files::decompress(b"plain".to_vec())?, b"plain");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decompress(raw: Vec<u8>) -> Result<Vec<u8>, InputError> {
    Limits::default().decompress(raw, "input")
}

/// Text from bytes: UTF-16LE after an `FF FE` mark, else UTF-8 (a UTF-8 mark dropped).
///
/// ```
/// let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("hé".encode_utf16().flat_map(u16::to_le_bytes)).collect();
/// assert_eq!(exposure::files::decode_text(utf16)?, "hé");
/// assert_eq!(exposure::files::decode_text(b"\xEF\xBB\xBFplain".to_vec())?, "plain");
/// assert!(exposure::files::decode_text(b"bad \xFF".to_vec()).is_err());
/// # Ok::<(), exposure::files::InputError>(())
/// ```
pub fn decode_text(bytes: Vec<u8>) -> Result<String, InputError> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        if rest.len() % 2 != 0 {
            return Err(InputError::NotUtf16("odd number of bytes".to_owned()));
        }
        let units = rest
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]));
        return char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|e| InputError::NotUtf16(e.to_string()));
    }
    let mut bytes = bytes;
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| InputError::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

/// The text of a file: decompressed when gzipped, decoded per [`decode_text`], at most
/// [`Limits::default`].
pub fn read_text(path: &Path) -> Result<String, InputError> {
    Limits::default().read_text(path)
}

/// A buffered reader over a file, decompressing on the fly when it is gzipped, bounded by
/// [`Limits::default`] (see [`Limits::open`]).
pub fn open(path: &Path) -> Result<Box<dyn BufRead>, InputError> {
    Limits::default().open(path)
}

/// A buffered reader over a file, gzip undone, not bounded: for readers that bound it
/// themselves (with [`Limits::bound`], whose [`Bounded::exceeded`] they ask).
pub(crate) fn open_unbounded(path: &Path) -> std::io::Result<Box<dyn BufRead>> {
    decompressing(std::io::BufReader::new(std::fs::File::open(path)?))
}

/// `reader`, gzip undone when its bytes start with gzip's magic, with no limit on the total:
/// for inputs read as a stream of records, each bounded by its reader (the JSON Lines of
/// [`crate::inventory::DeviceLines`]), whose size is not the memory they take.
///
/// ```
/// use std::io::Read;
/// let mut text = String::new();
/// exposure::files::decompressing(&b"plain"[..])?.read_to_string(&mut text)?;
/// assert_eq!(text, "plain");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn decompressing<'r, R: BufRead + 'r>(mut reader: R) -> std::io::Result<Box<dyn BufRead + 'r>> {
    let gzipped = is_gzip(reader.fill_buf()?);
    Ok(if gzipped {
        Box::new(std::io::BufReader::with_capacity(
            1 << 16,
            flate2::bufread::MultiGzDecoder::new(reader),
        ))
    } else {
        Box::new(std::io::BufReader::with_capacity(1 << 16, reader))
    })
}

/// How many first bytes of an input tell its format.
pub(crate) const HEAD: usize = 4096;

/// The first [`HEAD`] bytes of a reader (fewer when it ends sooner).
pub(crate) fn read_head(reader: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD);
    reader.take(HEAD as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// The text an input's first bytes begin, decoded as [`decode_text`] decodes the whole (a
/// character cut at the end is dropped), so that an input can be told apart, or rejected,
/// before the rest is read. Binary data (a NUL byte outside UTF-16) is an error.
pub(crate) fn head_text(head: &[u8]) -> Result<String, InputError> {
    if let Some(rest) = head.strip_prefix(&[0xFF, 0xFE]) {
        let mut units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect();
        if units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
            units.pop(); // the first half of a pair cut at the end of the head
        }
        return String::from_utf16(&units).map_err(|e| InputError::NotUtf16(e.to_string()));
    }
    let bytes = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(InputError::Binary { offset });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        // A character cut at the end of the head is not an error.
        Err(e) if e.error_len().is_none() => {
            Ok(String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned())
        }
        Err(e) => Err(InputError::NotUtf8 {
            offset: e.valid_up_to(),
        }),
    }
}

/// At most the first `len` bytes of `text`, cut at a character boundary: enough of a
/// document to tell its format by.
pub(crate) fn head(text: &str, len: usize) -> &str {
    let mut at = len.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    &text[..at]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_is_decoded_as_the_whole_would_be() {
        assert_eq!(
            head_text(b"\xEF\xBB\xBF{\"a\": \"\xC3").ok().as_deref(),
            Some("{\"a\": \"")
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "REGEDIT4 \u{1F600}"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        let cut = &utf16[..utf16.len() - 2]; // the second half of the pair cut off
        assert_eq!(head_text(cut).ok().as_deref(), Some("REGEDIT4 "));
        assert!(matches!(
            head_text(&[b' ', 0, 0]),
            Err(InputError::Binary { offset: 1 })
        ));
        assert!(matches!(
            head_text(b"ok \xFF ok"),
            Err(InputError::NotUtf8 { offset: 3 })
        ));
    }

    #[test]
    fn a_bounded_reader_stops_one_byte_past_its_limit() {
        let limits = Limits { input_bytes: 3 };
        let mut exact = limits.bound(&b"abc"[..], "exact");
        let mut out = Vec::new();
        assert_eq!(exact.read_to_end(&mut out).ok(), Some(3));
        assert!(!exact.exceeded());
        let mut over = limits.bound(&b"abcd"[..], "over");
        let err = over.fill_buf().map(<[u8]>::to_vec);
        assert_eq!(err.ok().as_deref(), Some(&b"abc"[..]));
        over.consume(3);
        let err = over.fill_buf().map(<[u8]>::len).unwrap_err();
        assert!(over.exceeded());
        assert_eq!(
            InputError::from(err).to_string(),
            "over holds more than 3 bytes once decompressed, the input size limit"
        );
    }
}
