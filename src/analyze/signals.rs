//! One small pure function per signal. Each returns the signal's id, whether it fired, the facts
//! it used and a one-line reason; without the baseline or data it needs it says "not evaluated".

use super::Context;
use crate::model::case_config::Subject;
use crate::model::enrichment::{FlagKind, IpFacts};
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

pub(super) fn fired(
    id: &'static str,
    reason: impl Into<std::borrow::Cow<'static, str>>,
    facts: &[(&'static str, String)],
) -> SignalResult {
    result(id, SignalStatus::Fired, reason, facts)
}

pub(super) fn clear(
    id: &'static str,
    reason: impl Into<std::borrow::Cow<'static, str>>,
    facts: &[(&'static str, String)],
) -> SignalResult {
    result(id, SignalStatus::Clear, reason, facts)
}

pub(super) fn not_evaluated(id: &'static str, reason: impl Into<std::borrow::Cow<'static, str>>) -> SignalResult {
    result(id, SignalStatus::NotEvaluated, reason, &[])
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

/// Where a session is placed for `geo-unfamiliar`: an offline geolocation of its IP, else the
/// country Telegram itself reports.
enum Placed<'a> {
    Geolocated {
        f: &'a IpFacts,
        code: String,
        source: &'a str,
    },
    /// Telegram's country name and its code; `why` says why no geolocation was used.
    Telegram {
        name: &'a str,
        code: &'static str,
        why: String,
    },
}

/// Why a session's IP gives no geolocated country.
fn no_geolocation(f: Option<&IpFacts>) -> String {
    match f {
        None => "the source shows no IP to geolocate".into(),
        Some(f) => format!("no offline data set places {}", f.ip),
    }
}

/// `geo-unfamiliar`: the country is neither usual nor a declared trip at that time. The IP's
/// geolocation is the basis; without one (screenshots never show an IP), Telegram's own country
/// estimate is used and labelled as the weaker basis it is. When both exist and disagree, the
/// disagreement is a fact.
pub fn geo_unfamiliar<'a>(ctx: &Context<'a>, s: &'a Session) -> SignalResult {
    const ID: &str = "geo-unfamiliar";
    let subject = ctx.subject;
    if subject.usual_countries.is_empty() && subject.travel.is_empty() {
        return not_evaluated(ID, "no usual countries or travel declared in case.toml");
    }
    let f = facts_of(ctx, &s.ip);
    if f.is_some_and(|f| f.has(FlagKind::Telegram)) {
        return clear(ID, "Telegram's own network says nothing about where the user is", &[]);
    }
    let telegram_name = s.country.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let telegram_code = telegram_name.and_then(crate::model::countries::code_for_name);
    let placed = match (f.and_then(|f| Some((f, f.country.as_ref()?))), telegram_name, telegram_code) {
        (Some((f, c)), _, _) => Placed::Geolocated { f, code: c.value.to_uppercase(), source: &c.source },
        (None, Some(name), Some(code)) => Placed::Telegram { name, code, why: no_geolocation(f) },
        (None, Some(name), None) => {
            return not_evaluated(
                ID,
                format!(
                    "{}, and Telegram's country {name:?} is not a country name sessionproof knows (it may be a region)",
                    no_geolocation(f)
                ),
            );
        }
        (None, None, _) => {
            return not_evaluated(ID, format!("{}, and the source gives no country", no_geolocation(f)));
        }
    };
    // Facts of any outcome: where geolocation and Telegram disagree.
    let mut facts: Vec<(&'static str, String)> = Vec::new();
    let (cc, placed_words) = match &placed {
        Placed::Geolocated { f, code, source } => {
            if let (Some(name), Some(tc)) = (telegram_name, telegram_code)
                && tc != code
            {
                facts.push(("telegram_country", format!("{tc} (Telegram: {name:?})")));
                facts.push((
                    "countries_disagree",
                    format!("{source} places {} in {code}; Telegram's own estimate is {tc}", f.ip),
                ));
            }
            (code.clone(), format!("{} is geolocated in {code}", f.ip))
        }
        Placed::Telegram { name, code, why } => {
            (code.to_string(), format!("Telegram places the session in {code} ({name:?}; its own estimate, as {why})"))
        }
    };
    if subject.usual_countries.contains(&cc) {
        return clear(ID, format!("{placed_words}, a usual country of the subject"), &facts);
    }
    let when = instant(&s.last_active).or_else(|| instant(&s.created));
    // Trip dates are the subject's own calendar days, read in the subject's zone.
    let on_trip = subject
        .travel
        .iter()
        .find(|t| t.country == cc && when.is_some_and(|w| super::geo::trip_hours(subject, t, w).is_some()));
    if let Some(t) = on_trip {
        return clear(
            ID,
            format!("{placed_words}, which matches the subject's declared trip {} to {}", t.from, t.to),
            &facts,
        );
    }
    // A fired result names its basis; on Telegram's estimate, says it is the weaker one.
    let basis: Vec<(&'static str, String)> = match &placed {
        Placed::Geolocated { f, source, .. } => vec![("ip", f.ip.clone()), ("country", format!("{cc} ({source})"))],
        Placed::Telegram { name, why, .. } => vec![
            ("country", format!("{cc} (Telegram's country estimate: {name:?})")),
            (
                "country_basis",
                format!(
                    "Telegram's own country estimate, which it derives from the IP and says may be inaccurate; \
                     {why}, so this is a weaker basis than a geolocation with a named data set"
                ),
            ),
        ],
    };
    let facts: Vec<(&'static str, String)> =
        basis.into_iter().chain(facts).chain([("usual_countries", subject.usual_countries.join(", "))]).collect();
    fired(
        ID,
        format!("{placed_words}, which is neither a usual country of the subject nor a declared trip at that time"),
        &facts,
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
    use crate::model::case_config::{SleepWindow, Window};
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
    fn incident_and_web_domains() {
        let subject = Subject {
            incident_window: Some(Window {
                from: "2026-11-18T00:00:00Z".parse().unwrap(),
                to: "2026-11-27T00:00:00Z".parse().unwrap(),
            }),
            web_domains: vec!["example.com".into()],
            ..Default::default()
        };
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

    #[test]
    fn geo_unfamiliar_on_geolocation_else_on_telegrams_estimate() {
        use crate::analyze::testkit::{enrichment, public, session as seen, snapshot};
        use crate::model::case_config::Travel;
        use crate::model::enrichment::{AddressClass, IpFacts};
        let subject = Subject {
            time_zone: Some("Europe/Berlin".into()),
            usual_countries: vec!["DE".into()],
            travel: vec![Travel {
                country: "TR".into(),
                city: None,
                from: civil::date(2026, 10, 1),
                to: civil::date(2026, 10, 5),
            }],
            ..Default::default()
        };
        let at = |mut s: Session, utc: &str| {
            s.last_active =
                Some(Time { utc: Some(utc.into()), original: utc.into(), basis: TimeBasis::Unix, precision: None });
            s
        };
        let sessions = vec![
            seen("a", None, None, Some("93.220.41.17"), Some("Germany")),
            seen("b", None, None, Some("3.5.140.2"), Some("Netherlands")),
            seen("c", None, None, Some("93.220.41.18"), Some("Netherlands")),
            seen("d", None, None, None, Some("Netherlands")),
            seen("e", None, None, None, Some("Germany")),
            seen("f", None, None, None, Some("North Holland")),
            seen("g", None, None, None, None),
            at(seen("h", None, None, Some("192.0.2.10"), Some("Türkiye")), "2026-10-03T12:00:00Z"),
            at(seen("i", None, None, None, Some("Turkey")), "2026-11-03T12:00:00Z"),
            seen("j", None, None, Some("149.154.167.50"), Some("Netherlands")),
        ];
        let e = enrichment(vec![
            public("93.220.41.17", 3320, "Deutsche Telekom AG", Some("DE"), &[]),
            public("93.220.41.18", 3320, "Deutsche Telekom AG", Some("DE"), &[]),
            public("3.5.140.2", 16509, "Amazon.com, Inc.", Some("KR"), &[]),
            IpFacts { class: Some(AddressClass::Documentation), asn: None, ..public("192.0.2.10", 0, "", None, &[]) },
            public("149.154.167.50", 62041, "Telegram Messenger Inc", Some("NL"), &[(FlagKind::Telegram, "t", false)]),
        ]);
        let snaps = [snapshot(sessions)];
        let refs: Vec<&crate::model::snapshot::Snapshot> = snaps.iter().collect();
        let ctx = Context::new(&subject, &refs, &e);
        let judged: Vec<SignalResult> = snaps[0].sessions.iter().map(|s| geo_unfamiliar(&ctx, s)).collect();
        let want: [(SignalStatus, &str); 10] = [
            (SignalStatus::Clear, "93.220.41.17 is geolocated in DE, a usual country"),
            (SignalStatus::Fired, "3.5.140.2 is geolocated in KR, which is neither"),
            (SignalStatus::Clear, "93.220.41.18 is geolocated in DE"),
            (
                SignalStatus::Fired,
                "Telegram places the session in NL (\"Netherlands\"; its own estimate, as the source shows no IP",
            ),
            (SignalStatus::Clear, "Telegram places the session in DE"),
            (
                SignalStatus::NotEvaluated,
                "Telegram's country \"North Holland\" is not a country name sessionproof knows",
            ),
            (SignalStatus::NotEvaluated, "the source shows no IP to geolocate, and the source gives no country"),
            (
                SignalStatus::Clear,
                "Telegram places the session in TR (\"Türkiye\"; its own estimate, as no offline data set places 192.0.2.10), which matches the subject's declared trip",
            ),
            (SignalStatus::Fired, "Telegram places the session in TR (\"Turkey\""),
            (SignalStatus::Clear, "Telegram's own network"),
        ];
        for (r, (status, words)) in judged.iter().zip(want) {
            assert_eq!(r.status, status, "{}", r.reason);
            assert!(r.reason.contains(words), "{words:?} not in {:?}", r.reason);
        }
        // Geolocation and Telegram disagree: a fact, whichever way the signal goes.
        assert_eq!(judged[1].facts.get("telegram_country"), Some("NL (Telegram: \"Netherlands\")"));
        assert_eq!(
            judged[1].facts.get("countries_disagree"),
            Some("test-country places 3.5.140.2 in KR; Telegram's own estimate is NL")
        );
        assert_eq!(judged[1].facts.get("country"), Some("KR (test-country)"));
        assert!(judged[2].facts.get("countries_disagree").is_some(), "{:?}", judged[2].facts);
        assert!(judged[0].facts.0.is_empty(), "agreement adds no fact");
        // On Telegram's estimate, the facts say so and call it the weaker basis.
        let d = &judged[3];
        assert_eq!(d.facts.get("country"), Some("NL (Telegram's country estimate: \"Netherlands\")"));
        assert!(d.facts.get("country_basis").unwrap().contains("weaker basis than a geolocation"), "{:?}", d.facts);
        assert_eq!(d.facts.get("ip"), None);
        assert_eq!(d.facts.get("usual_countries"), Some("DE"));
        // Without a baseline, nothing is judged.
        let nothing = Subject::default();
        let ctx = Context::new(&nothing, &refs, &e);
        assert_eq!(geo_unfamiliar(&ctx, &snaps[0].sessions[1]).status, SignalStatus::NotEvaluated);
    }
}
