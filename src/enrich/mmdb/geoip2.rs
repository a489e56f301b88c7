//! Decoders for MaxMind's nested GeoIP2 layouts (City, Country, ASN, ISP, Enterprise; DB-IP copies
//! them) and for the anonymity databases (Anonymous-IP, Anonymous-Plus, Residential-Proxy, IP-Risk).

use super::{Hit, UserFacts, country_code, valid_coordinates};
use crate::model::enrichment::{Asn, FlagKind, Place};
use maxminddb::{MaxMindDbError, geoip2};
use serde::Deserialize;

/// City, DB-IP City Lite: country and place.
pub(super) fn city(hit: &Hit<'_>) -> Result<UserFacts, MaxMindDbError> {
    let Some(rec) = hit.decode::<geoip2::City>()? else { return Ok(UserFacts::default()) };
    let country = rec.country.iso_code.and_then(country_code);
    let region = rec.subdivisions.first().and_then(|s| name(s.names.english));
    let (lat, lon) = valid_coordinates(rec.location.latitude, rec.location.longitude);
    let mut facts = UserFacts { found: true, country: country.clone(), ..UserFacts::default() };
    facts.place = place(name(rec.city.names.english), region, country, lat, lon, rec.location.accuracy_radius);
    if rec.traits.is_anycast == Some(true) {
        facts.flags.push((FlagKind::Cdn, "is_anycast".to_string()));
    }
    Ok(facts)
}

/// Country: the geolocated country only (never `registered_country`, which is where the block is registered).
pub(super) fn country(hit: &Hit<'_>) -> Result<UserFacts, MaxMindDbError> {
    let Some(rec) = hit.decode::<geoip2::Country>()? else { return Ok(UserFacts::default()) };
    let mut facts =
        UserFacts { found: true, country: rec.country.iso_code.and_then(country_code), ..UserFacts::default() };
    if rec.traits.is_anycast == Some(true) {
        facts.flags.push((FlagKind::Cdn, "is_anycast".to_string()));
    }
    Ok(facts)
}

/// GeoLite2 / GeoIP2 ASN (and ip-location-db's ASN files, which use the same two fields).
pub(super) fn asn(hit: &Hit<'_>) -> Result<UserFacts, MaxMindDbError> {
    let Some(rec) = hit.decode::<geoip2::Asn>()? else { return Ok(UserFacts::default()) };
    Ok(UserFacts {
        found: true,
        asn: as_number(rec.autonomous_system_number, rec.autonomous_system_organization),
        ..UserFacts::default()
    })
}

/// GeoIP2 ISP: the AS plus the ISP name (the organisation when no ISP is given).
pub(super) fn isp(hit: &Hit<'_>) -> Result<UserFacts, MaxMindDbError> {
    let Some(rec) = hit.decode::<geoip2::Isp>()? else { return Ok(UserFacts::default()) };
    Ok(UserFacts {
        found: true,
        asn: as_number(rec.autonomous_system_number, rec.autonomous_system_organization),
        isp: name(rec.isp).or_else(|| name(rec.organization)),
        ..UserFacts::default()
    })
}

