//! The sessions table and the per-session detail: one row per session however many
//! acquisitions listed it, and for each session that needs a look, everything about it.

use super::Ctx;
use super::format::{MAX_SHOWN, dash, join_some, join_some_sep, safe, show};
use super::network::{country, enrichment_facts, net};
use crate::model::finding::{SessionFinding, SignalResult, SignalStatus, Verdict};
use crate::model::snapshot::{Session, Time};
use crate::model::view::{Field, Observation, SessionDetail, SessionRow, SignalGroup, SignalView};
use crate::render::i18n::{Catalogue, Lang};
use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet};

/// One observation: (acquisition index, session index, the session, its finding).
type Member<'a> = (usize, usize, &'a Session, Option<&'a SessionFinding>);

/// The table rows, the details, and each observation's row number by (acquisition number, session index).
pub(super) struct Built {
    pub rows: Vec<SessionRow>,
    pub details: Vec<SessionDetail>,
    pub numbers: BTreeMap<(usize, usize), usize>,
    /// Per row number, the ids of the signals that fired for it.
    pub fired: BTreeMap<usize, Vec<&'static str>>,
    /// Signals evaluated (fired or clear) for at least one session.
    pub evaluated: BTreeSet<&'static str>,
    /// What the pictures need of each row, in table order.
    pub plotted: Vec<Plotted>,
}

/// One row as the timeline and the map draw it.
pub(super) struct Plotted {
    pub number: usize,
    pub verdict: Option<Verdict>,
    /// The device as the table shows it (made safe).
    pub device: String,
    pub created: Option<Timestamp>,
    pub last_active: Option<Timestamp>,
    /// The two times as the table shows them in UTC (with their precision).
    pub created_text: Option<String>,
    pub last_active_text: Option<String>,
    /// Where the offline data places its IP (ISO 3166-1 alpha-2).
    pub country: Option<String>,
}

