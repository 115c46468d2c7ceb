//! What an installed-program entry is and what its display name says: hotfixes, drivers,
//! language packs and components told apart from applications (only applications get a
//! product name), and a display name split into the words that must be explained, the words
//! that may be (architecture, language, parenthesised remarks) and the versions it carries.

use super::vocabulary::{is_version_word, name_words};
use serde::Serialize;

/// What an installed-program entry is.
///
/// ```
/// use exposure::cpe::ProgramKind;
/// assert_eq!(ProgramKind::LanguagePack.as_str(), "language-pack");
/// assert_eq!("update".parse::<ProgramKind>(), Ok(ProgramKind::Update));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProgramKind {
    /// A program a user or administrator installs: named when NVD knows it.
    Application,
    /// A hotfix, security update, service pack or other `KB…` entry: it changes another
    /// product and is never named itself.
    Update,
    /// A device driver.
    Driver,
    /// A language pack, MUI, proofing tool or dictionary.
    LanguagePack,
    /// A part of Windows or of another product that NVD does not list on its own (runtimes'
    /// minimum parts, updaters, setup metadata, fonts).
    Component,
}

impl ProgramKind {
    /// Every kind.
    pub const ALL: [ProgramKind; 5] = [
        ProgramKind::Application,
        ProgramKind::Update,
        ProgramKind::Driver,
        ProgramKind::LanguagePack,
        ProgramKind::Component,
    ];

    /// The kind's name (`application`, `update`, `driver`, `language-pack`, `component`).
    pub fn as_str(self) -> &'static str {
        match self {
            ProgramKind::Application => "application",
            ProgramKind::Update => "update",
            ProgramKind::Driver => "driver",
            ProgramKind::LanguagePack => "language-pack",
            ProgramKind::Component => "component",
        }
    }
}

impl std::fmt::Display for ProgramKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ProgramKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        ProgramKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown program kind {s:?}"))
    }
}

/// A phrase that makes an entry a kind: words in sequence, anywhere in the name or (`^`) at
/// its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KindPhrase {
    pub kind: ProgramKind,
    pub words: Vec<String>,
    pub at_start: bool,
}

impl KindPhrase {
    /// Reads `^security update for` or `language pack`.
    pub(crate) fn new(kind: ProgramKind, phrase: &str) -> Self {
        let at_start = phrase.starts_with('^');
        KindPhrase {
            kind,
            words: name_words(phrase.trim_start_matches('^')),
            at_start,
        }
    }

    fn occurs_in(&self, words: &[String]) -> bool {
        let n = self.words.len();
        if n == 0 || words.len() < n {
            return false;
        }
        if self.at_start {
            return words[..n] == self.words[..];
        }
        words.windows(n).any(|w| w == self.words.as_slice())
    }
}

/// A `KB` and five to eight digits (`KB2079403`, `KB2536276-v2`).
fn is_kb_number(word: &str) -> bool {
    word.strip_prefix("kb").is_some_and(|rest| {
        let digits = rest.split('-').next().unwrap_or_default();
        (5..=8).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
    })
}

/// A build stamp rather than a version: `20090308.140743`, `20080414`.
pub(crate) fn is_date_stamp(version: &str) -> bool {
    let head = version.split('.').next().unwrap_or_default();
    head.len() == 8
        && head.chars().all(|c| c.is_ascii_digit())
        && (head.starts_with("19") || head.starts_with("20"))
}

/// The kind of an entry and the rule that told it: a KB number (`kb-number`), a phrase of
/// the alias table (`phrase:update`), a service pack entry without a version of its own
/// (`service-pack`), else an application (`default`).
pub(crate) fn classify(
    phrases: &[KindPhrase],
    name: &str,
    version: &str,
) -> (ProgramKind, &'static str) {
    let words = name_words(name);
    if words.iter().any(|w| is_kb_number(w)) {
        return (ProgramKind::Update, "kb-number");
    }
    if let Some(p) = phrases.iter().find(|p| p.occurs_in(&words)) {
        let rule = match p.kind {
            ProgramKind::Update => "phrase:update",
            ProgramKind::Driver => "phrase:driver",
            ProgramKind::LanguagePack => "phrase:language-pack",
            ProgramKind::Component => "phrase:component",
            ProgramKind::Application => "phrase:application",
        };
        return (p.kind, rule);
    }
    let version = version.trim();
    let service_pack = words
        .windows(3)
        .any(|w| w[0] == "service" && w[1] == "pack" && w[2].chars().all(|c| c.is_ascii_digit()));
    if service_pack && (version.is_empty() || is_date_stamp(version)) {
        return (ProgramKind::Update, "service-pack");
    }
    (ProgramKind::Application, "default")
}

/// A display name taken apart for matching.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ProgramName {
    /// Words the product name must explain (`adobe`, `flash`, `player`).
    pub required: Vec<String>,
    /// Words that may match but need not (versions, noise, parenthesised remarks).
    pub optional: Vec<String>,
    /// Version-like words, in order (`10.0.2`).
    pub versions: Vec<String>,
}

