//! Character data of XML elements as quick-xml reports it: text and CDATA in pieces, entity
//! and character references as events of their own, joined here into the text they stand for.

use quick_xml::events::Event;

/// Appends the text an event stands for to `text`: a text or CDATA piece, or the character
/// a reference names (the five predefined entities and `&#…;`). Other events add nothing. An
/// unknown entity is an error naming it.
pub(crate) fn push_text(event: &Event<'_>, text: &mut String) -> Result<(), String> {
    match event {
        Event::Text(t) => text.push_str(&t.decode().map_err(|e| e.to_string())?),
        Event::CData(c) => text.push_str(&c.decode().map_err(|e| e.to_string())?),
        Event::GeneralRef(r) => {
            if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
                text.push(c);
            } else {
                let name = r.decode().map_err(|e| e.to_string())?;
                let value = quick_xml::escape::resolve_predefined_entity(&name)
                    .ok_or_else(|| format!("unknown entity &{name};"))?;
                text.push_str(value);
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_and_references_are_joined() {
        let mut reader = quick_xml::Reader::from_str("<t>A &amp; B &#x41;<![CDATA[<c>]]></t>");
        let mut text = String::new();
        loop {
            let event = reader.read_event().unwrap();
            if matches!(event, quick_xml::events::Event::Eof) {
                break;
            }
            super::push_text(&event, &mut text).unwrap();
        }
        assert_eq!(text, "A & B A<c>");
        let mut reader = quick_xml::Reader::from_str("<t>&nope;</t>");
        reader.read_event().unwrap();
        let event = reader.read_event().unwrap();
        assert!(super::push_text(&event, &mut String::new())
            .unwrap_err()
            .contains("&nope;"));
    }
}
