//! `brief.txt` and `brief.html`: the one-page request to Telegram support, in English (the
//! language support answers in). It names the account, each session the owner does not
//! recognise with Telegram's own fields, what vanished between acquisitions, what we ask, and the
//! sha256 of the bundle's `manifest.json` — so the brief is written after the manifest and is
//! not listed in it; `verify` checks the hash it quotes.

use super::RenderError;
use super::view::ReportInput;
use super::view::format::mask;
use crate::model::brief::{BriefSession, BriefView, OwnerAccess, Vanished};
use crate::model::finding::{SessionFinding, SignalStatus, Verdict};
use crate::model::identity::group_sessions;
use crate::model::snapshot::{Session, Snapshot, Time};
use crate::model::text::{clipped, visible};
use tera::{Context, Tera};

const TEMPLATE: &str = include_str!("../../templates/brief.html");
/// Longest untrusted string shown in full (the original keeps all of it).
const MAX_SHOWN: usize = 300;
/// Sessions named in full; the rest are counted (the report lists them all).
const MAX_SESSIONS: usize = 20;

/// What only the pipeline knows when the brief is written.
#[derive(Debug, Clone)]
pub struct BriefContext<'a> {
    pub bundle: &'a str,
    pub manifest_sha256: &'a str,
    pub access: OwnerAccess,
    pub reveal_identity: bool,
    /// Sessions that vanished between consecutive acquisitions (from the comparison of
    /// acquisitions, which refuses to call a session absent from a list that could not show it).
    pub vanished: &'a [Vanished],
    /// The acquisitions in time order (0-based indexes); the last is the latest.
    pub order: &'a [usize],
    /// The bundle's own files that the manifest lists, in its order.
    pub files: &'a [&'a str],
}

