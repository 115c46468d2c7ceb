//! The assessment as JSON, written as it is serialised. The findings, most of a large fleet's
//! output (908,041 of them, a gigabyte, for 10,000 devices), are serialised in blocks on
//! every core and written in order; the rest by serde_json directly. The bytes are exactly
//! those of `serde_json::to_writer_pretty(out, &assessment)`.

use exposure::assessment::{Assessment, ScoredFinding};
use std::io::{self, Write};
use std::sync::mpsc;

/// Findings per block: about a megabyte of JSON.
const BLOCK: usize = 1024;

/// Blocks a serialising thread may have ready before the writer takes them.
const AHEAD: usize = 2;

/// A block of findings serialised as the top level of a document, `{"findings": [...]}`:
/// pretty-printed so, each finding stands at the depth it has in the assessment.
fn block(findings: &[ScoredFinding]) -> io::Result<Vec<u8>> {
    let document = std::collections::BTreeMap::from([("findings", findings)]);
    serde_json::to_vec_pretty(&document).map_err(io::Error::from)
}

/// What stands before and after a block's findings in its serialised text.
const BLOCK_HEAD: &[u8] = b"{\n  \"findings\": [";
const BLOCK_TAIL: &[u8] = b"\n  ]\n}";

/// Where the findings go in the rest of the assessment, serialised pretty.
const EMPTY_FINDINGS: &[u8] = b"\n  \"findings\": []";

/// Writes `assessment` as pretty JSON and a line break.
pub(crate) fn write(out: &mut impl Write, mut assessment: Assessment) -> io::Result<()> {
    let findings = std::mem::take(&mut assessment.findings);
    let rest = serde_json::to_vec_pretty(&assessment).map_err(io::Error::from)?;
    // The one top-level `"findings": []` (a string in the document cannot hold a line break).
    let at = rest
        .windows(EMPTY_FINDINGS.len())
        .position(|w| w == EMPTY_FINDINGS)
        .ok_or_else(|| io::Error::other("no findings field in the assessment"))?;
    let (head, tail) = rest.split_at(at + EMPTY_FINDINGS.len() - 1);
    out.write_all(head)?;
    if !findings.is_empty() {
        write_findings(out, &findings)?;
        out.write_all(b"\n  ")?;
    }
    out.write_all(tail)?;
    out.write_all(b"\n")
}

/// The findings' array elements, serialised in blocks by as many threads as there are cores
/// and written in order (a block's text without its head and tail; blocks joined by commas).
fn write_findings(out: &mut impl Write, findings: &[ScoredFinding]) -> io::Result<()> {
    let blocks: Vec<&[ScoredFinding]> = findings.chunks(BLOCK).collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, blocks.len().max(1));
    std::thread::scope(|scope| {
        let receivers: Vec<mpsc::Receiver<io::Result<Vec<u8>>>> = (0..threads)
            .map(|t| {
                let (send, receive) = mpsc::sync_channel(AHEAD);
                let mine: Vec<&[ScoredFinding]> =
                    blocks.iter().skip(t).step_by(threads).copied().collect();
                scope.spawn(move || {
                    for findings in mine {
                        // The writer stopped (it failed): nothing more to do.
                        if send.send(block(findings)).is_err() {
                            return;
                        }
                    }
                });
                receive
            })
            .collect();
        // Block i comes from thread i mod threads: taken in turn, they come in order.
        for i in 0..blocks.len() {
            let text = receivers[i % threads]
                .recv()
                .map_err(|_| io::Error::other("a serialising thread stopped"))??;
            if i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(&text[BLOCK_HEAD.len()..text.len() - BLOCK_TAIL.len()])?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same bytes as serde_json's, with findings in one block, several, or none.
    #[test]
    fn the_bytes_are_serde_jsons() {
        let demo = exposure::Engine::demo().assess(&exposure::demo::fleet());
        assert!(demo.findings.len() > 2);
        let mut many = demo.clone();
        many.findings = (0..3 * BLOCK + 7)
            .map(|i| demo.findings[i % demo.findings.len()].clone())
            .collect();
        let mut none = demo.clone();
        none.findings.clear();
        for assessment in [demo, many, none] {
            let expected = serde_json::to_string_pretty(&assessment).unwrap() + "\n";
            let mut written = Vec::new();
            write(&mut written, assessment).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), expected);
        }
    }
}
