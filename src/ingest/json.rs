//! Tolerant, dependency-free JSON reader shared by every JSON-based importer.
//!
//! It accepts standard JSON (RFC 8259) plus the quirks real exports contain, and
//! never "cleans" the original: Telegram Desktop writes control bytes inside
//! strings as `\xHH` (not valid JSON), which is decoded to U+00HH and recorded
//! as a [`Quirk`]. Numbers keep their exact source text (signed 64-bit session
//! hashes above 2^53, timestamps such as `1705760185.000000`), and every
//! [`Node`] carries the byte offset where it starts, so error messages can name
//! a JSON pointer and a line. Parsing is linear-time and never panics.

use std::collections::HashSet;

/// Maximum nesting of arrays and objects; deeper input is an error.
pub const MAX_DEPTH: usize = 128;
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A JSON value together with the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// Byte offset in the original input (a leading BOM included).
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The exact source text of the number, validated against the JSON grammar.
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// Members in source order; duplicate keys are kept (and reported as quirks).
    Object(Vec<(String, Node)>),
}

/// A deviation from strict JSON that was tolerated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuirkKind {
    /// A `\xHH` escape, decoded to that byte's char U+00HH.
    XEscape(u8),
    /// Invalid UTF-8 (or a lone `\u` surrogate), replaced by U+FFFD.
    InvalidUtf8,
    ByteOrderMark,
    DuplicateKey(String),
    /// An unescaped control byte inside a string, kept as is.
    RawControlChar(u8),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quirk {
    pub offset: usize,
    pub kind: QuirkKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct JsonError {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Result of [`parse`]: the root value and the tolerated quirks, sorted by offset.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub root: Node,
    pub quirks: Vec<Quirk>,
}

/// Parses one JSON document (tolerating the quirks listed in [`QuirkKind`]).
pub fn parse(bytes: &[u8]) -> Result<Parsed, JsonError> {
    let mut p = Parser { bytes, pos: 0, depth: 0, quirks: Vec::new() };
    if bytes.starts_with(BOM) {
        p.quirk(0, QuirkKind::ByteOrderMark);
        p.pos = BOM.len();
    }
    p.skip_ws();
    if p.pos >= bytes.len() {
        return Err(p.error_at(p.pos, "empty input: expected a JSON value".to_string()));
    }
    let root = p.value()?;
    p.skip_ws();
    if p.pos < bytes.len() {
        let message = format!("unexpected data after the JSON value, found {}", p.found());
        return Err(p.error_at(p.pos, message));
    }
    let mut quirks = p.quirks;
    quirks.sort_by_key(|q| q.offset);
    Ok(Parsed { root, quirks })
}

/// 1-based line and column (in characters, a leading BOM not counted) of a byte offset.
pub fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let mut current = &before[start..];
    if start == 0 && current.starts_with(BOM) {
        current = &current[BOM.len()..];
    }
    let column = 1 + current.iter().filter(|&&b| b & 0xC0 != 0x80).count();
    (line, column)
}

/// [`line_column`] of many offsets in one pass over the file: each call goes on from the previous
/// offset, so a file with a quirk on every byte costs linear time, not quadratic. Offsets should
/// come in ascending order (as `Parsed::quirks` do); an earlier one starts again from the top.
pub struct LineColumns<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    column: usize,
}

impl<'a> LineColumns<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        LineColumns { bytes, pos: 0, line: 1, column: 1 }
    }

    /// The 1-based line and column of `offset`, as [`line_column`] gives them.
    pub fn at(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.bytes.len());
        if offset < self.pos {
            *self = LineColumns::new(self.bytes);
        }
        // A leading BOM is not counted, once all of it lies before the offset.
        if self.pos < BOM.len() && offset >= BOM.len() && self.bytes.starts_with(BOM) {
            (self.pos, self.column) = (BOM.len(), 1);
        }
        for &b in &self.bytes[self.pos..offset] {
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if b & 0xC0 != 0x80 {
                self.column += 1;
            }
        }
        self.pos = offset;
        (self.line, self.column)
    }
}

/// Escape one JSON-pointer token (RFC 6901: ~ -> ~0, / -> ~1).
pub fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

impl Value {
    /// Human name of the value's type, for messages like "expected a string, found a number".
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }
}

impl Node {
    /// The first member named `key` of an object; `None` for other values.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_object()?.iter().find(|(k, _)| k == key).map(|(_, node)| node)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The exact source text of a number.
    pub fn as_number(&self) -> Option<&str> {
        match &self.value {
            Value::Number(text) => Some(text),
            _ => None,
        }
    }