pub(super) fn build(ctx: &Ctx) -> Built {
    let c = ctx.c;
    let observed: Vec<(usize, usize, &Session)> = ctx
        .input
        .snapshots
        .iter()
        .enumerate()
        .flat_map(|(a, item)| item.snapshot.sessions.iter().enumerate().map(move |(i, s)| (a, i, s)))
        .collect();
    let refs: Vec<&Session> = observed.iter().map(|(_, _, s)| *s).collect();
    // The findings are in the same order as the observed sessions.
    let findings = &ctx.input.analysis.sessions;
    let mut unmatched: Vec<Loose> = Vec::new();
    let mut built = Built {
        rows: Vec::new(),
        details: Vec::new(),
        numbers: BTreeMap::new(),
        fired: BTreeMap::new(),
        evaluated: BTreeSet::new(),
        plotted: Vec::new(),
    };
    for (members, basis) in crate::model::identity::group_sessions(&refs) {
        let number = built.rows.len() + 1;
        let members: Vec<Member> = members
            .iter()
            .map(|&m| {
                let (a, i, s) = observed[m];
                (a, i, s, findings.get(m))
            })
            .collect();
        for (a, i, _, _) in &members {
            built.numbers.insert((a + 1, *i), number);
        }
        let member_findings: Vec<&SessionFinding> = members.iter().filter_map(|m| m.3).collect();
        // An information note (the acquiring session, Telegram's network) wins; else the worst verdict.
        let verdict = member_findings
            .iter()
            .find(|f| f.verdict == Verdict::Info)
            .or_else(|| member_findings.iter().max_by_key(|f| f.verdict))
            .copied();
        let verdict_member = members.iter().find(|m| verdict.is_some_and(|v| m.3.is_some_and(|f| std::ptr::eq(f, v))));
        let verdict_reason = match (verdict, verdict_member) {
            (Some(f), Some(m)) => verdict_reason(c, f, m.2.current == Some(true)),
            _ => String::new(),
        };
        let signals = merged_signals(&member_findings, verdict);
        let mut fired = Vec::new();
        let mut fired_titles = Vec::new();
        let mut not_evaluated = Vec::new();
        for s in member_findings.iter().flat_map(|f| f.signals.iter()) {
            if s.status != SignalStatus::NotEvaluated {
                built.evaluated.insert(s.id);
            }
        }
        for s in &signals {
            if s.status == SignalStatus::Fired {
                built.fired.entry(number).or_default().push(s.id);
            }
            match s.status {
                SignalStatus::Fired => {
                    fired_titles.push(signal_title(c, s.id));
                    fired.push(match c.lang() {
                        Lang::En => format!("{}: {}", signal_title(c, s.id), safe(c, &s.reason, MAX_SHOWN)),
                        _ => signal_title(c, s.id),
                    })
                }
                SignalStatus::NotEvaluated => not_evaluated.push(signal_title(c, s.id)),
                SignalStatus::Clear => {}
            }
        }
        // The latest observation gives the fields shown; the others are listed as sources.
        let &(last_acq, _, sess, _) = members.last().expect("groups are never empty");
        let n = net(ctx, &sess.ip);
        let (verdict_id, verdict_label) = verdict_words(c, verdict.map(|f| f.verdict));
        let needs_detail =
            matches!(verdict.map(|f| f.verdict), Some(Verdict::Review | Verdict::ActNow | Verdict::Info));
        let anchor = format!("session-{number}");
        let mut flags = Vec::new();
        for (v, key) in [
            (sess.current, "sessions.flag_current"),
            (sess.password_pending, "sessions.flag_password_pending"),
            (sess.unconfirmed, "sessions.flag_unconfirmed"),
            (sess.official_app.map(|o| !o), "sessions.flag_unofficial"),
        ] {
            if v == Some(true) {
                flags.push(c.t(key));
            }
        }
        let row = SessionRow {
            number,
            detail_anchor: needs_detail.then(|| anchor.clone()),
            sources: members
                .iter()
                .map(|(a, _, s, _)| {
                    c.tf("sessions.source", &[("n", &(a + 1).to_string()), ("locator", &safe(c, &s.locator, 200))])
                })
                .collect(),
            matched_by: basis.map(|b| c.tn("sessions.matched_by", members.len(), &[("basis", &basis_label(c, b))])),
            possibly_same: None,
            disagreements: disagreements(c, &members),
            as_written: sess.as_written.iter().flatten().map(|l| format!("“{}”", safe(c, l, MAX_SHOWN))).collect(),
            verdict: verdict_id,
            verdict_label: verdict_label.clone(),
            verdict_reason: verdict_reason.clone(),
            fired,
            not_evaluated,
            fired_titles,
            app: show(c, &join_some(&[&sess.app_name, &sess.app_version])),
            device: show(c, &sess.device_model),
            system: show(c, &join_some(&[&sess.platform, &sess.system_version])),
            ip: show(c, &sess.ip),
            network: n.network,
            network_flags: n.flags,
            place: show(c, &join_some_sep(&[&sess.region, &sess.country], ", ")),
            geolocated: n.geolocated,
            created: sess.created.as_ref().map(|t| ctx.time(t, last_acq)),
            last_active: sess.last_active.as_ref().map(|t| ctx.time(t, last_acq)),
            flags: if flags.is_empty() { dash() } else { c.join(&flags) },
        };
        if needs_detail {
            let brief = verdict.is_some_and(|f| f.verdict == Verdict::Info);
            let mut enrichment = Vec::new();
            let mut ips: Vec<&Option<String>> = Vec::new();
            for (_, _, s, _) in members.iter().rev() {
                if !ips.contains(&&s.ip) {
                    ips.push(&s.ip);
                }
            }
            if !brief {
                for ip in ips {
                    enrichment_facts(ctx, ip, &mut enrichment);
                }
            }
            let views: Vec<SignalView> =
                if brief { Vec::new() } else { signals.iter().map(|s| signal_view(c, s)).collect() };
            built.details.push(SessionDetail {
                number,
                anchor,
                heading: c
                    .tf("details.heading", &[("n", &number.to_string()), ("app", &row.app), ("device", &row.device)]),
                verdict: row.verdict.clone(),
                verdict_label,
                verdict_reason,
                brief,
                observations: members.iter().map(|m| observation(ctx, m)).collect(),
                enrichment,
                signal_groups: signal_groups(&views),
                signal_rows: views.into_iter().filter(|v| v.status == "fired" || !v.facts.is_empty()).collect(),
            });
        }
        let instant = |t: &Option<Time>| t.as_ref().and_then(|t| t.utc.as_deref()).and_then(|u| u.parse().ok());
        built.plotted.push(Plotted {
            number,
            verdict: verdict.map(|f| f.verdict),
            device: row.device.clone(),
            created: instant(&sess.created),
            last_active: instant(&sess.last_active),
            created_text: row.created.as_ref().map(|t| t.utc.clone()),
            last_active_text: row.last_active.as_ref().map(|t| t.utc.clone()),
            country: country(ctx, &sess.ip, sess.country.as_deref()),
        });
        built.rows.push(row);
        unmatched.push(Loose {
            number,
            acquisitions: members.iter().map(|m| m.0).collect(),
            key: crate::model::identity::loose_key(sess),
            identifiable: members.iter().any(|m| crate::model::identity::matchable(m.2)),
        });
    }
    possibly_same(c, &mut built.rows, &unmatched);
    built
}

