//! Maven `pom.xml` (`pkg:maven/group/artifact`): the `<dependency>` elements of the
//! project's `<dependencies>` and `<dependencyManagement>` (those of profiles and plugins
//! are noted as not read), with literal versions or `${property}`
//! versions resolved from the same file's `<properties>` (and `project.version`,
//! `project.parent.version`). A dependency whose version is left to a parent POM or a BOM, an
//! unresolved property or a version range is reported: what the build resolves it to is not
//! in this file.

use super::File;
use quick_xml::events::Event;
use std::collections::HashMap;

/// The deepest element nesting read; a deeper document is refused (a POM is a few levels
/// deep).
const MAX_DEPTH: usize = 64;

/// One `<dependency>` as written.
#[derive(Default)]
struct Dependency {
    line: usize,
    group: String,
    artifact: String,
    version: Option<String>,
}

/// Reads a `pom.xml`.
pub(super) fn read(text: &str, file: &mut File<'_>) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut path: Vec<String> = Vec::new();
    let mut content = String::new();
    let mut properties: HashMap<String, String> = HashMap::new();
    let mut dependencies: Vec<Dependency> = Vec::new();
    let mut current: Option<Dependency> = None;
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {offset}: {e}"))?;
        match &event {
            Event::Start(e) => {
                if path.len() >= MAX_DEPTH {
                    return Err(format!("elements nested deeper than {MAX_DEPTH}"));
                }
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "dependency" {
                    let line = text.get(..offset).map_or(0, |t| t.matches('\n').count()) + 1;
                    if is_dependency_list(&path) {
                        current = Some(Dependency {
                            line,
                            ..Dependency::default()
                        });
                    } else {
                        // A profile's or a plugin's: used only when the build activates it.
                        file.note(
                            &format!("line {line}"),
                            &path.join("/"),
                            "a dependency of a profile or plugin: not read",
                        );
                    }
                }
                path.push(name);
                content.clear();
            }
            Event::End(_) => {
                let value = std::mem::take(&mut content).trim().to_owned();
                let name = path.pop().unwrap_or_default();
                let parent: Vec<&str> = path.iter().map(String::as_str).collect();
                match (parent.as_slice(), name.as_str()) {
                    (["project", "properties"], key) => {
                        properties.insert(key.to_owned(), value);
                    }
                    (["project"], "version") => {
                        properties.insert("project.version".into(), value);
                    }
                    (["project", "parent"], "version") => {
                        properties.insert("project.parent.version".into(), value);
                    }
                    (_, "dependency") if is_dependency_list(&path) => {
                        dependencies.extend(current.take());
                    }
                    ([.., "dependency"], field) if is_dependency_list(&path[..path.len() - 1]) => {
                        if let Some(d) = current.as_mut() {
                            match field {
                                "groupId" => d.group = value,
                                "artifactId" => d.artifact = value,
                                "version" => d.version = Some(value),
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            other => crate::xml::push_text(other, &mut content)
                .map_err(|e| format!("at byte {offset}: {e}"))?,
        }
    }
    if !properties.contains_key("project.version") {
        if let Some(v) = properties.get("project.parent.version").cloned() {
            properties.insert("project.version".into(), v);
        }
    }
    for d in dependencies {
        let record = format!("line {} {}:{}", d.line, d.group, d.artifact);
        if d.group.is_empty() || d.artifact.is_empty() {
            file.skip(&record, "groupId", "no groupId or artifactId");
            continue;
        }
        let Some(version) = d.version.filter(|v| !v.is_empty()) else {
            file.skip(
                &record,
                "version",
                "no version: it is managed by a parent POM or a BOM not read",
            );
            continue;
        };
        match resolve(&version, &properties) {
            Ok(v) if v.starts_with(['[', '(']) || v.contains(',') => file.skip(
                &record,
                "version",
                format!("{v:?} is a version range, not a version"),
            ),
            Ok(v) => file.package(&record, "maven", Some(&d.group), &d.artifact, &v),
            Err(name) => file.skip(
                &record,
                "version",
                format!("{version:?}: property {name:?} is not defined in this file"),
            ),
        }
    }
    Ok(())
}

/// Whether elements at `path` are a list of dependencies: `project/dependencies` or
/// `project/dependencyManagement/dependencies`.
fn is_dependency_list(path: &[String]) -> bool {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    matches!(
        path.as_slice(),
        ["project", "dependencies"] | ["project", "dependencyManagement", "dependencies"]
    )
}

/// A version with its `${name}` references replaced by properties (one level: a property
/// whose value refers to another is resolved once more, at most eight times in all).
fn resolve(version: &str, properties: &HashMap<String, String>) -> Result<String, String> {
    let mut text = version.to_owned();
    for _ in 0..8 {
        let Some(start) = text.find("${") else {
            return Ok(text);
        };
        let Some(len) = text[start..].find('}') else {
            return Err(text[start..].to_owned());
        };
        let name = &text[start + 2..start + len];
        let value = properties.get(name).ok_or_else(|| name.to_owned())?;
        text = format!("{}{}{}", &text[..start], value, &text[start + len + 1..]);
    }
    Err(text)
}
