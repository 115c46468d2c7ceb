//! How deep a YAML document's flow collections (`[…]`, `{…}`) may nest, checked before the
//! document is parsed.
//!
//! `serde_yaml` parses with libyaml, whose scanner walks its stack of possible simple keys,
//! one per open flow collection, for every token: a document of `n` tokens nested `d` deep
//! costs `n · d`, so 50,000 nested `{a: ` in 100 KB took 14.5 s, and `serde_yaml`'s own
//! limit (128 levels) answers only after that. [`flow_depth_exceeds`] finds, in one pass,
//! where flow collections would nest deeper than a limit.
//!
//! The pass has to agree with libyaml on which `[`, `{`, `]` and `}` open and close
//! collections: one inside a quoted scalar, a comment or a tag does neither, and quoting rules
//! differ between flow and block context. Inside flow collections libyaml's tokens do not
//! depend on indentation, so the pass follows its flow-context scanner exactly (quoted
//! scalars, plain scalars, comments, tags, anchors, document markers). Where a flow
//! collection may start is undecidable without the block structure (a `[` may sit in a block
//! scalar or a plain one), so every `[` and `{` of the text is taken as a possible start, and
//! every possible reading is followed at once: for each state of the flow scanner, the
//! deepest nesting any reading has in it. The real reading is one of them, so the answer is
//! never below libyaml's depth; text such as Markdown in a block scalar reads as shallow flow
//! collections that close again.

/// Where a reading of the text is, in libyaml's flow-context scanner.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between tokens.
    Gap,
    /// In a plain scalar, after a character that is not white space.
    Plain,
    /// In a plain scalar, after white space or a line break (a `#` here starts a comment).
    PlainSpace,
    /// In a single-quoted scalar.
    Single,
    /// In a double-quoted scalar.
    Double,
    /// In a double-quoted scalar, after `\`: the next character is escaped.
    DoubleEscape,
    /// In a comment, or a directive line.
    Comment,
    /// In a tag (`!foo`).
    Tag,
    /// In a verbatim tag (`!<…>`), which may hold `[`, `]` and `,`.
    Verbatim,
    /// In an anchor or alias (`&a`, `*a`).
    Anchor,
    /// The next character is the second `'` of a `''` in a single-quoted scalar.
    SingleQuote,
    /// The next character is the `<` of `!<`.
    VerbatimOpen,
    /// The next two characters end a document marker (`---`, `...`).
    Marker2,
    /// The next character ends a document marker.
    Marker1,
}

const STATES: [State; 14] = [
    State::Gap,
    State::Plain,
    State::PlainSpace,
    State::Single,
    State::Double,
    State::DoubleEscape,
    State::Comment,
    State::Tag,
    State::Verbatim,
    State::Anchor,
    State::SingleQuote,
    State::VerbatimOpen,
    State::Marker2,
    State::Marker1,
];

/// libyaml's `IS_BREAK`.
fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml's `IS_BLANKZ`: blank, break, NUL or the end of the text.
fn is_blankz(c: Option<char>) -> bool {
    c.is_none_or(|c| matches!(c, ' ' | '\t' | '\0') || is_break(c))
}

/// The characters of a tag's handle and URI (libyaml's `scan_tag_uri` without `,[]`).
fn is_tag_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '-' | '_'
                | ';'
                | '/'
                | '?'
                | ':'
                | '@'
                | '&'
                | '='
                | '+'
                | '$'
                | '.'
                | '%'
                | '!'
                | '~'
                | '*'
                | '\''
                | '('
                | ')'
        )
}

/// The text around the character being read.
struct At<'a> {
    text: &'a str,
    /// The byte offset of the character.
    pos: usize,
    c: char,
}

impl At<'_> {
    fn c(&self) -> char {
        self.c
    }

    /// The character `n` characters on (`ahead(0)` is this one).
    fn ahead(&self, n: usize) -> Option<char> {
        self.text[self.pos..].chars().nth(n)
    }

    /// Column 0: libyaml's `mark.column == 0`.
    fn line_start(&self) -> bool {
        self.text[..self.pos]
            .chars()
            .next_back()
            .is_none_or(is_break)
    }

    /// `---` or `...` at column 0, then a blank, a break or the end.
    fn document_marker(&self) -> bool {
        let rest = &self.text.as_bytes()[self.pos..];
        (rest.starts_with(b"---") || rest.starts_with(b"..."))
            && self.line_start()
            && is_blankz(self.ahead(3))
    }
}

/// The state after the current character, read in `state`, and the change of depth it makes.
fn step(state: State, at: &At<'_>) -> (State, i32) {
    let c = at.c();
    match state {
        State::Gap => between_tokens(at),
        State::Plain => in_plain(at),
        State::PlainSpace => {
            if c == ' ' || c == '\t' || is_break(c) {
                (State::PlainSpace, 0)
            } else if c == '#' || at.document_marker() {
                between_tokens(at)
            } else {
                in_plain(at)
            }
        }
        State::Single => match (c, at.ahead(1)) {
            ('\'', Some('\'')) => (State::SingleQuote, 0),
            ('\'', _) => (State::Gap, 0),
            _ => (State::Single, 0),
        },
        State::SingleQuote => (State::Single, 0),
        State::Double => match c {
            '\\' => (State::DoubleEscape, 0),
            '"' => (State::Gap, 0),
            _ => (State::Double, 0),
        },
        State::DoubleEscape => (State::Double, 0),
        State::Comment if is_break(c) => (State::Gap, 0),
        State::Comment => (State::Comment, 0),
        State::Tag if is_tag_char(c) => (State::Tag, 0),
        State::Verbatim if is_tag_char(c) || matches!(c, ',' | '[' | ']') => (State::Verbatim, 0),
        State::Verbatim if c == '>' => (State::Gap, 0),
        State::Anchor if c.is_ascii_alphanumeric() || c == '-' || c == '_' => (State::Anchor, 0),
        State::Tag | State::Verbatim | State::Anchor => between_tokens(at),
        State::VerbatimOpen => (State::Verbatim, 0),
        State::Marker2 => (State::Marker1, 0),
        State::Marker1 => (State::Gap, 0),
    }
}