/// What a row offers for a loose match: its number, acquisitions, and app, version and device.
struct Loose {
    number: usize,
    acquisitions: Vec<usize>,
    key: Option<String>,
    /// Whether a hash or creation time would have matched it, had another observation carried one.
    identifiable: bool,
}

/// Marks each row that a source could not match (no hash, no creation time: a screenshot) with
/// the rows of other acquisitions that show the same app, version and device. Nothing is merged
/// and no verdict changes: the reader is told the two may be one session.
fn possibly_same(c: &Catalogue, rows: &mut [SessionRow], loose: &[Loose]) {
    let mut by_key: BTreeMap<&String, Vec<&Loose>> = BTreeMap::new();
    for l in loose {
        if let Some(k) = &l.key {
            by_key.entry(k).or_default().push(l);
        }
    }
    // Both rows of a pair say it, so whichever the reader looks at first tells them.
    let mut pairs: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for l in loose.iter().filter(|l| !l.identifiable) {
        let Some(k) = &l.key else { continue };
        for o in &by_key[k] {
            if o.number != l.number && o.acquisitions.iter().all(|a| !l.acquisitions.contains(a)) {
                pairs.entry(l.number).or_default().insert(o.number);
                pairs.entry(o.number).or_default().insert(l.number);
            }
        }
    }
    for (number, others) in pairs {
        let others: Vec<usize> = others.into_iter().collect();
        rows[number - 1].possibly_same =
            Some(c.tn("sessions.possibly_same", others.len(), &[("rows", &super::format::list_numbers(c, &others))]));
    }
}

/// Each signal once, in order: a fired instance from any observation wins, else the one of the
/// observation that gave the verdict.
fn merged_signals<'a>(findings: &[&'a SessionFinding], verdict: Option<&'a SessionFinding>) -> Vec<&'a SignalResult> {
    let Some(v) = verdict else { return Vec::new() };
    v.signals
        .iter()
        .map(|s| {
            findings
                .iter()
                .flat_map(|f| f.signals.iter())
                .find(|o| o.id == s.id && o.status == SignalStatus::Fired)
                .unwrap_or(s)
        })
        .collect()
}

/// The verdict's stable id and its label.
pub(super) fn verdict_words(c: &Catalogue, v: Option<Verdict>) -> (String, String) {
    let (id, key) = match v {
        Some(Verdict::ActNow) => ("act-now", "verdict.act_now"),
        Some(Verdict::Review) => ("review", "verdict.review"),
        Some(Verdict::Ok) => ("ok", "verdict.ok"),
        Some(Verdict::Info) => ("info", "verdict.info"),
        None => ("not-evaluated", "verdict.not_evaluated"),
    };
    (id.to_string(), c.t(key))
}

