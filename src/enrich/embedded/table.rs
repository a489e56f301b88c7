//! The range-table format of the embedded IP data (written by `scripts/ip-data/build.py`), read in place.
//!
//! A file is a 40-byte header and fixed-width little-endian sections whose sizes follow from the
//! header counts, so validating it is a few comparisons and a lookup is two binary searches over the
//! embedded bytes. Each table is a step function: entry `i` holds the value from its start key up to the
//! next entry's start. Keys are split into a u16 "head" and a low part (IPv4: 16 + 16 bits; IPv6: a
//! /48 prefix as 16 + 32 bits), which halves the key bytes; a /48 that holds a finer boundary carries
//! the SPLIT value and is resolved in a small table of full 128-bit keys.

use std::fmt;

/// First bytes of every file.
pub const MAGIC: &[u8; 8] = b"SPIPDATA";
/// Bumped whenever the layout changes; the build script writes the same number.
pub const FORMAT_VERSION: u16 = 1;
const HEADER_LEN: usize = 40;
/// IPv6 coarse keys are /48 prefixes: the address shifted right by 80 bits.
const FINE_SHIFT: u32 = 80;

/// What a file holds; each kind has a fixed value width and record layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Values index 8-byte records: ASN u32, organisation string offset u24, length u8.
    Asn = 1,
    /// Values index 2-byte ASCII country codes.
    Country = 2,
    /// Values are bit masks over 20-byte list records: category u8, 0, then name, version and
    /// title as (offset u32, length u16) string references.
    Lists = 3,
}

impl Kind {
    fn width(self) -> usize {
        match self {
            Kind::Asn => 3,
            Kind::Country => 1,
            Kind::Lists => 2,
        }
    }

    pub fn record_len(self) -> usize {
        match self {
            Kind::Asn => 8,
            Kind::Country => 2,
            Kind::Lists => 20,
        }
    }
}

/// A file that does not have the expected layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub file: &'static str,
    pub what: String,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "embedded {}: {}; the build is damaged: regenerate data/ with scripts/ip-data/build.py and rebuild",
            self.file, self.what
        )
    }
}

impl std::error::Error for FormatError {}

/// Reads the `index`-th little-endian unsigned integer of `len` bytes (1..=8); `None` when out of bounds.
fn uint(bytes: &[u8], index: usize, len: usize) -> Option<u64> {
    let at = index.checked_mul(len)?;
    let slice = bytes.get(at..at.checked_add(len)?)?;
    // Fixed widths first: a variable-length copy would call memcpy on every probe of a search.
    Some(match *slice {
        [a] => u64::from(a),
        [a, b] => u64::from(u16::from_le_bytes([a, b])),
        [a, b, c] => u64::from(u32::from_le_bytes([a, b, c, 0])),
        [a, b, c, d] => u64::from(u32::from_le_bytes([a, b, c, d])),
        _ => {
            let mut buf = [0u8; 8];
            buf.get_mut(..len)?.copy_from_slice(slice);
            u64::from_le_bytes(buf)
        }
    })
}

fn u128_at(bytes: &[u8], index: usize) -> Option<u128> {
    let at = index.checked_mul(16)?;
    let slice: [u8; 16] = bytes.get(at..at.checked_add(16)?)?.try_into().ok()?;
    Some(u128::from_le_bytes(slice))
}

/// First index in `lo..hi` whose key is greater than `key` (keys sorted ascending).
fn upper_bound<K: Ord>(mut lo: usize, mut hi: usize, key: K, at: impl Fn(usize) -> Option<K>) -> Option<usize> {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if at(mid)? <= key {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    Some(lo)
}

/// Start keys split into sorted u16 heads (with the offset of each head's group) and low parts.
#[derive(Debug, Clone)]
struct TwoLevel<'a> {
    heads: &'a [u8],
    offsets: &'a [u8],
    lows: &'a [u8],
    low_len: usize,
    values: &'a [u8],
    /// For every possible head value, the group that covers it: built once at load (65,536
    /// entries), it replaces the binary search over the heads on every lookup.
    group_of: Box<[u32]>,
}

impl<'a> TwoLevel<'a> {
    fn new(heads: &'a [u8], offsets: &'a [u8], lows: &'a [u8], low_len: usize, values: &'a [u8]) -> Self {
        let groups = heads.len() / 2;
        let mut group_of = vec![0u32; 1 << 16].into_boxed_slice();
        for g in 0..groups {
            let from = uint(heads, g, 2).unwrap_or(0) as usize;
            let to = if g + 1 < groups { uint(heads, g + 1, 2).unwrap_or(1 << 16) as usize } else { 1 << 16 };
            for slot in group_of.iter_mut().take(to.min(1 << 16)).skip(from) {
                *slot = g as u32;
            }
        }
        TwoLevel { heads, offsets, lows, low_len, values, group_of }
    }