    /// A number written as an integer (no fraction or exponent) that fits in i64.
    pub fn as_i64(&self) -> Option<i64> {
        let text = self.as_number()?;
        if !text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            return None;
        }
        text.parse().ok()
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(String, Node)]> {
        match &self.value {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    pub fn kind_name(&self) -> &'static str {
        self.value.kind_name()
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    quirks: Vec<Quirk>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn quirk(&mut self, offset: usize, kind: QuirkKind) {
        self.quirks.push(Quirk { offset, kind });
    }

    fn error_at(&self, offset: usize, message: String) -> JsonError {
        let (line, column) = line_column(self.bytes, offset);
        JsonError { offset, line, column, message }
    }

    fn found(&self) -> String {
        describe(self.bytes, self.pos)
    }

    fn expected(&self, what: &str) -> JsonError {
        self.error_at(self.pos, format!("expected {what}, found {}", self.found()))
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Node, JsonError> {
        let offset = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            _ => return Err(self.expected("a JSON value")),
        };
        Ok(Node { value, offset })
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, JsonError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error_at(self.pos, format!("invalid literal: expected '{word}'")))
        }
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let message = format!("nesting deeper than {MAX_DEPTH} levels");
            return Err(self.error_at(self.pos, message));
        }
        self.pos += 1; // the opening bracket
        self.skip_ws();
        Ok(())
    }

    fn array(&mut self) -> Result<Value, JsonError> {
        self.enter()?;
        let mut items = Vec::new();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                items.push(self.value()?);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.expected("',' or ']' after an array element")),
                }
            }
        }
        self.depth -= 1;
        Ok(Value::Array(items))
    }

    fn object(&mut self) -> Result<Value, JsonError> {
        self.enter()?;
        let mut members: Vec<(String, Node)> = Vec::new();
        let mut key_offsets = Vec::new();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                if self.peek() != Some(b'"') {
                    return Err(self.expected(if members.is_empty() {
                        "a string key or '}' in an object"
                    } else {
                        "a string key after ',' in an object"
                    }));
                }
                key_offsets.push(self.pos);
                let key = self.string()?;
                self.skip_ws();
                if self.peek() != Some(b':') {
                    return Err(self.expected("':' after an object key"));
                }
                self.pos += 1;
                self.skip_ws();
                let node = self.value()?;
                members.push((key, node));
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.expected("',' or '}' after an object member")),
                }
            }
        }
        self.report_duplicates(&members, &key_offsets);
        self.depth -= 1;
        Ok(Value::Object(members))
    }

    fn report_duplicates(&mut self, members: &[(String, Node)], key_offsets: &[usize]) {
        let keyed = members.iter().map(|(k, _)| k.as_str()).zip(key_offsets);
        if members.len() <= 16 {
            for (i, (key, &offset)) in keyed.enumerate() {
                if members[..i].iter().any(|(k, _)| k == key) {
                    self.quirk(offset, QuirkKind::DuplicateKey(key.to_string()));
                }
            }
        } else {
            let mut seen = HashSet::with_capacity(members.len());
            for (key, &offset) in keyed {
                if !seen.insert(key) {
                    self.quirk(offset, QuirkKind::DuplicateKey(key.to_string()));
                }
            }
        }
    }

    fn truncated_string(&self, start: usize) -> JsonError {
        let message = "unexpected end of input inside a string (truncated file?)";
        self.error_at(start, message.to_string())
    }

    /// Parses a string starting at its opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            self.push_lossy(&mut out, run_start, self.pos);
            match self.peek() {
                None => return Err(self.truncated_string(start)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(start, &mut out)?,
                Some(b) => {
                    self.quirk(self.pos, QuirkKind::RawControlChar(b));
                    out.push(char::from(b));
                    self.pos += 1;
                }
            }
        }
    }

    /// Appends `bytes[from..to]`, replacing invalid UTF-8 with U+FFFD (one quirk each).
    fn push_lossy(&mut self, out: &mut String, mut from: usize, to: usize) {
        let bytes = self.bytes;
        while from < to {
            match std::str::from_utf8(&bytes[from..to]) {
                Ok(s) => {
                    out.push_str(s);
                    return;
                }
                Err(e) => {
                    let good = from + e.valid_up_to();
                    out.push_str(std::str::from_utf8(&bytes[from..good]).unwrap_or_default());
                    out.push(char::REPLACEMENT_CHARACTER);
                    self.quirk(good, QuirkKind::InvalidUtf8);
                    from = good + e.error_len().unwrap_or(to - good);
                }
            }
        }
    }

    /// Parses an escape starting at the backslash.
    fn escape(&mut self, string_start: usize, out: &mut String) -> Result<(), JsonError> {
        let at = self.pos;
        self.pos += 1;
        let Some(c) = self.peek() else {
            return Err(self.truncated_string(string_start));
        };
        self.pos += 1;
        let ch = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(at, out),
            b'x' => {
                let Some(byte) = self.hex(2) else {
                    let message = "invalid escape '\\x': expected two hex digits".to_string();
                    return Err(self.error_at(at, message));
                };
                let byte = byte as u8; // two hex digits always fit
                self.quirk(at, QuirkKind::XEscape(byte));
                char::from(byte)
            }
            _ if c.is_ascii_graphic() => {
                return Err(self.error_at(at, format!("invalid escape '\\{}'", c as char)));
            }
            _ => {
                let found = describe(self.bytes, at + 1);
                return Err(self.error_at(at, format!("invalid escape: '\\' followed by {found}")));
            }
        };
        out.push(ch);
        Ok(())
    }

    /// Parses the hex part of `\uXXXX` (the `\u` at `at` is already consumed).
    fn unicode_escape(&mut self, at: usize, out: &mut String) -> Result<(), JsonError> {
        let Some(first) = self.hex(4) else {
            let message = "invalid escape '\\u': expected four hex digits".to_string();
            return Err(self.error_at(at, message));
        };
        let code = if (0xD800..0xDC00).contains(&first) {
            let save = self.pos;
            let mut pair = None;
            if self.bytes[self.pos..].starts_with(b"\\u") {
                self.pos += 2;
                match self.hex(4) {
                    Some(low @ 0xDC00..0xE000) => {
                        pair = Some(0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00));
                    }
                    _ => self.pos = save,
                }
            }
            pair
        } else {
            Some(first)
        };
        match code.and_then(char::from_u32) {
            Some(c) => out.push(c),
            None => {
                out.push(char::REPLACEMENT_CHARACTER);
                self.quirk(at, QuirkKind::InvalidUtf8);
            }
        }
        Ok(())
    }

    /// Reads exactly `n` hex digits; on failure nothing is consumed.
    fn hex(&mut self, n: usize) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + n)?;
        let mut value = 0;
        for &d in digits {
            value = value * 16 + char::from(d).to_digit(16)?;
        }
        self.pos += n;
        Some(value)
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    let message = "invalid number: leading zeros are not allowed".to_string();
                    return Err(self.error_at(start, message));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.expected("a digit in a number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.peek().is_none_or(|b| !b.is_ascii_digit()) {
                return Err(self.expected("a digit after '.' in a number"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.peek().is_none_or(|b| !b.is_ascii_digit()) {
                return Err(self.expected("a digit in a number's exponent"));
            }
            self.digits();
        }
        // The grammar above only admits ASCII, so this is never lossy.
        let text = String::from_utf8_lossy(&self.bytes[start..self.pos]).into_owned();
        Ok(Value::Number(text))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }
}