/// GeoIP2 Enterprise: place, AS, ISP, the anonymity booleans and `user_type`.
pub(super) fn enterprise(hit: &Hit<'_>) -> Result<UserFacts, MaxMindDbError> {
    let Some(rec) = hit.decode::<geoip2::Enterprise>()? else { return Ok(UserFacts::default()) };
    let t = &rec.traits;
    let country = rec.country.iso_code.and_then(country_code);
    let region = rec.subdivisions.first().and_then(|s| name(s.names.english));
    let (lat, lon) = valid_coordinates(rec.location.latitude, rec.location.longitude);
    let mut facts = UserFacts {
        found: true,
        asn: as_number(t.autonomous_system_number, t.autonomous_system_organization),
        country: country.clone(),
        place: place(name(rec.city.names.english), region, country, lat, lon, rec.location.accuracy_radius),
        isp: name(t.isp).or_else(|| name(t.organization)),
        user_type: name(t.user_type),
        ..UserFacts::default()
    };
    let bools = Anonymity {
        anonymous: t.is_anonymous == Some(true),
        vpn: t.is_anonymous_vpn == Some(true),
        hosting: t.is_hosting_provider == Some(true),
        public_proxy: t.is_public_proxy == Some(true),
        residential_proxy: t.is_residential_proxy == Some(true),
        tor: t.is_tor_exit_node == Some(true),
    };
    bools.push_flags("", &mut facts.flags);
    // MaxMind's user types that say what the network is, not who uses it.
    let by_user_type = match t.user_type {
        Some("hosting") => Some(FlagKind::Hosting),
        Some("content_delivery_network") => Some(FlagKind::Cdn),
        Some("consumer_privacy_network") => Some(FlagKind::Vpn),
        _ => None,
    };
    if let (Some(kind), Some(ut)) = (by_user_type, t.user_type) {
        facts.flags.push((kind, format!("user_type={ut}")));
    }
    if t.is_anycast == Some(true) {
        facts.flags.push((FlagKind::Cdn, "is_anycast".to_string()));
    }
    Ok(facts)
}

/// GeoIP2 Anonymous-IP. The test database maps `::/0` to `{}`: found, and not anonymous.
pub(super) fn anonymous_ip(hit: &Hit<'_>) -> Result<UserFacts, MaxMindDbError> {
    let Some(rec) = hit.decode::<geoip2::AnonymousIp>()? else { return Ok(UserFacts::default()) };
    let bools = Anonymity {
        anonymous: rec.is_anonymous == Some(true),
        vpn: rec.is_anonymous_vpn == Some(true),
        hosting: rec.is_hosting_provider == Some(true),
        public_proxy: rec.is_public_proxy == Some(true),
        residential_proxy: rec.is_residential_proxy == Some(true),
        tor: rec.is_tor_exit_node == Some(true),
    };
    let mut facts = UserFacts { found: true, ..UserFacts::default() };
    bools.push_flags("", &mut facts.flags);
    Ok(facts)
}

/// The Anonymous-IP booleans plus the fields the newer products add (no typed struct in the crate).
#[derive(Deserialize)]
struct AnonymityRecord<'a> {
    is_anonymous: Option<bool>,
    is_anonymous_vpn: Option<bool>,
    is_hosting_provider: Option<bool>,
    is_public_proxy: Option<bool>,
    is_residential_proxy: Option<bool>,
    is_tor_exit_node: Option<bool>,
    anonymizer_confidence: Option<u16>,
    #[serde(borrow)]
    network_last_seen: Option<&'a str>,
    #[serde(borrow)]
    provider_name: Option<&'a str>,
    ip_risk: Option<f64>,
}

/// GeoIP Anonymous-Plus, Residential-Proxy and IP-Risk: flags whose detail carries the
/// confidence, provider, last-seen date and risk score.
pub(super) fn anonymity_plus(hit: &Hit<'_>, residential_list: bool) -> Result<UserFacts, MaxMindDbError> {
    let Some(rec) = hit.decode::<AnonymityRecord>()? else { return Ok(UserFacts::default()) };
    let mut context = Vec::new();
    if let Some(risk) = rec.ip_risk.filter(|r| r.is_finite()) {
        context.push(format!("ip_risk={risk}"));
    }
    if let Some(c) = rec.anonymizer_confidence {
        context.push(format!("anonymizer_confidence={c}"));
    }
    if let Some(p) = name(rec.provider_name) {
        context.push(format!("provider_name={p}"));
    }
    if let Some(d) = name(rec.network_last_seen) {
        context.push(format!("network_last_seen={d}"));
    }
    let context = if context.is_empty() { String::new() } else { format!(" ({})", context.join(", ")) };
    let bools = Anonymity {
        anonymous: rec.is_anonymous == Some(true),
        vpn: rec.is_anonymous_vpn == Some(true),
        hosting: rec.is_hosting_provider == Some(true),
        public_proxy: rec.is_public_proxy == Some(true),
        residential_proxy: rec.is_residential_proxy == Some(true),
        tor: rec.is_tor_exit_node == Some(true),
    };
    let mut facts = UserFacts { found: true, ..UserFacts::default() };
    bools.push_flags(&context, &mut facts.flags);
    // Residential-Proxy records carry no booleans: being listed is the finding. An empty record is not.
    if residential_list && facts.flags.is_empty() && !context.is_empty() {
        facts.flags.push((FlagKind::Proxy, format!("listed as residential proxy{context}")));
    }
    Ok(facts)
}

