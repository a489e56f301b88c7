//! Checks across a parsed snapshot, for every format alike: values a source can carry but that
//! cannot be true as written. Each becomes a warning with its locator; the value itself is kept
//! exactly as the source gave it, because the original is the evidence.

use super::fields::child;
use crate::model::snapshot::{Session, Snapshot, Time, Warning};
use jiff::Timestamp;
use std::collections::HashMap;

/// Telegram opened to the public on 14 August 2013; no session can be older.
const TELEGRAM_LAUNCH: &str = "2013-08-14T00:00:00Z";
/// Slack for clocks and zones before a time counts as later than the acquisition.
const FUTURE_SLACK_SECONDS: i64 = 24 * 3600;

/// Adds warnings for times before Telegram existed or after the acquisition, for a session
/// listed twice, and for an IP field that holds no address.
pub fn note_implausible_values(snapshot: &mut Snapshot) {
    let mut found = Vec::new();
    let acquired: Option<Timestamp> = snapshot.acquired_at.parse().ok();
    let launch: Timestamp = TELEGRAM_LAUNCH.parse().expect("a valid constant");
    let latest = acquired.and_then(|a| a.checked_add(jiff::SignedDuration::from_secs(FUTURE_SLACK_SECONDS)).ok());
    let mut check_time = |locator: &str, field: &str, time: &Option<Time>| {
        let Some(utc) = time.as_ref().and_then(|t| t.utc.as_deref()) else { return };
        let Ok(t) = utc.parse::<Timestamp>() else { return };
        let message = if t < launch {
            format!(
                "{utc} is before Telegram existed (August 2013); kept as written: the source's clock or the value is wrong"
            )
        } else if latest.is_some_and(|l| t > l) {
            format!(
                "{utc} is later than the acquisition ({}); kept as written: check the source's clock, or --now",
                snapshot.acquired_at
            )
        } else {
            return;
        };
        found.push(Warning { locator: child(locator, field), message });
    };
    for s in &snapshot.sessions {
        check_time(&s.locator, "created", &s.created);
        check_time(&s.locator, "last_active", &s.last_active);
    }
    for w in &snapshot.web_sessions {
        check_time(&w.locator, "created", &w.created);
        check_time(&w.locator, "last_active", &w.last_active);
    }
    for e in &snapshot.security_log {
        check_time(&e.locator, "at", &e.at);
    }

    let mut check_ip = |locator: &str, ip: &Option<String>| {
        if let Some(ip) = ip.as_deref().filter(|ip| !is_address(ip)) {
            found.push(Warning {
                locator: child(locator, "ip"),
                message: format!(
                    "{:?} is not an IP address; kept as written, and not looked up",
                    crate::model::text::clipped(ip, 60)
                ),
            });
        }
    };
    for s in &snapshot.sessions {
        check_ip(&s.locator, &s.ip);
    }
    for w in &snapshot.web_sessions {
        check_ip(&w.locator, &w.ip);
    }
    for e in &snapshot.security_log {
        check_ip(&e.locator, &e.ip);
    }

    found.extend(duplicate_sessions(&snapshot.sessions));
    snapshot.warnings.extend(found);
}

/// An address as sources write it: IPv4 or IPv6, perhaps in brackets or with an IPv6 zone id.
fn is_address(text: &str) -> bool {
    let t = text.trim().trim_start_matches('[').trim_end_matches(']');
    let t = t.split_once('%').map_or(t, |(addr, _)| addr);
    t.parse::<std::net::IpAddr>().is_ok()
}

