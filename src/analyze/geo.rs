//! `geo-impossible`: a session seen farther from the subject than anyone could travel in the time
//! between — compared with the subject's own devices' sightings and with the whereabouts the
//! subject declared (`[[subject.travel]]`).
//!
//! Places come with their uncertainty, and the uncertainty always works in the subject's favour:
//! distances are the great-circle distance minus both places' radii. A place is a City
//! database's coordinates with its accuracy radius when one is present, else the country's
//! centroid with the distance to its farthest point (islands and overseas parts included), from
//! the embedded Natural Earth outlines. Addresses of VPNs, Tor, proxies, relays and data centers
//! are never placed: they show where the exit is, not where the user is.

use super::Context;
use super::signals::{facts_of, instant};
use crate::model::case_config::{Subject, Travel};
use crate::model::enrichment::{FlagKind, IpFacts};
use crate::model::finding::{Facts, SignalResult, SignalStatus};
use crate::model::snapshot::Session;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Travel faster than this between two sightings is not possible by any scheduled means.
pub const MAX_SPEED_KMH: f64 = 900.0;

const ID: &str = "geo-impossible";

/// Network kinds whose addresses say nothing about where the user is.
const EXITS: &[FlagKind] =
    &[FlagKind::Vpn, FlagKind::Tor, FlagKind::Proxy, FlagKind::Relay, FlagKind::Hosting, FlagKind::Cdn];

/// Great-circle distance in km (haversine, mean Earth radius).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

/// A place with its uncertainty, and how it is known.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
    /// "Berlin, DE (city level ± 20 km, source)" or "DE (country level ± 870 km)".
    pub name: String,
    pub country_level: bool,
}

/// Where an address is, or why it cannot be placed.
fn place_of(f: &IpFacts) -> Result<Place, String> {
    if f.has(FlagKind::Telegram) {
        return Err(format!("{} is in Telegram's own network, which says nothing about where the user is", f.ip));
    }
    if let Some(flag) = f.flags.iter().find(|x| EXITS.contains(&x.kind)) {
        return Err(format!(
            "{} is {} ({}): it shows where the exit is, not where the user is",
            f.ip,
            kind(flag.kind),
            flag.detail
        ));
    }
    if let Some(p) = &f.place
        && let (Some(lat), Some(lon)) = (p.value.latitude, p.value.longitude)
    {
        let radius = f64::from(p.value.accuracy_km.unwrap_or(0));
        let name = [&p.value.city, &p.value.country].iter().filter_map(|x| x.as_deref()).collect::<Vec<_>>().join(", ");
        return Ok(Place {
            lat,
            lon,
            radius_km: radius,
            name: format!("{name} (city level ± {radius:.0} km, {})", p.source),
            country_level: false,
        });
    }
    let code = f.country.as_ref().map(|c| (c.value.to_uppercase(), c.source.clone()));
    let Some((code, source)) = code else { return Err(format!("no place is known for {}", f.ip)) };
    country_place(&code, &format!("country from {source}"))
        .ok_or_else(|| format!("{code} has no outline in the embedded country data"))
}

/// A country as a place: its centroid, and the distance to its farthest point as the radius.
fn country_place(code: &str, how: &str) -> Option<Place> {
    let g = crate::model::world::country(code)?;
    Some(Place {
        lat: g.lat,
        lon: g.lon,
        radius_km: g.extent_km,
        name: format!("{code} (country level: every part lies within {:.0} km of its centroid; {how})", g.extent_km),
        country_level: true,
    })
}

fn kind(k: FlagKind) -> &'static str {
    match k {
        FlagKind::Vpn => "a VPN address",
        FlagKind::Tor => "a Tor exit",
        FlagKind::Proxy => "a proxy",
        FlagKind::Relay => "a privacy relay",
        FlagKind::Hosting => "a data-center address",
        FlagKind::Cdn => "a CDN address",
        _ => "an address of another kind",
    }
}

/// The least distance between two uncertain places.
fn least_km(a: &Place, b: &Place) -> f64 {
    (distance_km((a.lat, a.lon), (b.lat, b.lon)) - a.radius_km - b.radius_km).max(0.0)
}

/// Speed needed to cover `km` in `hours` (unbounded when no time passed).
fn speed(km: f64, hours: f64) -> f64 {
    if km <= 0.0 {
        0.0
    } else if hours > 0.0 {
        km / hours
    } else {
        f64::INFINITY
    }
}

fn kmh(v: f64) -> String {
    if v.is_finite() { format!("{v:.0} km/h") } else { "no time at all".into() }
}

/// The subject's zone, for reading declared dates (UTC when none is declared).
fn zone(subject: &Subject) -> TimeZone {
    subject.time_zone.as_deref().and_then(|z| TimeZone::get(z).ok()).unwrap_or(TimeZone::UTC)
}

