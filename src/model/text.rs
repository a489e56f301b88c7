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

/// Like [`visible`], but keeps the directional isolates (U+2066–U+2069) the report's own messages
/// put around values in right-to-left text. An isolate cannot reorder anything outside it, and
/// untrusted values have already been through [`visible`], so any isolate left is the catalogue's.
pub fn visible_keeping_isolates(s: &str) -> String {
    if !s.chars().any(|c| needs_marking(c) && !is_isolate(c)) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_marking(c) && !is_isolate(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The directional isolates: LRI, RLI, FSI and PDI.
pub fn is_isolate(c: char) -> bool {
    matches!(c, '\u{2066}'..='\u{2069}')
}

/// `s` without directional isolates, for places that cannot run the bidi algorithm (outlines).
pub fn without_isolates(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(is_isolate) { s.chars().filter(|c| !is_isolate(*c)).collect() } else { s.into() }
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

/// `text` with its spaces turned into line breaks so that no line is longer than `width`
/// characters, unless a single word is.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut line = 0;
    for word in text.split(' ') {
        let n = word.chars().count();
        if line > 0 && line + 1 + n > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += n;
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn wrap_breaks_at_spaces_within_the_width() {
        assert_eq!(wrap("aa bb cc dd", 5), "aa bb\ncc dd");
        assert_eq!(wrap("aa bb cc dd", 4), "aa\nbb\ncc\ndd");
        // A word longer than the width stands alone on its line.
        assert_eq!(wrap("a verylongword b", 5), "a\nverylongword\nb");
        assert_eq!(wrap("", 10), "");
        assert_eq!(wrap("één twee", 8), "één twee", "width counts characters, not bytes");
    }

    use super::*;

    #[test]
    fn marks_controls_and_overrides() {
        assert_eq!(visible("a\u{1b}[2Jb"), "a⟨U+001B⟩[2Jb");
        assert_eq!(visible("evil\u{202E}gpj.exe"), "evil⟨U+202E⟩gpj.exe");
        assert_eq!(visible("تهران Москва"), "تهران Москва");
    }

    #[test]
    fn isolates_can_be_kept_or_removed_but_overrides_are_always_marked() {
        let s = "a\u{2068}1.2.3.4\u{2069}\u{202E}b";
        assert_eq!(visible_keeping_isolates(s), "a\u{2068}1.2.3.4\u{2069}⟨U+202E⟩b");
        assert_eq!(visible(s), "a⟨U+2068⟩1.2.3.4⟨U+2069⟩⟨U+202E⟩b");
        assert_eq!(without_isolates(s), "a1.2.3.4\u{202E}b");
        assert_eq!(without_isolates("plain"), "plain");
    }

    #[test]
    fn clips_long_text() {
        assert_eq!(clipped("abcdef", 3), "abc… [3 more characters]");
        assert_eq!(clipped("abc", 3), "abc");
    }
}
