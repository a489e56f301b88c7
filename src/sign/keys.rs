//! minisign key files: an Ed25519 key pair, the secret half encrypted with a passphrase through
//! scrypt, in the exact layout of the reference `minisign` tool, so its `-V` verifies our
//! signatures and its `-S` can sign with our keys.
//!
//! Secret key file, after the comment line, base64 of: "Ed" ‖ kdf ("Sc", or two zero bytes when
//! unencrypted) ‖ "B2" ‖ salt(32) ‖ opslimit(8, LE) ‖ memlimit(8, LE) ‖ then, XORed with the
//! scrypt stream: key id(8) ‖ Ed25519 seed(32) ‖ public key(32) ‖ BLAKE2b-256 checksum(32).

use super::SignError;
use crate::evidence::fsutil::read_small;
use base64ct::{Base64, Encoding};
use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use zeroize::{Zeroize, Zeroizing};

const SIG_ALG: [u8; 2] = *b"Ed";
const KDF_SCRYPT: [u8; 2] = *b"Sc";
const KDF_NONE: [u8; 2] = [0, 0];
const CHK_ALG: [u8; 2] = *b"B2";
const SECRET_LEN: usize = 2 + 2 + 2 + 32 + 8 + 8 + 8 + 64 + 32;
const SECRET_TAIL: usize = 8 + 64 + 32;
/// scrypt work: N = 2^17, r = 8, p = 1 (128 MiB) as libsodium derives it from these limits.
/// Lower than minisign's own 1 GiB default so a helpline laptop signs in about a second.
const OPSLIMIT: u64 = 1 << 22;
const MEMLIMIT: u64 = 1 << 27;
/// The most memory a key file may ask scrypt for (minisign's own ceiling).
const MEMLIMIT_MAX: u64 = 1 << 30;

/// A key's 8-byte id, shown as minisign shows it: 16 upper-case hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyId(pub [u8; 8]);

impl std::fmt::Display for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016X}", u64::from_le_bytes(self.0))
    }
}

/// An Ed25519 public key with its minisign key id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub id: KeyId,
    pub key: ed25519_dalek::VerifyingKey,
}

/// A decrypted secret key; the Ed25519 key zeroizes itself when dropped.
pub struct SecretKey {
    pub id: KeyId,
    pub(crate) signing: ed25519_dalek::SigningKey,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKey({}, redacted)", self.id)
    }
}

impl SecretKey {
    /// Its public half.
    pub fn public(&self) -> PublicKey {
        PublicKey { id: self.id, key: self.signing.verifying_key() }
    }

    /// 32 bytes derived from the secret seed for another purpose (`label`), e.g. the PDF
    /// certificate's key. One-way: the seed cannot be recovered from them.
    pub(crate) fn derive(&self, label: &str) -> Zeroizing<[u8; 32]> {
        let mut h = sha2::Sha256::new();
        sha2::Digest::update(&mut h, b"sessionproof key derivation v1\0");
        sha2::Digest::update(&mut h, label.as_bytes());
        sha2::Digest::update(&mut h, [0u8]);
        sha2::Digest::update(&mut h, self.signing.as_bytes());
        Zeroizing::new(sha2::Digest::finalize(h).into())
    }
}

impl PublicKey {
    /// The text of a `.pub` file.
    pub fn to_file_text(&self) -> String {
        let mut raw = Vec::with_capacity(42);
        raw.extend_from_slice(&SIG_ALG);
        raw.extend_from_slice(&self.id.0);
        raw.extend_from_slice(self.key.as_bytes());
        format!("untrusted comment: minisign public key {}\n{}\n", self.id, Base64::encode_string(&raw))
    }

    /// Reads a `.pub` file's text, or the bare base64 line alone. `path` only names it in errors.
    pub fn parse(text: &[u8], path: &Path) -> Result<PublicKey, SignError> {
        let corrupt = |what: &str| SignError::Corrupt {
            path: path.to_path_buf(),
            what: what.to_string(),
            fix: "give the minisign public key (.pub) the bundle was signed with",
        };
        let b64 = key_line(text, "not a minisign public key (not text)", &corrupt)?;
        let raw = Base64::decode_vec(b64.trim()).map_err(|_| corrupt("the key line is not valid base64"))?;
        if raw.len() != 42 || raw[..2] != SIG_ALG {
            return Err(corrupt("not an Ed25519 minisign public key (wrong length or algorithm)"));
        }
        let key = ed25519_dalek::VerifyingKey::from_bytes(raw[10..42].try_into().expect("32 bytes"))
            .map_err(|_| corrupt("the key is not a valid Ed25519 point"))?;
        Ok(PublicKey { id: KeyId(raw[2..10].try_into().expect("8 bytes")), key })
    }

