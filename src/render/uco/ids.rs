//! Deterministic node identifiers and typed literals for the CASE/UCO graph.
//!
//! UCO suggests that every node's IRI ends with a UUID. Random UUIDs would make two runs on the
//! same case differ, so each one is derived from a SHA-256 over the case id, the kind of node and
//! the stable facts that name it, and formatted as a version-5-shaped UUID.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// `kb:<kind>-<uuid>` for the node of `kind` named by `parts` in case `case_id`.
pub fn iri(case_id: &str, kind: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    // Length-prefixed, so ("ab", "c") and ("a", "bc") never collide.
    for p in [NAMESPACE, case_id, kind].iter().chain(parts) {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    format!("kb:{kind}-{}", uuid_from(&h.finalize()))
}

/// Separates these identifiers from any other SHA-256 use of the same strings.
const NAMESPACE: &str = "sessionproof/case-uco/v1";

/// The first 16 bytes as a UUID with the version (5) and variant (RFC 4122) bits set.
fn uuid_from(digest: &[u8]) -> String {
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// A reference to another node.
pub fn node_ref(iri: &str) -> Value {
    json!({ "@id": iri })
}

/// An `xsd:dateTime` from an RFC 3339 text, normalized to UTC; `None` when it is not a time.
pub fn date_time(rfc3339: &str) -> Option<Value> {
    let t: jiff::Timestamp = rfc3339.parse().ok()?;
    Some(json!({ "@type": "xsd:dateTime", "@value": t.to_string() }))
}

/// An `xsd:integer`.
pub fn integer(n: impl Into<i128>) -> Value {
    json!({ "@type": "xsd:integer", "@value": n.into().to_string() })
}

/// An `xsd:decimal`; `None` for NaN or infinity, which have no decimal form.
pub fn decimal(x: f64) -> Option<Value> {
    // Rust prints floats without an exponent, which is what xsd:decimal requires.
    x.is_finite().then(|| json!({ "@type": "xsd:decimal", "@value": format!("{x}") }))
}

/// Whether `s` is a lower- or upper-case hex SHA-256.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// An `xsd:hexBinary` (the caller checks the text with [`is_sha256`]).
pub fn hex_binary(hex: &str) -> Value {
    json!({ "@type": "xsd:hexBinary", "@value": hex })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_stable_distinct_and_end_in_a_uuid() {
        let a = iri("HL-1", "file", &["evidence/x.json"]);
        assert_eq!(a, iri("HL-1", "file", &["evidence/x.json"]));
        assert_ne!(a, iri("HL-2", "file", &["evidence/x.json"]));
        assert_ne!(iri("c", "k", &["ab", "c"]), iri("c", "k", &["a", "bc"]));
        let uuid = a.strip_prefix("kb:file-").unwrap();
        let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&uuid[14..15], "5", "version nibble");
        assert!(matches!(&uuid[19..20], "8" | "9" | "a" | "b"), "variant bits");
    }

    #[test]
    fn literals_carry_their_xsd_types() {
        assert_eq!(date_time("2026-11-26T12:00:00Z").unwrap()["@value"], "2026-11-26T12:00:00Z");
        assert_eq!(date_time("2026-11-26T13:00:00+01:00").unwrap()["@value"], "2026-11-26T12:00:00Z");
        assert!(date_time("Tue").is_none());
        assert_eq!(integer(18_446_744_073_709_551_615u64)["@value"], "18446744073709551615");
        assert_eq!(decimal(1e-7).unwrap()["@value"], "0.0000001");
        assert!(decimal(f64::NAN).is_none());
        assert!(is_sha256(&"a".repeat(64)) && !is_sha256("unavailable"));
    }
}
