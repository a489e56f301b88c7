//! One small pure function per signal. Each returns the signal's id, whether it fired, the facts
//! it used and a one-line reason; without the baseline or data it needs it says "not evaluated".

use super::Context;
use crate::model::case_config::Subject;
use crate::model::enrichment::{AddressClass, FlagKind, IpFacts};
use crate::model::finding::{Facts, SignalResult, SignalStatus};
use crate::model::snapshot::{Precision, Session, Time, WebSession};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Builds a result.
fn result(
    id: &'static str,
    status: SignalStatus,
    reason: impl Into<std::borrow::Cow<'static, str>>,
    facts: &[(&'static str, String)],
) -> SignalResult {
    SignalResult { id, status, reason: reason.into(), facts: Facts(facts.to_vec()) }
}

fn fired(
    id: &'static str,
    reason: impl Into<std::borrow::Cow<'static, str>>,
    facts: &[(&'static str, String)],
) -> SignalResult {
    result(id, SignalStatus::Fired, reason, facts)
}

fn clear(
    id: &'static str,
    reason: impl Into<std::borrow::Cow<'static, str>>,
    facts: &[(&'static str, String)],
) -> SignalResult {
    result(id, SignalStatus::Clear, reason, facts)
}

fn not_evaluated(id: &'static str, reason: impl Into<std::borrow::Cow<'static, str>>) -> SignalResult {
    result(id, SignalStatus::NotEvaluated, reason, &[])
}

/// The declared device a session matches (model compared case-insensitively).
pub fn declared_device<'a>(subject: &'a Subject, s: &Session) -> Option<&'a crate::model::case_config::Device> {
    let model = s.device_model.as_deref()?.trim().to_lowercase();
    subject.devices.iter().find(|d| d.model.trim().to_lowercase() == model)
}

pub fn device_unknown(subject: &Subject, s: &Session) -> SignalResult {
    const ID: &str = "device-unknown";
    if subject.devices.is_empty() {
        return not_evaluated(ID, "no devices declared in case.toml ([[subject.devices]])");
    }
    let Some(model) = s.device_model.as_deref() else {
        return not_evaluated(ID, "the source gives no device name for this session");
    };
    let declared = subject.devices.iter().map(|d| d.model.clone()).collect::<Vec<_>>().join("; ");
    match declared_device(subject, s) {
        Some(d) => clear(
            ID,
            format!("device {model:?} is declared as the subject's ({})", d.model),
            &[("device_model", model.into())],
        ),
        None => fired(
            ID,
            format!("device {model:?} is not among the subject's declared devices"),
            &[("device_model", model.into()), ("declared", declared)],
        ),
    }
}

/// The instant of a time, when it is known to better than a day.
pub(super) fn instant(t: &Option<Time>) -> Option<Timestamp> {
    let t = t.as_ref()?;
    if t.precision == Some(Precision::Day) {
        return None;
    }
    t.utc.as_deref()?.parse().ok()
}

pub fn hours_asleep(subject: &Subject, s: &Session) -> SignalResult {
    const ID: &str = "hours-asleep";
    let (Some(window), Some(zone)) = (subject.sleep, subject.time_zone.as_deref()) else {
        return not_evaluated(ID, "sleeping hours and the subject's time zone are not both declared in case.toml");
    };
    let Ok(tz) = TimeZone::get(zone) else { return not_evaluated(ID, format!("time zone {zone:?} is unknown")) };
    if subject.automation == Some(true) {
        return clear(ID, "the subject declared bots or scripts that may be active at night (automation = true)", &[]);
    }
    let mut checked = 0;
    for (label, t) in [("created", &s.created), ("last active", &s.last_active)] {
        let Some(ts) = instant(t) else { continue };
        let local = ts.to_zoned_datetime(tz.clone());
        let clock = local.time();
        let inside = if window.from < window.to {
            clock >= window.from && clock < window.to
        } else {
            clock >= window.from || clock < window.to
        };
        if inside {
            let shown = local.strftime("%Y-%m-%d %H:%M %Z").to_string();
            let hours = format!("{}-{}", window.from.strftime("%H:%M"), window.to.strftime("%H:%M"));
            return fired(
                ID,
                format!("{label} at {shown}, inside the subject's declared sleeping hours {hours}"),
                &[(label, shown), ("sleep", hours)],
            );
        }
        checked += 1;
    }
    if checked == 0 {
        return not_evaluated(ID, "the session has no time known to the minute");
    }
    clear(ID, "its known times are outside the declared sleeping hours", &[])
}

/// The enrichment of a session's IP.
pub fn facts_of<'a>(ctx: &Context<'a>, ip: &'a Option<String>) -> Option<&'a IpFacts> {
    ctx.facts_of(ip)
}

/// `net-hosting`, `net-vpn`, `net-tor`, `net-proxy`.
pub fn network<'a>(
    ctx: &Context<'a>,
    ip: &'a Option<String>,
    id: &'static str,
    kinds: &[FlagKind],
    what: &str,
) -> SignalResult {
    let Some(f) = facts_of(ctx, ip) else {
        return not_evaluated(id, "the source gives no IP address for this session");
    };
    if f.normalized.is_none() {
        return not_evaluated(id, format!("{:?} is not an IP address", f.ip));
    }
    if let Some(class) = f.class.filter(|c| *c != AddressClass::Public) {
        return clear(id, format!("{}: no network to judge", crate::enrich::classify::describe(class)), &[]);
    }
    if f.has(FlagKind::Telegram) {
        return clear(id, "Telegram's own network, not a rogue data center", &[]);
    }
    let hits: Vec<&crate::model::enrichment::Flag> = f.flags.iter().filter(|fl| kinds.contains(&fl.kind)).collect();
    if hits.is_empty() {
        return clear(id, "no data source lists the address as such", &[]);
    }
    let org = f.asn.as_ref().and_then(|a| a.value.organization.clone()).unwrap_or_default();
    let asn = f.asn.as_ref().map(|a| format!("AS{}", a.value.number)).unwrap_or_default();
    let declared = ctx.subject.vpn_providers.iter().find(|p| {
        let p = p.trim().to_lowercase();
        (!asn.is_empty() && p == asn.to_lowercase()) || (!org.is_empty() && org.to_lowercase().contains(&p))
    });
    let sources = hits.iter().map(|h| format!("{} ({})", h.detail, h.source)).collect::<Vec<_>>().join("; ");
    if let Some(p) = declared {
        return clear(id, format!("{} is {what}, but the subject declared using {p:?}", f.ip), &[("sources", sources)]);
    }
    fired(
        id,
        format!("{} ({asn} {org}) is consistent with {what}", f.ip),
        &[("ip", f.ip.clone()), ("asn", format!("{asn} {org}").trim().to_string()), ("sources", sources)],
    )
}

pub fn geo_unfamiliar<'a>(ctx: &Context<'a>, s: &'a Session) -> SignalResult {
    const ID: &str = "geo-unfamiliar";
    let subject = ctx.subject;
    if subject.usual_countries.is_empty() && subject.travel.is_empty() {
        return not_evaluated(ID, "no usual countries or travel declared in case.toml");
    }
    let Some(f) = facts_of(ctx, &s.ip) else { return not_evaluated(ID, "the source gives no IP address to place") };
    if f.has(FlagKind::Telegram) {
        return clear(ID, "Telegram's own network says nothing about where the user is", &[]);
    }
    let Some(country) = f.country.as_ref() else {
        return not_evaluated(ID, format!("no country is known for {}", f.ip));
    };
    let cc = country.value.to_uppercase();
    if subject.usual_countries.contains(&cc) {
        return clear(ID, format!("{} is geolocated in {cc}, a usual country of the subject", f.ip), &[]);
    }
    let when = instant(&s.last_active).or_else(|| instant(&s.created));
    // Trip dates are the subject's own calendar days, read in the subject's zone.
    let on_trip = subject
        .travel
        .iter()
        .find(|t| t.country == cc && when.is_some_and(|w| super::geo::trip_hours(subject, t, w).is_some()));
    if let Some(t) = on_trip {
        return clear(ID, format!("{cc} matches the subject's declared trip {} to {}", t.from, t.to), &[]);
    }
    fired(
        ID,
        format!(
            "{} is geolocated in {cc}, which is neither a usual country of the subject nor a declared trip at that time",
            f.ip
        ),
        &[
            ("ip", f.ip.clone()),
            ("country", format!("{cc} ({})", country.source)),
            ("usual_countries", subject.usual_countries.join(", ")),
        ],
    )
}

pub fn known_device_new_network<'a>(ctx: &Context<'a>, s: &'a Session) -> SignalResult {
    const ID: &str = "known-device-new-network";
    if ctx.subject.devices.is_empty() {
        return not_evaluated(ID, "no devices declared in case.toml");
    }
    if declared_device(ctx.subject, s).is_none() {
        return clear(ID, "not a declared device (see device-unknown)", &[]);
    }
    let Some(asn) = facts_of(ctx, &s.ip).and_then(|f| f.asn.as_ref()).map(|a| a.value.number) else {
        return not_evaluated(ID, "no network (AS) is known for this session's IP");
    };
    let (seen, others) = ctx.owner_network_seen(asn, Some(asn));
    if others == 0 {
        return not_evaluated(ID, "no other sighting of the subject's devices to compare networks with");
    }
    if seen {
        return clear(ID, "a network the subject's devices were also seen from", &[]);
    }
    // The first networks, by number, are enough to show; a case may hold thousands.
    let others: Vec<u32> = ctx.owner_counts_iter().filter(|n| *n != asn).take(11).collect();
    let mut list = others.iter().take(10).map(|n| format!("AS{n}")).collect::<Vec<_>>().join(", ");
    if others.len() > 10 {
        list.push_str(" and more");
    }
    fired(
        ID,
        format!(
            "a declared device seen from AS{asn}, a network none of the subject's other sightings used ({list}): consistent with a copied Desktop session"
        ),
        &[("asn", format!("AS{asn}")), ("owner_networks", list)],
    )
}

pub fn flag_signal(
    id: &'static str,
    value: Option<bool>,
    fired_reason: &'static str,
    clear_reason: &'static str,
) -> SignalResult {
    match value {
        Some(true) => fired(id, fired_reason, &[]),
        Some(false) => clear(id, clear_reason, &[]),
        None => not_evaluated(id, "this source does not carry the flag (only live captures and library dumps do)"),
    }
}

pub fn created_in_incident(subject: &Subject, s: &Session) -> SignalResult {
    const ID: &str = "created-in-incident";
    if subject.incident_window.is_none() && subject.last_known_good.is_none() {
        return not_evaluated(ID, "neither an incident window nor a last-known-good time is declared in case.toml");
    }
    let Some(created) = instant(&s.created) else { return not_evaluated(ID, "the session's creation time is unknown") };
    let shown = crate::clock::rfc3339(created);
    if let Some(w) = subject.incident_window
        && created >= w.from
        && created <= w.to
    {
        return fired(
            ID,
            format!("created {shown}, inside the declared incident window"),
            &[("created", shown), ("incident_window", format!("{} to {}", w.from, w.to))],
        );
    }
    if let Some(good) = subject.last_known_good
        && created > good
    {
        return fired(ID, format!("created {shown}, after the last known-good time {good}"), &[("created", shown)]);
    }
    clear(ID, format!("created {shown}, before the incident"), &[])
}

pub fn web_unknown_domain(subject: &Subject, w: &WebSession) -> SignalResult {
    const ID: &str = "web-unknown-domain";
    if subject.web_domains.is_empty() {
        return not_evaluated(ID, "no sites declared in case.toml (web_domains)");
    }
    let Some(domain) = w.domain.as_deref().map(|d| d.trim().trim_end_matches('.').to_lowercase()) else {
        return not_evaluated(ID, "the source gives no domain");
    };
    let known = subject.web_domains.iter().any(|k| {
        let k = k.trim().to_lowercase();
        domain == k || domain.ends_with(&format!(".{k}"))
    });
    if known {
        clear(ID, format!("{domain} is a site the subject declared"), &[])
    } else {
        fired(
            ID,
            format!("logged in with Telegram on {domain}, a site the subject did not declare"),
            &[("domain", domain), ("declared", subject.web_domains.join(", "))],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::case_config::{Device, SleepWindow, Window};
    use crate::model::snapshot::TimeBasis;
    use jiff::civil;

    fn session(device: &str, app: &str, created: Option<&str>, active: Option<&str>) -> Session {
        let t = |s: &str| Time { utc: Some(s.into()), original: s.into(), basis: TimeBasis::Unix, precision: None };
        Session {
            app_name: Some(app.into()),
            device_model: Some(device.into()),
            created: created.map(t),
            last_active: active.map(t),
            ..Session::unknown("/x")
        }
    }

    fn berlin_sleeper() -> Subject {
        Subject {
            time_zone: Some("Europe/Berlin".into()),
            sleep: Some(SleepWindow { from: civil::time(0, 30, 0, 0), to: civil::time(7, 0, 0, 0) }),
            ..Default::default()
        }
    }

    #[test]
    fn hours_asleep_in_the_subjects_zone_across_dst() {
        let s = berlin_sleeper();
        let at = |utc: &str| hours_asleep(&s, &session("PC", "Telegram Desktop", None, Some(utc))).status;
        // Winter (UTC+1): 00:20 UTC is 01:20 local, asleep; 06:30 UTC is 07:30 local, awake.
        assert_eq!(at("2026-01-10T00:20:00Z"), SignalStatus::Fired);
        assert_eq!(at("2026-01-10T06:30:00Z"), SignalStatus::Clear);
        // Summer (UTC+2): 04:30 UTC is 06:30 local, asleep; 05:30 UTC is 07:30 local, awake.
        assert_eq!(at("2026-07-10T04:30:00Z"), SignalStatus::Fired);
        assert_eq!(at("2026-07-10T05:30:00Z"), SignalStatus::Clear);
        // The night the clocks go forward (29 March 2026, 02:00 -> 03:00): 01:30 UTC is 03:30 CEST.
        assert_eq!(at("2026-03-29T01:30:00Z"), SignalStatus::Fired);
        // The night they go back (25 October 2026): 05:30 UTC is 06:30 CET, still asleep.
        assert_eq!(at("2026-10-25T05:30:00Z"), SignalStatus::Fired);
        // 22:40 UTC the evening before is 23:40 local: awake (the window starts at 00:30).
        assert_eq!(at("2026-01-09T22:40:00Z"), SignalStatus::Clear);
    }

    #[test]
    fn hours_asleep_needs_the_baseline_and_respects_automation() {
        let s = session("PC", "Telegram Desktop", None, Some("2026-01-10T00:20:00Z"));
        assert_eq!(hours_asleep(&Subject::default(), &s).status, SignalStatus::NotEvaluated);
        let automated = Subject { automation: Some(true), ..berlin_sleeper() };
        assert_eq!(hours_asleep(&automated, &s).status, SignalStatus::Clear);
        let day_only = Session {
            last_active: Some(Time {
                utc: Some("2026-01-10T00:00:00Z".into()),
                original: "Sat".into(),
                basis: TimeBasis::LocalAssumed,
                precision: Some(Precision::Day),
            }),
            ..session("PC", "x", None, None)
        };
        assert_eq!(hours_asleep(&berlin_sleeper(), &day_only).status, SignalStatus::NotEvaluated, "a day says no hour");
    }

    #[test]
    fn devices_incident_and_web_domains() {
        let subject = Subject {
            devices: vec![Device { model: "Pixel 8".into(), platform: None, app: None }],
            incident_window: Some(Window {
                from: "2026-11-18T00:00:00Z".parse().unwrap(),
                to: "2026-11-27T00:00:00Z".parse().unwrap(),
            }),
            web_domains: vec!["example.com".into()],
            ..Default::default()
        };
        assert_eq!(device_unknown(&subject, &session("pixel 8", "x", None, None)).status, SignalStatus::Clear);
        assert_eq!(device_unknown(&subject, &session("DESKTOP-1", "x", None, None)).status, SignalStatus::Fired);
        assert_eq!(
            device_unknown(&Subject::default(), &session("x", "x", None, None)).status,
            SignalStatus::NotEvaluated
        );

        let inside = session("x", "x", Some("2026-11-19T02:12:09Z"), None);
        assert_eq!(created_in_incident(&subject, &inside).status, SignalStatus::Fired);
        let before = session("x", "x", Some("2026-02-14T09:12:47Z"), None);
        assert_eq!(created_in_incident(&subject, &before).status, SignalStatus::Clear);
        assert_eq!(created_in_incident(&Subject::default(), &inside).status, SignalStatus::NotEvaluated);

        let web = |d: &str| WebSession {
            hash: None,
            bot_id: None,
            bot_username: None,
            domain: Some(d.into()),
            browser: None,
            platform: None,
            ip: None,
            region: None,
            created: None,
            last_active: None,
            locator: "/w".into(),
            as_written: None,
        };
        assert_eq!(web_unknown_domain(&subject, &web("login.example.com")).status, SignalStatus::Clear);
        assert_eq!(web_unknown_domain(&subject, &web("example.com.evil.org")).status, SignalStatus::Fired);
        assert_eq!(web_unknown_domain(&Subject::default(), &web("x.org")).status, SignalStatus::NotEvaluated);
    }
}
