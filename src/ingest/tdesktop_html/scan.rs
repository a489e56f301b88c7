//! A small scanner for the markup Telegram Desktop's HTML export writer emits (telegram-formats.md
//! §2.4): it finds each `div.entry` inside `div.entry_list` and reads its text lines. Not a general
//! HTML parser: no dependency, no recursion, one pass, bounded nesting.

/// Nesting deeper than this is not a Desktop export (the writer nests about ten levels).
const MAX_DEPTH: usize = 1000;
/// Elements that never have content or a closing tag.
const VOID: &[&str] = &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"];

/// What the scanner found in one page.
#[derive(Debug, Default)]
pub struct Page {
    /// `div.text.bold` in `div.page_header` ("Sessions", "Web sessions").
    pub header: Option<String>,
    /// The document's `<title>`, for messages about pages that are not session lists.
    pub title: Option<String>,
    pub list_page: bool,
    pub entry_list: bool,
    pub entries: Vec<RawEntry>,
    /// Markup oddities that did not stop the scan: (line, message).
    pub notes: Vec<(usize, String)>,
}

/// One `div.entry` with its text lines decoded, in document order.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RawEntry {
    /// 1-based position among the page's entries.
    pub number: usize,
    /// Line of the entry's opening tag.
    pub line: usize,
    pub name: Option<String>,
    pub subname: Option<String>,
    pub details: Vec<String>,
    /// `div.pull_right.info.details`: "@bot" on web sessions.
    pub info: Option<String>,
}

/// Why the markup could not be read (a truncated file, mostly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Subname,
    Details,
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Plain,
    EntryList,
    Entry,
    Header,
    HeaderText,
    DocTitle,
    Field(Field),
}

/// Text inside a field: raw runs (escapes undecoded) and `<br>` line breaks (the writer emits
/// `<br>` for "\n", U+2028 and U+2029 alike; all three read back as "\n").
#[derive(Debug)]
enum Piece {
    Text(String),
    Break,
}

struct Frame {
    name: String,
    role: Role,
    line: usize,
}

/// Scans a whole page.
pub fn scan(text: &str) -> Result<Page, ScanError> {
    let mut lex = Lexer { s: text, pos: 0, line: 1, raw_until: None };
    let mut page = Page::default();
    let mut stack: Vec<Frame> = Vec::new();
    // Pieces of the innermost capturing element (fields never nest in the writer's output).
    let mut capture: Option<Vec<Piece>> = None;
    let mut current: Option<RawEntry> = None;
    let (mut list_depth, mut header_depth, mut opened) = (0usize, 0usize, 0usize);

    while let Some((line, token)) = lex.next_token()? {
        match token {
            Token::Text(raw) => {
                if let Some(pieces) = capture.as_mut() {
                    pieces.push(Piece::Text(raw.to_string()));
                }
            }
            Token::Open { name, class, self_closing } => {
                if name == "br" {
                    if let Some(pieces) = capture.as_mut() {
                        pieces.push(Piece::Break);
                    }
                    continue;
                }
                if self_closing || VOID.contains(&name.as_str()) {
                    continue;
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(ScanError {
                        line,
                        message: format!(
                            "tags nested more than {MAX_DEPTH} deep; this is not a Telegram Desktop export"
                        ),
                    });
                }
                let class = class.unwrap_or_default();
                let has = |c: &str| class.split_ascii_whitespace().any(|x| x == c);
                if has("page_body") && has("list_page") {
                    page.list_page = true;
                }
                let role = if has("entry_list") {
                    page.entry_list = true;
                    list_depth += 1;
                    Role::EntryList
                } else if list_depth > 0 && current.is_none() && has("entry") {
                    opened += 1;
                    current = Some(RawEntry { number: opened, line, ..RawEntry::default() });
                    Role::Entry
                } else if current.is_some() && capture.is_none() && has("subname") {
                    Role::Field(Field::Subname)
                } else if current.is_some() && capture.is_none() && has("name") {
                    Role::Field(Field::Name)
                } else if current.is_some() && capture.is_none() && has("details_entry") {
                    Role::Field(Field::Details)
                } else if current.is_some() && capture.is_none() && has("pull_right") && has("info") {
                    Role::Field(Field::Info)
                } else if has("page_header") {
                    header_depth += 1;
                    Role::Header
                } else if header_depth > 0 && capture.is_none() && page.header.is_none() && has("text") {
                    Role::HeaderText
                } else if name == "title" && capture.is_none() && page.title.is_none() {
                    Role::DocTitle
                } else {
                    Role::Plain
                };
                if matches!(role, Role::Field(_) | Role::HeaderText | Role::DocTitle) {
                    capture = Some(Vec::new());
                }
                stack.push(Frame { name, role, line });
            }
            Token::Close { name } => {
                let Some(at) = stack.iter().rposition(|f| f.name == name) else {
                    page.notes.push((line, format!("closing tag </{name}> without an opening tag; ignored")));
                    continue;
                };
                while stack.len() > at {
                    let Some(frame) = stack.pop() else { break };
                    match frame.role {
                        Role::Plain => {}
                        Role::EntryList => list_depth = list_depth.saturating_sub(1),
                        Role::Header => header_depth = header_depth.saturating_sub(1),
                        Role::Entry => page.entries.extend(current.take()),
                        Role::HeaderText => page.header = capture.take().map(|p| finish(&p)),
                        Role::DocTitle => page.title = capture.take().map(|p| finish(&p)),
                        Role::Field(field) => {
                            let value = capture.take().map(|p| finish(&p)).unwrap_or_default();
                            if let Some(entry) = current.as_mut() {
                                store(entry, field, value, frame.line, &mut page.notes);
                            }
                        }
                    }
                }
            }
        }
    }
    if let Some(entry) = &current {
        return Err(ScanError {
            line: lex.line,
            message: format!(
                "the file ends inside entry {} (opened at line {}): it is truncated; import a complete copy",
                entry.number, entry.line
            ),
        });
    }
    if list_depth > 0 {
        return Err(ScanError {
            line: lex.line,
            message: "the file ends inside the list of entries: it is truncated; import a complete copy".into(),
        });
    }
    if let Some(open) = stack.last() {
        page.notes.push((open.line, format!("<{}> is never closed (the writer closes every tag)", open.name)));
    }
    Ok(page)
}

