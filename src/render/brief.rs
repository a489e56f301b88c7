//! `brief.txt` and `brief.html`: the one-page request to Telegram support, in English (the
//! language support answers in). It names the account, each session the analysis flags (to act
//! on now, or to be confirmed by the owner) with Telegram's own fields, what vanished between
//! acquisitions, what we ask, and the sha256 of the bundle's `manifest.json` — so the brief is
//! written after the manifest and is not listed in it; `verify` checks the hash it quotes.

use super::RenderError;
use super::view::ReportInput;
use super::view::format::mask;
use crate::model::brief::{BriefSession, BriefView, OwnerAccess, Vanished};
use crate::model::finding::{SessionFinding, SignalStatus, Verdict};
use crate::model::identity::group_sessions;
use crate::model::snapshot::{Session, Snapshot, Time, TimeBasis};
use crate::model::text::{clipped, visible};
use jiff::tz::TimeZone;
use tera::{Context, Tera};

const TEMPLATE: &str = include_str!("../../templates/brief.html");
/// Longest untrusted string shown in full (the original keeps all of it).
const MAX_SHOWN: usize = 300;
/// Sessions named in full; the rest are counted (the report lists them all).
const MAX_SESSIONS: usize = 20;
/// What the brief asks about, in its title.
const TITLE: &str = "suspicious sessions on a Telegram account";
/// Flagged website log-ins ("Log in with Telegram"), as section 2 heads them.
const WEBSITES: &str = "Websites: log-ins with the account that need action now";
/// The two kinds of flagged session, as section 2 heads them.
const ACT_NOW: &str = "Act now: two or more independent signals, or one that is decisive on its own";
const TO_CONFIRM: &str = "To be confirmed by the owner: one signal each; any of these may be the owner's own";