/// Why a finding has its verdict, from its signals and the rule (printed in the methodology).
pub(super) fn verdict_reason(c: &Catalogue, f: &SessionFinding, current: bool) -> String {
    let fired: Vec<String> =
        f.signals.iter().filter(|s| s.status == SignalStatus::Fired).map(|s| signal_title(c, s.id)).collect();
    let not_evaluated = f.signals.iter().filter(|s| s.status == SignalStatus::NotEvaluated).count();
    let base = match f.verdict {
        Verdict::Info if current => return c.t("verdict.reason_current"),
        Verdict::Info => return c.t("verdict.reason_telegram"),
        Verdict::Ok => c.t("verdict.reason_none"),
        Verdict::Review => c.tf("verdict.reason_one", &[("signal", &c.join(&fired))]),
        Verdict::ActNow if fired.len() == 1 => c.tf("verdict.reason_decisive", &[("signal", &fired[0])]),
        Verdict::ActNow => c.tn("verdict.reason_several", fired.len(), &[("signals", &c.join(&fired))]),
    };
    if not_evaluated > 0 { format!("{base}{}", c.tn("verdict.not_evaluated_tail", not_evaluated, &[])) } else { base }
}

pub(super) fn signal_title(c: &Catalogue, id: &str) -> String {
    c.t(&format!("signal.{id}.title"))
}

/// A signal for display: in English with the analysis' own reason; in other languages with the
/// catalogue's explanation of the signal (the facts are the same in every language).
/// The outcomes (status, reason, signal) every fully detailed session shares, when there are two
/// or more: taken out of each detail and returned grouped as `signal_groups` groups them, so a
/// reason that holds for the whole case (a source that does not carry a flag, a baseline key not
/// declared) is said once above the details instead of once per session.
pub(super) fn hoist_common(details: &mut [SessionDetail]) -> Vec<SignalGroup> {
    type Item = (String, String, String, String);
    let items = |d: &SessionDetail| -> Vec<Item> {
        d.signal_groups
            .iter()
            .flat_map(|g| {
                g.signals.iter().map(|n| (g.status.clone(), g.status_label.clone(), g.reason.clone(), n.clone()))
            })
            .collect()
    };
    let full: Vec<usize> = (0..details.len()).filter(|&i| !details[i].brief).collect();
    let Some((&first, rest)) = full.split_first() else { return Vec::new() };
    if rest.is_empty() {
        return Vec::new();
    }
    let mut common = items(&details[first]);
    for &i in rest {
        let theirs: BTreeSet<Item> = items(&details[i]).into_iter().collect();
        common.retain(|x| theirs.contains(x));
    }
    let shared: BTreeSet<Item> = common.iter().cloned().collect();
    for &i in &full {
        for g in &mut details[i].signal_groups {
            let key = |n: &String| (g.status.clone(), g.status_label.clone(), g.reason.clone(), n.clone());
            let kept: Vec<String> = g.signals.iter().filter(|n| !shared.contains(&key(n))).cloned().collect();
            g.signals = kept;
        }
        details[i].signal_groups.retain(|g| !g.signals.is_empty());
    }
    let mut hoisted: Vec<SignalGroup> = Vec::new();
    for (status, status_label, reason, name) in common {
        match hoisted.iter_mut().find(|g| g.status == status && g.reason == reason) {
            Some(g) => g.signals.push(name),
            None => hoisted.push(SignalGroup { status, status_label, reason, signals: vec![name] }),
        }
    }
    hoisted
}

/// The signals without facts that did not fire, grouped by status and reason: the clear ones
/// first, each group where its first signal is in the catalogue's order.
fn signal_groups(views: &[SignalView]) -> Vec<SignalGroup> {
    let mut groups: Vec<SignalGroup> = Vec::new();
    for v in views.iter().filter(|v| v.status != "fired" && v.facts.is_empty()) {
        let name = format!("{} ({})", v.title, v.id);
        match groups.iter_mut().find(|g| g.status == v.status && g.reason == v.reason) {
            Some(g) => g.signals.push(name),
            None => groups.push(SignalGroup {
                status: v.status.clone(),
                status_label: v.status_label.clone(),
                reason: v.reason.clone(),
                signals: vec![name],
            }),
        }
    }
    groups.sort_by_key(|g| g.status != "clear");
    groups
}

