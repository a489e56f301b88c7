//! Analysis: signals that explain why a session may not be the account owner's, and verdicts.
//!
//! Every signal is a small pure function of (session, snapshots, declared baseline, enrichment)
//! in `signals`; the verdict rule lives in one place, `verdict`. A signal that lacks the baseline
//! it needs says "not evaluated", never "clean".

pub mod account;
pub mod apps;
pub mod diff;
pub mod geo;
pub mod signals;
pub mod verdict;

use crate::model::case_config::Subject;
use crate::model::enrichment::Enrichment;
use crate::model::finding::{Analysis, SessionFinding, SignalResult};
use crate::model::snapshot::Snapshot;
use std::collections::{BTreeMap, BTreeSet};

/// What every signal may look at.
pub struct Context<'a> {
    pub subject: &'a Subject,
    pub enrichment: &'a Enrichment,
    /// In import order (acquisition 1 first).
    pub snapshots: &'a [&'a Snapshot],
    /// (acquisition index, session index) of sessions that came back after vanishing.
    pub reappeared: BTreeSet<(usize, usize)>,
    /// Sightings of the subject's declared devices per network (see `owner_networks`).
    owner_counts: BTreeMap<u32, usize>,
    /// The sum of `owner_counts`, computed once.
    owner_total: usize,
    /// The last address looked up and its facts: every signal of a session asks for the same one.
    last_facts: std::cell::Cell<(*const Option<String>, Option<&'a crate::model::enrichment::IpFacts>)>,
    /// The subject's own sightings by place, for `geo-impossible`.
    owner_sightings: geo::OwnerSightings,
}

impl<'a> Context<'a> {
    /// The facts about the address `ip` (a field of a session in `snapshots`), if enriched.
    pub fn facts_of(&self, ip: &'a Option<String>) -> Option<&'a crate::model::enrichment::IpFacts> {
        let (last, facts) = self.last_facts.get();
        if std::ptr::eq(last, ip) {
            return facts;
        }
        let facts = crate::enrich::is_lookup_candidate(ip).and_then(|i| self.enrichment.ips.get(i));
        self.last_facts.set((ip, facts));
        facts
    }
}

impl Context<'_> {
    /// How often each network (AS number) was seen for the subject's declared devices.
    /// (Not the account's IP history: it lists every address that used the account, the
    /// intruder's included.) Computed once per analysis.
    fn count_owner_networks(&self) -> BTreeMap<u32, usize> {
        let mut out = BTreeMap::new();
        for snap in self.snapshots {
            for s in &snap.sessions {
                if signals::declared_device(self.subject, s).is_some()
                    && let Some(n) = signals::facts_of(self, &s.ip).and_then(|f| f.asn.as_ref()).map(|a| a.value.number)
                {
                    *out.entry(n).or_insert(0) += 1;
                }
            }
        }
        out
    }

    /// Whether a declared device was seen from `asn` other than in the session being judged
    /// (which is one sighting of `own`), and how many other sightings there are in all.
    pub fn owner_network_seen(&self, asn: u32, own: Option<u32>) -> (bool, usize) {
        let total: usize = self.owner_total - usize::from(own.is_some());
        let here = self.owner_counts.get(&asn).copied().unwrap_or(0) - usize::from(own == Some(asn));
        (here > 0, total)
    }

    /// The networks the subject's declared devices were seen from, in order.
    pub fn owner_counts_iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.owner_counts.keys().copied()
    }

    /// The networks the subject's declared devices were seen from, leaving out one sighting of
    /// `own` (the session being judged).
    pub fn owner_networks(&self, own: Option<u32>) -> BTreeSet<u32> {
        self.owner_counts.iter().filter(|(n, c)| **c > usize::from(Some(**n) == own)).map(|(n, _)| *n).collect()
    }
}

/// Runs every signal on every session and web session, and the account-level signals.
pub fn analyze(subject: &Subject, snapshots: &[&Snapshot], enrichment: &Enrichment) -> Analysis {
    let reappeared = diff::reappeared(snapshots).into_iter().map(|r| (r.acquisition, r.session_index)).collect();
    let mut ctx = Context {
        subject,
        enrichment,
        snapshots,
        reappeared,
        owner_counts: BTreeMap::new(),
        owner_total: 0,
        last_facts: std::cell::Cell::new((std::ptr::null(), None)),
        owner_sightings: Default::default(),
    };
    ctx.owner_counts = ctx.count_owner_networks();
    ctx.owner_total = ctx.owner_counts.values().sum();
    ctx.owner_sightings = geo::OwnerSightings::new(&ctx);
    let mut sessions = Vec::new();
    let mut web_sessions = Vec::new();
    for (a, snap) in snapshots.iter().enumerate() {
        let acquired = apps::acquisition_time(snap);
        for (i, s) in snap.sessions.iter().enumerate() {
            let signals = session_signals(&ctx, a, i, s, acquired.as_ref());
            let is_telegram =
                signals::facts_of(&ctx, &s.ip).is_some_and(|f| f.has(crate::model::enrichment::FlagKind::Telegram));
            let (verdict, verdict_reason) = verdict::decide(&signals, s.current == Some(true), is_telegram);
            sessions.push(SessionFinding {
                acquisition: a + 1,
                locator: s.locator.clone(),
                verdict,
                verdict_reason,
                signals,
            });
        }
        for w in &snap.web_sessions {
            let signals = vec![
                signals::web_unknown_domain(subject, w),
                signals::network(
                    &ctx,
                    &w.ip,
                    "net-hosting",
                    &[crate::model::enrichment::FlagKind::Hosting],
                    "a hosting or cloud network",
                ),
                signals::network(
                    &ctx,
                    &w.ip,
                    "net-tor",
                    &[crate::model::enrichment::FlagKind::Tor],
                    "a Tor exit network",
                ),
            ];
            let (verdict, verdict_reason) = verdict::decide(&signals, false, false);
            web_sessions.push(SessionFinding {
                acquisition: a + 1,
                locator: w.locator.clone(),
                verdict,
                verdict_reason,
                signals,
            });
        }
    }
    Analysis { sessions, web_sessions, account: account::signals(&ctx) }
}