/// When a declared trip places the subject in its country at `when`: the hours between `when`
/// and the farthest moment of that day the subject may have been elsewhere. Inner days of a trip
/// are spent wholly in the country (0 h); on the first and last day the subject may have been
/// travelling, so the whole day's other end counts.
pub fn trip_hours(subject: &Subject, t: &Travel, when: Timestamp) -> Option<f64> {
    let tz = zone(subject);
    let day = when.to_zoned_datetime(tz.clone()).date();
    if day < t.from || day > t.to {
        return None;
    }
    if day > t.from && day < t.to {
        return Some(0.0);
    }
    let midnight = |d: jiff::civil::Date| tz.to_timestamp(d.to_datetime(jiff::civil::Time::midnight())).ok();
    let (start, end) = (midnight(day)?, midnight(day.tomorrow().ok()?)?);
    let secs = (when.as_second() - start.as_second()).max(end.as_second() - when.as_second());
    Some(secs as f64 / 3600.0)
}

/// The subject's own sightings grouped by place, each place's times sorted, so a session is
/// checked against every place with a binary search instead of against every sighting (a case
/// may hold 100,000 sessions, a third of them the subject's own).
#[derive(Debug, Default)]
pub struct OwnerSightings {
    places: Vec<(Place, Vec<(i64, String)>)>,
    /// Per place a session was seen at: the owner places farther than zero km, with the least
    /// distance. Sessions share few places (countries, cities), so this is computed once each.
    far: std::cell::RefCell<std::collections::HashMap<[u64; 3], FarPlaces>>,
}

/// Indexes of the owner's places with the least distance to them, in km.
type FarPlaces = std::rc::Rc<[(usize, f64)]>;

/// A conflict: the owner's place, the sighting's time and device, least km, hours apart.
type Conflict<'a> = (&'a Place, &'a (i64, String), f64, f64);

impl OwnerSightings {
    /// Collects the placeable sightings of the subject's declared devices.
    pub fn new(ctx: &Context) -> OwnerSightings {
        let mut places: Vec<(Place, Vec<(i64, String)>)> = Vec::new();
        let mut by_ip: std::collections::HashMap<&str, Option<usize>> = std::collections::HashMap::new();
        for snap in ctx.snapshots {
            for o in snap.sessions.iter().filter(|o| super::devices::declared_device(ctx.subject, o).is_some()) {
                let Some(when) = instant(&o.last_active) else { continue };
                let Some(ip) = o.ip.as_deref() else { continue };
                let slot = *by_ip.entry(ip).or_insert_with(|| {
                    let place = facts_of(ctx, &o.ip).and_then(|f| place_of(f).ok())?;
                    match places.iter().position(|(p, _)| *p == place) {
                        Some(i) => Some(i),
                        None => {
                            places.push((place, Vec::new()));
                            Some(places.len() - 1)
                        }
                    }
                });
                if let Some(i) = slot {
                    let device = crate::model::text::visible(o.device_model.as_deref().unwrap_or("device"));
                    places[i].1.push((when.as_second(), device));
                }
            }
        }
        for (_, times) in &mut places {
            times.sort();
        }
        OwnerSightings { places, far: Default::default() }
    }

    /// The first of the subject's sightings that `here` at `when` could not have been reached
    /// from or travelled to: (the place, the sighting's time and device, least km, hours).
    fn conflict(&self, here: &Place, when: i64) -> (usize, Option<Conflict<'_>>) {
        let compared = self.places.iter().map(|(_, t)| t.len()).sum();
        let key = [here.lat.to_bits(), here.lon.to_bits(), here.radius_km.to_bits()];
        let far = self
            .far
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| {
                self.places
                    .iter()
                    .enumerate()
                    .map(|(i, (p, _))| (i, least_km(here, p)))
                    .filter(|(_, km)| *km > 0.0)
                    .collect()
            })
            .clone();
        for &(i, km) in far.iter() {
            let (place, times) = &self.places[i];
            // Sightings closer in time than this need more than MAX_SPEED_KMH.
            let window = km / MAX_SPEED_KMH * 3600.0;
            let at = times.partition_point(|(t, _)| (*t as f64) <= when as f64 - window);
            if let Some(hit) = times.get(at).filter(|(t, _)| (*t as f64) < when as f64 + window) {
                let hours = ((when - hit.0).abs() as f64) / 3600.0;
                return (compared, Some((place, hit, km, hours)));
            }
        }
        (compared, None)
    }
}

