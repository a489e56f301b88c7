//! Analysis: signals that explain why a session may not be the account owner's, and verdicts.
//!
//! Every signal is a small pure function of (session, snapshots, declared baseline, enrichment)
//! in `signals`; the verdict rule lives in one place, `verdict`. A signal that lacks the baseline
//! it needs says "not evaluated", never "clean".

pub mod account;
pub mod apps;
pub mod devices;
pub mod diff;
pub mod geo;
pub mod network;
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
    /// Sessions that would have come back in the likeliest capture order, which is not certain:
    /// (acquisition index, session index) → why.
    pub reappeared_if_ordered: BTreeMap<(usize, usize), String>,
    /// Per declared device (by index in `[[subject.devices]]`), its sightings per network.
    device_counts: Vec<BTreeMap<u32, usize>>,
    /// Per declared device, its sightings with a known network (the sum of its `device_counts`).
    device_totals: Vec<usize>,
    /// The networks any declared device was seen from (see `owner_networks`).
    owner_counts: BTreeMap<u32, usize>,
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

impl<'a> Context<'a> {
    /// Everything the signals share, computed once per analysis.
    pub fn new(subject: &'a Subject, snapshots: &'a [&'a Snapshot], enrichment: &'a Enrichment) -> Context<'a> {
        let reappeared = diff::reappeared(snapshots).into_iter().map(|r| (r.acquisition, r.session_index)).collect();
        let mut ctx = Context {
            subject,
            enrichment,
            snapshots,
            reappeared,
            reappeared_if_ordered: returns_in_doubt(snapshots),
            device_counts: Vec::new(),
            device_totals: Vec::new(),
            owner_counts: BTreeMap::new(),
            last_facts: std::cell::Cell::new((std::ptr::null(), None)),
            owner_sightings: Default::default(),
        };
        ctx.device_counts = ctx.count_device_networks();
        ctx.device_totals = ctx.device_counts.iter().map(|c| c.values().sum()).collect();
        for counts in &ctx.device_counts {
            for (n, c) in counts {
                *ctx.owner_counts.entry(*n).or_insert(0) += c;
            }
        }
        ctx.owner_sightings = geo::OwnerSightings::new(&ctx);
        ctx
    }
}

impl Context<'_> {
    /// How often each declared device was seen from each network (AS number). (Not the
    /// account's IP history: it lists every address that used the account, the intruder's
    /// included.) Computed once per analysis.
    fn count_device_networks(&self) -> Vec<BTreeMap<u32, usize>> {
        let mut out = vec![BTreeMap::new(); self.subject.devices.len()];
        for snap in self.snapshots {
            for s in &snap.sessions {
                if let Some((d, _)) = devices::declared_device(self.subject, s)
                    && let Some(n) = signals::facts_of(self, &s.ip).and_then(|f| f.asn.as_ref()).map(|a| a.value.number)
                {
                    *out[d].entry(n).or_insert(0) += 1;
                }
            }
        }
        out
    }

    /// For one sighting of declared device `device` from network `asn`: whether another
    /// sighting of the same device used `asn`, and how many other sightings with a known
    /// network it has.
    pub fn device_network_seen(&self, device: usize, asn: u32) -> (bool, usize) {
        let Some(counts) = self.device_counts.get(device) else { return (false, 0) };
        let total = self.device_totals.get(device).copied().unwrap_or(0);
        (counts.get(&asn).is_some_and(|c| *c > 1), total.saturating_sub(1))
    }

    /// The networks declared device `device` was seen from, but `asn`, in order.
    pub fn device_networks_but(&self, device: usize, asn: u32) -> impl Iterator<Item = u32> + '_ {
        self.device_counts.get(device).into_iter().flat_map(|c| c.keys().copied()).filter(move |n| *n != asn)
    }

    /// The networks the subject's declared devices were seen from, leaving out one sighting of
    /// `own` (the session being judged).
    pub fn owner_networks(&self, own: Option<u32>) -> BTreeSet<u32> {
        self.owner_counts.iter().filter(|(n, c)| **c > usize::from(Some(**n) == own)).map(|(n, _)| *n).collect()
    }
}

/// Returns that [`diff::reappeared_if_ordered`] finds only in the guessed capture order, each
/// with why it is not certain.
fn returns_in_doubt(snapshots: &[&Snapshot]) -> BTreeMap<(usize, usize), String> {
    diff::reappeared_if_ordered(snapshots)
        .into_iter()
        .map(|r| {
            // A step whose order is not known: a sighting and the absence, or the absence and the return.
            let steps = r.seen_in.iter().flat_map(|&a| r.absent_in.iter().map(move |&b| (a, b)));
            let why = steps
                .chain(r.absent_in.iter().map(|&b| (b, r.acquisition)))
                .find_map(|(x, y)| crate::model::capture::order_unknown(snapshots, x, y))
                .map(|o| o.explain())
                .unwrap_or_else(|| "which acquisition was captured first is not known".into());
            let seen = |v: &[usize]| v.iter().map(|a| (a + 1).to_string()).collect::<Vec<_>>().join(", ");
            let text = format!(
                "seen in acquisition {}, absent from {}, listed again in {} — but {why}",
                seen(&r.seen_in),
                seen(&r.absent_in),
                r.acquisition + 1
            );
            ((r.acquisition, r.session_index), text)
        })
        .collect()
}