    /// Reads a `.pub` file.
    pub fn from_file(path: &Path) -> Result<PublicKey, SignError> {
        let text = read_small(path, 64_000, "minisign public key")
            .map_err(|source| SignError::Io { path: path.to_path_buf(), source })?;
        PublicKey::parse(&text, path)
    }
}

/// The scrypt parameters libsodium derives from minisign's (opslimit, memlimit), so keys made
/// by the reference tool decrypt here and ours decrypt there.
fn scrypt_params(opslimit: u64, memlimit: u64) -> Result<scrypt::Params, SignError> {
    let opslimit = opslimit.max(32768);
    let r: u32 = 8;
    let (n_log2, p) = if opslimit < memlimit / 32 {
        let max_n = opslimit / (u64::from(r) * 4);
        (log2_below(max_n / 2), 1u32)
    } else {
        let max_n = memlimit / (u64::from(r) * 128);
        let n_log2 = log2_below(max_n / 2);
        let max_rp = ((opslimit / 4) >> n_log2).min(0x3fff_ffff);
        (n_log2, (max_rp as u32 / r).max(1))
    };
    scrypt::Params::new(n_log2, r, p, scrypt::Params::RECOMMENDED_LEN)
        .map_err(|e| SignError::invalid(format!("scrypt parameters: {e}")))
}

/// The smallest n ≥ 1 with 2^n > x (libsodium's loop).
fn log2_below(x: u64) -> u8 {
    let mut n = 1u8;
    while n < 63 && (1u64 << n) <= x {
        n += 1;
    }
    n
}

fn checksum(id: &[u8], sk64: &[u8]) -> [u8; 32] {
    let mut h = Blake2b::<U32>::new();
    h.update(SIG_ALG);
    h.update(id);
    h.update(sk64);
    h.finalize().into()
}

fn xor_stream(passphrase: &str, salt: &[u8], ops: u64, mem: u64, tail: &mut [u8]) -> Result<(), SignError> {
    let params = scrypt_params(ops, mem)?;
    let mut stream = Zeroizing::new([0u8; SECRET_TAIL]);
    scrypt::scrypt(passphrase.as_bytes(), salt, &params, stream.as_mut())
        .map_err(|e| SignError::invalid(format!("scrypt: {e}")))?;
    tail.iter_mut().zip(stream.iter()).for_each(|(b, s)| *b ^= s);
    Ok(())
}

/// A freshly generated key pair as file texts. The secret text zeroizes on drop.
pub struct GeneratedKeys {
    pub public: PublicKey,
    pub public_text: String,
    pub secret_text: Zeroizing<String>,
}

/// Generates a key pair; the secret half is encrypted when a passphrase is given.
pub fn generate(passphrase: Option<&str>) -> Result<GeneratedKeys, SignError> {
    let mut seed = Zeroizing::new([0u8; 32]);
    super::random(seed.as_mut())?;
    let mut id = [0u8; 8];
    super::random(&mut id)?;
    let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
    let public = PublicKey { id: KeyId(id), key: signing.verifying_key() };
    let mut raw = Zeroizing::new(Vec::with_capacity(SECRET_LEN));
    raw.extend_from_slice(&SIG_ALG);
    raw.extend_from_slice(if passphrase.is_some() { &KDF_SCRYPT } else { &KDF_NONE });
    raw.extend_from_slice(&CHK_ALG);
    let mut salt = [0u8; 32];
    let (ops, mem) = if passphrase.is_some() { (OPSLIMIT, MEMLIMIT) } else { (0, 0) };
    if passphrase.is_some() {
        super::random(&mut salt)?;
    }
    raw.extend_from_slice(&salt);
    raw.extend_from_slice(&ops.to_le_bytes());
    raw.extend_from_slice(&mem.to_le_bytes());
    let tail_at = raw.len();
    raw.extend_from_slice(&id);
    let mut sk64 = Zeroizing::new(signing.to_keypair_bytes());
    raw.extend_from_slice(sk64.as_ref());
    raw.extend_from_slice(&checksum(&id, sk64.as_ref()));
    sk64.zeroize();
    if let Some(p) = passphrase {
        xor_stream(p, &salt, ops, mem, &mut raw[tail_at..])?;
    }
    let comment = if passphrase.is_some() { "minisign encrypted secret key" } else { "minisign secret key" };
    let secret_text = Zeroizing::new(format!("untrusted comment: {comment}\n{}\n", Base64::encode_string(&raw)));
    Ok(GeneratedKeys { public_text: public.to_file_text(), public, secret_text })
}

/// Where the public key of secret key file `key` is written: `X.key` → `X.pub`, else `KEY.pub`.
pub fn public_key_path(key: &Path) -> PathBuf {
    match key.extension() {
        Some(e) if e == "key" => key.with_extension("pub"),
        _ => {
            let mut s = key.as_os_str().to_owned();
            s.push(".pub");
            PathBuf::from(s)
        }
    }
}

