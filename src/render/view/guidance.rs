//! What to do: the summary's plain-language headline and most urgent actions, and the
//! recommended actions with a status taken from the data and where each lives in the apps.

use super::Ctx;
use super::format::{MAX_SHOWN, list_numbers, safe};
use super::sessions::{Built, signal_title, verdict_words};
use crate::model::finding::{SignalResult, SignalStatus, Verdict};
use crate::model::snapshot::TwoFa;
use crate::model::view::{ActionItem, Actions, SessionRow, VerdictCount, WebSessionRow};
use crate::render::i18n::{Catalogue, Lang};

/// The facts the guidance rests on.
pub(super) struct Situation<'a> {
    pub total: usize,
    pub act_now: Vec<usize>,
    pub review: Vec<usize>,
    pub ok: usize,
    pub info: usize,
    pub reappeared: Vec<usize>,
    pub reappeared_evaluated: bool,
    /// A session would come back only in a guessed capture order: the lists' times overlap.
    pub reappeared_in_doubt: bool,
    pub password_pending: Vec<usize>,
    /// The latest 2FA state any acquisition carries.
    pub two_fa: Option<&'a TwoFa>,
    /// The latest auto-terminate setting any acquisition carries.
    pub ttl_days: Option<i32>,
    pub account: &'a [SignalResult],
    /// The websites logged in with Telegram whose log-in is act-now / review (each once).
    pub web_act_now: Vec<String>,
    pub web_review: Vec<String>,
    /// Whether any acquisition lists a website log-in at all.
    pub web_any: bool,
}

impl<'a> Situation<'a> {
    pub fn new(ctx: &'a Ctx, built: &Built, web: &[WebSessionRow]) -> Situation<'a> {
        let sites = |verdict: &str| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for w in web.iter().filter(|w| w.verdict == verdict) {
                if !out.contains(&w.domain) {
                    out.push(w.domain.clone());
                }
            }
            out
        };
        let with = |verdict: &str| -> Vec<usize> {
            built.rows.iter().filter(|r| r.verdict == verdict).map(|r| r.number).collect()
        };
        let fired_for = |id: &str| -> Vec<usize> {
            built.fired.iter().filter(|(_, ids)| ids.contains(&id)).map(|(n, _)| *n).collect()
        };
        let snapshots = || ctx.input.snapshots.iter().rev().map(|s| &s.snapshot);
        Situation {
            total: built.rows.len(),
            act_now: with("act-now"),
            review: with("review"),
            ok: with("ok").len(),
            info: with("info").len(),
            reappeared: fired_for("reappeared"),
            reappeared_evaluated: built.evaluated.contains("reappeared"),
            // With three acquisitions or more, "not evaluated" means the order is in doubt.
            reappeared_in_doubt: ctx.input.snapshots.len() >= 3
                && ctx
                    .input
                    .analysis
                    .sessions
                    .iter()
                    .any(|f| f.signals.iter().any(|s| s.id == "reappeared" && s.status == SignalStatus::NotEvaluated)),
            password_pending: fired_for("login-password-pending"),
            two_fa: snapshots().find_map(|s| s.account.two_fa.as_ref()),
            ttl_days: snapshots().find_map(|s| s.account.ttl_days),
            account: &ctx.input.analysis.account,
            web_act_now: sites("act-now"),
            web_review: sites("review"),
            web_any: !web.is_empty(),
        }
    }

    fn account_fired(&self, id: &str) -> Option<&SignalResult> {
        self.account.iter().find(|s| s.id == id && s.status == SignalStatus::Fired)
    }
}

/// Sessions by verdict, most urgent first, only verdicts that occur.
pub(super) fn verdict_counts(c: &Catalogue, rows: &[SessionRow]) -> Vec<VerdictCount> {
    [Some(Verdict::ActNow), Some(Verdict::Review), Some(Verdict::Ok), Some(Verdict::Info), None]
        .into_iter()
        .filter_map(|v| {
            let (verdict, label) = verdict_words(c, v);
            let count = rows.iter().filter(|r| r.verdict == verdict).count();
            (count > 0).then_some(VerdictCount { verdict, label, count })
        })
        .collect()
}

/// One or two plain sentences on what the lists show.
pub(super) fn headline(c: &Catalogue, s: &Situation) -> String {
    if s.total == 0 {
        return c.t("summary.headline_empty");
    }
    let mut parts = vec![c.tn("summary.headline_total", s.total, &[])];
    if !s.act_now.is_empty() {
        parts.push(c.tn("summary.headline_act_now", s.act_now.len(), &[]));
    }
    if !s.review.is_empty() {
        parts.push(c.tn("summary.headline_review", s.review.len(), &[]));
    }
    if s.ok > 0 {
        parts.push(c.tn("summary.headline_ok", s.ok, &[]));
    }
    if s.info > 0 {
        parts.push(c.tn("summary.headline_info", s.info, &[]));
    }
    if !s.web_act_now.is_empty() {
        parts.push(c.tn("summary.headline_web_act_now", s.web_act_now.len(), &[]));
    }
    parts.join(" ")
}

