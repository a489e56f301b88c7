//! Pretty JSON in which control and bidirectional-override characters are written as `\uXXXX`.
//!
//! serde_json already escapes C0 controls; DEL, C1 controls and bidi overrides are valid JSON
//! unescaped, but would reorder or hide text in a terminal or editor. Escaping them keeps every
//! decoded string exactly as the source wrote it while the file stays safe to look at.

use crate::model::text::needs_marking;
use serde_json::ser::{Formatter, PrettyFormatter};
use std::io::{self, Write};

/// `value` as pretty JSON with a final newline.
pub fn to_pretty_escaped(value: &serde_json::Value) -> serde_json::Result<String> {
    use serde::Serialize;
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Escaping(PrettyFormatter::new()));
    value.serialize(&mut ser)?;
    out.push(b'\n');
    // Only valid UTF-8 is written: serde_json writes strings as given and escapes are ASCII.
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

struct Escaping<'a>(PrettyFormatter<'a>);

impl Formatter for Escaping<'_> {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if needs_marking(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                write!(w, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_overrides_become_escapes_and_decode_back_unchanged() {
        let hostile = "a\u{0}b\u{1b}[2J\u{7f}\u{85}evil\u{202E}gpj.exe\u{2066}\"\\ Москва";
        let text = to_pretty_escaped(&serde_json::json!({ "name": hostile })).unwrap();
        for raw in ['\u{0}', '\u{1b}', '\u{7f}', '\u{85}', '\u{202E}', '\u{2066}'] {
            assert!(!text.contains(raw), "{:?} left raw in {text}", raw);
        }
        assert!(text.contains("\\u202e") && text.contains("\\u007f") && text.contains("Москва"));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], hostile);
        assert!(text.ends_with("}\n"));
    }
}