/// Writes a new key pair: the secret key at `out` with mode 0600, the public key beside it.
/// Neither file may exist already; nothing is overwritten.
pub fn write_key_pair(out: &Path, passphrase: Option<&str>) -> Result<(PublicKey, PathBuf), SignError> {
    let pub_path = public_key_path(out);
    for p in [out, pub_path.as_path()] {
        if p.exists() || p.is_symlink() {
            return Err(SignError::Exists(p.to_path_buf()));
        }
    }
    let keys = generate(passphrase)?;
    create_new(out, keys.secret_text.as_bytes(), true)?;
    if let Err(e) = create_new(&pub_path, keys.public_text.as_bytes(), false) {
        let _ = fs::remove_file(out);
        return Err(e);
    }
    Ok((keys.public, pub_path))
}

fn create_new(path: &Path, bytes: &[u8], secret: bool) -> Result<(), SignError> {
    let io = |source: std::io::Error| {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            SignError::Exists(path.to_path_buf())
        } else if let Some(parent) = parent.filter(|p| source.kind() == std::io::ErrorKind::NotFound && !p.exists()) {
            SignError::NoFolder(path.to_path_buf(), parent.to_path_buf())
        } else {
            SignError::Io { path: path.to_path_buf(), source }
        }
    };
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(if secret { 0o600 } else { 0o644 });
    }
    let _ = secret;
    let mut f = o.open(path).map_err(io)?;
    f.write_all(bytes).and_then(|_| f.sync_all()).map_err(io)
}

/// Whether a secret key file's text is passphrase-protected (so the caller knows to ask).
pub fn is_encrypted(text: &[u8], path: &Path) -> Result<bool, SignError> {
    let raw = decode_secret(text, path)?;
    Ok(raw[2..4] == KDF_SCRYPT)
}

/// The base64 line of a minisign key file: after an optional "untrusted comment:" line.
fn key_line<'a>(text: &'a [u8], not_text: &str, corrupt: &dyn Fn(&str) -> SignError) -> Result<&'a str, SignError> {
    let text = std::str::from_utf8(text).map_err(|_| corrupt(not_text))?;
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let first = lines.next().ok_or_else(|| corrupt("empty file"))?;
    if first.starts_with("untrusted comment:") {
        lines.next().ok_or_else(|| corrupt("the key line after the comment is missing"))
    } else {
        Ok(first)
    }
}

fn decode_secret(text: &[u8], path: &Path) -> Result<Zeroizing<Vec<u8>>, SignError> {
    let corrupt = |what: &str| SignError::Corrupt {
        path: path.to_path_buf(),
        what: what.to_string(),
        fix: "give the secret key file written by `sessionproof keygen` or `minisign -G`",
    };
    let b64 = key_line(text, "not a minisign secret key (not text)", &corrupt)?;
    let raw = Zeroizing::new(Base64::decode_vec(b64.trim()).map_err(|_| corrupt("the key line is not valid base64"))?);
    if raw.len() != SECRET_LEN {
        return Err(corrupt("not a minisign secret key (wrong length)"));
    }
    if raw[..2] != SIG_ALG || raw[4..6] != CHK_ALG {
        return Err(corrupt("not an Ed25519 minisign secret key (unknown algorithm)"));
    }
    if raw[2..4] != KDF_SCRYPT && raw[2..4] != KDF_NONE {
        return Err(corrupt("unknown key encryption (neither scrypt nor none)"));
    }
    Ok(raw)
}

/// Decrypts a secret key file's text. `passphrase` is asked only when the key is encrypted.
pub fn load_secret_key(
    text: &[u8],
    path: &Path,
    passphrase: impl FnOnce() -> Result<Zeroizing<String>, SignError>,
) -> Result<SecretKey, SignError> {
    let mut raw = decode_secret(text, path)?;
    let encrypted = raw[2..4] == KDF_SCRYPT;
    if encrypted {
        let ops = u64::from_le_bytes(raw[38..46].try_into().expect("8 bytes"));
        let mem = u64::from_le_bytes(raw[46..54].try_into().expect("8 bytes"));
        if mem > MEMLIMIT_MAX {
            return Err(SignError::Corrupt {
                path: path.to_path_buf(),
                what: "the key asks for more than 1 GiB of scrypt memory".into(),
                fix: "give a key written by `sessionproof keygen` or `minisign -G`",
            });
        }
        let salt: [u8; 32] = raw[6..38].try_into().expect("32 bytes");
        let pass = passphrase()?;
        xor_stream(&pass, &salt, ops, mem, &mut raw[54..])?;
    }
    let id: [u8; 8] = raw[54..62].try_into().expect("8 bytes");
    let sk64: &[u8] = &raw[62..126];
    let chk: &[u8] = &raw[126..158];
    // minisign 0.11 writes an all-zero checksum for its unencrypted (-W) keys.
    let chk_ok = chk == checksum(&id, sk64) || (!encrypted && chk.iter().all(|b| *b == 0));
    if !chk_ok {
        return Err(if encrypted {
            SignError::WrongPassphrase(path.to_path_buf())
        } else {
            SignError::Corrupt {
                path: path.to_path_buf(),
                what: "the key's checksum does not match: the file is damaged".into(),
                fix: "restore the key from its backup",
            }
        });
    }
    let seed: Zeroizing<[u8; 32]> = Zeroizing::new(sk64[..32].try_into().expect("32 bytes"));
    let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
    if signing.verifying_key().as_bytes() != &sk64[32..64] {
        return Err(SignError::Corrupt {
            path: path.to_path_buf(),
            what: "the secret key does not match its own public half: the file is damaged".into(),
            fix: "restore the key from its backup",
        });
    }
    Ok(SecretKey { id: KeyId(id), signing })
}

