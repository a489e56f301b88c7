//! Making untrusted strings (device names are chosen by whoever logged in) safe to show.

/// Replaces control and bidirectional-override characters with a visible `⟨U+XXXX⟩` marker, so a
/// device name can neither move the terminal cursor nor reorder the text around it.
pub fn visible(s: &str) -> String {
    if !s.chars().any(needs_marking) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_marking(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Shortens a string to `max` characters, saying how much was cut.
pub fn clipped(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let head: String = s.chars().take(max).collect();
    format!("{head}… [{} more characters]", n - max)
}

/// Control and bidirectional-formatting characters: what [`visible`] marks.
pub fn needs_marking(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_controls_and_overrides() {
        assert_eq!(visible("a\u{1b}[2Jb"), "a⟨U+001B⟩[2Jb");
        assert_eq!(visible("evil\u{202E}gpj.exe"), "evil⟨U+202E⟩gpj.exe");
        assert_eq!(visible("تهران Москва"), "تهران Москва");
    }

    #[test]
    fn clips_long_text() {
        assert_eq!(clipped("abcdef", 3), "abc… [3 more characters]");
        assert_eq!(clipped("abc", 3), "abc");
    }
}
