//! RFC 3161 time-stamping: the request written into every bundle (`manifest.json.tsq`) and the
//! check of a TSA's response before it is stored (`manifest.json.tsr`). Offline: the request is
//! sent to a TSA by the user (e.g. `curl --data-binary @manifest.json.tsq`), never by us.
//!
//! The response check: status granted; a SignedData whose content is a TSTInfo; the TSTInfo's
//! imprint and nonce equal the request's; the signed attributes' messageDigest equals the
//! TSTInfo's digest; the signer's certificate (found by issuer and serial) is the one named by
//! the ESS signing-certificate attribute, carries the timeStamping EKU and verifies the
//! signature (RSA PKCS#1 v1.5 or ECDSA P-256); with trust anchors, its chain reaches one and
//! every certificate was valid at genTime.

use super::SignError;
use cms::cert::CertificateChoices;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{Any, Int, OctetString};
use der::oid::ObjectIdentifier as Oid;
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_tsp::{MessageImprint, TimeStampReq, TimeStampResp, TspVersion, TstInfo};

pub(crate) const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
pub(crate) const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
pub(crate) const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
pub(crate) const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
const RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
const RSA_SHA256: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
const RSA_SHA384: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
const RSA_SHA512: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
pub(crate) const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
pub(crate) const P256_CURVE: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
pub(crate) const ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
pub(crate) const ID_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
pub(crate) const ID_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
const ID_TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
pub(crate) const ATTR_CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
pub(crate) const ATTR_MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
pub(crate) const ATTR_SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
const ATTR_SIGNING_CERT: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.12");
const ATTR_SIGNING_CERT_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
const EXT_EKU: Oid = Oid::new_unwrap("2.5.29.37");
const KP_TIME_STAMPING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.8");

fn sha256(data: &[u8]) -> Vec<u8> {
    <sha2::Sha256 as sha2::Digest>::digest(data).to_vec()
}

/// The nonce of the request over `digest`: derived from it (and so from the manifest, which
/// holds the report's `--now`), never random, so the same bundle gives the same request.
pub fn nonce_for(digest: &[u8; 32]) -> [u8; 8] {
    let mut h = sha256(&[b"sessionproof tsq nonce v1\0".as_slice(), digest].concat());
    h.truncate(8);
    h[0] &= 0x7f;
    if h[0] == 0 {
        h[0] = 1;
    }
    h.try_into().expect("8 bytes")
}

/// The DER `TimeStampReq` over a SHA-256 digest: imprint, derived nonce, certReq true.
pub fn request(digest: &[u8; 32]) -> Vec<u8> {
    let req = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: MessageImprint {
            hash_algorithm: AlgorithmIdentifierOwned { oid: SHA256, parameters: Some(Any::null()) },
            hashed_message: OctetString::new(digest.to_vec()).expect("32 bytes"),
        },
        req_policy: None,
        nonce: Some(Int::new(&nonce_for(digest)).expect("a positive integer")),
        cert_req: true,
        extensions: None,
    };
    req.to_der().expect("a time-stamp request encodes")
}

/// What a checked time-stamp token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampInfo {
    /// genTime, RFC 3339 UTC.
    pub gen_time: String,
    pub serial: String,
    pub policy: String,
    /// The TSA certificate's subject.
    pub tsa: String,
    /// `Some(true)` when the chain reached a given trust anchor; `None` when none was given.
    pub chained: Option<bool>,
}

fn bad(what: impl Into<String>) -> SignError {
    SignError::invalid(what)
}

/// Checks `tsr` as the answer to `tsq`; with `anchors`, the TSA certificate must chain to one.
pub fn check_response(tsq: &[u8], tsr: &[u8], anchors: Option<&[Certificate]>) -> Result<TimestampInfo, SignError> {
    let req =
        TimeStampReq::from_der(tsq).map_err(|e| bad(format!("the request (.tsq) is not a TimeStampReq ({e})")))?;
    let resp = TimeStampResp::from_der(tsr)
        .map_err(|e| bad(format!("not an RFC 3161 time-stamp response ({e}); give the .tsr the TSA returned")))?;
    if resp.status.status != cmpv2::status::PkiStatus::Accepted
        && resp.status.status != cmpv2::status::PkiStatus::GrantedWithMods
    {
        return Err(bad(format!("the TSA refused the request (status {:?})", resp.status.status)));
    }
    let token = resp.time_stamp_token.ok_or_else(|| bad("the response holds no time-stamp token"))?;
    check_token(&req, &token.to_der().map_err(|e| bad(e.to_string()))?, anchors)
}