/// Reads and decrypts a secret key file.
pub fn read_secret_key(
    path: &Path,
    passphrase: impl FnOnce() -> Result<Zeroizing<String>, SignError>,
) -> Result<SecretKey, SignError> {
    let text = Zeroizing::new(
        read_small(path, 64_000, "minisign secret key")
            .map_err(|source| SignError::Io { path: path.to_path_buf(), source })?,
    );
    load_secret_key(&text, path, passphrase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pw(p: &str) -> impl FnOnce() -> Result<Zeroizing<String>, SignError> + '_ {
        move || Ok(Zeroizing::new(p.to_string()))
    }

    #[test]
    fn libsodium_parameters_for_our_limits_and_minisigns() {
        let ours = scrypt_params(OPSLIMIT, MEMLIMIT).unwrap();
        assert_eq!((ours.log_n(), ours.r(), ours.p()), (17, 8, 1));
        // minisign's defaults (opslimit 2^25, memlimit 2^30) give N = 2^20, r = 8, p = 1.
        let theirs = scrypt_params(1 << 25, 1 << 30).unwrap();
        assert_eq!((theirs.log_n(), theirs.r(), theirs.p()), (20, 8, 1));
    }

    #[test]
    fn an_encrypted_key_round_trips_and_a_wrong_passphrase_is_named() {
        let keys = generate(Some("correct horse")).unwrap();
        let path = Path::new("case.key");
        assert!(is_encrypted(keys.secret_text.as_bytes(), path).unwrap());
        let sk = load_secret_key(keys.secret_text.as_bytes(), path, pw("correct horse")).unwrap();
        assert_eq!(sk.public(), keys.public);
        let err = load_secret_key(keys.secret_text.as_bytes(), path, pw("Correct horse")).unwrap_err();
        assert!(matches!(err, SignError::WrongPassphrase(_)), "{err}");
        assert!(!err.to_string().contains("Correct horse"));
    }

    #[test]
    fn an_unencrypted_key_needs_no_passphrase() {
        let keys = generate(None).unwrap();
        let sk = load_secret_key(keys.secret_text.as_bytes(), Path::new("k"), || panic!("no passphrase must be asked"))
            .unwrap();
        assert_eq!(sk.id, keys.public.id);
        let parsed = PublicKey::parse(keys.public_text.as_bytes(), Path::new("k.pub")).unwrap();
        assert_eq!(parsed, keys.public);
    }

    #[test]
    fn fail_corrupt_keys_are_named() {
        let keys = generate(None).unwrap();
        let mut damaged = keys.secret_text.as_bytes().to_vec();
        let at = damaged.len() - 20;
        damaged[at] = if damaged[at] == b'A' { b'B' } else { b'A' };
        for bad in [
            &b""[..],
            b"untrusted comment: x\n",
            b"untrusted comment: x\n!!!\n",
            b"untrusted comment: x\nAAAA\n",
            &damaged,
        ] {
            let err = load_secret_key(bad, Path::new("bad.key"), pw("x")).unwrap_err();
            assert!(matches!(err, SignError::Corrupt { .. }), "{err}");
            assert!(err.to_string().starts_with("bad.key: "), "{err}");
        }
        assert!(PublicKey::parse(b"untrusted comment: y\nRWQ=\n", Path::new("p.pub")).is_err());
    }

    #[test]
    fn public_key_paths() {
        assert_eq!(public_key_path(Path::new("a/case.key")), Path::new("a/case.pub"));
        assert_eq!(public_key_path(Path::new("a/case")), Path::new("a/case.pub"));
        assert_eq!(public_key_path(Path::new("case.sec")), Path::new("case.sec.pub"));
    }

    #[test]
    fn key_ids_read_as_minisign_prints_them() {
        assert_eq!(KeyId([1, 2, 3, 4, 5, 6, 7, 0xab]).to_string(), "AB07060504030201");
    }
}