/// A session listed twice: every field the same, or the same session hash with other fields.
fn duplicate_sessions(sessions: &[Session]) -> Vec<Warning> {
    let mut by_fields: HashMap<String, &str> = HashMap::new();
    let mut by_hash: HashMap<i64, &str> = HashMap::new();
    let mut out = Vec::new();
    for s in sessions {
        let fields = format!("{:?}", Session { locator: String::new(), ..s.clone() });
        if let Some(first) = by_fields.get(fields.as_str()) {
            out.push(Warning {
                locator: s.locator.clone(),
                message: format!(
                    "the same session as {first}, field for field: the list holds it twice; both are kept as listed"
                ),
            });
            continue;
        }
        by_fields.insert(fields, &s.locator);
        // Telegram gives the current session hash 0; only other hashes name one session.
        match s.hash.filter(|h| *h != 0).map(|h| (h, by_hash.get(&h))) {
            Some((_, Some(first))) => out.push(Warning {
                locator: s.locator.clone(),
                message: format!(
                    "the same session hash as {first}, with other fields: one session listed twice, or a damaged list; \
                     both are kept as listed"
                ),
            }),
            Some((h, None)) => {
                by_hash.insert(h, &s.locator);
            }
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(sessions: Vec<Session>) -> Snapshot {
        let json = r#"{"schema":"sessionproof/snapshot/v1","acquired_at":"2026-11-26T12:00:00Z","method":"csv",
            "source":{"sha256":"00","file_name":"x","bytes":0,"tool":null,"source_tz":null,"companions":[]},
            "account":{"user_id":null,"phone":null,"username":null,"ttl_days":null,"two_fa":null},
            "sessions":[],"web_sessions":[],"security_log":[],"warnings":[]}"#;
        let mut s: Snapshot = serde_json::from_str(json).unwrap();
        s.sessions = sessions;
        s
    }

    fn at(utc: &str) -> Option<Time> {
        Some(Time {
            utc: Some(utc.into()),
            original: utc.into(),
            basis: crate::model::snapshot::TimeBasis::Unix,
            precision: None,
        })
    }

    #[test]
    fn times_outside_telegrams_life_are_noted() {
        let mut old = Session::unknown("row 2");
        old.created = at("1969-12-31T23:43:20Z");
        old.last_active = at("2040-01-01T00:00:00Z");
        let mut fine = Session::unknown("row 3");
        fine.created = at("2013-08-14T00:00:00Z");
        fine.last_active = at("2026-11-27T11:00:00Z");
        let mut s = snapshot(vec![old, fine]);
        note_implausible_values(&mut s);
        let w: Vec<(&str, &str)> = s.warnings.iter().map(|w| (w.locator.as_str(), w.message.as_str())).collect();
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].0 == "row 2/created" && w[0].1.contains("before Telegram existed"), "{w:?}");
        assert!(w[1].0 == "row 2/last_active" && w[1].1.contains("later than the acquisition"), "{w:?}");
    }

    #[test]
    fn addresses_and_duplicates() {
        let mut a = Session::unknown("/list/0");
        a.ip = Some("300.1.2.3".into());
        a.hash = Some(42);
        let b = Session { locator: "/list/1".into(), ..a.clone() };
        let c = Session { locator: "/list/2".into(), device_model: Some("other".into()), ..a.clone() };
        let mut zero = Session::unknown("/list/3");
        zero.hash = Some(0);
        zero.ip = Some("fe80::1%eth0".into());
        let other_zero = Session { locator: "/list/4".into(), ip: Some("[::ffff:1.2.3.4]".into()), ..zero.clone() };
        let mut s = snapshot(vec![a, b, c, zero, other_zero]);
        note_implausible_values(&mut s);
        let w: Vec<String> = s.warnings.iter().map(|w| format!("{}: {}", w.locator, w.message)).collect();
        assert_eq!(w.len(), 5, "{w:#?}");
        assert!(w[..3].iter().all(|m| m.contains("/ip: \"300.1.2.3\" is not an IP address")), "{w:#?}");
        assert!(w[3].starts_with("/list/1: the same session as /list/0, field for field"), "{w:#?}");
        assert!(w[4].starts_with("/list/2: the same session hash as /list/0"), "{w:#?}");
    }
}
