//! The framing of the engine's binary files (knowledge-base snapshots, assessment records):
//! a magic of 12 bytes, a format version, the payload's length and its CRC-32, then the
//! payload. Reading checks all four before anything decodes the payload, so a truncated,
//! damaged or foreign file is a clear error.
//!
//! ```text
//! magic (12) | version u32 LE | length u64 LE | crc32 u32 LE | payload
//! ```

/// Header bytes before the payload.
pub(crate) const HEADER: usize = 12 + 4 + 8 + 4;

/// Why framed bytes were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FrameError {
    /// The bytes do not start with the magic.
    NotFramed,
    /// Another format version.
    WrongVersion { found: u32 },
    /// Shorter (or longer) than the header announces.
    Truncated { expected: u64, found: u64 },
    /// The payload does not match its checksum.
    Corrupted { expected: u32, found: u32 },
}

/// `payload` framed under `magic` and `version`.
pub(crate) fn write(magic: &[u8; 12], version: u32, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(magic);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// The payload of `bytes`, checked: magic, version, length and checksum.
pub(crate) fn read<'b>(
    bytes: &'b [u8],
    magic: &[u8; 12],
    version: u32,
) -> Result<&'b [u8], FrameError> {
    let (payload, crc, rest) = read_prefix(bytes, magic, version)?;
    if !rest.is_empty() {
        return Err(FrameError::Truncated {
            expected: payload.len() as u64,
            found: (payload.len() + rest.len()) as u64,
        });
    }
    check(payload, crc)?;
    Ok(payload)
}

/// The payload of `bytes` and the bytes after it (a snapshot's head, then its body), with the
/// checksum the header gives: magic, version and length checked, the checksum left to the
/// caller ([`check`]), who may check a copy of the payload rather than the bytes themselves.
pub(crate) fn read_prefix<'b>(
    bytes: &'b [u8],
    magic: &[u8; 12],
    version: u32,
) -> Result<(&'b [u8], u32, &'b [u8]), FrameError> {
    if !bytes.starts_with(magic) {
        return Err(FrameError::NotFramed);
    }
    let (Some(found_version), Some(length), Some(crc)) = (
        bytes.get(12..16).and_then(|b| <[u8; 4]>::try_from(b).ok()),
        bytes.get(16..24).and_then(|b| <[u8; 8]>::try_from(b).ok()),
        bytes.get(24..28).and_then(|b| <[u8; 4]>::try_from(b).ok()),
    ) else {
        return Err(FrameError::Truncated {
            expected: 0,
            found: 0,
        });
    };
    let found_version = u32::from_le_bytes(found_version);
    if found_version != version {
        return Err(FrameError::WrongVersion {
            found: found_version,
        });
    }
    let length = u64::from_le_bytes(length);
    let after = &bytes[HEADER..];
    let Some(payload) = usize::try_from(length).ok().and_then(|n| after.get(..n)) else {
        return Err(FrameError::Truncated {
            expected: length,
            found: after.len() as u64,
        });
    };
    Ok((payload, u32::from_le_bytes(crc), &after[payload.len()..]))
}

/// Whether `payload` has the checksum `expected`.
pub(crate) fn check(payload: &[u8], expected: u32) -> Result<(), FrameError> {
    let found = crc32fast::hash(payload);
    if expected == found {
        Ok(())
    } else {
        Err(FrameError::Corrupted { expected, found })
    }
}

#[cfg(test)]
mod tests {
    use super::{read, write, FrameError};

    const MAGIC: &[u8; 12] = b"EXPOSURE-TST";

    #[test]
    fn frames_round_trip_and_every_damage_is_named() {
        let framed = write(MAGIC, 3, b"payload");
        assert_eq!(read(&framed, MAGIC, 3), Ok(&b"payload"[..]));
        assert_eq!(read(b"nope", MAGIC, 3), Err(FrameError::NotFramed));
        assert_eq!(
            read(&framed, MAGIC, 4),
            Err(FrameError::WrongVersion { found: 3 })
        );
        assert_eq!(
            read(&framed[..framed.len() - 1], MAGIC, 3),
            Err(FrameError::Truncated {
                expected: 7,
                found: 6
            })
        );
        assert!(matches!(
            read(&framed[..20], MAGIC, 3),
            Err(FrameError::Truncated { .. })
        ));
        let mut damaged = framed.clone();
        *damaged.last_mut().unwrap_or(&mut 0) ^= 1;
        assert!(matches!(
            read(&damaged, MAGIC, 3),
            Err(FrameError::Corrupted { .. })
        ));
    }
}
