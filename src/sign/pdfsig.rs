//! The PDF's embedded signature: `adbe.pkcs7.detached` over the file's two byte ranges around
//! the reserved `/Contents`, as a CMS SignedData with contentType, signingTime and
//! messageDigest signed attributes.
//!
//! Why P-256 and not the Ed25519 case key itself: poppler's `pdfsig` verifies through NSS, and
//! NSS (Debian 12) does not verify Ed25519 signatures in CMS. So the certificate's key is a
//! P-256 key derived one-way from the minisign secret (SHA-256 of a label and the seed); its
//! self-signed certificate names the minisign key id in its subject, and the ECDSA signature is
//! deterministic (RFC 6979), so the same key and `--now` give the same PDF. The binding to the
//! case key is the manifest: it is signed with the Ed25519 key and holds report.pdf's sha256,
//! certificate included. A user may instead supply a certificate and key (P-256 or RSA).

use super::tsp::{
    self, ATTR_CONTENT_TYPE, ATTR_MESSAGE_DIGEST, ATTR_SIGNING_TIME, ECDSA_SHA256, ID_DATA, ID_SIGNED_DATA, SHA256,
};
use super::{SecretKey, SignError};
use crate::model::pdf_signature::{BYTE_RANGE_TEXT, CONTENTS_BYTES};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{Any, OctetString, SetOfVec, UtcTime};
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;
use std::str::FromStr;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;

const RSA_SHA256: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");

enum Key {
    P256(p256::ecdsa::SigningKey),
    Rsa(Box<rsa::RsaPrivateKey>),
}

/// A key and the certificate chain (signer first) that sign the PDF.
pub struct PdfSigner {
    key: Key,
    chain: Vec<Certificate>,
}

impl std::fmt::Debug for PdfSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PdfSigner({}, key redacted)", self.subject())
    }
}

fn bad(what: impl Into<String>) -> SignError {
    SignError::invalid(what)
}

/// The certificate subject of the case key's PDF certificate.
pub fn case_subject(id: super::KeyId) -> String {
    format!("CN=sessionproof case key {id},O=sessionproof")
}

impl PdfSigner {
    /// The signer certificate's subject.
    pub fn subject(&self) -> String {
        self.chain[0].tbs_certificate.subject.to_string()
    }

    /// A P-256 key derived from the case key and a self-signed certificate for it, valid from `at`.
    pub fn for_case_key(key: &SecretKey, at: jiff::Timestamp) -> Result<PdfSigner, SignError> {
        let mut counter = 0u32;
        let signing = loop {
            let bytes = key.derive(&format!("pdf-signature p256 {counter}"));
            if let Ok(k) = p256::ecdsa::SigningKey::from_bytes(bytes.as_ref().into()) {
                break k;
            }
            counter += 1;
        };
        let cert = self_signed(&signing, key.id, at)?;
        Ok(PdfSigner { key: Key::P256(signing), chain: vec![cert] })
    }

    /// A user's certificate (PEM, signer first, then its chain) and PKCS#8 key (PEM, P-256 or RSA).
    pub fn from_pem(
        cert_pem: &[u8],
        key_pem: &str,
        cert_path: &std::path::Path,
        key_path: &std::path::Path,
    ) -> Result<PdfSigner, SignError> {
        use p256::pkcs8::DecodePrivateKey;
        let chain = tsp::read_certificates(cert_pem, cert_path)?;
        let key = if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_pem(key_pem) {
            Key::P256(k)
        } else if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_pem(key_pem) {
            Key::Rsa(Box::new(k))
        } else {
            return Err(SignError::Corrupt {
                path: key_path.to_path_buf(),
                what: "not an unencrypted PKCS#8 P-256 or RSA private key".into(),
                fix: "convert it with `openssl pkcs8 -topk8 -nocrypt`",
            });
        };
        let signer = PdfSigner { key, chain };
        // The key must belong to the certificate: sign and verify a probe.
        let probe = signer.sign_raw(b"probe")?;
        tsp::verify_signature(&signer.chain[0], signer.sig_alg(), SHA256, b"probe", &probe).map_err(|_| {
            SignError::Corrupt {
                path: key_path.to_path_buf(),
                what: format!("this key does not belong to the certificate in {}", cert_path.display()),
                fix: "give the private key of that certificate",
            }
        })?;
        Ok(signer)
    }