/// Every session-level signal, in the order of DESIGN §7.
fn session_signals<'a>(
    ctx: &Context<'a>,
    a: usize,
    i: usize,
    s: &'a crate::model::snapshot::Session,
    acquired: Option<&apps::Acquisition>,
) -> Vec<SignalResult> {
    use crate::model::enrichment::FlagKind;
    use signals::*;
    vec![
        device_unknown(ctx.subject, s),
        apps::app_unofficial(s),
        geo_unfamiliar(ctx, s),
        hours_asleep(ctx.subject, s),
        network(ctx, &s.ip, "net-hosting", &[FlagKind::Hosting, FlagKind::Cdn], "a hosting, cloud or CDN network"),
        network(ctx, &s.ip, "net-vpn", &[FlagKind::Vpn], "a VPN provider or data center"),
        network(ctx, &s.ip, "net-tor", &[FlagKind::Tor], "a Tor exit network"),
        network(ctx, &s.ip, "net-proxy", &[FlagKind::Proxy, FlagKind::Relay], "a proxy"),
        apps::app_outdated(s, acquired),
        geo::geo_impossible(ctx, s),
        known_device_new_network(ctx, s),
        flag_signal(
            "login-password-pending",
            s.password_pending,
            "the login code was entered and only the 2FA password is missing: the code has leaked",
            "not waiting for a 2FA password",
        ),
        flag_signal(
            "login-unconfirmed",
            s.unconfirmed,
            "a new login not yet confirmed from another session",
            "the login is confirmed",
        ),
        created_in_incident(ctx.subject, s),
        reappeared(ctx, a, i),
    ]
}

/// `reappeared`: present, absent from a later comparable acquisition, and back again.
fn reappeared(ctx: &Context, a: usize, i: usize) -> SignalResult {
    use crate::model::finding::SignalStatus;
    if ctx.snapshots.len() < 3 {
        return SignalResult {
            id: "reappeared",
            status: SignalStatus::NotEvaluated,
            reason: "needs at least three acquisitions (seen, gone, back)".into(),
            facts: Default::default(),
        };
    }
    if ctx.reappeared.contains(&(a, i)) {
        SignalResult {
            id: "reappeared",
            status: SignalStatus::Fired,
            reason: "the session was missing from an acquisition that could have shown it and is back in a later one: \
                     consistent with a termination that did not take effect, or a login being repeated"
                .into(),
            facts: Default::default(),
        }
    } else {
        SignalResult {
            id: "reappeared",
            status: SignalStatus::Clear,
            reason: "not seen to vanish and come back".into(),
            facts: Default::default(),
        }
    }
}

/// The signals the declared baseline leaves unjudgeable, and the `case.toml` keys that would let
/// them be judged (each once, in order): empty when the baseline covers every signal.
pub fn baseline_gaps(subject: &Subject) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut signals = Vec::new();
    let mut keys = Vec::new();
    for (id, needs) in baseline_coverage(subject) {
        if let Some(needs) = needs {
            signals.push(id);
            let key = needs.split(" (").next().unwrap_or(needs);
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    (signals, keys)
}

/// Which signals the declared baseline lets sessionproof evaluate: (signal id, what is missing).
/// Data a source may lack (an IP, a flag) is judged per session; this is only the baseline.
pub fn baseline_coverage(subject: &Subject) -> Vec<(&'static str, Option<&'static str>)> {
    let need = |ok: bool, missing: &'static str| if ok { None } else { Some(missing) };
    vec![
        ("device-unknown", need(!subject.devices.is_empty(), "[[subject.devices]]")),
        ("app-unofficial", None),
        ("app-outdated", None),
        (
            "geo-unfamiliar",
            need(
                !subject.usual_countries.is_empty() || !subject.travel.is_empty(),
                "usual_countries or [[subject.travel]]",
            ),
        ),
        (
            "geo-impossible",
            need(!subject.devices.is_empty(), "[[subject.devices]] (and a City database for coordinates)"),
        ),
        ("hours-asleep", need(subject.sleep.is_some() && subject.time_zone.is_some(), "sleep and time_zone")),
        ("net-hosting / net-vpn / net-tor / net-proxy", None),
        ("known-device-new-network", need(!subject.devices.is_empty(), "[[subject.devices]]")),
        ("login-password-pending / login-unconfirmed", None),
        (
            "created-in-incident",
            need(
                subject.incident_window.is_some() || subject.last_known_good.is_some(),
                "incident_window or last_known_good",
            ),
        ),
        ("reappeared", None),
        ("web-unknown-domain", need(!subject.web_domains.is_empty(), "web_domains")),
        ("account-password-changed-by-unknown", need(!subject.devices.is_empty(), "[[subject.devices]]")),
        ("account-2fa-off / account-2fa-reset-pending / account-email-change", None),
    ]
}