/// Builds the brief's content.
pub fn build_brief(input: &ReportInput, ctx: &BriefContext) -> BriefView {
    let snaps: Vec<&Snapshot> = input.snapshots.iter().map(|s| &s.snapshot).collect();
    let latest = ctx.order.last().copied();
    let observed: Vec<(usize, &Session)> =
        snaps.iter().enumerate().flat_map(|(i, s)| s.sessions.iter().map(move |x| (i, x))).collect();
    let refs: Vec<&Session> = observed.iter().map(|(_, s)| *s).collect();
    let findings: &[SessionFinding] = &input.analysis.sessions;

    let mut sessions = Vec::new();
    let mut more = 0;
    let mut terminations = Vec::new();
    let mut letter = 0usize;
    for (members, _) in group_sessions(&refs) {
        let member_findings: Vec<&SessionFinding> = members.iter().filter_map(|&m| findings.get(m)).collect();
        let info = member_findings.iter().any(|f| f.verdict == Verdict::Info);
        let worst = member_findings.iter().map(|f| f.verdict).max().unwrap_or(Verdict::Ok);
        let (_, sess) = observed[*members.last().expect("groups are never empty")];
        let acqs: Vec<usize> = members.iter().map(|&m| observed[m].0).collect();
        let rogue = !info && matches!(worst, Verdict::Review | Verdict::ActNow);
        let label = if rogue {
            letter += 1;
            format!("Session {}", session_letter(letter))
        } else {
            format!("Session “{}”", show(&sess.device_model))
        };
        for v in ctx.vanished {
            let hit = members.iter().any(|&m| observed[m].0 == v.acquisition && same(&snaps, v, observed[m].1));
            if hit {
                let gone = &snaps[v.acquisition].sessions[v.session_index];
                terminations.push(format!(
                    "{label} ({}, {}, IP {}): listed in acquisition {} ({}), absent from acquisition {} ({}): terminated or expired in between.",
                    show(&join(&[&gone.app_name, &gone.app_version])),
                    show(&gone.device_model),
                    show(&gone.ip),
                    v.acquisition + 1,
                    acquired(snaps[v.acquisition]),
                    v.absent_from + 1,
                    acquired(snaps[v.absent_from]),
                ));
            }
        }
        if !rogue {
            continue;
        }
        if sessions.len() == MAX_SESSIONS {
            more += 1;
            continue;
        }
        let mut signals: Vec<String> = Vec::new();
        for f in &member_findings {
            for s in f.signals.iter().filter(|s| s.status == SignalStatus::Fired) {
                if !signals.iter().any(|x| x == s.id) {
                    signals.push(s.id.to_string());
                }
            }
        }
        let seen = acqs
            .iter()
            .map(|&a| format!("acquisition {} ({})", a + 1, acquired(snaps[a])))
            .collect::<Vec<_>>()
            .join(", ");
        let gone = ctx
            .vanished
            .iter()
            .any(|v| members.iter().any(|&m| observed[m].0 == v.acquisition && same(&snaps, v, observed[m].1)));
        let still = match latest {
            Some(l) if acqs.contains(&l) => "listed in the latest acquisition",
            _ if gone => "absent from a later acquisition (section 3)",
            _ => "the latest acquisition cannot be matched against it (too few fields to compare)",
        };
        sessions.push(BriefSession {
            label,
            verdict: worst.as_str().to_string(),
            signals,
            fields: session_fields(sess),
            seen: format!("Seen in {seen}; {still}."),
        });
    }

    let account = snaps.iter().rev().map(|s| &s.account).find(|a| a.user_id.is_some() || a.phone.is_some());
    let mut ids = Vec::new();
    if let Some(a) = account {
        if let Some(id) = a.user_id {
            ids.push(("User id".to_string(), id.to_string()));
        }
        let reveal = |v: &str| if ctx.reveal_identity { visible(v) } else { mask(v) };
        if let Some(u) = &a.username {
            ids.push(("Username".to_string(), format!("@{}", reveal(u.trim_start_matches('@')))));
        }
        if let Some(p) = &a.phone {
            ids.push(("Phone".to_string(), reveal(p)));
        }
    }
    if ids.is_empty() {
        ids.push(("Account".to_string(), "not stated by the acquired sources; add the phone number by hand".into()));
    }
    let identity_masked = !ctx.reveal_identity && account.is_some_and(|a| a.phone.is_some() || a.username.is_some());

    let latest_snap = latest.map(|l| (l, snaps[l]));
    let (access, access_lost) = match ctx.access {
        OwnerAccess::Lost => ("The account owner reports having lost access to the account.".to_string(), true),
        OwnerAccess::Kept => ("The account owner states that they can still use the account.".to_string(), false),
        OwnerAccess::AsOfLatestAcquisition => match latest_snap {
            Some((i, s)) => (owner_access(s, i), false),
            None => ("Not known.".to_string(), false),
        },
    };
    let two_fa = snaps
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, s)| {
            let t = s.account.two_fa.as_ref()?;
            let on = t.has_password?;
            Some(format!(
                "{} (acquisition {}){}",
                if on { "a 2FA password is set" } else { "no 2FA password is set" },
                i + 1,
                if t.pending_reset_date.is_some() { "; a 2FA password reset is pending" } else { "" }
            ))
        })
        .unwrap_or_else(|| "not known from the acquired sources".into());

    let earliest = sessions_created_earliest(&observed, findings);
    let mut requests = vec![
        "Terminate the sessions listed above that are still active, if the owner cannot do it (a session younger than 24 hours cannot terminate others).".to_string(),
        format!(
            "Preserve the server-side records of these sessions (login times, IP addresses, authorization creation, API id, devices) from {} until further notice, for a possible legal process.",
            earliest.unwrap_or_else(|| "the earliest session listed above".into())
        ),
    ];
    if access_lost {
        requests
            .push("Restore the owner's access to the account and end every session the owner does not confirm.".into());
    } else {
        requests.push(
            "Tell the owner if the account shows further logins or a pending 2FA reset or e-mail change they did not request."
                .into(),
        );
    }
    if more > 0 {
        requests
            .insert(0, format!("{more} further session(s) with the same concern are listed in the attached report."));
    }

    BriefView {
        case_id: visible(&input.config.case.id),
        examiner: input.config.case.examiner.as_deref().map(visible).unwrap_or_else(|| "not named".into()),
        prepared_utc: input.generated_at.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
        bundle: ctx.bundle.to_string(),
        manifest_sha256: ctx.manifest_sha256.to_string(),
        attachments: attachments(ctx.files),
        account: ids,
        identity_masked,
        access,
        access_lost,
        two_fa,
        sessions,
        terminations,
        requests,
    }
}