pub(super) fn signal_view(c: &Catalogue, s: &SignalResult) -> SignalView {
    let (status, key) = match s.status {
        SignalStatus::Fired => ("fired", "status.fired"),
        SignalStatus::Clear => ("clear", "status.clear"),
        SignalStatus::NotEvaluated => ("not-evaluated", "status.not_evaluated"),
    };
    let reason = match (c.lang(), s.status) {
        (Lang::En, _) => safe(c, &s.reason, MAX_SHOWN),
        (_, SignalStatus::NotEvaluated) => c.t("signals.not_evaluated_reason"),
        (_, SignalStatus::Clear) => {
            c.tf("signals.clear_reason", &[("meaning", &c.t(&format!("signal.{}.meaning", s.id)))])
        }
        (_, SignalStatus::Fired) => c.t(&format!("signal.{}.meaning", s.id)),
    };
    SignalView {
        id: s.id.to_string(),
        title: signal_title(c, s.id),
        status: status.to_string(),
        status_label: c.t(key),
        reason,
        facts: s
            .facts
            .0
            .iter()
            .map(|(k, v)| crate::model::view::KeyValue {
                key: c.t(&format!("fact.{}", k.replace(' ', "_"))),
                value: safe(c, v, MAX_SHOWN),
            })
            .collect(),
    }
}

/// The basis of a match in words.
pub(super) fn basis_label(c: &Catalogue, basis: &str) -> String {
    use crate::model::identity::SessionKey;
    let by_created = SessionKey::CreatedAppDevice { created: String::new(), app: String::new(), device: String::new() };
    if basis == SessionKey::Hash(0).basis() {
        c.t("basis.hash")
    } else if basis == by_created.basis() {
        c.t("basis.created_app_device")
    } else {
        safe(c, basis, 120)
    }
}

/// Every field the snapshot kept for one observation, named as in the snapshot, verbatim.
fn observation(ctx: &Ctx, m: &Member) -> Observation {
    let c = ctx.c;
    let (a, _, s, _) = *m;
    let snap = &ctx.input.snapshots[a].snapshot;
    let text = |v: &Option<String>| show(c, v);
    let flag = |v: Option<bool>| v.map(|b| b.to_string()).unwrap_or_else(dash);
    let time = |t: &Option<Time>| match t {
        Some(t) => {
            let cell = ctx.time(t, a);
            let mut v = format!("{} — {}", cell.original, c.isolate(&cell.utc));
            if let Some(l) = cell.local {
                v.push_str(&format!(" · {}", c.isolate(&l)));
            }
            // The original of a unix time already says so.
            if t.basis != crate::model::snapshot::TimeBasis::Unix {
                v.push_str(&format!(" · {}", cell.basis));
            }
            v
        }
        None => dash(),
    };
    let mut fields = vec![
        ("hash", s.hash.map(|h| h.to_string()).unwrap_or_else(dash)),
        ("api_id", s.api_id.map(|h| h.to_string()).unwrap_or_else(dash)),
        ("app_name", text(&s.app_name)),
        ("app_version", text(&s.app_version)),
        ("device_model", text(&s.device_model)),
        ("platform", text(&s.platform)),
        ("system_version", text(&s.system_version)),
        ("ip", text(&s.ip)),
        ("country", text(&s.country)),
        ("region", text(&s.region)),
        ("created", time(&s.created)),
        ("last_active", time(&s.last_active)),
        ("current", flag(s.current)),
        ("official_app", flag(s.official_app)),
        ("password_pending", flag(s.password_pending)),
        ("unconfirmed", flag(s.unconfirmed)),
        ("encrypted_requests_disabled", flag(s.encrypted_requests_disabled)),
        ("call_requests_disabled", flag(s.call_requests_disabled)),
    ];
    for line in s.as_written.iter().flatten() {
        fields.push(("as_written", format!("“{}”", safe(c, line, MAX_SHOWN))));
    }
    fields.push(("locator", safe(c, &s.locator, MAX_SHOWN)));
    Observation {
        heading: c.tf(
            "details.observation",
            &[
                ("n", &(a + 1).to_string()),
                ("method", snap.method.as_str()),
                ("file", &safe(c, &snap.source.file_name, 120)),
            ],
        ),
        fields: fields.into_iter().map(|(name, value)| Field { name: name.to_string(), value }).collect(),
    }
}

