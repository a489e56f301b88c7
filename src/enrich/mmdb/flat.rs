//! Decoders for the flat layouts: ip-location-db (`city`, `country_code`, `state1`, `latitude`,
//! `longitude`) and IPinfo, whose values may be strings ("AS15169", "true") or native types.

use super::{Hit, UserFacts, country_code, valid_coordinates};
use crate::model::enrichment::{Asn, FlagKind, Place};
use maxminddb::MaxMindDbError;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// One value of any type, read without failing: files written by other tools disagree on types.
#[derive(Debug, Clone, PartialEq)]
enum Loose {
    Text(String),
    Bool(bool),
    Int(i128),
    Float(f64),
    /// A map, an array, bytes or null: nothing we read.
    Other,
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Loose, E> {
        Ok(Loose::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Loose, E> {
        Ok(Loose::Int(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Loose, E> {
        Ok(Loose::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Loose, E> {
        Ok(Loose::Int(v.into()))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Loose, E> {
        Ok(i128::try_from(v).map(Loose::Int).unwrap_or(Loose::Other))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Loose, E> {
        Ok(Loose::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Loose, E> {
        Ok(Loose::Text(v.to_string()))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Loose, E> {
        Ok(Loose::Other)
    }
    fn visit_none<E: de::Error>(self) -> Result<Loose, E> {
        Ok(Loose::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Loose, E> {
        Ok(Loose::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Loose::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Loose::Other)
    }
}

impl Loose {
    /// Non-empty text, trimmed.
    fn text(&self) -> Option<&str> {
        match self {
            Loose::Text(s) => Some(s.trim()).filter(|s| !s.is_empty()),
            _ => None,
        }
    }

    /// A finite number, from a number or from text such as "52.37".
    fn number(&self) -> Option<f64> {
        let n = match self {
            Loose::Float(f) => *f,
            Loose::Int(i) => *i as f64,
            Loose::Text(s) => s.trim().parse().ok()?,
            _ => return None,
        };
        n.is_finite().then_some(n)
    }

    /// A boolean from `true`, `"true"`, `"yes"`, `"1"`, `1` (and their negatives); anything else is unknown.
    fn flag(&self) -> Option<bool> {
        match self {
            Loose::Bool(b) => Some(*b),
            Loose::Int(0) => Some(false),
            Loose::Int(1) => Some(true),
            Loose::Text(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" | "y" | "t" => Some(true),
                "false" | "no" | "0" | "n" | "f" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// An AS number from `15169`, `"15169"`, `"AS15169"` or `"as15169"`; 0 means none.
    fn asn(&self) -> Option<u32> {
        let n = match self {
            Loose::Int(i) => u32::try_from(*i).ok()?,
            Loose::Text(s) => {
                let s = s.trim();
                let digits = s.strip_prefix("AS").or_else(|| s.strip_prefix("as")).or_else(|| s.strip_prefix("As"));
                digits.unwrap_or(s).trim().parse().ok()?
            }
            _ => return None,
        };
        (n != 0).then_some(n)
    }
}

fn text(v: &Option<Loose>) -> Option<String> {
    v.as_ref().and_then(Loose::text).map(str::to_string)
}

fn number(v: &Option<Loose>) -> Option<f64> {
    v.as_ref().and_then(Loose::number)
}

fn is_true(v: &Option<Loose>) -> bool {
    v.as_ref().and_then(Loose::flag) == Some(true)
}

fn code(v: &Option<Loose>) -> Option<String> {
    v.as_ref().and_then(Loose::text).and_then(country_code)
}

/// A place when the record has anything finer than the country.
fn place(
    city: Option<String>,
    region: Option<String>,
    country: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
) -> Option<Place> {
    let (latitude, longitude) = valid_coordinates(lat, lon);
    if city.is_none() && region.is_none() && latitude.is_none() {
        return None;
    }
    Some(Place { city, region, country, latitude, longitude, accuracy_km: None })
}

/// ip-location-db's city and country files.
#[derive(Deserialize, Default)]
#[serde(default)]
struct FlatRecord {
    city: Option<Loose>,
    country_code: Option<Loose>,
    state1: Option<Loose>,
    latitude: Option<Loose>,
    longitude: Option<Loose>,
}

/// ip-location-db "city ipv4/ipv6" and "country ipv*": `city_layer` says whether to read places.
pub(super) fn flat(hit: &Hit<'_>, city_layer: bool) -> Result<UserFacts, MaxMindDbError> {
    let Some(rec) = hit.decode::<FlatRecord>()? else { return Ok(UserFacts::default()) };
    let country = code(&rec.country_code);
    let place = if city_layer {
        place(text(&rec.city), text(&rec.state1), country.clone(), number(&rec.latitude), number(&rec.longitude))
    } else {
        None
    };
    Ok(UserFacts { found: true, country, place, ..UserFacts::default() })
}

/// Every field of IPinfo's Lite, country_asn, location, ASN and privacy files.
#[derive(Deserialize, Default)]
#[serde(default)]
struct IpinfoRecord {
    asn: Option<Loose>,
    as_name: Option<Loose>,
    /// The AS name in IPinfo's ASN file.
    name: Option<Loose>,
    country_code: Option<Loose>,
    /// The code in country_asn and location files, the country's name in Lite.
    country: Option<Loose>,
    city: Option<Loose>,
    region: Option<Loose>,
    latitude: Option<Loose>,
    longitude: Option<Loose>,
    hosting: Option<Loose>,
    vpn: Option<Loose>,
    tor: Option<Loose>,
    proxy: Option<Loose>,
    relay: Option<Loose>,
    /// The privacy service's name ("NordVPN").
    service: Option<Loose>,
    /// The ASN file's network type: isp, hosting, business, education, government.
    #[serde(rename = "type")]
    network_type: Option<Loose>,
}

/// IPinfo files, whatever mix of fields and value types they have.
pub(super) fn ipinfo(hit: &Hit<'_>) -> Result<UserFacts, MaxMindDbError> {
    let Some(rec) = hit.decode::<IpinfoRecord>()? else { return Ok(UserFacts::default()) };
    let asn = rec
        .asn
        .as_ref()
        .and_then(Loose::asn)
        .map(|number| Asn { number, organization: text(&rec.as_name).or_else(|| text(&rec.name)) });
    // Lite says `country_code` + `country` (the name); older files say `country` (the code).
    let country = code(&rec.country_code).or_else(|| code(&rec.country));
    let place =
        place(text(&rec.city), text(&rec.region), country.clone(), number(&rec.latitude), number(&rec.longitude));
    let service = text(&rec.service).map(|s| format!(" (service={s})")).unwrap_or_default();
    let mut flags = Vec::new();
    for (value, kind, field) in [
        (&rec.hosting, FlagKind::Hosting, "hosting"),
        (&rec.vpn, FlagKind::Vpn, "vpn"),
        (&rec.tor, FlagKind::Tor, "tor"),
        (&rec.proxy, FlagKind::Proxy, "proxy"),
        (&rec.relay, FlagKind::Relay, "relay"),
    ] {
        if is_true(value) {
            flags.push((kind, format!("{field}{service}")));
        }
    }
    if text(&rec.network_type).is_some_and(|t| t.eq_ignore_ascii_case("hosting")) {
        flags.push((FlagKind::Hosting, "type=hosting".to_string()));
    }
    Ok(UserFacts { found: true, asn, country, place, flags, ..UserFacts::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_booleans() {
        for t in [Loose::Bool(true), Loose::Text("true".into()), Loose::Text(" TRUE ".into()), Loose::Int(1)] {
            assert_eq!(t.flag(), Some(true), "{t:?}");
        }
        for f in [Loose::Bool(false), Loose::Text("false".into()), Loose::Text("0".into()), Loose::Int(0)] {
            assert_eq!(f.flag(), Some(false), "{f:?}");
        }
        for u in [Loose::Text(String::new()), Loose::Text("maybe".into()), Loose::Int(7), Loose::Other] {
            assert_eq!(u.flag(), None, "{u:?}");
        }
    }

    #[test]
    fn loose_as_numbers() {
        assert_eq!(Loose::Text("AS15169".into()).asn(), Some(15169));
        assert_eq!(Loose::Text("as64500".into()).asn(), Some(64500));
        assert_eq!(Loose::Text(" 13335 ".into()).asn(), Some(13335));
        assert_eq!(Loose::Int(62041).asn(), Some(62041));
        assert_eq!(Loose::Int(0).asn(), None);
        assert_eq!(Loose::Int(-5).asn(), None);
        assert_eq!(Loose::Int(1 << 40).asn(), None);
        assert_eq!(Loose::Text("AS".into()).asn(), None);
        assert_eq!(Loose::Text("Google".into()).asn(), None);
        assert_eq!(Loose::Float(15169.0).asn(), None);
    }

    #[test]
    fn loose_numbers() {
        assert_eq!(Loose::Text("52.37".into()).number(), Some(52.37));
        assert_eq!(Loose::Float(f64::NAN).number(), None);
        assert_eq!(Loose::Text("inf".into()).number(), None);
        assert_eq!(Loose::Int(3).number(), Some(3.0));
        assert_eq!(Loose::Text("north".into()).number(), None);
    }

    #[test]
    fn loose_decodes_from_json_of_any_shape() {
        let v: Vec<Loose> = serde_json::from_str(r#"["x", true, -3, 2.5, null, {"a": [1]}, [1, 2]]"#).unwrap();
        assert_eq!(
            v,
            [
                Loose::Text("x".into()),
                Loose::Bool(true),
                Loose::Int(-3),
                Loose::Float(2.5),
                Loose::Other,
                Loose::Other,
                Loose::Other
            ]
        );
    }
}