/// A listed session as a loose match sees it: (label, app + version + device, acquisitions,
/// matchable by hash or creation time, act-now).
type Loose = (String, Option<String>, Vec<usize>, bool, bool);

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
    let en = super::Catalogue::new(super::Lang::En);
    let zone = |name: Option<&str>| name.and_then(|n| TimeZone::get(n).ok());
    let subject_tz = zone(input.config.subject.time_zone.as_deref());
    let source_tz: Vec<Option<TimeZone>> = snaps.iter().map(|s| zone(s.source.source_tz.as_deref())).collect();

    let mut act_now = Vec::new();
    let mut to_confirm = Vec::new();
    let mut loose: Vec<Loose> = Vec::new();
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
        if act_now.len() + to_confirm.len() == MAX_SESSIONS {
            more += 1;
            continue;
        }
        let mut ids: Vec<&str> = Vec::new();
        for f in &member_findings {
            for s in f.signals.iter().filter(|s| s.status == SignalStatus::Fired) {
                if !ids.contains(&s.id) {
                    ids.push(s.id);
                }
            }
        }
        let signals = ids.iter().map(|id| format!("{} ({id})", en.t(&format!("signal.{id}.title")))).collect();
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
        let (last_acq, _) = observed[*members.last().expect("groups are never empty")];
        let session = BriefSession {
            label,
            verdict: worst.as_str().to_string(),
            signals,
            fields: session_fields(sess, &en, subject_tz.as_ref(), source_tz[last_acq].as_ref()),
            seen: format!("Seen in {seen}; {still}."),
        };
        let key = crate::model::identity::loose_key(sess);
        let identifiable = members.iter().any(|&m| crate::model::identity::matchable(observed[m].1));
        loose.push((session.label.clone(), key, acqs.clone(), identifiable, worst == Verdict::ActNow));
        if worst == Verdict::ActNow { act_now.push(session) } else { to_confirm.push(session) }
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

    // A session a source shows too little of to match (a screenshot: no hash, no creation time)
    // may be one listed again from another acquisition: said, not merged.
    for (i, (label, key, acqs, identifiable, _)) in loose.iter().enumerate() {
        let Some(key) = key else { continue };
        let same: Vec<&str> = loose
            .iter()
            .enumerate()
            .filter(|(j, o)| {
                *j != i && o.1.as_ref() == Some(key) && (!identifiable || !o.3) && o.2.iter().all(|a| !acqs.contains(a))
            })
            .map(|(_, o)| o.0.as_str())
            .collect();
        if same.is_empty() {
            continue;
        }
        let note = format!(
            " Possibly the same session as {} (same app, version and device; one of the sources shows no session hash or creation time to match them by).",
            same.join(", ")
        );
        let list = if loose[i].4 { &mut act_now } else { &mut to_confirm };
        if let Some(s) = list.iter_mut().find(|s: &&mut BriefSession| &s.label == label) {
            s.seen.push_str(&note);
        }
    }

    // Website log-ins the analysis says need action now, each once per site and IP.
    let mut websites: Vec<String> = Vec::new();
    let web = snaps.iter().flat_map(|s| s.web_sessions.iter()).zip(&input.analysis.web_sessions);
    for (w, f) in web.filter(|(_, f)| f.verdict == Verdict::ActNow) {
        let ids: Vec<String> = f
            .signals
            .iter()
            .filter(|s| s.status == SignalStatus::Fired)
            .map(|s| format!("{} ({})", en.t(&format!("signal.{}.title", s.id)), s.id))
            .collect();
        let line = format!(
            "“{}” (bot: {}), from IP {}{} (signals: {})",
            show(&w.domain),
            w.bot_username
                .as_deref()
                .map(|b| format!("“@{}”", clipped(&visible(b), MAX_SHOWN)))
                .unwrap_or_else(|| "not named by the source".into()),
            show(&w.ip),
            w.last_active
                .as_ref()
                .map(|t| format!(", last active {}", time_text(t, &en, subject_tz.as_ref(), None)))
                .unwrap_or_default(),
            ids.join(", ")
        );
        if !websites.contains(&line) {
            websites.push(line);
        }
    }

    let earliest = sessions_created_earliest(&observed, findings);
    let mut requests = Vec::new();
    if !act_now.is_empty() {
        requests.push("Terminate the sessions under “Act now” that are still active, if the owner cannot do it (a session younger than 24 hours cannot terminate others).".to_string());
    }
    if !websites.is_empty() {
        requests.push(
            "Log the account out of the websites listed under “Websites”, if the owner cannot do it.".to_string(),
        );
    }
    if !to_confirm.is_empty() {
        requests.push("Do not act on the sessions under “To be confirmed” on the strength of this request alone: each rests on one signal and may be the owner's own. We will tell you which of them the owner does not recognise.".to_string());
    }
    if !act_now.is_empty() || !to_confirm.is_empty() {
        requests.push(format!(
            "Preserve the server-side records of these sessions (login times, IP addresses, authorization creation, API id, devices) from {} until further notice, for a possible legal process.",
            earliest.unwrap_or_else(|| "the earliest session listed above".into())
        ));
    }
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
        examiner: input
            .config
            .case
            .examiner
            .as_deref()
            .map(visible)
            .unwrap_or_else(|| "not named by the source".into()),
        prepared_utc: input.generated_at.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
        bundle: ctx.bundle.to_string(),
        manifest_sha256: ctx.manifest_sha256.to_string(),
        attachments: attachments(ctx.files),
        account: ids,
        identity_masked,
        access,
        access_lost,
        two_fa,
        act_now,
        to_confirm,
        websites,
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
    line(&format!("REQUEST TO TELEGRAM SUPPORT: {TITLE}"));
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
    line(
        "2. Sessions the analysis flags (fields exactly as Telegram showed them; times in UTC, as precise as the source)",
    );
    if b.act_now.is_empty() && b.to_confirm.is_empty() && b.websites.is_empty() {
        line("   None: the analysis flagged no session.");
    }
    if !b.websites.is_empty() {
        line(&format!("   {WEBSITES}"));
        for w in &b.websites {
            line(&format!("   - {w}"));
        }
    }
    for (heading, group) in [(ACT_NOW, &b.act_now), (TO_CONFIRM, &b.to_confirm)] {
        if group.is_empty() {
            continue;
        }
        line(&format!("   {heading}"));
        for s in group.iter() {
            line(&format!("   {} (verdict: {}; signals: {})", s.label, s.verdict, s.signals.join(", ")));
            for (k, v) in &s.fields {
                line(&format!("     {k}: {v}"));
            }
            line(&format!("     {}", s.seen));
        }
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
    ctx.insert("title", TITLE);
    ctx.insert("act_now", ACT_NOW);
    ctx.insert("websites", WEBSITES);
    ctx.insert("to_confirm", TO_CONFIRM);
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

fn session_fields(
    s: &Session,
    c: &super::Catalogue,
    tz: Option<&TimeZone>,
    source_tz: Option<&TimeZone>,
) -> Vec<(String, String)> {
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
            out.push((k.to_string(), time_text(t, c, tz, source_tz)));
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

fn time_text(t: &Time, c: &super::Catalogue, tz: Option<&TimeZone>, source_tz: Option<&TimeZone>) -> String {
    // As precise as the source is: a screenshot's "Tue" is a day, not 23:00:00.
    let cell = super::view::format::time_cell(c, t, tz, source_tz);
    let basis = match t.basis {
        TimeBasis::LocalAssumed => "; local time read in the zone the examiner declared",
        _ => "",
    };
    format!("{}{basis} (shown as “{}”)", cell.utc, clipped(&visible(&t.original), 80))
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
    fn times_are_as_precise_as_the_source_and_say_when_a_zone_was_assumed() {
        use crate::model::snapshot::Precision;
        let en = crate::render::Catalogue::new(crate::render::Lang::En);
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let time = |utc: &str, original: &str, basis, precision| Time {
            utc: Some(utc.into()),
            original: original.into(),
            basis,
            precision,
        };
        let day = time("2026-11-23T23:00:00Z", "Tue", TimeBasis::LocalAssumed, Some(Precision::Day));
        assert_eq!(
            time_text(&day, &en, None, Some(&berlin)),
            "2026-11-24 (day only, Europe/Berlin); local time read in the zone the examiner declared (shown as “Tue”)"
        );
        let minute =
            time("2026-11-25T21:15:00Z", "yesterday at 22:15", TimeBasis::LocalAssumed, Some(Precision::Minute));
        assert!(time_text(&minute, &en, None, Some(&berlin)).starts_with("2026-11-25 21:15 UTC;"));
        let unix = time("2026-11-19T02:12:09Z", "1795054329", TimeBasis::Unix, None);
        assert_eq!(time_text(&unix, &en, None, None), "2026-11-19 02:12:09 UTC (shown as “1795054329”)");
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
        let en = crate::render::Catalogue::new(crate::render::Lang::En);
        let fields = session_fields(&s, &en, None, None);
        let device = &fields.iter().find(|(k, _)| k == "Device").expect("device field").1;
        assert!(!device.contains('\u{202e}') && !device.contains('\u{7}'), "{device}");
    }
}