/// The fields on which observations of one session disagree (last active is expected to move).
fn disagreements(c: &Catalogue, obs: &[Member]) -> Vec<String> {
    type Get = fn(&Session) -> Option<String>;
    let fields: [(&str, Get); 7] = [
        ("sessions.field_app", |s| join_some(&[&s.app_name, &s.app_version])),
        ("sessions.field_device", |s| s.device_model.clone()),
        ("sessions.field_system", |s| join_some(&[&s.platform, &s.system_version])),
        ("sessions.field_ip", |s| s.ip.clone()),
        ("sessions.field_country", |s| s.country.clone()),
        ("sessions.field_region", |s| s.region.clone()),
        ("sessions.field_created", |s| s.created.as_ref().and_then(|t| t.utc.clone())),
    ];
    let mut out = Vec::new();
    for (key, get) in fields {
        let values: Vec<(usize, String)> = obs.iter().filter_map(|(a, _, s, _)| get(s).map(|v| (a + 1, v))).collect();
        if values.windows(2).any(|w| w[0].1 != w[1].1) {
            let list: Vec<String> = values
                .iter()
                .map(|(acq, v)| c.tf("sessions.differ_value", &[("value", &safe(c, v, 80)), ("n", &acq.to_string())]))
                .collect();
            out.push(c.tf("sessions.differ", &[("field", &c.t(key)), ("values", &list.join(&c.t("text.versus")))]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(status: &str, reason: &str, signals: &[&str]) -> SignalGroup {
        SignalGroup {
            status: status.into(),
            status_label: status.replace('-', " "),
            reason: reason.into(),
            signals: signals.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn detail(brief: bool, groups: Vec<SignalGroup>) -> SessionDetail {
        SessionDetail {
            number: 1,
            anchor: "session-1".into(),
            heading: String::new(),
            verdict: "review".into(),
            verdict_label: "review".into(),
            verdict_reason: String::new(),
            brief,
            observations: Vec::new(),
            enrichment: Vec::new(),
            signal_rows: Vec::new(),
            signal_groups: groups,
        }
    }

    #[test]
    fn outcomes_every_detailed_session_shares_are_said_once() {
        let flag = "this source does not carry the flag";
        let mut details = vec![
            detail(
                false,
                vec![group("clear", "no list", &["Tor (net-tor)"]), group("not-evaluated", flag, &["A", "B"])],
            ),
            detail(true, Vec::new()),
            detail(false, vec![group("not-evaluated", flag, &["B", "A"]), group("not-evaluated", "other", &["C"])]),
        ];
        let common = hoist_common(&mut details);
        assert_eq!(common.len(), 1);
        assert_eq!((common[0].status.as_str(), common[0].reason.as_str()), ("not-evaluated", flag));
        assert_eq!(common[0].signals, ["A", "B"]);
        assert_eq!(common[0].status_label, "not evaluated");
        // What is not shared stays in its detail; emptied groups go.
        assert_eq!(details[0].signal_groups.len(), 1);
        assert_eq!(details[0].signal_groups[0].signals, ["Tor (net-tor)"]);
        assert_eq!(details[2].signal_groups.len(), 1);
        assert_eq!(details[2].signal_groups[0].reason, "other");
    }

    #[test]
    fn a_single_detailed_session_keeps_all_its_outcomes() {
        let mut details = vec![detail(false, vec![group("clear", "no list", &["A"])]), detail(true, Vec::new())];
        assert!(hoist_common(&mut details).is_empty());
        assert_eq!(details[0].signal_groups.len(), 1);
        // The same reason with a different outcome is not the same line.
        let mut details = vec![
            detail(false, vec![group("clear", "r", &["A"])]),
            detail(false, vec![group("not-evaluated", "r", &["A"])]),
        ];
        assert!(hoist_common(&mut details).is_empty());
    }
}