/// Checks a TimeStampToken (a ContentInfo) against the request it answers.
fn check_token(
    req: &TimeStampReq,
    token_der: &[u8],
    anchors: Option<&[Certificate]>,
) -> Result<TimestampInfo, SignError> {
    let token = cms::content_info::ContentInfo::from_der(token_der).map_err(|e| bad(format!("token: {e}")))?;
    if token.content_type != ID_SIGNED_DATA {
        return Err(bad("the token is not CMS SignedData"));
    }
    let sd = SignedData::from_der(&token.content.to_der().map_err(|e| bad(e.to_string()))?)
        .map_err(|e| bad(format!("token: not SignedData ({e})")))?;
    if sd.encap_content_info.econtent_type != ID_TST_INFO {
        return Err(bad("the token's content is not a TSTInfo"));
    }
    let econtent = sd.encap_content_info.econtent.as_ref().ok_or_else(|| bad("the token carries no TSTInfo"))?;
    let tst_der = econtent.value();
    let tst = TstInfo::from_der(tst_der).map_err(|e| bad(format!("TSTInfo: {e}")))?;
    if tst.message_imprint.hash_algorithm.oid != req.message_imprint.hash_algorithm.oid
        || tst.message_imprint.hashed_message != req.message_imprint.hashed_message
    {
        return Err(bad(
            "the token's message imprint is not this request's: it time-stamps other bytes (a .tsr for another request)",
        ));
    }
    if tst.nonce != req.nonce {
        return Err(bad("the token's nonce is not this request's: it answers another request"));
    }
    let certs = certificates(&sd);
    let [si] = sd.signer_infos.0.as_slice() else {
        return Err(bad("the token must have exactly one signer"));
    };
    if !sd.digest_algorithms.iter().any(|a| a.oid == si.digest_alg.oid) {
        return Err(bad("the signer's digest algorithm is not among the token's digest algorithms"));
    }
    let attrs = si.signed_attrs.as_ref().ok_or_else(|| bad("the token's signer has no signed attributes"))?;
    let content_type =
        attr_value(si, ATTR_CONTENT_TYPE).ok_or_else(|| bad("the signed attributes lack contentType"))?;
    if content_type.decode_as::<Oid>().ok() != Some(ID_TST_INFO) {
        return Err(bad("the signed contentType is not TSTInfo"));
    }
    let md = attr_value(si, ATTR_MESSAGE_DIGEST).ok_or_else(|| bad("the signed attributes lack messageDigest"))?;
    let md = md.decode_as::<OctetString>().map_err(|e| bad(format!("messageDigest: {e}")))?;
    if md.as_bytes() != digest(si.digest_alg.oid, tst_der)? {
        return Err(bad("the TSTInfo does not match the signed messageDigest: the token was altered"));
    }
    let signer = find_signer(si, &certs)?;
    check_time_stamping_eku(signer)?;
    check_ess(si, signer)?;
    let signed = attrs.to_der().map_err(|e| bad(e.to_string()))?;
    verify_signature(signer, si.signature_algorithm.oid, si.digest_alg.oid, &signed, si.signature.as_bytes())
        .map_err(|e| bad(format!("the token's signature does not verify ({e}): the token was altered")))?;
    let gen_unix = tst.gen_time.to_unix_duration().as_secs();
    let chained = match anchors {
        None => None,
        Some(anchors) => Some(check_chain(signer, &certs, anchors, gen_unix)?),
    };
    let gen_time = jiff::Timestamp::from_second(gen_unix as i64)
        .map(crate::clock::rfc3339)
        .map_err(|_| bad("the token's genTime is out of range"))?;
    Ok(TimestampInfo {
        gen_time,
        serial: super::hex(tst.serial_number.as_bytes()),
        policy: tst.policy.to_string(),
        tsa: signer.tbs_certificate.subject.to_string(),
        chained,
    })
}

pub(crate) fn attr_value(si: &SignerInfo, oid: Oid) -> Option<&Any> {
    let attrs = si.signed_attrs.as_ref()?;
    let a = attrs.iter().find(|a| a.oid == oid)?;
    match a.values.as_slice() {
        [v] => Some(v),
        _ => None,
    }
}

pub(crate) fn digest(alg: Oid, data: &[u8]) -> Result<Vec<u8>, SignError> {
    use sha2::Digest;
    Ok(match alg {
        SHA256 => sha2::Sha256::digest(data).to_vec(),
        SHA384 => sha2::Sha384::digest(data).to_vec(),
        SHA512 => sha2::Sha512::digest(data).to_vec(),
        SHA1 => sha1::Sha1::digest(data).to_vec(),
        other => return Err(bad(format!("unsupported digest algorithm {other}"))),
    })
}