/// A language tag such as `en-us`, `fr-fr`, `zh-hans`.
fn is_language_tag(word: &str) -> bool {
    word.split_once('-').is_some_and(|(a, b)| {
        a.len() == 2
            && (2..=4).contains(&b.len())
            && a.chars().chain(b.chars()).all(|c| c.is_ascii_lowercase())
    })
}

impl ProgramName {
    /// Splits a display name; `noise` words (architecture, editions, languages) and
    /// parenthesised words are optional, as are version-like words and the word of the
    /// display version itself.
    pub(crate) fn parse(name: &str, version: &str, noise: &dyn Fn(&str) -> bool) -> Self {
        let version = version.trim().to_lowercase();
        let mut out = ProgramName::default();
        let mut depth = 0usize;
        let mut segment = String::new();
        let flush = |segment: &mut String, parenthesised: bool, out: &mut ProgramName| {
            for word in name_words(segment) {
                let versionish = is_version_word(&word) || word == version;
                if versionish {
                    out.versions
                        .push(word.strip_prefix('v').unwrap_or(&word).to_owned());
                }
                if parenthesised || versionish || noise(&word) || is_language_tag(&word) {
                    out.optional.push(word);
                } else {
                    out.required.push(word);
                }
            }
            segment.clear();
        };
        for c in name.chars() {
            match c {
                '(' | '[' => {
                    flush(&mut segment, depth > 0, &mut out);
                    depth += 1;
                }
                ')' | ']' => {
                    flush(&mut segment, depth > 0, &mut out);
                    depth = depth.saturating_sub(1);
                }
                c => segment.push(c),
            }
        }
        flush(&mut segment, depth > 0, &mut out);
        // A word that repeats another with a number (`Tomcat9` after `Tomcat`) says nothing
        // more.
        let repeats: Vec<String> = out
            .required
            .iter()
            .filter(|w| {
                let stem = w.trim_end_matches(|c: char| c.is_ascii_digit());
                stem.len() < w.len() && out.required.iter().any(|o| o == stem)
            })
            .cloned()
            .collect();
        out.required.retain(|w| !repeats.contains(w));
        out.optional.extend(repeats);
        // A name made of remarks only (`(SuRun)`) keeps them.
        if out.required.is_empty() {
            out.required = out
                .optional
                .iter()
                .filter(|w| !is_version_word(w) && !noise(w))
                .cloned()
                .collect();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases() -> Vec<KindPhrase> {
        vec![
            KindPhrase::new(ProgramKind::Update, "^security update for"),
            KindPhrase::new(ProgramKind::LanguagePack, "mui"),
            KindPhrase::new(ProgramKind::Driver, "driver"),
        ]
    }

    #[test]
    fn kinds() {
        let p = phrases();
        let kind = |n: &str, v: &str| classify(&p, n, v);
        assert_eq!(
            kind("Security Update for Windows XP (KB2079403)", "1"),
            (ProgramKind::Update, "kb-number")
        );
        assert_eq!(
            kind("Windows Media Player 10 Hotfix - KB888656", ""),
            (ProgramKind::Update, "kb-number")
        );
        assert_eq!(
            kind("Security Update for Acme", ""),
            (ProgramKind::Update, "phrase:update")
        );
        assert_eq!(
            kind("Microsoft Office Excel MUI (English) 2010", "14.0"),
            (ProgramKind::LanguagePack, "phrase:language-pack")
        );
        assert_eq!(
            kind("Windows XP Service Pack 3", "20080414.031525"),
            (ProgramKind::Update, "service-pack")
        );
        assert_eq!(
            kind("Microsoft .NET Framework 3.0 Service Pack 2", "3.2.30729"),
            (ProgramKind::Application, "default")
        );
        assert_eq!(
            kind("Realtek Audio Driver", "6.0"),
            (ProgramKind::Driver, "phrase:driver")
        );
        assert_eq!(
            kind("KBase Editor", "1.0"),
            (ProgramKind::Application, "default")
        );
    }

    #[test]
    fn names() {
        let noise = |w: &str| matches!(w, "x86" | "x64");
        let n = ProgramName::parse("Mozilla Firefox 10.0.2 (x86 en-US)", "10.0.2", &noise);
        assert_eq!(n.required, ["mozilla", "firefox"]);
        assert_eq!(n.optional, ["10.0.2", "x86", "en-us"]);
        assert_eq!(n.versions, ["10.0.2"]);
        let n = ProgramName::parse("Super User Run (SuRun)", "1.2.0.8", &noise);
        assert_eq!(n.required, ["super", "user", "run"]);
        let n = ProgramName::parse("Iceows V4.20a", "", &noise);
        assert_eq!(n.versions, ["4.20a"]);
        assert!(is_date_stamp("20090308.140743") && !is_date_stamp("11.0.2100.60"));
    }
}