/// The six booleans MaxMind uses, present in the data only when true.
struct Anonymity {
    anonymous: bool,
    vpn: bool,
    hosting: bool,
    public_proxy: bool,
    residential_proxy: bool,
    tor: bool,
}

impl Anonymity {
    /// One flag per true field, its detail naming the field; `is_anonymous` counts only when alone.
    fn push_flags(&self, context: &str, out: &mut Vec<(FlagKind, String)>) {
        let fields = [
            (self.hosting, FlagKind::Hosting, "is_hosting_provider"),
            (self.vpn, FlagKind::Vpn, "is_anonymous_vpn"),
            (self.tor, FlagKind::Tor, "is_tor_exit_node"),
            (self.public_proxy, FlagKind::Proxy, "is_public_proxy"),
            (self.residential_proxy, FlagKind::Proxy, "is_residential_proxy"),
        ];
        let before = out.len();
        for (set, kind, field) in fields {
            if set {
                out.push((kind, format!("{field}{context}")));
            }
        }
        // MaxMind sets is_anonymous with every other flag; alone it means an anonymizer of no
        // named kind, which is closest to a VPN.
        if self.anonymous && out.len() == before {
            out.push((FlagKind::Vpn, format!("is_anonymous{context}")));
        }
    }
}

/// A name as the data has it, or `None` when empty.
fn name(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

fn as_number(number: Option<u32>, organization: Option<&str>) -> Option<Asn> {
    number.filter(|n| *n != 0).map(|number| Asn { number, organization: name(organization) })
}

/// A place when the record has anything finer than the country.
fn place(
    city: Option<String>,
    region: Option<String>,
    country: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    accuracy_radius: Option<u16>,
) -> Option<Place> {
    if city.is_none() && region.is_none() && latitude.is_none() {
        return None;
    }
    Some(Place { city, region, country, latitude, longitude, accuracy_km: accuracy_radius.map(u32::from) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(a: Anonymity, context: &str) -> Vec<(FlagKind, String)> {
        let mut out = Vec::new();
        a.push_flags(context, &mut out);
        out
    }

    const NONE: Anonymity = Anonymity {
        anonymous: false,
        vpn: false,
        hosting: false,
        public_proxy: false,
        residential_proxy: false,
        tor: false,
    };

    #[test]
    fn is_anonymous_alone_is_a_vpn() {
        assert_eq!(flags(Anonymity { anonymous: true, ..NONE }, ""), [(FlagKind::Vpn, "is_anonymous".to_string())]);
    }

    #[test]
    fn is_anonymous_with_another_flag_adds_nothing() {
        let got = flags(Anonymity { anonymous: true, tor: true, ..NONE }, " (ip_risk=50)");
        assert_eq!(got, [(FlagKind::Tor, "is_tor_exit_node (ip_risk=50)".to_string())]);
    }

    #[test]
    fn no_flags_when_nothing_is_set() {
        assert!(flags(NONE, "").is_empty());
    }

    #[test]
    fn place_needs_more_than_a_country() {
        assert_eq!(place(None, None, Some("JP".into()), None, None, Some(100)), None);
        let p = place(None, None, Some("JP".into()), Some(35.0), Some(139.0), Some(100)).unwrap();
        assert_eq!(p.accuracy_km, Some(100));
    }
}
