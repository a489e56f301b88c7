//! Account-level signals: the 2FA state and the account's own security log.

use super::Context;
use crate::model::finding::{SignalResult, SignalStatus};

fn make(id: &'static str, status: SignalStatus, reason: String, facts: &[(&'static str, String)]) -> SignalResult {
    SignalResult { id, status, reason: reason.into(), facts: crate::model::finding::Facts(facts.to_vec()) }
}

/// `account-2fa-off`, `account-2fa-reset-pending`, `account-email-change`,
/// `account-password-changed-by-unknown`.
pub fn signals(ctx: &Context) -> Vec<SignalResult> {
    use SignalStatus::*;
    let two_fa = ctx.snapshots.iter().rev().find_map(|s| s.account.two_fa.as_ref());
    let mut out = Vec::new();
    out.push(match two_fa.and_then(|t| t.has_password) {
        Some(false) => {
            make("account-2fa-off", Fired, "two-step verification is off: anyone with a login code gets in".into(), &[])
        }
        Some(true) => make("account-2fa-off", Clear, "two-step verification is on".into(), &[]),
        None => make(
            "account-2fa-off",
            NotEvaluated,
            "no source carries the 2FA state (a live capture or library dump does)".into(),
            &[],
        ),
    });
    out.push(match two_fa {
        Some(t) => match &t.pending_reset_date {
            Some(when) => make(
                "account-2fa-reset-pending",
                Fired,
                format!(
                    "a reset of the 2FA password is pending (scheduled {})",
                    when.utc.as_deref().unwrap_or(&when.original)
                ),
                &[("pending_reset_date", when.original.clone())],
            ),
            None => make("account-2fa-reset-pending", Clear, "no 2FA reset is pending".into(), &[]),
        },
        None => make("account-2fa-reset-pending", NotEvaluated, "no source carries the 2FA state".into(), &[]),
    });
    let email_events: Vec<String> = ctx
        .snapshots
        .iter()
        .flat_map(|s| s.security_log.iter())
        .filter(|e| e.event.contains("email") || e.detail.get("new_email").is_some_and(|v| !v.is_empty()))
        .map(|e| {
            format!(
                "{} at {}",
                e.event,
                e.at.as_ref().and_then(|t| t.utc.clone()).unwrap_or_else(|| "unknown time".into())
            )
        })
        .collect();
    out.push(match (two_fa.and_then(|t| t.email_unconfirmed_pattern.clone()), email_events.is_empty()) {
        (Some(p), _) => make(
            "account-email-change",
            Fired,
            format!("a new recovery e-mail ({p}) is waiting for confirmation"),
            &[("email_unconfirmed_pattern", p)],
        ),
        (None, false) => make(
            "account-email-change",
            Fired,
            format!("the security log records an e-mail change: {}", email_events.join("; ")),
            &[("events", email_events.join("; "))],
        ),
        (None, true) if two_fa.is_some() || ctx.snapshots.iter().any(|s| !s.security_log.is_empty()) => {
            make("account-email-change", Clear, "no pending or logged e-mail change".into(), &[])
        }
        _ => {
            make("account-email-change", NotEvaluated, "no source carries the 2FA state or a security log".into(), &[])
        }
    });
    out.push(password_changed_by_unknown(ctx));
    out
}

fn password_changed_by_unknown(ctx: &Context) -> SignalResult {
    const ID: &str = "account-password-changed-by-unknown";
    let changes: Vec<&crate::model::snapshot::SecurityEvent> =
        ctx.snapshots.iter().flat_map(|s| s.security_log.iter()).filter(|e| e.event.contains("password")).collect();
    if changes.is_empty() {
        let has_log = ctx.snapshots.iter().any(|s| !s.security_log.is_empty());
        return if has_log {
            make(ID, SignalStatus::Clear, "the security log records no password change".into(), &[])
        } else {
            make(
                ID,
                SignalStatus::NotEvaluated,
                "no security log in the acquired sources (a Desktop export carries one)".into(),
                &[],
            )
        };
    }
    let owner = ctx.owner_networks(None);
    if owner.is_empty() {
        return make(
            ID,
            SignalStatus::NotEvaluated,
            "no declared device was seen, so the owner's networks are unknown".into(),
            &[],
        );
    }
    let unknown: Vec<String> = changes
        .iter()
        .filter_map(|e| {
            let asn = super::signals::facts_of(ctx, &e.ip).and_then(|f| f.asn.as_ref()).map(|a| a.value.number)?;
            (!owner.contains(&asn)).then(|| {
                format!(
                    "{} from {} (AS{asn}) at {}",
                    e.event,
                    e.ip.as_deref().unwrap_or("?"),
                    e.at.as_ref().and_then(|t| t.utc.clone()).unwrap_or_else(|| "unknown time".into())
                )
            })
        })
        .collect();
    if unknown.is_empty() {
        make(
            ID,
            SignalStatus::Clear,
            "every logged password change came from a network the subject's devices use".into(),
            &[],
        )
    } else {
        make(
            ID,
            SignalStatus::Fired,
            format!("the password was changed from a network the subject's devices never used: {}", unknown.join("; ")),
            &[("changes", unknown.join("; "))],
        )
    }
}