/// Describes what sits at `pos` for error messages: `'x'`, `control byte 0x07`, ...
fn describe(bytes: &[u8], pos: usize) -> String {
    let rest = bytes.get(pos..).unwrap_or_default();
    let Some(&b) = rest.first() else {
        return "end of input (truncated file?)".to_string();
    };
    if b.is_ascii_graphic() || b == b' ' {
        return format!("'{}'", b as char);
    }
    if b.is_ascii() {
        return format!("control byte 0x{b:02X}");
    }
    let prefix = &rest[..rest.len().min(4)];
    let valid = match std::str::from_utf8(prefix) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&prefix[..e.valid_up_to()]).unwrap_or_default(),
    };
    match valid.chars().next() {
        Some(c) => format!("'{c}'"),
        None => format!("byte 0x{b:02X}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> Parsed {
        parse(input.as_bytes()).unwrap_or_else(|e| panic!("{input:?}: {e}"))
    }

    fn err(input: &[u8]) -> JsonError {
        match parse(input) {
            Ok(p) => panic!("expected an error, got {:?}", p.root),
            Err(e) => e,
        }
    }

    #[test]
    fn x_escape_is_decoded_and_reported() {
        let p = ok(r#"{"device_model": "Evil\x07PC", "x": "\xfF"}"#);
        assert_eq!(p.root.get("device_model").unwrap().as_str(), Some("Evil\u{7}PC"));
        assert_eq!(p.root.get("x").unwrap().as_str(), Some("\u{FF}"));
        assert_eq!(
            p.quirks,
            vec![
                Quirk { offset: 22, kind: QuirkKind::XEscape(7) },
                Quirk { offset: 37, kind: QuirkKind::XEscape(0xFF) },
            ]
        );
        assert!(err(br#""\x7""#).message.contains("'\\x'"));
    }

    #[test]
    fn big_integers_are_exact() {
        for n in [i64::MIN, i64::MAX, -1234567890123456789, 1 << 62, 0, -1] {
            let p = ok(&format!("[{n}]"));
            let node = &p.root.as_array().unwrap()[0];
            assert_eq!(node.as_i64(), Some(n));
            assert_eq!(node.as_number(), Some(n.to_string().as_str()));
        }
        assert_eq!(ok("9223372036854775808").root.as_i64(), None);
        assert_eq!(ok("-0").root.as_i64(), Some(0));
    }

    #[test]
    fn float_timestamp_keeps_text() {
        let p = ok(r#"{"date": 1705760185.000000, "e": -1.5E+3}"#);
        let date = p.root.get("date").unwrap();
        assert_eq!(date.value, Value::Number("1705760185.000000".into()));
        assert_eq!(date.as_i64(), None);
        assert_eq!(date.offset, 9);
        assert_eq!(p.root.get("e").unwrap().as_number(), Some("-1.5E+3"));
        for bad in ["01", "-", "1.", "1e", "1e+", ".5", "+1", "-a"] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(10_000);
        assert!(err(deep.as_bytes()).message.contains("nesting deeper than 128"));
        let deep_objects = r#"{"a":"#.repeat(10_000);
        assert!(err(deep_objects.as_bytes()).message.contains("nesting"));
        let limit = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse(limit.as_bytes()).is_ok());
        let over = format!("{}{}", "[".repeat(129), "]".repeat(129));
        assert!(parse(over.as_bytes()).is_err());
    }

    #[test]
    fn truncated_input() {
        let e = err(br#"{"a": "unfinished"#);
        assert_eq!(e.message, "unexpected end of input inside a string (truncated file?)");
        assert_eq!(e.offset, 6);
        assert_eq!(
            err(br#"{"a": [1, 2"#).message,
            "expected ',' or ']' after an array element, found end of input (truncated file?)"
        );
        assert!(err(br#"{"a": "\"#).message.contains("inside a string"));
        assert!(err(br#"{"a": "\u12"#).message.contains("four hex digits"));
        assert!(err(b"{\"a\":").message.starts_with("expected a JSON value"));
        assert!(err(b"tru").message.contains("'true'"));
    }

    #[test]
    fn empty_and_trailing_data() {
        for input in ["", "  \n\t ", "\u{FEFF}"] {
            assert_eq!(err(input.as_bytes()).message, "empty input: expected a JSON value");
        }
        let e = err(b"{} x");
        assert!(e.message.starts_with("unexpected data after the JSON value"));
        assert_eq!(e.offset, 3);
    }

    #[test]
    fn error_messages_name_expected_and_found() {
        assert_eq!(err(br#"{"a": 1 x}"#).message, "expected ',' or '}' after an object member, found 'x'");
        assert_eq!(err(br#""\q""#).message, "invalid escape '\\q'");
        assert_eq!(err(b"{1: 2}").message, "expected a string key or '}' in an object, found '1'");
        assert_eq!(err(br#"{"a" 2}"#).message, "expected ':' after an object key, found '2'");
        assert!(err(b"[1,]").message.contains("found ']'"));
        assert!(err("[é]".as_bytes()).message.ends_with("found 'é'"));
    }

    #[test]
    fn binary_garbage_never_panics() {
        let samples: [&[u8]; 6] = [
            b"\x00\xff\xfe\x80",
            b"\xff",
            b"[\"\xc3",
            b"{\"\xf0\x9f\x98\":\x01}",
            b"\x89PNG\r\n\x1a\n",
            b"[\"\\u\xd8\x00\"]",
        ];
        for s in samples {
            let _ = parse(s);
        }
        assert!(err(b"\x00\xff").message.contains("control byte 0x00"));
        assert!(err(b"\xff").message.contains("byte 0xFF"));
        // Pseudo-random inputs drawn from a JSON-heavy alphabet.
        let alphabet = b"{}[]\",:\\/ux0123456789.eE+-truefalsn \n\t\x07\x80\xc3\xa9\xff\xed";
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let len = (seed >> 58) as usize;
            let input: Vec<u8> = (0..len)
                .map(|i| {
                    let r = seed.rotate_left(i as u32 * 7) >> 40;
                    alphabet[r as usize % alphabet.len()]
                })
                .collect();
            let _ = parse(&input);
        }
    }

    #[test]
    fn invalid_utf8_and_raw_controls_are_tolerated() {
        let p = parse(b"[\"a\xffb\", \"tab\there\"]").unwrap();
        let items = p.root.as_array().unwrap();
        assert_eq!(items[0].as_str(), Some("a\u{FFFD}b"));
        assert_eq!(items[1].as_str(), Some("tab\there"));
        assert_eq!(
            p.quirks,
            vec![
                Quirk { offset: 3, kind: QuirkKind::InvalidUtf8 },
                Quirk { offset: 12, kind: QuirkKind::RawControlChar(b'\t') },
            ]
        );
    }

    #[test]
    fn bom_is_skipped() {
        let p = parse(b"\xEF\xBB\xBF{\"a\": true}").unwrap();
        assert_eq!(p.quirks, vec![Quirk { offset: 0, kind: QuirkKind::ByteOrderMark }]);
        assert_eq!(p.root.offset, 3);
        assert_eq!(p.root.get("a").unwrap().as_bool(), Some(true));
        assert_eq!(line_column(b"\xEF\xBB\xBF{x", 4), (1, 2));
    }

    #[test]
    fn duplicate_keys_are_kept_and_reported() {
        let p = ok(r#"{"a": 1, "b": 2, "a": 3}"#);
        assert_eq!(p.root.get("a").unwrap().as_i64(), Some(1));
        assert_eq!(p.root.as_object().unwrap().len(), 3);
        assert_eq!(p.quirks, vec![Quirk { offset: 17, kind: QuirkKind::DuplicateKey("a".into()) }]);
        let members: Vec<String> = (0..40).map(|i| format!("\"k{}\": {i}", i % 30)).collect();
        let big = ok(&format!("{{{}}}", members.join(",")));
        assert_eq!(big.quirks.len(), 10);
    }

    #[test]
    fn unicode_escapes_and_surrogates() {
        let p = ok(r#"["\ud83d\ude00", "\u00e9\n\/\"", "\ud800x", "\udc00", "\ud800\u0041"]"#);
        let items = p.root.as_array().unwrap();
        assert_eq!(items[0].as_str(), Some("😀"));
        assert_eq!(items[1].as_str(), Some("é\n/\""));
        assert_eq!(items[2].as_str(), Some("\u{FFFD}x"));
        assert_eq!(items[3].as_str(), Some("\u{FFFD}"));
        assert_eq!(items[4].as_str(), Some("\u{FFFD}A"));
        let kinds: Vec<_> = p.quirks.iter().map(|q| &q.kind).collect();
        assert_eq!(kinds, vec![&QuirkKind::InvalidUtf8; 3]);
    }

    #[test]
    fn line_columns_agree_with_line_column_at_every_offset() {
        let texts: [&[u8]; 4] =
            [b"\xEF\xBB\xBF{\"\xC3\xA9\":\n 1}\n", "é\nàb\r\n\n€x".as_bytes(), b"\xFF\xFE\n\x80", b""];
        for text in texts {
            let mut many = LineColumns::new(text);
            for offset in 0..=text.len() + 1 {
                assert_eq!(many.at(offset), line_column(text, offset), "{text:?} at {offset}");
            }
            // Going back starts again from the top.
            assert_eq!(many.at(0), line_column(text, 0));
        }
    }

    #[test]
    fn line_and_column_of_errors() {
        let e = err(b"{\n  \"a\": 1,\n  \"b\": x\n}");
        assert_eq!((e.line, e.column, e.offset), (3, 8, 19));
        assert_eq!(e.to_string(), "line 3, column 8: expected a JSON value, found 'x'");
        assert_eq!(line_column("é\nàb".as_bytes(), 6), (2, 3));
        assert_eq!(line_column(b"ab", 99), (1, 3));
    }

    #[test]
    fn accessors_and_kind_names() {
        let p = ok(r#"{"n": null, "b": false, "s": "x", "a": [], "o": {}, "i": 5}"#);
        let r = &p.root;
        assert!(r.get("n").unwrap().is_null());
        assert_eq!(r.get("b").unwrap().as_bool(), Some(false));
        assert!(r.get("missing").is_none());
        assert!(r.get("s").unwrap().get("x").is_none());
        let names: Vec<_> = r.as_object().unwrap().iter().map(|(_, n)| n.kind_name()).collect();
        assert_eq!(names, ["null", "boolean", "string", "array", "object", "number"]);
        assert_eq!(r.get("s").unwrap().as_i64(), None);
    }

    #[test]
    fn pointer_tokens() {
        assert_eq!(pointer_token("a/b~c"), "a~1b~0c");
        assert_eq!(pointer_token("~1"), "~01");
        assert_eq!(pointer_token("plain"), "plain");
    }
}
