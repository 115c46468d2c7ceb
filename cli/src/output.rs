//! How the command writes for people: colour only on a terminal (and never with `NO_COLOR`),
//! tables cut to the terminal's width, and the words a tripped gate says.

use crate::args::ColorWhen;
use exposure::filter::{FailOn, GateOutcome};
use std::io::IsTerminal;

/// How text is styled: whether to colour, and the width to cut table lines to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Style {
    /// Colour severities and levels with ANSI escapes.
    pub colour: bool,
    /// Cut table lines to this many characters (a terminal's width).
    pub width: Option<usize>,
}

impl Style {
    /// No colour, no cutting: for files and pipes.
    pub(crate) fn plain() -> Style {
        Style {
            colour: false,
            width: None,
        }
    }

    /// The style of stdout: colour as `--color` and `NO_COLOR` say, cut to the terminal.
    pub(crate) fn for_stdout(when: ColorWhen) -> Style {
        let terminal = std::io::stdout().is_terminal();
        let no_colour = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            colour: colour_wanted(when, terminal, no_colour),
            width: terminal
                .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
                .flatten(),
        }
    }

    /// `text` in the colour of a severity or level word (critical and high red, medium
    /// yellow, low and none plain), when colouring.
    pub(crate) fn word(self, text: &str) -> String {
        if !self.colour {
            return text.to_owned();
        }
        let code = match text.trim().to_ascii_lowercase().as_str() {
            "critical" | "kev" => "1;31",
            "high" => "31",
            "medium" => "33",
            "low" => "32",
            _ => return text.to_owned(),
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}

/// Whether to colour: `always`, `never`, or on a terminal without `NO_COLOR`
/// (<https://no-color.org>).
fn colour_wanted(when: ColorWhen, terminal: bool, no_colour: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => terminal && !no_colour,
    }
}

/// What a tripped gate says on stderr.
pub(crate) fn gate_message(outcome: &GateOutcome) -> String {
    let gate = match outcome.gate {
        FailOn::Severity(s) => format!("findings of severity {} or above", s.lower_name()),
        FailOn::Risk(r) => format!("findings of risk {r} or above"),
        FailOn::Kev => "KEV-listed findings".to_owned(),
        FailOn::Score(n) => format!("an exposure score of {n} or above"),
    };
    let mut parts = Vec::new();
    if outcome.findings > 0 {
        parts.push(format!("{} findings", outcome.findings));
    }
    if outcome.score_tripped {
        parts.push("the organisation's score".to_owned());
    }
    if outcome.unassessed_devices > 0 {
        parts.push(format!(
            "{} devices whose packages could not be assessed",
            outcome.unassessed_devices
        ));
    }
    format!("--fail-on: {} ({gate})", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_terminals_without_no_color() {
        assert!(colour_wanted(ColorWhen::Auto, true, false));
        assert!(!colour_wanted(ColorWhen::Auto, true, true));
        assert!(!colour_wanted(ColorWhen::Auto, false, false));
        assert!(colour_wanted(ColorWhen::Always, false, true));
        assert!(!colour_wanted(ColorWhen::Never, true, false));
        let style = Style {
            colour: true,
            width: None,
        };
        assert_eq!(style.word("HIGH"), "\x1b[31mHIGH\x1b[0m");
        assert_eq!(style.word("-"), "-");
        assert_eq!(Style::plain().word("HIGH"), "HIGH");
    }

    #[test]
    fn gates_say_what_tripped_them() {
        let outcome = GateOutcome {
            gate: FailOn::Severity(exposure::score::cvss::Severity::High),
            findings: 3,
            score_tripped: false,
            unassessed_devices: 0,
        };
        assert_eq!(
            gate_message(&outcome),
            "--fail-on: 3 findings (findings of severity high or above)"
        );
    }
}
