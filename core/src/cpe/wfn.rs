//! The WFN text form (NISTIR 7695 §5.4): `wfn:[part="a",vendor="microsoft",edition=ANY]`.
//! Attributes left out are ANY; string values are in double quotes, in the WFN's quoting.

use super::value::{decode_quoted, Value};
use super::{Attribute, Cpe, CpeError, CpeErrorKind};

/// Parses WFN text; white space around names, `=` and `,` is allowed.
pub(super) fn parse(input: &str) -> Result<Cpe, CpeError> {
    let syntax = |at: usize, what: &'static str| {
        CpeError::new(input, at, None, CpeErrorKind::WfnSyntax(what))
    };
    let bytes = input.as_bytes();
    if bytes.len() < 5 || !bytes[..5].eq_ignore_ascii_case(b"wfn:[") {
        return Err(CpeError::new(input, 0, None, CpeErrorKind::Prefix));
    }
    if !input.ends_with(']') {
        return Err(syntax(input.len(), "missing ] at the end"));
    }
    let end = input.len() - 1;
    let mut values: [Option<Value>; 11] = std::array::from_fn(|_| None);
    let mut i = 5;
    let skip_space = |i: &mut usize| {
        while *i < end && bytes[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip_space(&mut i);
    while i < end {
        let name_start = i;
        while i < end && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        let name = &input[name_start..i];
        let attribute = Attribute::from_name(&name.to_ascii_lowercase())
            .filter(|a| values[*a as usize].is_none())
            .ok_or_else(|| {
                CpeError::new(
                    input,
                    name_start,
                    None,
                    CpeErrorKind::WfnAttribute(name.to_owned()),
                )
            })?;
        skip_space(&mut i);
        if bytes.get(i) != Some(&b'=') {
            return Err(syntax(i, "expected = after the attribute name"));
        }
        i += 1;
        skip_space(&mut i);
        let value = if bytes.get(i) == Some(&b'"') {
            let start = i + 1;
            let mut j = start;
            while j < end && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            if j >= end {
                return Err(syntax(start, "unterminated quoted value"));
            }
            let err = |(at, kind)| CpeError::new(input, at, Some(attribute), kind);
            // In WFN text every character but letters, digits and `_` is quoted.
            let value = decode_quoted(
                &input[start..j],
                start,
                |_| false,
                |b| b.is_ascii_graphic() && !b.is_ascii_alphanumeric() && b != b'_',
            )
            .map_err(err)?;
            i = j + 1;
            value
        } else {
            let word_start = i;
            while i < end && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            match &input[word_start..i] {
                "ANY" => Value::Any,
                "NA" => Value::Na,
                _ => return Err(syntax(word_start, "expected ANY, NA or a quoted value")),
            }
        };
        values[attribute as usize] = Some(value);
        skip_space(&mut i);
        if i < end {
            if bytes[i] != b',' {
                return Err(syntax(i, "expected , between attributes"));
            }
            i += 1;
            skip_space(&mut i);
            if i >= end {
                return Err(syntax(i, "attribute expected after ,"));
            }
        }
    }
    Cpe::from_values(Box::new(values.map(|v| v.unwrap_or(Value::Any))))
        .map_err(|(attribute, kind)| CpeError::new(input, 5, Some(attribute), kind))
}

/// WFN text with all eleven attributes, `, ` between them (the form the `cpe` package
/// prints, which NISTIR's examples also use without the spaces).
pub(super) fn bind(cpe: &Cpe) -> String {
    let mut out = String::from("wfn:[");
    for (i, attribute) in Attribute::ALL.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(attribute.name());
        out.push('=');
        match cpe.get(attribute) {
            Value::Any => out.push_str("ANY"),
            Value::Na => out.push_str("NA"),
            Value::Text(text) => {
                out.push('"');
                out.push_str(text);
                out.push('"');
            }
        }
    }
    out.push(']');
    out
}