/// The three most urgent actions, in order.
pub(super) fn urgent(c: &Catalogue, s: &Situation) -> Vec<String> {
    let mut out = Vec::new();
    let numbers = |v: &[usize]| list_numbers(c, v);
    if !s.reappeared.is_empty() {
        out.push(c.tn("summary.urgent_reappeared", s.reappeared.len(), &[("sessions", &numbers(&s.reappeared))]));
    }
    if !s.password_pending.is_empty() {
        out.push(c.tn(
            "summary.urgent_password_pending",
            s.password_pending.len(),
            &[("sessions", &numbers(&s.password_pending))],
        ));
    }
    if s.account_fired("account-password-changed-by-unknown").is_some() {
        out.push(c.t("summary.urgent_password_changed"));
    }
    let review = || c.tn("summary.urgent_review", s.review.len(), &[("sessions", &numbers(&s.review))]);
    if !s.act_now.is_empty() {
        out.push(c.tn("summary.urgent_terminate", s.act_now.len(), &[("sessions", &numbers(&s.act_now))]));
        out.push(c.t("summary.urgent_terminate_others"));
    }
    if !s.web_act_now.is_empty() {
        out.push(c.tn("summary.urgent_web", s.web_act_now.len(), &[("sites", &c.join(&s.web_act_now))]));
    }
    if s.act_now.is_empty() && !s.review.is_empty() {
        // Nothing calls for action on its own: the owner's answer decides, so it comes first.
        out.push(review());
        out.push(c.t("summary.urgent_terminate_others_if"));
    }
    if s.account_fired("account-2fa-reset-pending").is_some() {
        out.push(c.t("summary.urgent_reset_pending"));
    }
    if s.account_fired("account-2fa-off").is_some() {
        out.push(c.t("summary.urgent_two_step_off"));
    }
    if s.account_fired("account-email-change").is_some() {
        out.push(c.t("summary.urgent_recovery_email"));
    }
    if !s.review.is_empty() && !s.act_now.is_empty() {
        out.push(review());
    }
    if s.ttl_days.is_some_and(|d| d > 31) {
        out.push(c.t("summary.urgent_auto_terminate"));
    }
    if out.is_empty() {
        out.push(c.t("summary.urgent_nothing"));
    }
    out.truncate(3);
    out
}

/// Account-level signals that fired, each with why.
pub(super) fn account_findings(c: &Catalogue, s: &Situation) -> Vec<String> {
    s.account
        .iter()
        .filter(|x| x.status == SignalStatus::Fired)
        .map(|x| {
            let why = match c.lang() {
                Lang::En => safe(c, &x.reason, MAX_SHOWN),
                _ => c.t(&format!("signal.{}.meaning", x.id)),
            };
            c.tf("summary.account_finding", &[("title", &signal_title(c, x.id)), ("why", &why)])
        })
        .collect()
}

