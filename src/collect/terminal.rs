//! Asking for the login code and 2FA password on the terminal without echo, or reading them
//! from standard input when it is not a terminal (scripted use). Nothing typed is stored.

use super::{CollectError, Prompter};
use std::io::{BufRead, IsTerminal, Write};
use zeroize::Zeroizing;

/// The terminal (or standard input) as the source of codes and passwords.
#[derive(Debug, Default)]
pub struct TerminalPrompter;

impl TerminalPrompter {
    fn secret(&self, prompt: &str) -> Result<Zeroizing<String>, CollectError> {
        if std::io::stdin().is_terminal() {
            rpassword::prompt_password(prompt)
                .map(Zeroizing::new)
                .map_err(|e| CollectError::Input(format!("cannot read from the terminal: {e}")))
        } else {
            let mut line = Zeroizing::new(String::new());
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| CollectError::Input(format!("cannot read standard input: {e}")))?;
            let trimmed = Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_string());
            if trimmed.is_empty() {
                return Err(CollectError::Input("standard input ended before the code or password was given".into()));
            }
            Ok(trimmed)
        }
    }
}

impl Prompter for TerminalPrompter {
    fn login_code(&mut self) -> Result<Zeroizing<String>, CollectError> {
        self.secret("Login code (not shown): ")
    }

    fn password(&mut self, hint: Option<&str>) -> Result<Zeroizing<String>, CollectError> {
        let hint = hint.map(|h| format!(" (hint: {})", crate::model::text::visible(h))).unwrap_or_default();
        self.secret(&format!("Two-step verification password{hint} (not shown): "))
    }

    fn notice(&mut self, text: &str) {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{text}");
    }
}