/// The brief as plain text (UTF-8, LF line ends).
pub fn render_brief_txt(b: &BriefView) -> String {
    let mut o = String::new();
    let mut line = |s: &str| {
        o.push_str(s);
        o.push('\n');
    };
    line("REQUEST TO TELEGRAM SUPPORT: sessions the account owner does not recognise");
    line(&format!("Case {} · prepared {} by {}", b.case_id, b.prepared_utc, b.examiner));
    line(&format!("Evidence bundle {} · manifest.json sha256 {}", b.bundle, b.manifest_sha256));
    line("");
    line("1. Account");
    for (k, v) in &b.account {
        line(&format!("   {k}: {v}"));
    }
    if b.identity_masked {
        line("   (masked: run `sessionproof report --reveal-identity` for the full values before sending)");
    }
    line(&format!("   Owner's access: {}", b.access));
    line(&format!("   Two-step verification: {}", b.two_fa));
    line("");
    line("2. Sessions the owner does not recognise (fields exactly as Telegram showed them; times in UTC)");
    if b.sessions.is_empty() {
        line("   None: the analysis flagged no session.");
    }
    for s in &b.sessions {
        line(&format!("   {} (verdict: {}; signals: {})", s.label, s.verdict, s.signals.join(", ")));
        for (k, v) in &s.fields {
            line(&format!("     {k}: {v}"));
        }
        line(&format!("     {}", s.seen));
    }
    line("");
    line("3. Sessions that vanished between acquisitions");
    if b.terminations.is_empty() {
        line("   None seen.");
    }
    for t in &b.terminations {
        line(&format!("   - {t}"));
    }
    line("");
    line("4. What we ask");
    for (i, r) in b.requests.iter().enumerate() {
        line(&format!("   {}. {r}", i + 1));
    }
    line("");
    line(&crate::model::text::wrap(&b.attachments, 100));
    o
}

/// The brief's last words: what is attached to it, as the bundle has it, and where the hashes are.
fn attachments(files: &[&str]) -> String {
    let report: Vec<&str> = files.iter().copied().filter(|f| f.starts_with("report.")).collect();
    let data: Vec<&str> = files.iter().copied().filter(|f| f.ends_with(".json") || f.ends_with(".jsonld")).collect();
    let every = "Every file of it is listed with its SHA-256 in manifest.json, whose own SHA-256 is quoted above.";
    if !report.is_empty() {
        format!("The attached report ({}) sets out the evidence. {every}", report.join(", "))
    } else if !data.is_empty() {
        format!(
            "The attached files ({}) set out the evidence in machine-readable form. Each is listed with its SHA-256 in manifest.json, whose own SHA-256 is quoted above.",
            data.join(", ")
        )
    } else {
        "The files the evidence rests on are listed with their SHA-256 in manifest.json, whose own SHA-256 is \
         quoted above."
            .to_string()
    }
}

/// The brief as one self-contained HTML page (no scripts, no external requests).
pub fn render_brief_html(b: &BriefView) -> Result<String, RenderError> {
    let err = |message: String| RenderError { what: "brief.html".into(), message };
    let mut tera = Tera::default();
    tera.add_raw_template("brief.html", TEMPLATE).map_err(|e| err(e.to_string()))?;
    let mut ctx = Context::new();
    ctx.insert("b", b);
    tera.render("brief.html", &ctx).map_err(|e| err(format!("{e:?}")))
}

fn session_letter(n: usize) -> String {
    // A, B, …, Z, AA, AB, …
    let mut n = n;
    let mut s = Vec::new();
    while n > 0 {
        n -= 1;
        s.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII letters")
}

fn session_fields(s: &Session) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut text = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            out.push((k.to_string(), format!("“{}”", clipped(&visible(v), MAX_SHOWN))));
        }
    };
    text("App", &s.app_name);
    text("App version", &s.app_version);
    text("Device", &s.device_model);
    text("Platform", &s.platform);
    text("System version", &s.system_version);
    text("IP address", &s.ip);
    text("Country", &s.country);
    text("Region", &s.region);
    for (k, t) in [("Created", &s.created), ("Last active", &s.last_active)] {
        if let Some(t) = t {
            out.push((k.to_string(), time_text(t)));
        }
    }
    if let Some(h) = s.hash.filter(|h| *h != 0) {
        out.push(("Session hash".into(), h.to_string()));
    }
    if let Some(a) = s.api_id {
        out.push(("API id".into(), a.to_string()));
    }
    for (k, v) in
        [("Login code entered, 2FA password pending", s.password_pending), ("Unconfirmed login", s.unconfirmed)]
    {
        if v == Some(true) {
            out.push((k.to_string(), "yes".into()));
        }
    }
    if s.official_app == Some(false) {
        out.push(("Official app".into(), "no".into()));
    }
    if let Some(lines) = &s.as_written {
        for l in lines {
            out.push(("As written".into(), format!("“{}”", clipped(&visible(l), MAX_SHOWN))));
        }
    }
    out
}

fn time_text(t: &Time) -> String {
    let utc = t
        .utc
        .as_deref()
        .and_then(|u| u.parse::<jiff::Timestamp>().ok())
        .map(|ts| ts.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| "UTC not known".into());
    format!("{utc} (shown as “{}”)", clipped(&visible(&t.original), 80))
}

/// Whether `sess` is the session `v` names.
fn same(snaps: &[&Snapshot], v: &Vanished, sess: &Session) -> bool {
    snaps[v.acquisition].sessions.get(v.session_index).is_some_and(|x| std::ptr::eq(x, sess))
}