fn store(entry: &mut RawEntry, field: Field, value: String, line: usize, notes: &mut Vec<(usize, String)>) {
    let slot = match field {
        Field::Details => {
            entry.details.push(value);
            return;
        }
        Field::Name => &mut entry.name,
        Field::Subname => &mut entry.subname,
        Field::Info => &mut entry.info,
    };
    if slot.is_some() {
        notes.push((line, format!("entry {} has a second {field:?} line {value:?}; the first is used", entry.number)));
    } else {
        *slot = Some(value);
    }
}

/// The text of one field. The writer puts it between the "\n" ending the opening tag and the
/// "\n" + indentation starting the closing tag; inner spaces, a leading space (empty IP) and a
/// trailing space (empty version) are content. Other layouts are trimmed.
fn finish(pieces: &[Piece]) -> String {
    let mut parts: Vec<Option<String>> =
        pieces.iter().map(|p| if let Piece::Text(t) = p { Some(t.clone()) } else { None }).collect();
    if let Some(Some(first)) = parts.first_mut() {
        *first = match first.split_once('\n') {
            Some((before, after)) if before.trim().is_empty() => after.to_string(),
            _ => first.trim_start().to_string(),
        };
    }
    if let Some(Some(last)) = parts.last_mut() {
        *last = match last.rsplit_once('\n') {
            Some((before, after)) if after.trim().is_empty() => before.strip_suffix('\r').unwrap_or(before).to_string(),
            _ => last.trim_end().to_string(),
        };
    }
    let mut out = String::new();
    for part in parts {
        match part {
            Some(text) => out.push_str(&decode(&text)),
            None => out.push('\n'),
        }
    }
    out
}

