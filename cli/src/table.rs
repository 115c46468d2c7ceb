//! Plain-text tables of an assessment, for people at a terminal: the core's sections
//! ([`exposure::Assessment::tables`]) laid out in aligned columns.

use crate::output::Style;
use exposure::tables::Table;
use exposure::Assessment;
use std::fmt::Write;

/// The columns whose words are coloured (severities, levels, the KEV flag).
const COLOURED: [&str; 3] = ["severity", "level", "kev"];

/// Lays out one table: its title, then rows as left-aligned columns separated by two spaces
/// (the last column cut to `style.width` with `…`, coloured words after padding), then its
/// notes.
fn lay_out(out: &mut String, table: &Table, style: Style) {
    out.push_str(&table.title);
    out.push('\n');
    if !table.columns.is_empty() {
        let mut widths: Vec<usize> = table.columns.iter().map(|h| h.chars().count()).collect();
        for row in &table.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        // What the last column may take: the terminal's width less the indentation and
        // the other columns.
        let fixed: usize = 2 + widths.iter().rev().skip(1).map(|w| w + 2).sum::<usize>();
        let last_room = style.width.map(|w| w.saturating_sub(fixed).max(8));
        let coloured: Vec<bool> = table.columns.iter().map(|c| COLOURED.contains(c)).collect();
        let header: Vec<String> = table.columns.iter().map(|h| (*h).to_owned()).collect();
        for (r, cells) in std::iter::once(&header).chain(&table.rows).enumerate() {
            let mut text = String::from("  ");
            for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
                if i + 1 == cells.len() {
                    text.push_str(&cut(cell, last_room));
                } else if r > 0 && coloured.get(i) == Some(&true) {
                    let pad = w - cell.chars().count();
                    let _ = write!(text, "{}{}  ", style.word(cell), " ".repeat(pad));
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

/// `text` cut to `room` characters with an ellipsis, when longer.
fn cut(text: &str, room: Option<usize>) -> String {
    match room {
        Some(room) if text.chars().count() > room => {
            let mut kept: String = text.chars().take(room.saturating_sub(1)).collect();
            kept.push('…');
            kept
        }
        _ => text.to_owned(),
    }
}

/// Renders the headline and every section.
pub(crate) fn render(a: &Assessment, style: Style) -> String {
    let mut out = String::new();
    for (i, line) in a.headline().lines().enumerate() {
        if i == 0 {
            // The level word coloured: `... score: 93.5 (high) ...`.
            let level = a.organisation.level.name();
            out.push_str(&line.replacen(
                &format!("({level})"),
                &format!("({})", style.word(level)),
                1,
            ));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push('\n');
    for (i, table) in a.tables().iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        lay_out(&mut out, table, style);
    }
    out
}

/// Renders an explanation: its headline, then its table.
pub(crate) fn render_explanation(headline: &str, table: &Table) -> String {
    let mut out = format!("{headline}\n\n");
    lay_out(&mut out, table, Style::plain());
    out
}

/// Serialisable rows as cells: a header of the first row's field names (in the order the row
/// declares them), then each row's values as text (numbers with at most four decimals, lists
/// joined by `, `).
pub(crate) fn rows<T: serde::Serialize>(rows: &[T]) -> Result<Vec<Vec<String>>, String> {
    let mut out: Vec<Vec<String>> = Vec::with_capacity(rows.len() + 1);
    for row in rows {
        let text = serde_json::to_string(row).map_err(|e| e.to_string())?;
        let Fields(fields) = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        if out.is_empty() {
            out.push(fields.iter().map(|(k, _)| k.clone()).collect());
        }
        out.push(fields.iter().map(|(_, v)| cell(v)).collect());
    }
    Ok(out)
}

/// An object's fields in the order written (serde_json's own map sorts them).
struct Fields(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Fields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Fields;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Fields, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry::<String, serde_json::Value>()? {
                    fields.push(entry);
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// One value as a table cell.
fn cell(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) => {
                let text = format!("{f:.4}");
                text.trim_end_matches('0').trim_end_matches('.').to_owned()
            }
            _ => n.to_string(),
        },
        serde_json::Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(", "),
        // A nested row (a device's top recommendations) by its id.
        serde_json::Value::Object(fields) => {
            fields.get("id").map_or_else(|| value.to_string(), cell)
        }
        serde_json::Value::Bool(b) => b.to_string(),
    }
}

/// Cells laid out in left-aligned columns separated by two spaces (the first row a header).
pub(crate) fn aligned(cells: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for row in cells {
        for (i, c) in row.iter().enumerate() {
            let w = c.chars().count();
            match widths.get_mut(i) {
                Some(old) => *old = (*old).max(w),
                None => widths.push(w),
            }
        }
    }
    let mut out = String::new();
    for row in cells {
        let mut line = String::new();
        for (i, (c, w)) in row.iter().zip(&widths).enumerate() {
            if i + 1 == row.len() {
                line.push_str(c);
            } else {
                let _ = write!(line, "{c:<w$}  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_column_is_cut_to_the_width_and_words_coloured_after_padding() {
        let table = Table {
            title: "T".to_owned(),
            columns: vec!["severity", "title"],
            rows: vec![vec![
                "HIGH".to_owned(),
                "a very long title indeed".to_owned(),
            ]],
            notes: Vec::new(),
        };
        let mut out = String::new();
        let style = Style {
            colour: true,
            width: Some(22),
        };
        lay_out(&mut out, &table, style);
        let row = out.lines().nth(2).unwrap();
        assert_eq!(row, "  \x1b[31mHIGH\x1b[0m      a very lo…");
        assert_eq!(cut("short", Some(8)), "short");
        let mut plain = String::new();
        lay_out(&mut plain, &table, Style::plain());
        assert!(plain.contains("a very long title indeed"));
    }
}
