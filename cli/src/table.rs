//! Plain-text tables of an assessment, for people at a terminal: the core's sections
//! ([`exposure::Assessment::tables`]) laid out in aligned columns.

use exposure::tables::Table;
use exposure::Assessment;
use std::fmt::Write;

/// Lays out one table: its title, then rows as left-aligned columns separated by two spaces,
/// then its notes.
fn lay_out(out: &mut String, table: &Table) {
    out.push_str(&table.title);
    out.push('\n');
    if !table.columns.is_empty() {
        let mut widths: Vec<usize> = table.columns.iter().map(|h| h.chars().count()).collect();
        for row in &table.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let header: Vec<String> = table.columns.iter().map(|h| (*h).to_owned()).collect();
        for cells in std::iter::once(&header).chain(&table.rows) {
            let mut text = String::from("  ");
            for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
                if i + 1 == cells.len() {
                    text.push_str(cell);
                } else {
                    let _ = write!(text, "{cell:<w$}  ");
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
    }
    for note in &table.notes {
        let _ = writeln!(out, "  {note}");
    }
}

/// Renders the headline and every section.
pub(crate) fn render(a: &Assessment) -> String {
    let mut out = a.headline();
    out.push_str("\n\n");
    for (i, table) in a.tables().iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        lay_out(&mut out, table);
    }
    out
}

/// Renders an explanation: its headline, then its table.
pub(crate) fn render_explanation(headline: &str, table: &Table) -> String {
    let mut out = format!("{headline}\n\n");
    lay_out(&mut out, table);
    out
}