    /// Index of the last entry whose start key is <= (head, low).
    fn find(&self, head: u64, low: u64) -> Option<usize> {
        let h = *self.group_of.get(usize::try_from(head).ok()?)? as usize;
        let start = usize::try_from(uint(self.offsets, h, 4)?).ok()?;
        let end = usize::try_from(uint(self.offsets, h + 1, 4)?).ok()?;
        if uint(self.heads, h, 2)? < head {
            return end.checked_sub(1);
        }
        upper_bound(start, end, low, |i| uint(self.lows, i, self.low_len))?.checked_sub(1)
    }
}

/// One validated file, borrowed from its bytes.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    width: usize,
    v4: TwoLevel<'a>,
    v6: TwoLevel<'a>,
    fine_keys: &'a [u8],
    fine_values: &'a [u8],
    records: &'a [u8],
    record_len: usize,
    strings: &'a [u8],
}

/// Cuts `bytes` into consecutive sections of the given sizes, checking the sizes add up exactly.
fn sections<const N: usize>(bytes: &[u8], sizes: [Option<usize>; N]) -> Result<[&[u8]; N], String> {
    let mut out = [&bytes[..0]; N];
    let mut pos = 0usize;
    for (slot, size) in out.iter_mut().zip(sizes) {
        let end = size.and_then(|s| pos.checked_add(s)).ok_or("section sizes overflow")?;
        *slot = bytes.get(pos..end).ok_or_else(|| format!("file is {} bytes, counts need more", bytes.len()))?;
        pos = end;
    }
    if pos != bytes.len() {
        return Err(format!("file is {} bytes, counts say {pos}", bytes.len()));
    }
    Ok(out)
}