/// Runs every signal on every session and web session, and the account-level signals.
pub fn analyze(subject: &Subject, snapshots: &[&Snapshot], enrichment: &Enrichment) -> Analysis {
    let ctx = Context::new(subject, snapshots, enrichment);
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
            // A "Log in with Telegram" site is judged on its domain and on the same network
            // signals as a session.
            let mut signals = vec![signals::web_unknown_domain(subject, w)];
            signals.extend(network::network_signals(&ctx, &w.ip));
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
    use signals::*;
    let [hosting, vpn, tor, proxy] = network::network_signals(ctx, &s.ip);
    vec![
        devices::device_unknown(ctx.subject, s),
        apps::app_unofficial(s),
        geo_unfamiliar(ctx, s),
        hours_asleep(ctx.subject, s),
        hosting,
        vpn,
        tor,
        proxy,
        apps::app_outdated(s, acquired),
        geo::geo_impossible(ctx, s),
        devices::known_device_new_network(ctx, s),
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
    if let Some(why) = ctx.reappeared_if_ordered.get(&(a, i)) {
        return SignalResult {
            id: "reappeared",
            status: SignalStatus::NotEvaluated,
            reason: why.clone().into(),
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

// Test data shared by the signals' unit tests (after the code: the catalogue check reads only
// what comes before the first test item).
#[cfg(test)]
mod testkit;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::enrichment::FlagKind::*;
    use crate::model::finding::SignalStatus::{self, *};
    use crate::model::finding::Verdict;
    use crate::model::snapshot::WebSession;
    use testkit::*;

    fn web(ip: Option<&str>) -> WebSession {
        WebSession {
            hash: None,
            bot_id: None,
            bot_username: None,
            domain: Some("auth.example.org".into()),
            browser: Some("Chrome 119".into()),
            platform: Some("Windows".into()),
            ip: ip.map(str::to_string),
            region: None,
            created: None,
            last_active: None,
            locator: "/web".into(),
            as_written: None,
        }
    }

    /// Web logins are judged on the same four network signals as sessions.
    #[test]
    fn web_logins_get_every_network_signal() {
        let e = enrichment(vec![
            public("45.1.1.1", 9009, "M247 Europe SRL", None, &[(Vpn, "user-1", false)]),
            public("45.1.1.2", 64512, "Proxy Co", None, &[(Proxy, "user-1", false)]),
            public(
                "3.5.140.2",
                16509,
                "Amazon.com, Inc.",
                None,
                &[(Hosting, "curated-asn", false), (Vpn, "embedded-misp", true)],
            ),
            public("93.220.41.17", 3320, "Deutsche Telekom AG", Some("DE"), &[]),
        ]);
        let mut snap = snapshot(vec![]);
        snap.web_sessions = vec![
            web(Some("45.1.1.1")),
            web(Some("45.1.1.2")),
            web(Some("3.5.140.2")),
            web(Some("93.220.41.17")),
            web(None),
        ];
        let subject = Subject { web_domains: vec!["example.org".into()], ..Default::default() };
        let a = analyze(&subject, &[&snap], &e);
        let table: Vec<(Vec<&str>, Vec<SignalStatus>, Verdict)> = a
            .web_sessions
            .iter()
            .map(|f| {
                (f.signals.iter().map(|s| s.id).collect(), f.signals.iter().map(|s| s.status).collect(), f.verdict)
            })
            .collect();
        let ids = vec!["web-unknown-domain", "net-hosting", "net-vpn", "net-tor", "net-proxy"];
        use crate::model::finding::Verdict::{Ok as Fine, Review};
        let want = [
            (vec![Clear, Clear, Fired, Clear, Clear], Review),
            (vec![Clear, Clear, Clear, Clear, Fired], Review),
            // A cloud address on the mixed VPN-or-data-centre list is one signal, not two.
            (vec![Clear, Fired, Clear, Clear, Clear], Review),
            (vec![Clear, Clear, Clear, Clear, Clear], Fine),
            (vec![Clear, NotEvaluated, NotEvaluated, NotEvaluated, NotEvaluated], Fine),
        ];
        for ((got_ids, got, verdict), (statuses, v)) in table.into_iter().zip(want) {
            assert_eq!(got_ids, ids);
            assert_eq!((got, verdict), (statuses, v));
        }
    }
}