pub(crate) fn find_signer<'a>(si: &SignerInfo, certs: &'a [Certificate]) -> Result<&'a Certificate, SignError> {
    certs
        .iter()
        .find(|c| match &si.sid {
            SignerIdentifier::IssuerAndSerialNumber(ias) => {
                c.tbs_certificate.issuer == ias.issuer && c.tbs_certificate.serial_number == ias.serial_number
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => c.tbs_certificate.extensions.iter().flatten().any(|e| {
                e.extn_id == Oid::new_unwrap("2.5.29.14") && e.extn_value.as_bytes().ends_with(ski.0.as_bytes())
            }),
        })
        .ok_or_else(|| bad("the signer's certificate is not in the token (the request asked for it with certReq)"))
}

/// ESSCertID / ESSCertIDv2: the hash of the certificate the signer meant.
#[derive(der::Sequence)]
struct EssCertIdV2 {
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<Any>,
}

#[derive(der::Sequence)]
struct SigningCertificate {
    certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    policies: Option<Any>,
}

/// The signed ESS attribute binds the signer's certificate: a certificate swapped or altered in
/// the token's unsigned certificate set is caught here.
fn check_ess(si: &SignerInfo, cert: &Certificate) -> Result<(), SignError> {
    let cert_der = cert.to_der().map_err(|e| bad(e.to_string()))?;
    let (value, v2) = match (attr_value(si, ATTR_SIGNING_CERT_V2), attr_value(si, ATTR_SIGNING_CERT)) {
        (Some(v), _) => (v, true),
        (None, Some(v)) => (v, false),
        (None, None) => return Err(bad("the token names no signing certificate (ESS attribute missing)")),
    };
    let sc: SigningCertificate = value.decode_as().map_err(|e| bad(format!("ESS signing certificate: {e}")))?;
    let first = sc.certs.first().ok_or_else(|| bad("the ESS signing-certificate attribute is empty"))?;
    let alg = if v2 { first.hash_algorithm.as_ref().map(|a| a.oid).unwrap_or(SHA256) } else { SHA1 };
    if first.cert_hash.as_bytes() != digest(alg, &cert_der)? {
        return Err(bad(
            "the TSA certificate in the token is not the one the TSA signed with: it was altered or swapped",
        ));
    }
    Ok(())
}

fn check_time_stamping_eku(cert: &Certificate) -> Result<(), SignError> {
    let eku = cert.tbs_certificate.extensions.iter().flatten().find(|e| e.extn_id == EXT_EKU).ok_or_else(|| {
        bad("the TSA certificate has no extended key usage; a TSA certificate must carry timeStamping")
    })?;
    let purposes =
        Vec::<Oid>::from_der(eku.extn_value.as_bytes()).map_err(|e| bad(format!("extended key usage: {e}")))?;
    if purposes != [KP_TIME_STAMPING] || !eku.critical {
        return Err(bad(
            "the TSA certificate is not for time-stamping: RFC 3161 requires a critical extended key usage of timeStamping alone",
        ));
    }
    Ok(())
}

fn valid_at(cert: &Certificate, unix: u64) -> bool {
    let v = &cert.tbs_certificate.validity;
    v.not_before.to_unix_duration().as_secs() <= unix && unix <= v.not_after.to_unix_duration().as_secs()
}

/// Walks issuer links from the signer through the token's certificates to a trust anchor,
/// checking each signature and that each certificate was valid at `at` (unix seconds).
fn check_chain(
    signer: &Certificate,
    certs: &[Certificate],
    anchors: &[Certificate],
    at: u64,
) -> Result<bool, SignError> {
    let mut cur = signer;
    for _ in 0..8 {
        if !valid_at(cur, at) {
            return Err(bad(format!(
                "certificate {} was not valid at the time-stamp's genTime",
                cur.tbs_certificate.subject
            )));
        }
        if anchors.iter().any(|a| a == cur) {
            return Ok(true);
        }
        let issuer = &cur.tbs_certificate.issuer;
        if let Some(a) = anchors.iter().find(|a| &a.tbs_certificate.subject == issuer) {
            verify_cert_signature(cur, a)
                .map_err(|e| bad(format!("the TSA certificate's signature does not verify with the given CA ({e})")))?;
            return Ok(true);
        }
        let next = certs.iter().find(|c| &c.tbs_certificate.subject == issuer && *c != cur).ok_or_else(|| {
            bad(format!("the TSA certificate does not chain to the given CA (no issuer {issuer} found)"))
        })?;
        verify_cert_signature(cur, next)
            .map_err(|e| bad(format!("a certificate in the TSA chain does not verify ({e})")))?;
        cur = next;
    }
    Err(bad("the TSA certificate chain is too long"))
}

fn verify_cert_signature(cert: &Certificate, issuer: &Certificate) -> Result<(), String> {
    let tbs = cert.tbs_certificate.to_der().map_err(|e| e.to_string())?;
    let sig = cert.signature.as_bytes().ok_or("the signature is not whole bytes")?;
    verify_signature(issuer, cert.signature_algorithm.oid, SHA256, &tbs, sig).map_err(|e| e.to_string())
}

