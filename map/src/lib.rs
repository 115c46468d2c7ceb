//! Read-only memory mappings of files, for opening exposure's knowledge-base snapshots in
//! place (the pages a query touches are read from the page cache, the rest never, and every
//! process or engine that maps one file shares its pages) and for reading a large batch
//! from stdin without copying it through `read`.
//!
//! This crate holds the mapping's one `unsafe` call, so that the engine (`exposure`) stays
//! free of `unsafe` code and only ever sees a [`Mapping`] as bytes (`AsRef<[u8]>`).
//!
//! # Why the mapping is sound to use as the engine uses it
//!
//! A mapping of a file is memory that another program can change (by writing the file in
//! place) or take away (by truncating it), which a `&[u8]` promises cannot happen. The
//! engine's use keeps both from becoming memory unsafety:
//!
//! - **Changed bytes are never trusted.** The engine copies what it keeps out of the
//!   mapping before checking it: the snapshot's head (its indexes, checked by CRC-32 at
//!   open, then read from the copy), and each advisory's record (copied, checked against its
//!   own CRC-32, decoded from the copy). Bytes that change underneath are at worst a check
//!   that fails — an error or a damaged record, which refuses the assessment — never a
//!   decoding of bytes other than those checked. No pointer, length or offset is read from
//!   the mapping without that copy.
//! - **The command's batch modes copy before they read.** A large file redirected to
//!   `exposure`'s stdin is mapped; only the ends of its lines are looked for in the mapping,
//!   and each chunk of lines is copied into a buffer of the answering thread's own before
//!   any line is checked (as UTF-8) and answered. A file changed underneath gives other
//!   lines, never a line that changes after it was checked.
//! - **The engine's own writers never change a mapped file.** Snapshots are written to a
//!   temporary file and renamed over the old one (`KnowledgeBase::save_snapshot`, `kb
//!   update`): a process that mapped the old file keeps reading the old inode, whole, until
//!   it drops the mapping.
//! - **Truncation by another program** is the one hazard no copy can prevent: touching a page
//!   past the new end raises `SIGBUS`, which ends the process (as for every program that maps
//!   files: databases, search tools, loaders). Where that is not acceptable, read the file
//!   instead (`KnowledgeBase::read_snapshot` in the engine).
//!
//! ```
//! use std::io::Write;
//! let path = std::env::temp_dir().join(format!("exposure-map-doc-{}", std::process::id()));
//! std::fs::File::create(&path)?.write_all(b"EXPOSURE-KB\0")?;
//! let mapping = exposure_map::Mapping::open(&path)?;
//! assert_eq!(mapping.as_ref(), b"EXPOSURE-KB\0");
//! # std::fs::remove_file(path)?;
//! # Ok::<(), std::io::Error>(())
//! ```

use std::fs::File;
use std::path::Path;

/// A file mapped read-only into memory, as bytes.
#[derive(Debug)]
pub struct Mapping {
    map: Option<memmap2::Mmap>,
}

impl Mapping {
    /// Maps the file at `path` read-only.
    pub fn open(path: &Path) -> std::io::Result<Mapping> {
        Mapping::of(&File::open(path)?)
    }

    /// Maps an open file read-only. An empty file is an empty mapping (the system maps no
    /// zero-length region).
    ///
    /// ```
    /// let file = tempfile_of(b"");
    /// assert!(exposure_map::Mapping::of(&file)?.as_ref().is_empty());
    /// # fn tempfile_of(bytes: &[u8]) -> std::fs::File {
    /// #     let path = std::env::temp_dir().join(format!("exposure-map-empty-{}", std::process::id()));
    /// #     std::fs::write(&path, bytes).unwrap();
    /// #     let file = std::fs::File::open(&path).unwrap();
    /// #     std::fs::remove_file(&path).unwrap();
    /// #     file
    /// # }
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn of(file: &File) -> std::io::Result<Mapping> {
        Mapping::map(file, false)
    }

    /// Maps an open file read-only with all of its pages at once (`MAP_POPULATE` on Linux,
    /// read ahead from the disk if they are not cached), for a file about to be read
    /// whole: one call instead of a page fault per few pages as it is read.
    ///
    /// ```
    /// let path = std::env::temp_dir().join(format!("exposure-map-whole-{}", std::process::id()));
    /// std::fs::write(&path, b"1.0.0\t2.0.0\n")?;
    /// let mapping = exposure_map::Mapping::populated(&std::fs::File::open(&path)?)?;
    /// assert_eq!(mapping.as_ref(), b"1.0.0\t2.0.0\n");
    /// # std::fs::remove_file(path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn populated(file: &File) -> std::io::Result<Mapping> {
        Mapping::map(file, true)
    }

    fn map(file: &File, populate: bool) -> std::io::Result<Mapping> {
        if file.metadata()?.len() == 0 {
            return Ok(Mapping { map: None });
        }
        let mut options = memmap2::MmapOptions::new();
        if populate {
            options.populate();
        }
        // SAFETY: `Mmap::map` is unsafe because the file may change while mapped. The bytes
        // are only read through `AsRef<[u8]>`: by the engine, which copies every part it
        // keeps out of the mapping before checking it against its checksum and never reads
        // an offset or length from the mapping without that copy, and by the command's
        // batch modes, which look for line ends in the mapping (offsets used only as bounds
        // within its fixed length) and copy each chunk of lines before checking a line as
        // UTF-8 and answering it (see the crate's documentation). The engine's own writers
        // replace snapshot files by renaming, never in place. The remaining hazard,
        // truncation by another program, ends the process with SIGBUS rather than reading
        // memory out of bounds.
        #[allow(unsafe_code)]
        let map = unsafe { options.map(file)? };
        Ok(Mapping { map: Some(map) })
    }
}

impl AsRef<[u8]> for Mapping {
    fn as_ref(&self) -> &[u8] {
        self.map.as_deref().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::Mapping;

    #[test]
    fn a_file_replaced_by_rename_stays_mapped_as_it_was() {
        let dir = std::env::temp_dir().join(format!("exposure-map-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("kb.bin");
        std::fs::write(&path, b"first version").unwrap();
        let mapping = Mapping::open(&path).unwrap();
        let next = dir.join("kb.bin.tmp");
        std::fs::write(&next, b"second, longer version").unwrap();
        std::fs::rename(&next, &path).unwrap();
        assert_eq!(mapping.as_ref(), b"first version");
        assert_eq!(
            Mapping::open(&path).unwrap().as_ref(),
            b"second, longer version"
        );
        assert!(Mapping::open(&dir.join("missing")).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