/// Decodes the escapes the writer uses (`&quot; &amp; &apos; &lt; &gt; &#xHH;`) and other
/// numeric references; anything else is kept as written.
pub fn decode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match entity(after) {
            Some((c, used)) => {
                out.push(c);
                rest = after.get(used..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One reference after `&`: the character and how many bytes it used.
fn entity(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    if b.first() == Some(&b'#') {
        let hex = matches!(b.get(1), Some(b'x' | b'X'));
        let start = if hex { 2 } else { 1 };
        let mut digits =
            b[start..].iter().take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() }).count();
        // The writer's own form is `&#xHH;`; without the `;`, a hex reference is its two digits.
        if hex && b.get(start + digits) != Some(&b';') {
            digits = digits.min(2);
        }
        if digits == 0 || digits > 7 {
            return None;
        }
        let value = u32::from_str_radix(s.get(start..start + digits)?, if hex { 16 } else { 10 }).ok()?;
        let semi = usize::from(b.get(start + digits) == Some(&b';'));
        return Some((char::from_u32(value).unwrap_or('\u{FFFD}'), start + digits + semi));
    }
    let len = b.iter().take(8).take_while(|c| c.is_ascii_alphanumeric()).count();
    if b.get(len) != Some(&b';') {
        return None;
    }
    let c = match s.get(..len)? {
        "quot" => '"',
        "amp" => '&',
        "apos" => '\'',
        "lt" => '<',
        "gt" => '>',
        "nbsp" => '\u{A0}',
        _ => return None,
    };
    Some((c, len + 1))
}

enum Token<'a> {
    Open { name: String, class: Option<String>, self_closing: bool },
    Close { name: String },
    Text(&'a str),
}

struct Lexer<'a> {
    s: &'a str,
    pos: usize,
    line: usize,
    /// Inside `<script>` / `<style>`: skip to this closing tag.
    raw_until: Option<&'static str>,
}

impl<'a> Lexer<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.s.as_bytes()
    }

    fn advance_to(&mut self, end: usize) {
        let end = end.min(self.s.len());
        self.line += self.bytes()[self.pos..end].iter().filter(|&&b| b == b'\n').count();
        self.pos = end;
    }

    fn truncated(&self, what: &str) -> ScanError {
        ScanError { line: self.line, message: format!("the file ends inside {what}: it is truncated or not HTML") }
    }

    /// Skips one `<!-- … -->`, `<!DOCTYPE …>` or `<?…>` at the current position.
    fn skip_comment_or_declaration(&mut self) -> Result<bool, ScanError> {
        let rest = &self.bytes()[self.pos..];
        let used = if rest.starts_with(b"<!--") {
            4 + find_ci(&rest[4..], b"-->").ok_or_else(|| self.truncated("a comment"))? + 3
        } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            1 + rest.iter().position(|&c| c == b'>').ok_or_else(|| self.truncated("a declaration"))?
        } else {
            return Ok(false);
        };
        self.advance_to(self.pos + used);
        Ok(true)
    }

    /// The next token and the line it starts on.
    fn next_token(&mut self) -> Result<Option<(usize, Token<'a>)>, ScanError> {
        if let Some(close) = self.raw_until.take() {
            let end = find_ci(&self.bytes()[self.pos..], close.as_bytes()).map_or(self.s.len(), |i| self.pos + i);
            self.advance_to(end);
        }
        // Comments and declarations are skipped in a loop, never by recursion.
        while self.skip_comment_or_declaration()? {}
        let b = self.bytes();
        if self.pos >= b.len() {
            return Ok(None);
        }
        let line = self.line;
        let start = self.pos;
        if b[start] != b'<' {
            let end = b[start..].iter().position(|&c| c == b'<').map_or(b.len(), |i| start + i);
            self.advance_to(end);
            return Ok(Some((line, Token::Text(self.s.get(start..end).unwrap_or("")))));
        }
        let rest = &b[start..];
        let closing = rest.get(1) == Some(&b'/');
        let name_start = if closing { 2 } else { 1 };
        if !rest.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            // A lone "<" is text (the writer escapes it, but other tools may not).
            self.advance_to(start + 1);
            return Ok(Some((line, Token::Text("<"))));
        }
        let name_len = rest[name_start..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'-').count();
        let name = String::from_utf8_lossy(&rest[name_start..name_start + name_len]).to_ascii_lowercase();
        if closing {
            let end = rest.iter().position(|&c| c == b'>').ok_or_else(|| self.truncated("a closing tag"))?;
            self.advance_to(start + end + 1);
            return Ok(Some((line, Token::Close { name })));
        }
        let (class, self_closing, used) =
            attributes(rest, name_start + name_len).ok_or_else(|| self.truncated(&format!("a <{name}> tag")))?;
        self.advance_to(start + used);
        if !self_closing && (name == "script" || name == "style") {
            self.raw_until = Some(if name == "script" { "</script" } else { "</style" });
        }
        Ok(Some((line, Token::Open { name, class, self_closing })))
    }
}