/// Verifies `sig` over `msg` with `cert`'s key. `sig_alg` may be a combined algorithm
/// (sha256WithRSAEncryption, ecdsa-with-SHA256) or a bare key algorithm, in which case
/// `digest_alg` names the hash (OpenSSL writes rsaEncryption in CMS).
pub(crate) fn verify_signature(
    cert: &Certificate,
    sig_alg: Oid,
    digest_alg: Oid,
    msg: &[u8],
    sig: &[u8],
) -> Result<(), SignError> {
    let hash_alg = match sig_alg {
        RSA_SHA256 | ECDSA_SHA256 => SHA256,
        RSA_SHA384 | ECDSA_SHA384 => SHA384,
        RSA_SHA512 => SHA512,
        RSA | EC_PUBLIC_KEY => digest_alg,
        other => return Err(bad(format!("unsupported signature algorithm {other}"))),
    };
    let hashed = digest(hash_alg, msg)?;
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let key_bytes = spki.subject_public_key.as_bytes().ok_or_else(|| bad("the public key is not whole bytes"))?;
    match spki.algorithm.oid {
        RSA => {
            if !matches!(sig_alg, RSA | RSA_SHA256 | RSA_SHA384 | RSA_SHA512) {
                return Err(bad("an RSA key with a non-RSA signature algorithm"));
            }
            use rsa::pkcs1::DecodeRsaPublicKey;
            let key = rsa::RsaPublicKey::from_pkcs1_der(key_bytes).map_err(|e| bad(format!("RSA key: {e}")))?;
            let scheme = match hash_alg {
                SHA256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                SHA384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                SHA512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
                _ => return Err(bad("unsupported RSA digest")),
            };
            key.verify(scheme, &hashed, sig).map_err(|_| bad("bad RSA signature"))
        }
        EC_PUBLIC_KEY => {
            if !matches!(sig_alg, EC_PUBLIC_KEY | ECDSA_SHA256 | ECDSA_SHA384) {
                return Err(bad("an EC key with a non-ECDSA signature algorithm"));
            }
            let curve = spki.algorithm.parameters.as_ref().and_then(|p| p.decode_as::<Oid>().ok());
            if curve != Some(P256_CURVE) {
                return Err(bad("only P-256 EC keys are supported"));
            }
            use p256::ecdsa::signature::hazmat::PrehashVerifier;
            let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes).map_err(|e| bad(format!("EC key: {e}")))?;
            let sig = p256::ecdsa::Signature::from_der(sig).map_err(|_| bad("malformed ECDSA signature"))?;
            key.verify_prehash(&hashed, &sig).map_err(|_| bad("bad ECDSA signature"))
        }
        other => Err(bad(format!("unsupported key algorithm {other}"))),
    }
}

/// Reads the certificates of a PEM (one or more) or DER file.
pub fn read_certificates(bytes: &[u8], path: &std::path::Path) -> Result<Vec<Certificate>, SignError> {
    let corrupt = |what: String| SignError::Corrupt {
        path: path.to_path_buf(),
        what,
        fix: "give the CA certificate in PEM or DER",
    };
    if bytes.starts_with(b"-----BEGIN")
        || std::str::from_utf8(bytes).is_ok_and(|s| s.contains("-----BEGIN CERTIFICATE"))
    {
        let certs = Certificate::load_pem_chain(bytes).map_err(|e| corrupt(format!("not a PEM certificate ({e})")))?;
        if certs.is_empty() {
            return Err(corrupt("no certificate in the file".into()));
        }
        Ok(certs)
    } else {
        Ok(vec![Certificate::from_der(bytes).map_err(|e| corrupt(format!("not a certificate ({e})")))?])
    }
}

/// The certificates a CMS SignedData carries (other certificate formats are skipped).
pub(crate) fn certificates(sd: &SignedData) -> Vec<Certificate> {
    sd.certificates
        .iter()
        .flat_map(|s| s.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_is_deterministic_and_carries_imprint_nonce_and_cert_req() {
        let d = [7u8; 32];
        let a = request(&d);
        assert_eq!(a, request(&d));
        assert_ne!(a, request(&[8u8; 32]));
        let req = TimeStampReq::from_der(&a).unwrap();
        assert_eq!(req.message_imprint.hashed_message.as_bytes(), &d);
        assert_eq!(req.nonce.unwrap().as_bytes(), &nonce_for(&d));
        assert!(req.cert_req);
        assert!(nonce_for(&d)[0] > 0 && nonce_for(&d)[0] < 0x80);
    }

    #[test]
    fn fail_garbage_responses_are_named() {
        let req = request(&[1u8; 32]);
        for bad in [&b""[..], b"\x30\x03\x02\x01\x00", b"not der"] {
            let e = check_response(&req, bad, None).unwrap_err().to_string();
            assert!(e.contains("response") || e.contains("token"), "{e}");
        }
    }
}
