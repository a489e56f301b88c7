//! A small RFC 4180 reader: quoted cells, doubled quotes, commas and line breaks inside quotes,
//! LF or CRLF line ends. Hand-typed lists get a little slack: spaces around a cell are dropped
//! unless quoted, blank lines and lines starting with `#` are skipped.

/// One record and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub cells: Vec<String>,
}

/// Why a record could not be read: its line, the 0-based cell, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub line: usize,
    pub cell: usize,
    pub message: String,
}

/// Reads records one by one; stops after the first error.
pub struct Reader<'a> {
    b: &'a [u8],
    i: usize,
    line: usize,
    failed: bool,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Reader { b: text.as_bytes(), i: 0, line: 1, failed: false }
    }

    fn at(&self, k: usize) -> Option<u8> {
        self.b.get(k).copied()
    }

    /// Skips blank and `#` comment lines; false at the end of the input.
    fn skip_blank_and_comments(&mut self) -> bool {
        loop {
            let mut j = self.i;
            while matches!(self.at(j), Some(b' ' | b'\t')) {
                j += 1;
            }
            let comment = self.at(j) == Some(b'#') && j == self.i;
            match self.at(j) {
                None => return false,
                Some(b'\r' | b'\n') => self.i = j,
                Some(_) if comment => {
                    while !matches!(self.at(self.i), None | Some(b'\n' | b'\r')) {
                        self.i += 1;
                    }
                }
                Some(_) => return true,
            }
            self.end_of_line();
        }
    }

    /// Consumes one line end (LF, CRLF or a lone CR) if there is one.
    fn end_of_line(&mut self) {
        match self.at(self.i) {
            Some(b'\r') => {
                self.i += 1;
                if self.at(self.i) == Some(b'\n') {
                    self.i += 1;
                }
                self.line += 1;
            }
            Some(b'\n') => {
                self.i += 1;
                self.line += 1;
            }
            _ => {}
        }
    }

    fn text(&self, from: usize, to: usize) -> String {
        String::from_utf8_lossy(&self.b[from..to]).into_owned()
    }

    fn record(&mut self) -> Result<Record, ReadError> {
        let line = self.line;
        let mut cells = Vec::new();
        loop {
            let err =
                |message: &str, cells: &Vec<String>| ReadError { line, cell: cells.len(), message: message.into() };
            while matches!(self.at(self.i), Some(b' ' | b'\t')) {
                self.i += 1;
            }
            if self.at(self.i) == Some(b'"') {
                let opened = self.line;
                self.i += 1;
                let mut cell = Vec::new();
                loop {
                    match self.at(self.i) {
                        None => {
                            let m = format!(
                                "the quoted cell opened on line {opened} is never closed; add the closing quote (\")"
                            );
                            return Err(err(&m, &cells));
                        }
                        Some(b'"') if self.at(self.i + 1) == Some(b'"') => {
                            cell.push(b'"');
                            self.i += 2;
                        }
                        Some(b'"') => {
                            self.i += 1;
                            break;
                        }
                        Some(c) => {
                            // A lone CR counts as a line end too, as in `end_of_line`.
                            if c == b'\n' || (c == b'\r' && self.at(self.i + 1) != Some(b'\n')) {
                                self.line += 1;
                            }
                            cell.push(c);
                            self.i += 1;
                        }
                    }
                }
                while matches!(self.at(self.i), Some(b' ' | b'\t')) {
                    self.i += 1;
                }
                if !matches!(self.at(self.i), None | Some(b',' | b'\r' | b'\n')) {
                    return Err(err(
                        "text after the closing quote; a quoted cell ends at its closing quote (write a quote inside it as \"\")",
                        &cells,
                    ));
                }
                cells.push(String::from_utf8_lossy(&cell).into_owned());
            } else {
                let start = self.i;
                while let Some(c) = self.at(self.i) {
                    if matches!(c, b',' | b'\r' | b'\n') {
                        break;
                    }
                    if c == b'"' {
                        return Err(err(
                            "a quote inside a cell that does not start with one; put the whole cell in quotes and write the quote as \"\"",
                            &cells,
                        ));
                    }
                    self.i += 1;
                }
                let mut end = self.i;
                while end > start && matches!(self.b[end - 1], b' ' | b'\t') {
                    end -= 1;
                }
                cells.push(self.text(start, end));
            }
            match self.at(self.i) {
                Some(b',') => self.i += 1,
                _ => {
                    self.end_of_line();
                    return Ok(Record { line, cells });
                }
            }
        }
    }
}

impl Iterator for Reader<'_> {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || !self.skip_blank_and_comments() {
            return None;
        }
        let r = self.record();
        self.failed = r.is_err();
        Some(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Record>, ReadError> {
        Reader::new(text).collect()
    }

    fn rec(line: usize, cells: &[&str]) -> Record {
        Record { line, cells: cells.iter().map(|c| c.to_string()).collect() }
    }

    #[test]
    fn rfc4180() {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n\r\n# note, \"unclosed\n 1 , 2 ,\n";
        assert_eq!(
            read(text).unwrap(),
            vec![rec(1, &["a", "b", "c"]), rec(2, &["x, y", "say \"hi\"", "two\r\nlines"]), rec(6, &["1", "2", ""])]
        );
        assert_eq!(read("a\rb").unwrap(), vec![rec(1, &["a"]), rec(2, &["b"])]);
        assert_eq!(read("").unwrap(), vec![]);
        assert_eq!(read("  \"q\"  ,z").unwrap(), vec![rec(1, &["q", "z"])]);
        assert_eq!(read("a,#b\n").unwrap(), vec![rec(1, &["a", "#b"])]);
    }

    #[test]
    fn errors_name_line_and_cell() {
        let e = read("a,b\n1,\"open\n2,3\n").unwrap_err();
        assert_eq!((e.line, e.cell), (2, 1));
        assert!(e.message.contains("opened on line 2 is never closed"));
        let e = read("a,\"b\"c").unwrap_err();
        assert_eq!((e.line, e.cell), (1, 1));
        let e = read("x\n5\" tablet").unwrap_err();
        assert_eq!((e.line, e.cell), (2, 0));
    }
}