impl<'a> Table<'a> {
    /// Checks the header, the section sizes and the group offsets (cheap: no pass over the rows).
    pub fn parse(file: &'static str, bytes: &'a [u8], kind: Kind) -> Result<Table<'a>, FormatError> {
        Self::parse_inner(bytes, kind).map_err(|what| FormatError { file, what })
    }

    fn parse_inner(bytes: &'a [u8], kind: Kind) -> Result<Table<'a>, String> {
        let header = bytes.get(..HEADER_LEN).ok_or("shorter than the header")?;
        if &header[..8] != MAGIC {
            return Err("bad magic (not a sessionproof IP table)".into());
        }
        let version = u16::from_le_bytes([header[8], header[9]]);
        if version != FORMAT_VERSION {
            return Err(format!("format version {version}, this build reads {FORMAT_VERSION}"));
        }
        if header[10] != kind as u8 || usize::from(header[11]) != kind.width() {
            return Err(format!("holds kind {} width {}, expected {kind:?}", header[10], header[11]));
        }
        let count = |i: usize| uint(header, 3 + i, 4).and_then(|c| usize::try_from(c).ok());
        let [n4, r4, n6, r6, nf, nr, ns] = [0, 1, 2, 3, 4, 5, 6].map(count);
        let w = kind.width();
        let times = |n: Option<usize>, size: usize| n.and_then(|n| n.checked_mul(size));
        let plus_one = |n: Option<usize>| n.and_then(|n| n.checked_add(1));
        let [_, h4, o4, l4, v4, h6, o6, l6, v6, fk, fv, records, strings] = sections(
            bytes,
            [
                Some(HEADER_LEN),
                times(n4, 2),
                times(plus_one(n4), 4),
                times(r4, 2),
                times(r4, w),
                times(n6, 2),
                times(plus_one(n6), 4),
                times(r6, 4),
                times(r6, w),
                times(nf, 16),
                times(nf, w),
                times(nr, kind.record_len()),
                ns,
            ],
        )?;
        for (name, heads, offsets, rows) in [("IPv4", h4, o4, r4), ("IPv6", h6, o6, r6)] {
            let t = TwoLevel { heads, offsets, lows: &[], low_len: 0, values: &[], group_of: Box::new([]) };
            let groups = t.heads.len() / 2;
            let first = uint(t.offsets, 0, 4);
            let last = uint(t.offsets, groups, 4).and_then(|l| usize::try_from(l).ok());
            if groups == 0 || uint(t.heads, 0, 2) != Some(0) || first != Some(0) || last != rows {
                return Err(format!("{name} table does not start at address 0 or its offsets disagree with its rows"));
            }
        }
        let v4 = TwoLevel::new(h4, o4, l4, 2, v4);
        let v6 = TwoLevel::new(h6, o6, l6, 4, v6);
        Ok(Table { width: w, v4, v6, fine_keys: fk, fine_values: fv, records, record_len: kind.record_len(), strings })
    }

    fn none(&self) -> u64 {
        (1u64 << (8 * self.width)) - 1
    }

    fn value(&self, values: &[u8], index: usize) -> Option<u32> {
        let v = uint(values, index, self.width)?;
        if v == self.none() { None } else { u32::try_from(v).ok() }
    }

    /// The value covering an IPv4 address, or `None` where the data has a gap.
    pub fn lookup_v4(&self, ip: u32) -> Option<u32> {
        let i = self.v4.find(u64::from(ip >> 16), u64::from(ip & 0xffff))?;
        self.value(self.v4.values, i)
    }

    /// The value covering an IPv6 address, or `None` where the data has a gap.
    pub fn lookup_v6(&self, ip: u128) -> Option<u32> {
        let prefix = ip >> FINE_SHIFT;
        let i = self.v6.find((prefix >> 32) as u64, (prefix & 0xffff_ffff) as u64)?;
        let v = self.value(self.v6.values, i)?;
        if u64::from(v) != self.none() - 1 {
            return Some(v);
        }
        let n = self.fine_keys.len() / 16;
        let j = upper_bound(0, n, ip, |k| u128_at(self.fine_keys, k))?.checked_sub(1)?;
        self.value(self.fine_values, j)
    }

    /// Record `index` (see [`Kind`] for the layouts).
    pub fn record(&self, index: u32) -> Option<&'a [u8]> {
        let at = usize::try_from(index).ok()?.checked_mul(self.record_len)?;
        self.records.get(at..at.checked_add(self.record_len)?)
    }

    /// Number of records.
    pub fn record_count(&self) -> usize {
        self.records.len() / self.record_len
    }

    /// A UTF-8 string from the string table.
    pub fn string(&self, offset: usize, len: usize) -> Option<&'a str> {
        std::str::from_utf8(self.strings.get(offset..offset.checked_add(len)?)?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-made file: IPv4 10.0.0.0/8 -> 7; IPv6 2001:db8::/32 -> 1 except 2001:db8::/64 -> 2.
    fn tiny() -> Vec<u8> {
        let none = 0xff;
        let v4 = [(0u32, none), (0x0a00_0000, 7), (0x0b00_0000, none)];
        let coarse = [(0u64, none), (0x2001_0db8_0000, 0xfe), (0x2001_0db8_0001, 1), (0x2001_0db9_0000, none)];
        let fine = [(0x2001_0db8_u128 << 96, 2), ((0x2001_0db8_u128 << 96) | (1u128 << 64), 1)];
        let mut b = Vec::new();
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        b.extend_from_slice(&[Kind::Country as u8, 1]);
        for c in [3u32, 3, 2, 4, 2, 2, 0] {
            b.extend_from_slice(&c.to_le_bytes());
        }
        // IPv4 heads 0x0000, 0x0a00, 0x0b00, one entry each.
        for h in [0u16, 0x0a00, 0x0b00] {
            b.extend_from_slice(&h.to_le_bytes());
        }
        for o in [0u32, 1, 2, 3] {
            b.extend_from_slice(&o.to_le_bytes());
        }
        b.extend_from_slice(&[0; 6]);
        b.extend(v4.iter().map(|&(_, v)| v));
        for h in [0u16, 0x2001] {
            b.extend_from_slice(&h.to_le_bytes());
        }
        for o in [0u32, 1, 4] {
            b.extend_from_slice(&o.to_le_bytes());
        }
        for (k, _) in coarse {
            b.extend_from_slice(&((k & 0xffff_ffff) as u32).to_le_bytes());
        }
        b.extend(coarse.iter().map(|&(_, v)| v));
        for (k, _) in fine {
            b.extend_from_slice(&k.to_le_bytes());
        }
        b.extend(fine.iter().map(|&(_, v)| v));
        b.extend_from_slice(b"ATDE");
        b
    }

    #[test]
    fn tiny_table_lookups() {
        let bytes = tiny();
        let t = Table::parse("tiny", &bytes, Kind::Country).unwrap();
        assert_eq!(t.lookup_v4(0x0a01_0203), Some(7));
        assert_eq!(t.lookup_v4(0x0aff_ffff), Some(7));
        assert_eq!(t.lookup_v4(0x0b00_0000), None);
        assert_eq!(t.lookup_v4(0), None);
        assert_eq!(t.lookup_v4(u32::MAX), None);
        let ip = |s: &str| u128::from(s.parse::<std::net::Ipv6Addr>().unwrap());
        assert_eq!(t.lookup_v6(ip("2001:db8::1")), Some(2));
        assert_eq!(t.lookup_v6(ip("2001:db8:0:1::1")), Some(1));
        assert_eq!(t.lookup_v6(ip("2001:db8:1::")), Some(1));
        assert_eq!(t.lookup_v6(ip("2001:db8:ffff:ffff::")), Some(1));
        assert_eq!(t.lookup_v6(ip("2001:db9::")), None);
        assert_eq!(t.lookup_v6(u128::MAX), None);
        assert_eq!(t.record(1), Some(&b"DE"[..]));
        assert_eq!(t.record(2), None);
    }

    #[test]
    fn fail_corrupt_headers_are_refused() {
        let good = tiny();
        let mutations: [(usize, u8); 6] = [(0, b'X'), (8, 2), (10, 1), (11, 3), (12, 4), (20, 9)];
        for (at, byte) in mutations {
            let mut bad = good.clone();
            bad[at] = byte;
            let err = Table::parse("tiny", &bad, Kind::Country).unwrap_err();
            assert!(err.to_string().contains("embedded tiny:"), "{err}");
        }
        assert!(Table::parse("tiny", &good[..good.len() - 1], Kind::Country).is_err());
        assert!(Table::parse("tiny", &good[..10], Kind::Country).is_err());
        assert!(Table::parse("tiny", &[], Kind::Country).is_err());
        assert!(Table::parse("tiny", &good, Kind::Asn).is_err());
    }
}