/// libyaml's `fetch_next_token` in flow context (after `scan_to_next_token`).
fn between_tokens(at: &At<'_>) -> (State, i32) {
    let c = at.c();
    match c {
        ' ' | '\t' => (State::Gap, 0),
        c if is_break(c) => (State::Gap, 0),
        '\u{feff}' if at.line_start() => (State::Gap, 0),
        '#' => (State::Comment, 0),
        '%' if at.line_start() => (State::Comment, 0),
        _ if at.document_marker() => (State::Marker2, 0),
        '[' | '{' => (State::Gap, 1),
        ']' | '}' => (State::Gap, -1),
        // In flow context `?` and `:` are always indicators; `-` is one before a blank.
        ',' | '?' | ':' => (State::Gap, 0),
        '-' if is_blankz(at.ahead(1)) => (State::Gap, 0),
        '*' | '&' => (State::Anchor, 0),
        '!' if at.ahead(1) == Some('<') => (State::VerbatimOpen, 0),
        '!' => (State::Tag, 0),
        '\'' => (State::Single, 0),
        '"' => (State::Double, 0),
        // libyaml stops at these: nothing after them is read.
        '|' | '>' | '%' | '@' | '`' | '\0' => (State::Gap, 0),
        _ => (State::Plain, 0),
    }
}

/// libyaml's plain scalar in flow context, at a character that is not white space.
fn in_plain(at: &At<'_>) -> (State, i32) {
    match at.c() {
        ' ' | '\t' => (State::PlainSpace, 0),
        c if is_break(c) => (State::PlainSpace, 0),
        ':' if is_blankz(at.ahead(1))
            || matches!(at.ahead(1), Some(',' | '?' | '[' | ']' | '{' | '}')) =>
        {
            between_tokens(at)
        }
        ',' | '[' | ']' | '{' | '}' => between_tokens(at),
        _ => (State::Plain, 0),
    }
}

/// The byte offset of the first `[` or `{` at which flow collections of `text` (read as
/// libyaml reads it) may nest deeper than `limit`, if there is one. O(length of the text);
/// text where no reading is in a flow collection is skipped to the next `[` or `{`.
pub(crate) fn flow_depth_exceeds(text: &str, limit: u32) -> Option<usize> {
    // For each state, the deepest nesting of a reading in it; 0: no reading there.
    let mut deepest = [0u32; STATES.len()];
    let mut pos = 0;
    while pos < text.len() {
        if deepest.iter().all(|&depth| depth == 0) {
            pos += text[pos..].find(['[', '{'])?;
        }
        let c = text[pos..].chars().next()?;
        let at = At { text, pos, c };
        let mut next = [0u32; STATES.len()];
        for (state, &depth) in STATES.iter().zip(&deepest) {
            if depth == 0 {
                continue;
            }
            let (to, change) = step(*state, &at);
            let depth = depth.saturating_add_signed(change);
            let slot = &mut next[to as usize];
            *slot = (*slot).max(depth);
        }
        // Any `[` or `{` may open a flow collection from block context.
        if matches!(c, '[' | '{') {
            next[State::Gap as usize] = next[State::Gap as usize].max(1);
        }
        if next.iter().any(|&depth| depth > limit) {
            return Some(pos);
        }
        deepest = next;
        pos += c.len_utf8();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::flow_depth_exceeds;

    fn deepest(text: &str) -> u32 {
        (0..=64)
            .find(|&limit| flow_depth_exceeds(text, limit).is_none())
            .unwrap_or(u32::MAX)
    }

    #[test]
    fn flow_collections_count_where_libyaml_opens_them() {
        assert_eq!(deepest("a: 1\nb: [1, [2, {c: [3]}]]\n"), 4);
        assert_eq!(deepest("[[[]]] [[]]"), 3);
        // Closing brackets inside quoted scalars, comments and verbatim tags close nothing.
        assert_eq!(deepest(r#"[ "]]]", [ 'a'']]]', [ # ]]]"#), 3);
        assert_eq!(deepest("[\n# ]]\n[ !<tag:x]]> [ ]"), 3);
        // A plain scalar ends at `]`; `#` and quotes inside one are plain characters.
        assert_eq!(deepest("[a]b, [c#]d, [e'f]"), 1);
        // Escapes: `\"` does not end a double-quoted scalar, `''` a single-quoted one.
        assert_eq!(deepest(r#"[ "\"]", [ 'it''s]', [ ] ] ]"#), 3);
    }

    #[test]
    fn every_bracket_may_open_a_collection() {
        // A `[` in a block scalar opens nothing for libyaml, but is counted all the same.
        assert_eq!(deepest("details: |\n  see [this] and [[that]]\n"), 2);
        // After a false start, quotes read as flow quoting cannot hide a real collection.
        let text = "a: |\n  [x,\n  'q\nb: [[[[[ ']' ]]]]]\n";
        assert_eq!(deepest(text), 5);
    }

    #[test]
    fn the_offset_is_that_of_the_bracket_too_deep() {
        let text = format!("id: x\nv: {}1{}", "[é".repeat(10), "]".repeat(10));
        assert_eq!(
            flow_depth_exceeds(&text, 9),
            Some("id: x\nv: ".len() + 9 * 3)
        );
        assert_eq!(flow_depth_exceeds(&text, 10), None);
    }
}
