//! `account.password` (telegram-formats.md §1.3) reduced to the 2FA facts of the snapshot. The SRP
//! parameters (`current_algo`, `srp_B`, `srp_id`, `secure_random`) and the hint are read past by
//! their constructors and never copied: they are login secrets, not evidence for the report.

use super::reader::{Read, Reader};
use super::{PASSWORD, PASSWORD_L135, check_flags, date, name, text, unknown};
use crate::model::snapshot::{TwoFa, Warning};

/// Reads the body after the constructor id `id` (one of the three `account.password` layers).
pub(super) fn read_password(r: &mut Reader, w: &mut Vec<Warning>, id: u32) -> Read<TwoFa> {
    let c = name(id);
    let flags_at = r.pos();
    let flags = r.u32("flags", c)?;
    // Bit 5 (pending_reset_date) arrived in layer 135, bit 6 (login_email_pattern) later.
    let defined = match id {
        PASSWORD => 0x7f,
        PASSWORD_L135 => 0x3f,
        _ => 0x1f,
    };
    check_flags(w, flags_at, flags, defined, c);
    let on = |bit: u32| flags & defined & (1 << bit) != 0;
    if on(2) {
        // The SRP parameters of the login protocol: read past, never copied.
        skip_kdf_algo(r, "current_algo", c)?;
        r.bytes("srp_B", c)?;
        r.i64("srp_id", c)?;
    }
    if on(3) {
        r.bytes("hint", c)?;
    }
    let email_unconfirmed_pattern = if on(4) {
        text(r, w, "email_unconfirmed_pattern", c, Some("email_unconfirmed_pattern is flagged but empty"))?
    } else {
        None
    };
    skip_kdf_algo(r, "new_algo", c)?;
    skip_secure_kdf_algo(r, c)?;
    r.bytes("secure_random", c)?;
    let pending_reset_date = if on(5) { Some(date(r, "pending_reset_date", c)?) } else { None };
    if on(6) {
        r.bytes("login_email_pattern", c)?;
    }
    Ok(TwoFa { has_password: Some(on(2)), has_recovery: Some(on(0)), email_unconfirmed_pattern, pending_reset_date })
}

fn skip_kdf_algo(r: &mut Reader, field: &str, c: &str) -> Read<()> {
    const ALGO: &str = "passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow#3a912d4a";
    let at = r.pos();
    match r.u32(field, c)? {
        0xd45a_b096 => Ok(()),
        0x3a91_2d4a => {
            r.bytes("salt1", ALGO)?;
            r.bytes("salt2", ALGO)?;
            r.i32("g", ALGO)?;
            r.bytes("p", ALGO).map(|_| ())
        }
        id => Err(unknown(at, id, &format!("a PasswordKdfAlgo ({field} of {c})"))),
    }
}

fn skip_secure_kdf_algo(r: &mut Reader, c: &str) -> Read<()> {
    let at = r.pos();
    match r.u32("new_secure_algo", c)? {
        0x004a_8537 => Ok(()),
        0xbbf2_dda0 => r.bytes("salt", "securePasswordKdfAlgoPBKDF2HMACSHA512iter100000#bbf2dda0").map(|_| ()),
        0x8647_1d92 => r.bytes("salt", "securePasswordKdfAlgoSHA512#86471d92").map(|_| ()),
        id => Err(unknown(at, id, &format!("a SecurePasswordKdfAlgo (new_secure_algo of {c})"))),
    }
}
