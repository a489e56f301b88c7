//! Progress bars on the terminal (indicatif): installed as the library's progress sink only when
//! stderr is a terminal that can draw them, so piped or redirected output stays as it was. Each
//! bar is cleared when its work ends; `NO_COLOR` (any non-empty value) draws them without colour.

use crate::progress::{Bar, Sink, Unit};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::ffi::OsStr;
use std::time::Duration;

/// How bars are drawn, decided once from the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub colour: bool,
}

/// Whether to draw bars, and how: only on a terminal (`stderr_is_terminal`) that is not
/// `TERM=dumb` (an unset `TERM` counts as dumb: nothing says the terminal moves its cursor), in
/// colour unless `NO_COLOR` is set to something.
pub fn look(stderr_is_terminal: bool, term: Option<&OsStr>, no_color: Option<&OsStr>) -> Option<Look> {
    let drawable = term.is_some_and(|t| !t.is_empty() && t != "dumb");
    (stderr_is_terminal && drawable).then(|| Look { colour: no_color.is_none_or(OsStr::is_empty) })
}

/// Installs terminal bars as the progress sink when stderr can show them.
pub fn install_on_terminal() {
    use std::io::IsTerminal;
    let term = std::env::var_os("TERM");
    let no_color = std::env::var_os("NO_COLOR");
    if let Some(look) = look(std::io::stderr().is_terminal(), term.as_deref(), no_color.as_deref()) {
        crate::progress::install(Box::new(TerminalBars::new(look)));
    }
}

/// Bars drawn together on stderr: work that runs at the same time gets one line each.
struct TerminalBars {
    multi: MultiProgress,
    look: Look,
}

impl TerminalBars {
    fn new(look: Look) -> TerminalBars {
        TerminalBars { multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()), look }
    }
}

/// The indicatif template for a unit, with or without colour. The label comes last so a narrow
/// terminal cuts it rather than wrapping the line; the rest leaves it 30 columns of 80.
fn template(total_known: bool, unit: Unit, colour: bool) -> String {
    let (bar, spinner) = if colour { ("{bar:24.cyan/blue}", "{spinner:.cyan}") } else { ("{bar:24}", "{spinner}") };
    match (total_known, unit) {
        (true, Unit::Bytes) => format!("{bar} {{binary_bytes:>9}}/{{binary_total_bytes}} {{eta:>3}}  {{wide_msg}}"),
        (true, Unit::Items(what)) => format!("{bar} {{human_pos}}/{{human_len}} {what} {{eta:>3}}  {{wide_msg}}"),
        (false, Unit::Bytes) => format!("{spinner} {{binary_bytes:>9}}  {{wide_msg}}"),
        (false, Unit::Items(what)) => format!("{spinner} {{human_pos}} {what}  {{wide_msg}}"),
    }
}

impl Sink for TerminalBars {
    fn start(&self, label: &str, total: Option<u64>, unit: Unit) -> Box<dyn Bar> {
        let style = ProgressStyle::with_template(&template(total.is_some(), unit, self.look.colour))
            .expect("the templates are fixed and valid")
            .progress_chars("=> ");
        // Styled while drawing to stderr, so indicatif colours it by stderr's terminal, not stdout's.
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr())
            .with_style(style)
            .with_message(crate::model::text::visible(label));
        let bar = self.multi.add(bar);
        if total.is_none() {
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        bar.tick();
        Box::new(TerminalBar { bar, multi: self.multi.clone() })
    }
}

struct TerminalBar {
    bar: ProgressBar,
    multi: MultiProgress,
}

impl Bar for TerminalBar {
    fn advance(&mut self, n: u64) {
        self.bar.inc(n);
    }

    fn finish(&mut self) {
        self.bar.finish_and_clear();
        self.multi.remove(&self.bar);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_only_on_a_terminal_that_can_draw_them() {
        let os = |s: &'static str| Some(OsStr::new(s));
        assert_eq!(look(true, os("xterm-256color"), None), Some(Look { colour: true }));
        assert_eq!(look(false, os("xterm-256color"), None), None, "piped or redirected");
        assert_eq!(look(true, os("dumb"), None), None);
        assert_eq!(look(true, None, None), None);
        assert_eq!(look(true, os(""), None), None);
        assert_eq!(look(true, os("xterm"), os("1")), Some(Look { colour: false }));
        assert_eq!(look(true, os("xterm"), os("")), Some(Look { colour: true }), "NO_COLOR counts when non-empty");
    }

    #[test]
    fn templates_are_valid_and_colourless_without_colour() {
        for total in [true, false] {
            for unit in [Unit::Bytes, Unit::Items("pages")] {
                for colour in [true, false] {
                    let t = template(total, unit, colour);
                    assert!(ProgressStyle::with_template(&t).is_ok(), "{t}");
                    assert_eq!(t.contains(".cyan"), colour, "{t}");
                }
            }
        }
    }
}