    fn sig_alg(&self) -> der::oid::ObjectIdentifier {
        match self.key {
            Key::P256(_) => ECDSA_SHA256,
            Key::Rsa(_) => RSA_SHA256,
        }
    }

    fn sign_raw(&self, msg: &[u8]) -> Result<Vec<u8>, SignError> {
        match &self.key {
            Key::P256(k) => {
                use p256::ecdsa::signature::Signer;
                let s: p256::ecdsa::Signature = k.sign(msg);
                Ok(s.to_der().as_bytes().to_vec())
            }
            Key::Rsa(k) => {
                let digest = tsp::digest(SHA256, msg)?;
                k.sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &digest)
                    .map_err(|e| bad(format!("RSA signing failed: {e}")))
            }
        }
    }

    /// The detached CMS SignedData over `digest` (SHA-256 of the signed bytes).
    fn cms(&self, digest: &[u8], at: jiff::Timestamp) -> Result<Vec<u8>, SignError> {
        let enc = |e: der::Error| bad(format!("CMS encoding: {e}"));
        let attr = |oid, value: Any| -> Result<Attribute, SignError> {
            Ok(Attribute { oid, values: SetOfVec::try_from(vec![value]).map_err(enc)? })
        };
        let time =
            UtcTime::from_unix_duration(std::time::Duration::from_secs(at.as_second().max(0) as u64)).map_err(enc)?;
        let attrs = SetOfVec::try_from(vec![
            attr(ATTR_CONTENT_TYPE, Any::encode_from(&ID_DATA).map_err(enc)?)?,
            attr(ATTR_SIGNING_TIME, Any::encode_from(&time).map_err(enc)?)?,
            attr(
                ATTR_MESSAGE_DIGEST,
                Any::encode_from(&OctetString::new(digest.to_vec()).map_err(enc)?).map_err(enc)?,
            )?,
        ])
        .map_err(enc)?;
        let signature = self.sign_raw(&attrs.to_der().map_err(enc)?)?;
        let cert = &self.chain[0];
        let sha256 = AlgorithmIdentifierOwned { oid: SHA256, parameters: None };
        let si = SignerInfo {
            version: CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: cert.tbs_certificate.issuer.clone(),
                serial_number: cert.tbs_certificate.serial_number.clone(),
            }),
            digest_alg: sha256.clone(),
            signed_attrs: Some(attrs),
            signature_algorithm: AlgorithmIdentifierOwned {
                oid: self.sig_alg(),
                parameters: matches!(self.key, Key::Rsa(_)).then(Any::null),
            },
            signature: OctetString::new(signature).map_err(enc)?,
            unsigned_attrs: None,
        };
        let certs = self.chain.iter().map(|c| CertificateChoices::Certificate(c.clone())).collect::<Vec<_>>();
        let sd = SignedData {
            version: CmsVersion::V1,
            digest_algorithms: SetOfVec::try_from(vec![sha256]).map_err(enc)?,
            encap_content_info: EncapsulatedContentInfo { econtent_type: ID_DATA, econtent: None },
            certificates: Some(CertificateSet(SetOfVec::try_from(certs).map_err(enc)?)),
            crls: None,
            signer_infos: SignerInfos(SetOfVec::try_from(vec![si]).map_err(enc)?),
        };
        ContentInfo { content_type: ID_SIGNED_DATA, content: Any::encode_from(&sd).map_err(enc)? }.to_der().map_err(enc)
    }
}

