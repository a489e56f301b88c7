//! Live acquisition over MTProto: log in as the account owner, read the session list, the web
//! sessions and the 2FA state as raw response bodies, and never change anything.
//!
//! The network sits behind [`Transport`] so the whole flow runs in tests against recorded
//! bodies; the real transport (grammers) is compiled with the `mtproto` cargo feature. Secrets
//! (the api hash, the login code, the 2FA password) live only in the transport and the prompts,
//! wrapped so they are wiped after use; nothing here writes or logs them.

#[cfg(feature = "mtproto")]
pub mod live;
#[cfg(feature = "mtproto")]
pub mod terminal;

use crate::clock::Clock;
use jiff::Timestamp;
use zeroize::Zeroizing;

/// What the collector announced to Telegram and where it was connected: recorded as evidence, so
/// the report can say which session is the collector's own.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConnectionInfo {
    pub dc_id: i32,
    pub layer: i32,
    pub api_id: i32,
    pub device_model: String,
    pub system_version: String,
    pub app_version: String,
    pub library: String,
}

/// The answer to a login code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    Done,
    PasswordNeeded { hint: Option<String> },
}

/// Why a collection failed. Messages never contain secrets.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("Telegram refused: {0}")]
    Refused(String),
    #[error("network: {0}")]
    Network(String),
    #[error("the login code was not accepted; run collect again and type the newest code")]
    InvalidCode,
    #[error("the 2FA password was not accepted; run collect again")]
    InvalidPassword,
    #[error("this phone number has no Telegram account")]
    NoAccount,
    #[error("{0}")]
    Input(String),
}

/// The connection to Telegram. Implemented by the live grammers transport and by recordings.
pub trait Transport {
    fn connection(&self) -> ConnectionInfo;
    fn is_authorized(&mut self) -> Result<bool, CollectError>;
    fn request_code(&mut self, phone: &str) -> Result<(), CollectError>;
    fn sign_in(&mut self, code: &str) -> Result<SignIn, CollectError>;
    fn check_password(&mut self, password: &str) -> Result<(), CollectError>;
    /// Sends a serialized request; returns the exact response body (gzip already inflated).
    fn invoke_raw(&mut self, request: &[u8]) -> Result<Vec<u8>, CollectError>;
    /// Ends the collector's own session (auth.logOut); never another session.
    fn log_out(&mut self) -> Result<(), CollectError>;
}

/// Asks the person at the keyboard. Codes and passwords come back wrapped so they are wiped.
pub trait Prompter {
    fn login_code(&mut self) -> Result<Zeroizing<String>, CollectError>;
    fn password(&mut self, hint: Option<&str>) -> Result<Zeroizing<String>, CollectError>;
    fn notice(&mut self, text: &str);
}

/// One request and its response, exactly as exchanged.
#[derive(Debug, Clone)]
pub struct Capture {
    /// The TL method, e.g. `account.getAuthorizations`.
    pub method: &'static str,
    pub request: Vec<u8>,
    pub response: Vec<u8>,
    pub captured_at: Timestamp,
}

/// Everything a collection produced.
#[derive(Debug, Clone)]
pub struct Collected {
    pub connection: ConnectionInfo,
    pub captures: Vec<Capture>,
    pub logged_out: bool,
}

/// The requests a collection sends, in order: each a bare TL constructor id, little-endian
/// (account.getAuthorizations#e320c158, account.getWebAuthorizations#182e6d6f,
/// account.getPassword#548a30f5). All three only read.
pub const REQUESTS: [(&str, [u8; 4]); 3] = [
    ("account.getAuthorizations", 0xe320c158u32.to_le_bytes()),
    ("account.getWebAuthorizations", 0x182e6d6fu32.to_le_bytes()),
    ("account.getPassword", 0x548a30f5u32.to_le_bytes()),
];

/// Telegram's rule, told to the user before anything else happens.
pub const FRESH_SESSION_RULE: &str = "sessionproof only reads: it never terminates a session. Telegram does not let a \
session younger than 24 hours terminate others, so the collector's new session could not do it anyway; terminate \
sessions from the owner's own device (Settings › Devices) after this acquisition.";

/// Logs in if needed, then captures the three read-only calls. With `log_out`, ends the
/// collector's own session at the end.
pub fn run(
    transport: &mut dyn Transport,
    prompter: &mut dyn Prompter,
    phone: &str,
    log_out: bool,
    clock: &Clock,
) -> Result<Collected, CollectError> {
    prompter.notice(FRESH_SESSION_RULE);
    if !transport.is_authorized()? {
        transport.request_code(phone)?;
        prompter.notice("Telegram sent a login code to the account's other devices (or by SMS).");
        let code = prompter.login_code()?;
        if let SignIn::PasswordNeeded { hint } = transport.sign_in(code.trim())? {
            let password = prompter.password(hint.as_deref())?;
            transport.check_password(&password)?;
        }
    }
    let mut captures = Vec::new();
    for (method, request) in REQUESTS {
        let response = transport.invoke_raw(&request)?;
        captures.push(Capture { method, request: request.to_vec(), response, captured_at: clock.now() });
    }
    let logged_out = if log_out {
        transport.log_out()?;
        true
    } else {
        false
    };
    Ok(Collected { connection: transport.connection(), captures, logged_out })
}

/// The capture record stored beside the bodies: which body is which, when it was captured,
/// where and with which announced parameters. Deterministic JSON with a final newline.
pub fn capture_record(c: &Collected) -> Vec<u8> {
    use crate::digest::sha256_hex;
    let captures: Vec<serde_json::Value> = c
        .captures
        .iter()
        .map(|x| {
            serde_json::json!({
                "method": x.method,
                "captured_at": crate::clock::rfc3339(x.captured_at),
                "request_sha256": sha256_hex(&x.request),
                "request_bytes": x.request.len(),
                "response_sha256": sha256_hex(&x.response),
                "response_bytes": x.response.len(),
            })
        })
        .collect();
    let doc = serde_json::json!({
        "schema": "sessionproof/mtproto-capture/v1",
        "connection": c.connection,
        "captures": captures,
        "collector_logged_out": c.logged_out,
    });
    let mut out = serde_json::to_vec_pretty(&doc).expect("capture record serializes");
    out.push(b'\n');
    out
}
