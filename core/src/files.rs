//! Reading the files callers hand the engine: gzip is undone when the bytes start with its
//! magic number (whatever the file is called), and text is UTF-8 or, after a byte-order mark,
//! UTF-16LE (as `regedit` exports it).

use std::io::Read;
use std::path::Path;

/// Why the bytes of an input are not text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The file could not be read or decompressed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The bytes are not UTF-8 (nor UTF-16LE after a byte-order mark).
    #[error("not UTF-8 text: invalid byte at offset {offset}")]
    NotUtf8 {
        /// Offset of the first invalid byte (after decompression).
        offset: usize,
    },
    /// UTF-16LE with an odd number of bytes or an unpaired surrogate.
    #[error("not UTF-16LE text: {0}")]
    NotUtf16(String),
}

/// Whether bytes start with gzip's magic number.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// The bytes of a file, decompressed when gzipped.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    let raw = std::fs::read(path)?;
    decompress(raw)
}

/// Decompresses gzipped bytes (all members); other bytes come back unchanged.
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
    if !is_gzip(&raw) {
        return Ok(raw);
    }
    let mut out = Vec::with_capacity(raw.len() * 8);
    flate2::read::MultiGzDecoder::new(raw.as_slice()).read_to_end(&mut out)?;
    Ok(out)
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

/// The text of a file: decompressed when gzipped, decoded per [`decode_text`].
pub fn read_text(path: &Path) -> Result<String, InputError> {
    decode_text(read_bytes(path)?)
}

/// A buffered reader over a file, decompressing on the fly when it is gzipped, for inputs
/// read as a stream (NVD feeds of hundreds of megabytes).
pub fn open(path: &Path) -> Result<Box<dyn std::io::BufRead>, InputError> {
    use std::io::BufRead;
    let mut file = std::io::BufReader::new(std::fs::File::open(path)?);
    let gzipped = is_gzip(file.fill_buf()?);
    Ok(if gzipped {
        Box::new(std::io::BufReader::with_capacity(
            1 << 16,
            flate2::bufread::MultiGzDecoder::new(file),
        ))
    } else {
        Box::new(std::io::BufReader::with_capacity(1 << 16, file))
    })
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