fn self_signed(key: &p256::ecdsa::SigningKey, id: super::KeyId, at: jiff::Timestamp) -> Result<Certificate, SignError> {
    use p256::pkcs8::EncodePublicKey;
    use x509_cert::ext::pkix::{KeyUsage, KeyUsages};
    let enc = |e: der::Error| bad(format!("certificate encoding: {e}"));
    let name = x509_cert::name::Name::from_str(&case_subject(id)).map_err(enc)?;
    let spki_der = key.verifying_key().to_public_key_der().map_err(|e| bad(format!("public key: {e}")))?;
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(spki_der.as_bytes()).map_err(enc)?;
    let mut serial = vec![0x01];
    serial.extend_from_slice(&id.0);
    let not_before =
        UtcTime::from_unix_duration(std::time::Duration::from_secs(at.as_second().max(0) as u64)).map_err(enc)?;
    let usage = KeyUsage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation);
    let tbs = x509_cert::TbsCertificate {
        version: x509_cert::Version::V3,
        serial_number: x509_cert::serial_number::SerialNumber::new(&serial).map_err(enc)?,
        signature: AlgorithmIdentifierOwned { oid: ECDSA_SHA256, parameters: None },
        issuer: name.clone(),
        validity: x509_cert::time::Validity {
            not_before: x509_cert::time::Time::UtcTime(not_before),
            // RFC 5280 §4.1.2.5: no well-defined expiration.
            not_after: x509_cert::time::Time::GeneralTime(der::asn1::GeneralizedTime::from_date_time(
                der::DateTime::new(9999, 12, 31, 23, 59, 59).map_err(enc)?,
            )),
        },
        subject: name,
        subject_public_key_info: spki,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(vec![x509_cert::ext::Extension {
            extn_id: der::oid::ObjectIdentifier::new_unwrap("2.5.29.15"),
            critical: true,
            extn_value: OctetString::new(usage.to_der().map_err(enc)?).map_err(enc)?,
        }]),
    };
    use p256::ecdsa::signature::Signer;
    let sig: p256::ecdsa::Signature = key.sign(&tbs.to_der().map_err(enc)?);
    Ok(Certificate {
        tbs_certificate: tbs,
        signature_algorithm: AlgorithmIdentifierOwned { oid: ECDSA_SHA256, parameters: None },
        signature: der::asn1::BitString::from_bytes(sig.to_der().as_bytes()).map_err(enc)?,
    })
}

/// Where the reserved signature sits in a PDF.
struct Slot {
    byte_range_at: usize,
    contents_start: usize,
    contents_end: usize,
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

fn find_slot(pdf: &[u8]) -> Result<Slot, SignError> {
    let byte_range_at = pdf
        .windows(BYTE_RANGE_TEXT.len())
        .rposition(|w| w == BYTE_RANGE_TEXT)
        .ok_or_else(|| bad("report.pdf has no reserved signature dictionary"))?;
    let contents = find(pdf, b"/Contents <", byte_range_at).ok_or_else(|| bad("report.pdf: no reserved /Contents"))?;
    let contents_start = contents + b"/Contents ".len();
    let len = 2 * CONTENTS_BYTES + 2;
    let slot =
        pdf.get(contents_start..contents_start + len).ok_or_else(|| bad("report.pdf: /Contents is cut short"))?;
    if slot[len - 1] != b'>' || !slot[1..len - 1].iter().all(|b| *b == b'F') {
        return Err(bad("report.pdf: the reserved /Contents is not the expected placeholder"));
    }
    Ok(Slot { byte_range_at, contents_start, contents_end: contents_start + len })
}

/// Signs a PDF written with a reserved signature slot; the result has the same length.
pub fn sign_pdf(mut pdf: Vec<u8>, signer: &PdfSigner, at: jiff::Timestamp) -> Result<Vec<u8>, SignError> {
    let slot = find_slot(&pdf)?;
    let ranges = [0, slot.contents_start, slot.contents_end, pdf.len() - slot.contents_end];
    if ranges.iter().any(|r| *r > 999_999_999) {
        return Err(bad("report.pdf is larger than a signature's byte range can describe (1 GB)"));
    }
    let text = format!("/ByteRange [0 {:<9} {:<9} {:<9}]", ranges[1], ranges[2], ranges[3]);
    debug_assert_eq!(text.len(), BYTE_RANGE_TEXT.len());
    pdf[slot.byte_range_at..slot.byte_range_at + text.len()].copy_from_slice(text.as_bytes());
    let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
    sha2::Digest::update(&mut hasher, &pdf[..slot.contents_start]);
    sha2::Digest::update(&mut hasher, &pdf[slot.contents_end..]);
    let digest = sha2::Digest::finalize(hasher);
    let cms = signer.cms(&digest, at)?;
    if cms.len() > CONTENTS_BYTES {
        return Err(bad(format!(
            "the PDF signature ({} bytes) does not fit the {CONTENTS_BYTES} reserved; use a shorter certificate chain",
            cms.len()
        )));
    }
    let hex = super::hex(&cms).to_uppercase();
    let inner = &mut pdf[slot.contents_start + 1..slot.contents_end - 1];
    inner.fill(b'0');
    inner[..hex.len()].copy_from_slice(hex.as_bytes());
    Ok(pdf)
}

/// What a PDF's signature says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfSignature {
    pub signer: String,
    pub signing_time: Option<String>,
}