/// Reads a tag's attributes from `i` to its `>`: the class, whether it ends in `/>`, the bytes used.
fn attributes(tag: &[u8], mut i: usize) -> Option<(Option<String>, bool, usize)> {
    let mut class = None;
    loop {
        while tag.get(i)?.is_ascii_whitespace() {
            i += 1;
        }
        match tag.get(i)? {
            b'>' => return Some((class, false, i + 1)),
            b'/' if tag.get(i + 1) == Some(&b'>') => return Some((class, true, i + 2)),
            b'/' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let name_start = i;
        while !matches!(tag.get(i)?, b'=' | b'>' | b'/') && !tag.get(i)?.is_ascii_whitespace() {
            i += 1;
        }
        let attr = &tag[name_start..i];
        while tag.get(i)?.is_ascii_whitespace() {
            i += 1;
        }
        if tag.get(i)? != &b'=' {
            continue;
        }
        i += 1;
        while tag.get(i)?.is_ascii_whitespace() {
            i += 1;
        }
        let value = match tag.get(i)? {
            q @ (b'"' | b'\'') => {
                let len = tag.get(i + 1..)?.iter().position(|c| c == q)?;
                let v = &tag[i + 1..i + 1 + len];
                i += len + 2;
                v
            }
            _ => {
                let s = i;
                while !tag.get(i)?.is_ascii_whitespace() && tag.get(i)? != &b'>' {
                    i += 1;
                }
                &tag[s..i]
            }
        };
        if attr.eq_ignore_ascii_case(b"class") && class.is_none() {
            class = Some(decode(&String::from_utf8_lossy(value)));
        }
    }
}

/// Position of `needle` in `hay`, ASCII case-insensitively.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_writers_escapes() {
        assert_eq!(decode("&lt;img src=x onerror=alert(1)&gt;"), "<img src=x onerror=alert(1)>");
        assert_eq!(decode("Ana&apos;s &quot;PC&quot; &amp; co"), "Ana's \"PC\" & co");
        assert_eq!(decode("a&#x1B;[31mb&#x07c&#x7C;"), "a\u{1b}[31mb\u{7}c|");
        assert_eq!(decode("&#1575;&bogus; & &amp"), "\u{627}&bogus; & &amp");
        assert_eq!(decode("&#x110000;"), "\u{FFFD}");
    }

    #[test]
    fn keeps_content_spaces_and_line_breaks() {
        let html = "<div class=\"entry_list\">\n<div class=\"entry\">\n <div class=\"name\">\nUnknown \n </div>\n \
                    <div class=\"subname\">\nX,  Windows 11\n </div>\n<div class=\"details_entry\">\n – A<br>B\n </div>\n\
                    </div>\n</div>";
        let page = scan(html).unwrap();
        let e = &page.entries[0];
        assert_eq!(e.name.as_deref(), Some("Unknown "));
        assert_eq!(e.subname.as_deref(), Some("X,  Windows 11"));
        assert_eq!(e.details, vec![" – A\nB".to_string()]);
        assert_eq!(e.line, 2);
    }

    #[test]
    fn one_line_layout_is_trimmed() {
        let page =
            scan("<div class='entry_list'><div class=entry><div class=\"name bold\"> App 1.0 </div></div></div>")
                .unwrap();
        assert_eq!(page.entries[0].name.as_deref(), Some("App 1.0"));
    }

    #[test]
    fn truncation_and_garbage_never_panic() {
        let html = "<div class=\"entry_list\"><div class=\"entry\"><div class=\"name\">A</div>";
        assert!(scan(html).unwrap_err().message.contains("entry 1"));
        assert!(scan("<div class=\"entry_list\"").is_err());
        for junk in ["<", "</", "<!--", "<a b='", "<a b=", "&#x", "<<<>>>", "<div/>é<é>", "</x></y>"] {
            let _ = scan(junk);
        }
        let deep = "<div>".repeat(MAX_DEPTH + 1);
        assert!(scan(&deep).is_err());
    }
}