/// The recommended actions of DESIGN §8 item 7, each with its status from the data.
pub(super) fn actions(c: &Catalogue, s: &Situation) -> Actions {
    let numbers = |v: &[usize]| list_numbers(c, v);
    let item = |id: &str, title: &str, status: &str, why: String, paths: &[&str]| ActionItem {
        id: id.to_string(),
        title: c.t(title),
        status: status.to_string(),
        status_label: c.t(match status {
            "do" => "actions.status_do",
            "check" => "actions.status_check",
            "done" => "actions.status_done",
            "not-needed" => "actions.status_not_needed",
            _ => "actions.status_unknown",
        }),
        why,
        paths: paths.iter().map(|p| c.t(p)).collect(),
    };
    let mut items = Vec::new();

    let (status, why) = if !s.act_now.is_empty() {
        ("do", c.tn("actions.terminate_session.why_do", s.act_now.len(), &[("sessions", &numbers(&s.act_now))]))
    } else if !s.review.is_empty() {
        ("check", c.tn("actions.terminate_session.why_check", s.review.len(), &[("sessions", &numbers(&s.review))]))
    } else {
        ("not-needed", c.t("actions.terminate_session.why_none"))
    };
    items.push(item(
        "terminate-session",
        "actions.terminate_session.title",
        status,
        why,
        &["actions.path.session_mobile", "actions.path.session_desktop"],
    ));

    let (status, why) = if !s.act_now.is_empty() || !s.review.is_empty() {
        ("do", c.t("actions.terminate_others.why_do"))
    } else {
        ("check", c.t("actions.terminate_others.why_check"))
    };
    items.push(item(
        "terminate-others",
        "actions.terminate_others.title",
        status,
        why,
        &["actions.path.terminate_others"],
    ));

    let (status, why) = if !s.web_act_now.is_empty() {
        ("do", c.tn("actions.web_logout.why_do", s.web_act_now.len(), &[("sites", &c.join(&s.web_act_now))]))
    } else if !s.web_review.is_empty() {
        ("check", c.tn("actions.web_logout.why_check", s.web_review.len(), &[("sites", &c.join(&s.web_review))]))
    } else if s.web_any {
        ("not-needed", c.t("actions.web_logout.why_none"))
    } else {
        ("not-needed", c.t("actions.web_logout.why_no_web"))
    };
    items.push(item("web-logout", "actions.web_logout.title", status, why, &["actions.path.web_logout"]));

    let (status, why) = match s.ttl_days {
        Some(d) if d > 31 => ("do", c.tf("actions.auto_terminate.why_long", &[("days", &d.to_string())])),
        Some(d) => ("done", c.tf("actions.auto_terminate.why_set", &[("days", &d.to_string())])),
        None => ("unknown", c.t("actions.auto_terminate.why_unknown")),
    };
    items.push(item("auto-terminate", "actions.auto_terminate.title", status, why, &["actions.path.auto_terminate"]));

    let reset = s.account_fired("account-2fa-reset-pending");
    let (status, why) = if let Some(r) = reset {
        // The 2FA state's own time, in UTC when known; else the fact as the signal recorded it.
        let when = s
            .two_fa
            .and_then(|t| t.pending_reset_date.as_ref())
            .and_then(|t| t.utc.as_deref())
            .and_then(|u| u.parse::<jiff::Timestamp>().ok())
            .map(super::format::format_utc)
            .or_else(|| r.facts.get("pending_reset_date").map(|w| safe(c, w, 80)))
            .unwrap_or_default();
        ("do", c.tf("actions.two_step.why_reset", &[("date", &when)]))
    } else if s.account_fired("account-password-changed-by-unknown").is_some() {
        ("do", c.t("actions.two_step.why_changed_unknown"))
    } else if !s.password_pending.is_empty() {
        (
            "do",
            c.tn(
                "actions.two_step.why_code_leaked",
                s.password_pending.len(),
                &[("sessions", &numbers(&s.password_pending))],
            ),
        )
    } else {
        match s.two_fa.and_then(|t| t.has_password) {
            Some(false) => ("do", c.t("actions.two_step.why_off")),
            Some(true) if !s.act_now.is_empty() => ("check", c.t("actions.two_step.why_on_suspected")),
            Some(true) => ("check", c.t("actions.two_step.why_on")),
            None => ("unknown", c.t("actions.two_step.why_unknown")),
        }
    };
    items.push(item("two-step", "actions.two_step.title", status, why, &["actions.path.two_step"]));

    let email = s.account_fired("account-email-change");
    let pattern = s.two_fa.and_then(|t| t.email_unconfirmed_pattern.as_deref());
    let (status, why) = match (pattern, email, s.two_fa) {
        (Some(p), _, _) => ("do", c.tf("actions.recovery_email.why_pending", &[("pattern", &safe(c, p, 80))])),
        (None, Some(_), _) => ("do", c.t("actions.recovery_email.why_logged")),
        (None, None, Some(t)) => match (t.has_password, t.has_recovery) {
            (Some(false), _) => ("do", c.t("actions.recovery_email.why_no_password")),
            (_, Some(true)) => ("check", c.t("actions.recovery_email.why_set")),
            (_, Some(false)) => ("do", c.t("actions.recovery_email.why_missing")),
            (_, None) => ("unknown", c.t("actions.recovery_email.why_unknown")),
        },
        (None, None, None) => ("unknown", c.t("actions.recovery_email.why_unknown")),
    };
    items.push(item("recovery-email", "actions.recovery_email.title", status, why, &["actions.path.recovery_email"]));

    let (status, why) = if !s.reappeared.is_empty() {
        (
            "do",
            c.tn("actions.phone_number.why_reappeared", s.reappeared.len(), &[("sessions", &numbers(&s.reappeared))]),
        )
    } else if s.reappeared_in_doubt {
        ("check", c.t("actions.phone_number.why_order_unknown"))
    } else if s.reappeared_evaluated {
        ("not-needed", c.t("actions.phone_number.why_none"))
    } else {
        ("check", c.t("actions.phone_number.why_unknown"))
    };
    items.push(item("phone-number", "actions.phone_number.title", status, why, &["actions.path.change_number"]));

    Actions {
        intro: c.t("actions.intro"),
        warnings: vec![c.t("actions.warning_no_undo"), c.t("actions.warning_young_session")],
        items,
    }
}
