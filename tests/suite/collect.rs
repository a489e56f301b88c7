//! `collect`'s whole flow against recorded response bodies: no network, same code path.

use super::util::*;
use sessionproof::clock::Clock;
use sessionproof::collect::{CollectError, ConnectionInfo, Prompter, SignIn, Transport};
use std::path::Path;
use zeroize::Zeroizing;

const CODE: &str = "62917";
const PASSWORD: &str = "correct horse battery staple";

/// Replays recorded bodies; records what it was asked.
struct Recorded {
    bodies: Vec<Vec<u8>>,
    calls: Vec<String>,
    authorized: bool,
}

impl Transport for Recorded {
    fn connection(&self) -> ConnectionInfo {
        ConnectionInfo {
            dc_id: 2,
            layer: 230,
            api_id: 12345,
            device_model: "sessionproof collector".into(),
            system_version: "Linux".into(),
            app_version: "0.1.0".into(),
            library: "recorded bodies".into(),
        }
    }
    fn is_authorized(&mut self) -> Result<bool, CollectError> {
        Ok(self.authorized)
    }
    fn request_code(&mut self, phone: &str) -> Result<(), CollectError> {
        self.calls.push(format!("code for {phone}"));
        Ok(())
    }
    fn sign_in(&mut self, code: &str) -> Result<SignIn, CollectError> {
        if code != CODE {
            return Err(CollectError::InvalidCode);
        }
        self.calls.push("sign in".into());
        Ok(SignIn::PasswordNeeded { hint: Some("horse".into()) })
    }
    fn check_password(&mut self, password: &str) -> Result<(), CollectError> {
        if password != PASSWORD {
            return Err(CollectError::InvalidPassword);
        }
        self.calls.push("password".into());
        Ok(())
    }
    fn invoke_raw(&mut self, request: &[u8]) -> Result<Vec<u8>, CollectError> {
        self.calls.push(format!("invoke {:02x?}", request));
        Ok(self.bodies.remove(0))
    }
    fn log_out(&mut self) -> Result<(), CollectError> {
        self.calls.push("log out".into());
        Ok(())
    }
}

struct Answers {
    code: &'static str,
    notices: Vec<String>,
}

impl Prompter for Answers {
    fn login_code(&mut self) -> Result<Zeroizing<String>, CollectError> {
        Ok(Zeroizing::new(self.code.into()))
    }
    fn password(&mut self, _hint: Option<&str>) -> Result<Zeroizing<String>, CollectError> {
        Ok(Zeroizing::new(PASSWORD.into()))
    }
    fn notice(&mut self, text: &str) {
        self.notices.push(text.into());
    }
}

fn recorded() -> Recorded {
    let body = |f: &str| std::fs::read(fixture(&format!("tl/{f}"))).unwrap();
    Recorded {
        bodies: vec![body("authorizations.bin"), body("web_authorizations.bin"), body("password.bin")],
        calls: vec![],
        authorized: false,
    }
}

fn all_text(dir: &Path) -> String {
    let mut out = String::new();
    for (path, _) in fingerprint(dir) {
        if !path.ends_with('/') {
            out.push_str(&String::from_utf8_lossy(&std::fs::read(dir.join(&path)).unwrap()));
        }
    }
    out
}

#[test]
fn collect_stores_every_body_decodes_it_and_never_stores_secrets() {
    let (_d, case) = new_case();
    let mut t = recorded();
    let mut p = Answers { code: CODE, notices: vec![] };
    let clock = Clock::Fixed(NOW.parse().unwrap());
    let out = sessionproof::pipeline::collect(&case, &mut t, &mut p, "+4930123456", true, &clock).unwrap();
    assert!(out.logged_out);
    assert!(p.notices[0].contains("24 hours"), "{:?}", p.notices);
    assert_eq!(t.calls[..3], ["code for +4930123456", "sign in", "password"]);
    assert_eq!(t.calls.last().unwrap(), "log out");
    assert_eq!(t.calls.iter().filter(|c| c.starts_with("invoke")).count(), 3, "only the three read-only calls");

    // Every request and response body is kept byte for byte.
    for f in ["authorizations.bin", "web_authorizations.bin", "password.bin"] {
        let body = std::fs::read(fixture(&format!("tl/{f}"))).unwrap();
        let sha = sessionproof::digest::sha256_hex(&body);
        assert_eq!(std::fs::read(case.join(format!("evidence/{sha}.bin"))).unwrap(), body, "{f}");
    }
    let request = 0xe320c158u32.to_le_bytes();
    assert!(case.join(format!("evidence/{}.bin", sessionproof::digest::sha256_hex(&request))).is_file());

    // The snapshot comes from the same TL decoder as `import --format tl`.
    let snap: serde_json::Value = serde_json::from_slice(&std::fs::read(case.join(&out.snapshot)).unwrap()).unwrap();
    assert_eq!(snap["method"], "mtproto");
    let imported = bin().arg("parse").arg(fixture("tl/authorizations.bin")).args(["--now", NOW]).assert().success();
    let imported: serde_json::Value = serde_json::from_slice(&imported.get_output().stdout).unwrap();
    assert_eq!(snap["sessions"], imported["sessions"], "live and imported captures cannot disagree");
    assert!(snap["account"]["two_fa"]["has_password"].is_boolean());

    let log = std::fs::read_to_string(case.join("custody.jsonl")).unwrap();
    let entry = log.lines().last().unwrap();
    assert!(
        entry.contains("\"action\":\"collect\"") && entry.contains("layer 230") && entry.contains("DC 2"),
        "{entry}"
    );
    assert!(entry.contains("logged out"), "{entry}");

    let everything = all_text(&case);
    for secret in [CODE, PASSWORD] {
        assert!(!everything.contains(secret), "{secret} reached the case folder");
    }
    bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
}

#[test]
fn a_wrong_code_leaves_the_case_unchanged() {
    let (_d, case) = new_case();
    let before = fingerprint(&case);
    let mut p = Answers { code: "00000", notices: vec![] };
    let clock = Clock::Fixed(NOW.parse().unwrap());
    let err =
        sessionproof::pipeline::collect(&case, &mut recorded(), &mut p, "+4930123456", false, &clock).unwrap_err();
    assert!(err.to_string().contains("login code was not accepted"), "{err}");
    assert_eq!(before, fingerprint(&case));
}