pub fn geo_impossible<'a>(ctx: &Context<'a>, s: &'a Session) -> SignalResult {
    let Some(f) = facts_of(ctx, &s.ip) else {
        return not_evaluated("the source gives no IP address to place");
    };
    let here = match place_of(f) {
        Ok(p) => p,
        Err(why) => return not_evaluated(why),
    };
    let Some(when) = instant(&s.last_active) else {
        return not_evaluated("no last-active time precise to the minute");
    };
    let mut compared = 0usize;
    // The subject's declared whereabouts.
    for t in &ctx.subject.travel {
        let Some(hours) = trip_hours(ctx.subject, t, when) else { continue };
        let Some(there) = country_place(&t.country, "declared trip") else { continue };
        compared += 1;
        let km = least_km(&here, &there);
        let v = speed(km, hours);
        if v > MAX_SPEED_KMH {
            let trip = format!(
                "{}{} {} to {}",
                t.country,
                t.city.as_deref().map(|c| format!(" ({c})")).unwrap_or_default(),
                t.from,
                t.to
            );
            return fired(
                format!(
                    "seen in {} while the subject declared being in {trip}: at least {km:.0} km apart, {} — consistent with someone other than the subject",
                    here.name,
                    kmh(v)
                ),
                vec![
                    ("here", here.name.clone()),
                    ("when", when.to_string()),
                    ("declared_whereabouts", trip),
                    ("distance_km_at_least", format!("{km:.0}")),
                    ("hours_available", format!("{hours:.2}")),
                ],
            );
        }
    }
    // The subject's own devices, seen from placeable addresses.
    let (n, hit) = ctx.owner_sightings.conflict(&here, when.as_second());
    compared += n;
    if let Some((there, (_, device), km, hours)) = hit {
        return fired(
            format!(
                "seen in {} {hours:.1} h apart from the subject's {device} in {}: at least {km:.0} km, {} — faster than any travel",
                here.name,
                there.name,
                kmh(speed(km, hours))
            ),
            vec![
                ("here", here.name.clone()),
                ("there", there.name.clone()),
                ("distance_km_at_least", format!("{km:.0}")),
                ("hours_apart", format!("{hours:.2}")),
            ],
        );
    }
    if compared == 0 {
        return not_evaluated(
            "nothing to compare with: no declared trip at that time and no placeable sighting of the subject's declared devices",
        );
    }
    // Static text and one fact: a large case holds one clear result per session.
    let reason = if here.country_level {
        "no comparison needs travel faster than 900 km/h (at country level, so only very distant places can show it)"
    } else {
        "no comparison needs travel faster than 900 km/h (at city level)"
    };
    SignalResult {
        id: ID,
        status: SignalStatus::Clear,
        reason: reason.into(),
        facts: Facts(vec![("comparisons", compared.to_string())]),
    }
}

fn fired(reason: String, facts: Vec<(&'static str, String)>) -> SignalResult {
    SignalResult { id: ID, status: SignalStatus::Fired, reason: reason.into(), facts: Facts(facts) }
}

fn not_evaluated(reason: impl Into<std::borrow::Cow<'static, str>>) -> SignalResult {
    SignalResult { id: ID, status: SignalStatus::NotEvaluated, reason: reason.into(), facts: Facts(Vec::new()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn distances() {
        let london = (51.5142, -0.0931);
        let linkoping = (58.4167, 15.6167);
        let d = distance_km(london, linkoping);
        assert!((1240.0..1280.0).contains(&d), "about 1,260 km: {d}");
        assert!(distance_km(london, london) < 1e-9);
    }

    #[test]
    fn country_places_are_wide_enough_for_their_far_parts() {
        let de = country_place("DE", "test").expect("DE has an outline");
        assert!(de.country_level && (300.0..700.0).contains(&de.radius_km), "{de:?}");
        let ir = country_place("IR", "test").unwrap();
        // Berlin–Tehran: far beyond both countries' extents, so a simultaneous sighting is impossible.
        assert!(least_km(&de, &ir) > 1000.0, "{}", least_km(&de, &ir));
        // Neighbours never are.
        let pl = country_place("PL", "test").unwrap();
        assert_eq!(least_km(&de, &pl), 0.0);
        assert!(country_place("ZZ", "test").is_none());
    }

    fn subject(tz: Option<&str>) -> Subject {
        Subject { time_zone: tz.map(str::to_string), ..Default::default() }
    }

    #[test]
    fn trip_days_in_the_subjects_zone() {
        let t = Travel { country: "TR".into(), city: None, from: date(2026, 10, 1), to: date(2026, 10, 5) };
        let berlin = subject(Some("Europe/Berlin"));
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        // An inner day: wholly in Turkey.
        assert_eq!(trip_hours(&berlin, &t, at("2026-10-03T12:00:00Z")), Some(0.0));
        // The last day, 20:00 Berlin: the subject may have left at 00:00 Berlin (20 h earlier).
        assert_eq!(trip_hours(&berlin, &t, at("2026-10-05T18:00:00Z")), Some(20.0));
        // 2026-10-05T22:30Z is already 10-06 in Berlin: outside the trip.
        assert_eq!(trip_hours(&berlin, &t, at("2026-10-05T22:30:00Z")), None);
        // Without a zone the dates are read in UTC.
        assert_eq!(trip_hours(&subject(None), &t, at("2026-10-05T22:30:00Z")), Some(22.5));
    }

    #[test]
    fn the_clear_reasons_name_the_speed_limit() {
        // The clear reasons are static text that spells the limit out.
        assert_eq!(MAX_SPEED_KMH, 900.0);
    }

    #[test]
    fn speeds() {
        assert_eq!(speed(0.0, 0.0), 0.0);
        assert!(speed(1.0, 0.0).is_infinite());
        assert_eq!(speed(900.0, 2.0), 450.0);
        assert_eq!(kmh(f64::INFINITY), "no time at all");
    }
}
