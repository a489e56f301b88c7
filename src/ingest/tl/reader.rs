//! TL primitives over untrusted bytes (telegram-formats.md §1.6): little-endian ints and longs,
//! length-prefixed strings padded to 4 bytes, boxed vectors. Every failure names its byte offset.

use crate::model::snapshot::Warning;

/// `vector#1cb5c415 {t:Type} # [ t ] = Vector t;`
const VECTOR: u32 = 0x1cb5_c415;

/// Why decoding stopped, at which byte.
#[derive(Debug)]
pub(super) struct Fault {
    pub at: usize,
    pub message: String,
    /// The input ended early (a truncated capture), as opposed to bytes that make no sense.
    pub truncated: bool,
}

impl Fault {
    pub fn new(at: usize, message: impl Into<String>) -> Self {
        Fault { at, message: message.into(), truncated: false }
    }
}

pub(super) type Read<T> = Result<T, Fault>;

/// "bytes 16..212": how warnings and sessions point into a TL body.
pub(super) fn span(start: usize, end: usize) -> String {
    format!("bytes {start}..{end}")
}

/// A cursor over a response body. `ctor` arguments name the constructor being read
/// ("authorization#ad01d61d") so errors say where the reader was.
pub(super) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Gives up on the rest of the input (after a warning said why).
    pub fn skip_to_end(&mut self) {
        self.pos = self.buf.len();
    }

    fn take(&mut self, n: usize, field: &str, ctor: &str) -> Read<&'a [u8]> {
        if n > self.remaining() {
            return Err(Fault {
                at: self.pos,
                message: format!(
                    "input ends inside {field} of {ctor} (truncated capture? the body has {} bytes)",
                    self.buf.len()
                ),
                truncated: true,
            });
        }
        let out = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    fn array<const N: usize>(&mut self, field: &str, ctor: &str) -> Read<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, field, ctor)?);
        Ok(out)
    }

    pub fn u32(&mut self, field: &str, ctor: &str) -> Read<u32> {
        self.array(field, ctor).map(u32::from_le_bytes)
    }

    pub fn i32(&mut self, field: &str, ctor: &str) -> Read<i32> {
        self.array(field, ctor).map(i32::from_le_bytes)
    }

    pub fn i64(&mut self, field: &str, ctor: &str) -> Read<i64> {
        self.array(field, ctor).map(i64::from_le_bytes)
    }

    /// A `bytes` (or `string`) value: 1-byte length < 254, or 0xfe + 3-byte length; then the
    /// data and zero padding to a multiple of 4.
    pub fn bytes(&mut self, field: &str, ctor: &str) -> Read<&'a [u8]> {
        let start = self.pos;
        // A cut string is reported where the string starts.
        self.bytes_at(start, field, ctor).map_err(|f| Fault { at: start, ..f })
    }

    fn bytes_at(&mut self, start: usize, field: &str, ctor: &str) -> Read<&'a [u8]> {
        let first = self.take(1, field, ctor)?[0];
        let (len, head) = match first {
            0..=253 => (first as usize, 1),
            254 => {
                let l = self.take(3, field, ctor)?;
                (l[0] as usize | (l[1] as usize) << 8 | (l[2] as usize) << 16, 4)
            }
            255 => {
                return Err(Fault::new(
                    start,
                    format!("{field} of {ctor} starts with length byte 0xff, which TL never writes"),
                ));
            }
        };
        let data = self.take(len, field, ctor)?;
        self.take((4 - (head + len) % 4) % 4, field, ctor)?;
        Ok(data)
    }

    /// A `string`; invalid UTF-8 is shown as U+FFFD with a warning (the original stays as evidence).
    pub fn string(&mut self, field: &str, ctor: &str, warnings: &mut Vec<Warning>) -> Read<String> {
        let start = self.pos;
        let data = self.bytes(field, ctor)?;
        match std::str::from_utf8(data) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => {
                warnings.push(Warning {
                    locator: span(start, self.pos),
                    message: format!(
                        "{field} of {ctor} is not valid UTF-8; the invalid bytes are shown as U+FFFD (the original bytes are preserved in the evidence)"
                    ),
                });
                Ok(String::from_utf8_lossy(data).into_owned())
            }
        }
    }

    /// The header of a boxed `Vector<T>`; returns the item count after checking it can fit
    /// (each item takes at least `min_item` bytes), so a damaged count never drives a huge loop.
    pub fn vector(&mut self, field: &str, ctor: &str, min_item: usize) -> Read<usize> {
        let start = self.pos;
        let id = self.u32(field, ctor)?;
        if id != VECTOR {
            return Err(Fault::new(
                start,
                format!(
                    "unknown constructor {id:#010x} where the Vector (0x1cb5c415) of {field} in {ctor} was expected"
                ),
            ));
        }
        let count = self.i32(field, ctor)?;
        let fits = usize::try_from(count).ok().filter(|&n| n.saturating_mul(min_item.max(1)) <= self.remaining());
        fits.ok_or_else(|| {
            let message = format!(
                "{field} of {ctor} claims {count} items, which cannot fit in the {} bytes left{}",
                self.remaining(),
                if count > 0 { " (truncated capture?)" } else { "" }
            );
            Fault { at: start + 4, message, truncated: count > 0 }
        })
    }

    /// Skips a `Vector<int>` / `Vector<long>` of `item` bytes per element.
    pub fn skip_vector(&mut self, item: usize, field: &str, ctor: &str) -> Read<()> {
        let n = self.vector(field, ctor, item)?;
        self.take(n * item, field, ctor).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_short_long_and_padding() {
        let mut w = Vec::new();
        // 3 bytes + length byte = 4: no padding; then a 0-length string padded to 4.
        let mut r = Reader::new(&[3, b'a', b'b', b'c', 0, 0, 0, 0]);
        assert_eq!(r.string("s", "c", &mut w).unwrap(), "abc");
        assert_eq!(r.string("s", "c", &mut w).unwrap(), "");
        assert_eq!(r.remaining(), 0);
        let mut long = vec![0xfe, 0x2c, 0x01, 0x00];
        long.extend(std::iter::repeat_n(b'x', 300));
        let mut r = Reader::new(&long);
        assert_eq!(r.bytes("s", "c").unwrap().len(), 300);
        assert_eq!(r.remaining(), 0);
        let mut r = Reader::new(&[2, 0xff, 0xfe, 0]);
        assert_eq!(r.string("device_model", "c", &mut w).unwrap(), "\u{FFFD}\u{FFFD}");
        assert_eq!(w[0].locator, "bytes 0..4");
    }

    #[test]
    fn faults_name_the_offset() {
        let e = Reader::new(&[0xfe, 0xff, 0xff, 0xff, 1]).bytes("ip", "authorization#ad01d61d").unwrap_err();
        assert!(e.truncated && e.at == 0, "{e:?}");
        assert!(Reader::new(&[0xff, 0, 0, 0]).bytes("ip", "x").is_err());
        let huge = [0x15, 0xc4, 0xb5, 0x1c, 0xff, 0xff, 0xff, 0x7f];
        let e = Reader::new(&huge).vector("authorizations", "x", 4).unwrap_err();
        assert_eq!(e.at, 4);
        let neg = [0x15, 0xc4, 0xb5, 0x1c, 0xff, 0xff, 0xff, 0xff];
        assert!(!Reader::new(&neg).vector("authorizations", "x", 4).unwrap_err().truncated);
    }
}