/// Checks the last signature in `pdf`: its byte ranges cover the whole file but the signature,
/// the signed digest matches those bytes and the signature verifies with the signer certificate.
pub fn verify_pdf(pdf: &[u8]) -> Result<PdfSignature, SignError> {
    let at =
        pdf.windows(12).rposition(|w| w == b"/ByteRange [").ok_or_else(|| bad("report.pdf carries no signature"))?;
    let end = find(pdf, b"]", at).ok_or_else(|| bad("report.pdf: the /ByteRange is cut short"))?;
    let nums: Vec<usize> = std::str::from_utf8(&pdf[at + 12..end])
        .ok()
        .map(|s| s.split_ascii_whitespace().filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default();
    let [a, b, c, d] = nums[..] else { return Err(bad("report.pdf: the /ByteRange is not four numbers")) };
    if a != 0
        || b >= c
        || c.checked_add(d) != Some(pdf.len())
        || pdf.get(b) != Some(&b'<')
        || pdf.get(c - 1) != Some(&b'>')
    {
        return Err(bad(
            "report.pdf: the signature's byte range does not cover the whole file: bytes were added or removed",
        ));
    }
    let hex = std::str::from_utf8(&pdf[b + 1..c - 1]).map_err(|_| bad("report.pdf: the signature is not hex"))?;
    let der_bytes = super::unhex(hex).ok_or_else(|| bad("report.pdf: the signature is not hex"))?;
    let mut reader = der::SliceReader::new(&der_bytes).map_err(|e| bad(e.to_string()))?;
    let ci: ContentInfo =
        der::Decode::decode(&mut reader).map_err(|e| bad(format!("report.pdf: the signature is not CMS ({e})")))?;
    // The reserved space after the signature is zeros as written; anything else was added.
    let used = der_bytes.len() - usize::try_from(der::Reader::remaining_len(&reader)).unwrap_or(0);
    if der_bytes[used..].iter().any(|b| *b != 0) {
        return Err(bad("report.pdf: bytes were changed in the space reserved after the signature"));
    }
    if ci.content_type != ID_SIGNED_DATA {
        return Err(bad("report.pdf: the signature is not CMS SignedData"));
    }
    let sd = SignedData::from_der(&ci.content.to_der().map_err(|e| bad(e.to_string()))?)
        .map_err(|e| bad(format!("report.pdf: the signature is not SignedData ({e})")))?;
    let [si] = sd.signer_infos.0.as_slice() else { return Err(bad("report.pdf: expected one signer")) };
    let certs = tsp::certificates(&sd);
    let signer = tsp::find_signer(si, &certs)?;
    let md = tsp::attr_value(si, ATTR_MESSAGE_DIGEST)
        .ok_or_else(|| bad("report.pdf: the signature has no messageDigest"))?;
    let md = md.decode_as::<OctetString>().map_err(|e| bad(e.to_string()))?;
    let signed_bytes = [&pdf[..b], &pdf[c..]].concat();
    if md.as_bytes() != tsp::digest(si.digest_alg.oid, &signed_bytes)? {
        return Err(bad("report.pdf: the signed digest does not match the file: report.pdf was changed after signing"));
    }
    let attrs = si.signed_attrs.as_ref().expect("messageDigest was found").to_der().map_err(|e| bad(e.to_string()))?;
    tsp::verify_signature(signer, si.signature_algorithm.oid, si.digest_alg.oid, &attrs, si.signature.as_bytes())
        .map_err(|e| bad(format!("report.pdf: the signature does not verify ({e})")))?;
    let signing_time = tsp::attr_value(si, ATTR_SIGNING_TIME)
        .and_then(|t| x509_cert::time::Time::from_der(&t.to_der().ok()?).ok())
        .and_then(|t| {
            jiff::Timestamp::from_second(t.to_unix_duration().as_secs() as i64).ok().map(crate::clock::rfc3339)
        });
    Ok(PdfSignature { signer: signer.tbs_certificate.subject.to_string(), signing_time })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pdf_signature::SignatureSlot;
    use crate::render::pdf::doc::{Block, Document, Para, Style, test_meta};
    use crate::render::pdf::text::Direction;
    use crate::sign::keys::{generate, load_secret_key};

    fn unsigned_pdf(at: jiff::Timestamp) -> Vec<u8> {
        let mut meta = test_meta(Direction::Ltr);
        meta.signature = Some(SignatureSlot { name: "n".into(), reason: "r".into(), signing_time: at });
        let doc = Document { meta, blocks: vec![Block::Para(Para::new(Style::Body, "Signed text"))] };
        crate::render::pdf::render_document(&doc).unwrap()
    }

    #[test]
    fn a_signed_pdf_verifies_deterministically_and_a_flipped_byte_fails() {
        let at: jiff::Timestamp = "2026-11-26T12:00:00Z".parse().unwrap();
        let g = generate(None).unwrap();
        let key = load_secret_key(g.secret_text.as_bytes(), std::path::Path::new("k"), || unreachable!()).unwrap();
        let signer = PdfSigner::for_case_key(&key, at).unwrap();
        assert_eq!(signer.subject(), case_subject(key.id));
        let unsigned = unsigned_pdf(at);
        assert!(verify_pdf(&unsigned).is_err(), "a placeholder is not a signature");
        let signed = sign_pdf(unsigned.clone(), &signer, at).unwrap();
        assert_eq!(signed.len(), unsigned.len());
        assert_eq!(signed, sign_pdf(unsigned.clone(), &PdfSigner::for_case_key(&key, at).unwrap(), at).unwrap());
        let info = verify_pdf(&signed).unwrap();
        assert!(info.signer.contains(&key.id.to_string()));
        assert_eq!(info.signing_time.as_deref(), Some("2026-11-26T12:00:00Z"));
        for at in [10, signed.len() / 2, signed.len() - 10] {
            let mut bad = signed.clone();
            bad[at] ^= 1;
            assert!(verify_pdf(&bad).is_err(), "byte {at}");
        }
        let mut longer = signed.clone();
        longer.extend_from_slice(b"\n% appended\n");
        assert!(verify_pdf(&longer).unwrap_err().to_string().contains("whole file"));
    }

    #[test]
    fn fail_a_pdf_without_a_slot_is_refused_by_name() {
        let g = generate(None).unwrap();
        let key = load_secret_key(g.secret_text.as_bytes(), std::path::Path::new("k"), || unreachable!()).unwrap();
        let signer = PdfSigner::for_case_key(&key, jiff::Timestamp::UNIX_EPOCH).unwrap();
        let e = sign_pdf(b"%PDF-1.7\n".to_vec(), &signer, jiff::Timestamp::UNIX_EPOCH).unwrap_err();
        assert!(e.to_string().contains("no reserved signature dictionary"), "{e}");
    }
}
