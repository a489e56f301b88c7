//! minisign signatures (the prehashed "ED" kind): Ed25519 over the BLAKE2b-512 of the data, and
//! a second Ed25519 signature binding the trusted comment to the first. Ed25519 is
//! deterministic, so the same key, bytes and comment give the same file.

use super::keys::{KeyId, PublicKey, SecretKey};
use base64ct::{Base64, Encoding};
use blake2::{Blake2b512, Digest};
use ed25519_dalek::{Signer, Verifier};

const PREHASHED: [u8; 2] = *b"ED";

/// The untrusted comment line we write; `verify` expects exactly it, so no byte of the file
/// can change unnoticed.
pub fn untrusted_comment(id: KeyId) -> String {
    format!("signature from sessionproof secret key {id}")
}

/// Signs `data`: the text of a `.minisig` file.
pub fn sign(key: &SecretKey, data: &[u8], trusted_comment: &str) -> String {
    let trusted_comment = one_line(trusted_comment);
    let sig = key.signing.sign(&Blake2b512::digest(data)).to_bytes();
    let mut first = Vec::with_capacity(74);
    first.extend_from_slice(&PREHASHED);
    first.extend_from_slice(&key.id.0);
    first.extend_from_slice(&sig);
    let mut bound = sig.to_vec();
    bound.extend_from_slice(trusted_comment.as_bytes());
    let global = key.signing.sign(&bound).to_bytes();
    format!(
        "untrusted comment: {}\n{}\ntrusted comment: {trusted_comment}\n{}\n",
        untrusted_comment(key.id),
        Base64::encode_string(&first),
        Base64::encode_string(&global)
    )
}

/// Control characters would break the line-based format; they become spaces.
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() && c != '\t' { ' ' } else { c }).collect()
}

/// A parsed `.minisig` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub untrusted_comment: String,
    pub key_id: KeyId,
    sig: [u8; 64],
    pub trusted_comment: String,
    global: [u8; 64],
}

/// Why a signature does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigProblem {
    #[error("not a minisign signature: {0}")]
    Malformed(String),
    #[error("made with key {signed}, but the key given is {expected}")]
    OtherKey { signed: KeyId, expected: KeyId },
    #[error(
        "the signature does not match these bytes: the signed file was changed or the signature belongs to other bytes"
    )]
    BadSignature,
    #[error("the trusted comment was changed after signing")]
    BadComment,
}

impl Signature {
    /// Parses the file's text strictly: four lines, canonical base64, a final newline.
    pub fn parse(text: &[u8]) -> Result<Signature, SigProblem> {
        let bad = |what: &str| SigProblem::Malformed(what.to_string());
        let text = std::str::from_utf8(text).map_err(|_| bad("not UTF-8 text"))?;
        let body = text.strip_suffix('\n').ok_or_else(|| bad("the last line does not end"))?;
        let lines: Vec<&str> = body.split('\n').collect();
        let [l1, l2, l3, l4] = lines[..] else { return Err(bad("expected 4 lines")) };
        let untrusted =
            l1.strip_prefix("untrusted comment: ").ok_or_else(|| bad("line 1 is not the untrusted comment"))?;
        let trusted = l3.strip_prefix("trusted comment: ").ok_or_else(|| bad("line 3 is not the trusted comment"))?;
        let first = Base64::decode_vec(l2).map_err(|_| bad("line 2 is not base64"))?;
        let global = Base64::decode_vec(l4).map_err(|_| bad("line 4 is not base64"))?;
        if first.len() != 74 || global.len() != 64 {
            return Err(bad("wrong signature length"));
        }
        if first[..2] != PREHASHED {
            return Err(bad("not a prehashed Ed25519 (ED) signature"));
        }
        Ok(Signature {
            untrusted_comment: untrusted.to_string(),
            key_id: KeyId(first[2..10].try_into().expect("8 bytes")),
            sig: first[10..74].try_into().expect("64 bytes"),
            trusted_comment: trusted.to_string(),
            global: global.try_into().expect("64 bytes"),
        })
    }

    /// Checks the signature over `data` and the trusted comment with `key`.
    pub fn verify(&self, key: &PublicKey, data: &[u8]) -> Result<(), SigProblem> {
        if self.key_id != key.id {
            return Err(SigProblem::OtherKey { signed: self.key_id, expected: key.id });
        }
        let sig = ed25519_dalek::Signature::from_bytes(&self.sig);
        key.key.verify(&Blake2b512::digest(data), &sig).map_err(|_| SigProblem::BadSignature)?;
        let mut bound = self.sig.to_vec();
        bound.extend_from_slice(self.trusted_comment.as_bytes());
        let global = ed25519_dalek::Signature::from_bytes(&self.global);
        key.key.verify(&bound, &global).map_err(|_| SigProblem::BadComment)
    }

    /// The value of `name:` in a tab-separated trusted comment.
    pub fn comment_field(&self, name: &str) -> Option<&str> {
        self.trusted_comment.split('\t').find_map(|kv| kv.strip_prefix(name)?.strip_prefix(':'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::keys::{generate, load_secret_key};
    use std::path::Path;

    fn key() -> SecretKey {
        let g = generate(None).unwrap();
        load_secret_key(g.secret_text.as_bytes(), Path::new("k"), || unreachable!()).unwrap()
    }

    #[test]
    fn signs_deterministically_and_verifies() {
        let k = key();
        let a = sign(&k, b"manifest", "timestamp:1\tcase:X");
        assert_eq!(a, sign(&k, b"manifest", "timestamp:1\tcase:X"));
        let s = Signature::parse(a.as_bytes()).unwrap();
        s.verify(&k.public(), b"manifest").unwrap();
        assert_eq!(s.comment_field("case"), Some("X"));
        assert_eq!(s.untrusted_comment, untrusted_comment(k.id));
    }

    #[test]
    fn fail_other_bytes_other_key_and_edited_comment() {
        let k = key();
        let text = sign(&k, b"manifest", "timestamp:1");
        let s = Signature::parse(text.as_bytes()).unwrap();
        assert_eq!(s.verify(&k.public(), b"manifesT"), Err(SigProblem::BadSignature));
        let other = key();
        assert!(matches!(s.verify(&other.public(), b"manifest"), Err(SigProblem::OtherKey { .. })));
        let edited = text.replace("timestamp:1", "timestamp:2");
        let e = Signature::parse(edited.as_bytes()).unwrap();
        assert_eq!(e.verify(&k.public(), b"manifest"), Err(SigProblem::BadComment));
        for bad in ["", "x\n", &text[..text.len() - 1], &text.replace("trusted comment: ", "trusted: ")] {
            assert!(matches!(Signature::parse(bad.as_bytes()), Err(SigProblem::Malformed(_))), "{bad:?}");
        }
    }

    #[test]
    fn newlines_in_a_comment_cannot_break_the_format() {
        let k = key();
        let text = sign(&k, b"m", "case:evil\ntrusted comment: x");
        let s = Signature::parse(text.as_bytes()).unwrap();
        s.verify(&k.public(), b"m").unwrap();
    }
}