/// When the list was captured, as far as it is known: the time the source or the examiner
/// states, or the bounds; never the import time as a capture time.
fn acquired(s: &Snapshot) -> String {
    let t = crate::model::capture::Capture::of(s).text();
    let show = |u: &str| {
        u.parse::<jiff::Timestamp>().map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()).unwrap_or_default()
    };
    match (&t.stated, &t.not_before, &t.not_after) {
        (Some(at), _, _) if t.by_examiner => format!("captured {} as stated by the examiner", show(at)),
        (Some(at), _, _) => format!("captured {}", show(at)),
        (None, Some(a), Some(b)) => format!("captured between {} and {}", show(a), show(b)),
        (None, Some(a), None) => format!("captured not earlier than {}", show(a)),
        (None, None, Some(b)) => format!("captured not later than {}", show(b)),
        (None, None, None) => "capture time not known".into(),
    }
}

/// What the latest acquisition, `s` (0-based `i`), says about the owner's access: their client
/// was logged in when it was captured, at the time known, or within the bounds known.
fn owner_access(s: &Snapshot, i: usize) -> String {
    let n = i + 1;
    let method = s.method.as_str();
    let t = crate::model::capture::Capture::of(s).text();
    let show = |u: &str| {
        u.parse::<jiff::Timestamp>().map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()).unwrap_or_default()
    };
    let at = |when: String| {
        format!("The owner's own client was logged in at {when} (acquisition {n}, {method}); nothing later is known.")
    };
    let during = |when: String| {
        format!(
            "The owner's own client was logged in when acquisition {n} ({method}) was captured, {when}; nothing later is known."
        )
    };
    match (&t.stated, &t.not_before, &t.not_after) {
        (Some(a), _, _) if t.by_examiner => at(format!("{} (as stated by the examiner)", show(a))),
        (Some(a), _, _) => at(show(a)),
        (None, Some(a), Some(b)) => {
            during(format!("between {} and {} (the source does not say when)", show(a), show(b)))
        }
        (None, Some(a), None) => during(format!("not earlier than {} (the source does not say when)", show(a))),
        (None, None, Some(b)) => during(format!("not later than {} (the source does not say when)", show(b))),
        (None, None, None) => during("at a time the sources do not state".into()),
    }
}

/// The earliest creation time among the flagged sessions.
fn sessions_created_earliest(observed: &[(usize, &Session)], findings: &[SessionFinding]) -> Option<String> {
    observed
        .iter()
        .zip(findings)
        .filter(|(_, f)| matches!(f.verdict, Verdict::Review | Verdict::ActNow))
        .filter_map(|((_, s), _)| s.created.as_ref()?.utc.as_deref()?.parse::<jiff::Timestamp>().ok())
        .min()
        .map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())
}

fn join(parts: &[&Option<String>]) -> Option<String> {
    let present: Vec<&str> = parts.iter().filter_map(|p| p.as_deref()).collect();
    if present.is_empty() { None } else { Some(present.join(" ")) }
}

fn show(v: &Option<String>) -> String {
    v.as_deref().map(|v| clipped(&visible(v), 80)).unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closing_sentence_names_what_the_bundle_attaches() {
        let all = ["report.html", "report.pdf", "findings.json", "case-uco.jsonld", "custody.jsonl", "VERIFY.txt"];
        assert!(attachments(&all).starts_with("The attached report (report.html, report.pdf) sets out"));
        assert!(attachments(&["report.pdf", "custody.jsonl"]).starts_with("The attached report (report.pdf) sets"));
        let data = attachments(&["findings.json", "enrichment.json", "custody.jsonl", "VERIFY.txt"]);
        assert!(data.starts_with("The attached files (findings.json, enrichment.json) set out"), "{data}");
        let none = attachments(&["custody.jsonl", "VERIFY.txt"]);
        assert!(!none.contains("attached") && none.contains("manifest.json"), "{none}");
    }

    #[test]
    fn letters_and_masks() {
        assert_eq!(session_letter(1), "A");
        assert_eq!(session_letter(26), "Z");
        assert_eq!(session_letter(27), "AA");
        assert_eq!(mask("+491701234567"), "+4•••••••••67");
        assert_eq!(mask("abc"), "•••");
    }

    #[test]
    fn hostile_text_is_marked_in_the_text_brief() {
        let mut s = Session::unknown("row 1");
        s.device_model = Some("evil\u{202e}gpj.exe\u{7}".into());
        let fields = session_fields(&s);
        let device = &fields.iter().find(|(k, _)| k == "Device").expect("device field").1;
        assert!(!device.contains('\u{202e}') && !device.contains('\u{7}'), "{device}");
    }
}
