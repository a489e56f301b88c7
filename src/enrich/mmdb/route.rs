//! Which reader a user's `.mmdb` file needs, chosen from its metadata `database_type` (or, for IPinfo
//! files under an odd type, from its field names), and how the file is named and cited.

use super::DbKind;
use maxminddb::{MaxMindDbError, Reader, WithinOptions};
use serde::de::IgnoredAny;
use std::collections::{BTreeMap, BTreeSet};

/// The families sessionproof reads, for the "unknown database_type" message.
pub(super) const SUPPORTED: &str = "GeoLite2/GeoIP2 City, Country, ASN, ISP, Enterprise and Anonymous-IP; \
GeoIP Anonymous-Plus, Residential-Proxy and GeoIP2-IP-Risk; DB-IP (DBIP-City-Lite, DBIP-Country-Lite, \
DBIP-ASN-Lite); ip-location-db flat files (\"city ipv4\", \"city ipv6\", \"country ipvAll\", …); IPinfo";

/// The kind named by `database_type`, or `None` when the type is not one we read.
pub(super) fn kind_from_type(database_type: &str) -> Option<DbKind> {
    let t = database_type.trim().to_ascii_lowercase();
    // IPinfo writes its import file name here ("ipinfo lite.mmdb", "ipinfo generic_asn_mmdb_v4.mmdb").
    if t.contains("ipinfo") {
        return Some(DbKind::Ipinfo);
    }
    // DB-IP's commercial files say which MaxMind layout they copy: "DBIP-ISP (compat=Enterprise)".
    if t.starts_with("dbip")
        && let Some(compat) = t.split("(compat=").nth(1)
    {
        return match compat.trim_end_matches(')').trim() {
            c if c.contains("enterprise") => Some(DbKind::Enterprise),
            c if c.contains("city") => Some(DbKind::DbipCityLite),
            c if c.contains("country") => Some(DbKind::Country),
            c if c.contains("asn") => Some(DbKind::Asn),
            c if c.contains("isp") => Some(DbKind::Isp),
            _ => None,
        };
    }
    // MaxMind adds edition suffixes ("GeoIP2-City-Europe", "GeoIP2-City-Shield"): match prefixes.
    let prefixes: &[(&str, DbKind)] = &[
        ("geolite2-city", DbKind::City),
        ("geoip2-city", DbKind::City),
        ("geolite2-country", DbKind::Country),
        ("geoip2-country", DbKind::Country),
        ("geolite2-asn", DbKind::Asn),
        ("geoip2-asn", DbKind::Asn),
        ("geoip2-isp", DbKind::Isp),
        ("geoip2-enterprise", DbKind::Enterprise),
        ("geoip2-precision-enterprise", DbKind::Enterprise),
        ("geoip2-anonymous-ip", DbKind::AnonymousIp),
        ("geoip-anonymous-ip", DbKind::AnonymousIp),
        ("geoip-anonymous-plus", DbKind::AnonymousPlus),
        ("geoip2-anonymous-plus", DbKind::AnonymousPlus),
        ("geoip-residential-proxy", DbKind::ResidentialProxy),
        ("geoip2-residential-proxy", DbKind::ResidentialProxy),
        ("geoip2-ip-risk", DbKind::IpRisk),
        ("geoip-ip-risk", DbKind::IpRisk),
        ("dbip-city", DbKind::DbipCityLite),
        ("dbip-location", DbKind::DbipCityLite),
        ("dbip-country", DbKind::Country),
        ("dbip-asn", DbKind::Asn),
        // ip-location-db: "city ipv4", "city ipv6", "country ipvAll", "asn ipv4" (GeoLite2-ASN fields).
        ("city ipv", DbKind::FlatCity),
        ("country ipv", DbKind::FlatCountry),
        ("asn ipv", DbKind::Asn),
    ];
    prefixes.iter().find(|(p, _)| t.starts_with(p)).map(|(_, k)| *k)
}

/// Field names only IPinfo's flat layouts use; enough to route a file whose type does not say "ipinfo".
const IPINFO_KEYS: &[&str] = &["as_name", "as_domain", "hosting", "vpn", "tor", "relay"];

/// Whether the field names seen in a file's records look like IPinfo's.
pub(super) fn looks_like_ipinfo(keys: &BTreeSet<String>) -> bool {
    IPINFO_KEYS.iter().any(|k| keys.contains(*k))
}

/// Records sampled for field names, and the most tree leaves walked to find them.
const SAMPLE_RECORDS: usize = 8;
const SAMPLE_LEAVES: usize = 4096;

/// The field names of the first records in the file, in address order. Empty leaves are yielded
/// too, so every step of the walk ends at a leaf and the bound holds even in a crafted tree
/// (skipping empty leaves inside the reader could walk an exponential number of them).
pub(super) fn sample_keys(reader: &Reader<Vec<u8>>) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let Ok(walk) = reader.networks(WithinOptions::default().include_networks_without_data()) else { return keys };
    let mut seen_offsets = BTreeSet::new();
    for leaf in walk.take(SAMPLE_LEAVES) {
        let Ok(leaf) = leaf else { continue };
        let Some(offset) = leaf.offset() else { continue };
        if !seen_offsets.insert(offset) {
            continue;
        }
        let record: Result<Option<BTreeMap<String, IgnoredAny>>, MaxMindDbError> = leaf.decode();
        if let Ok(Some(record)) = record {
            keys.extend(record.into_keys());
        }
        if seen_offsets.len() >= SAMPLE_RECORDS {
            break;
        }
    }
    keys
}

/// The layers a file of `kind` serves; for IPinfo, read from the field names its records have.
pub(super) fn layers(kind: DbKind, keys: &BTreeSet<String>) -> Vec<String> {
    let fixed: &[&str] = match kind {
        DbKind::City | DbKind::DbipCityLite | DbKind::FlatCity => &["country", "city"],
        DbKind::Country | DbKind::FlatCountry => &["country"],
        DbKind::Asn | DbKind::Isp => &["asn"],
        DbKind::Enterprise => &["asn", "country", "city", "anonymity"],
        DbKind::AnonymousIp | DbKind::AnonymousPlus | DbKind::ResidentialProxy | DbKind::IpRisk => &["anonymity"],
        DbKind::Ipinfo => {
            let has = |names: &[&str]| names.iter().any(|n| keys.contains(*n));
            let mut out = Vec::new();
            if has(&["asn"]) {
                out.push("asn".to_string());
            }
            if has(&["country", "country_code"]) {
                out.push("country".to_string());
            }
            if has(&["city", "region", "latitude"]) {
                out.push("city".to_string());
            }
            if has(&["hosting", "vpn", "tor", "proxy", "relay"]) {
                out.push("anonymity".to_string());
            }
            if out.is_empty() {
                // Nothing sampled (a sparse privacy file): claim what the IPinfo decoder can give.
                return ["asn", "country", "city", "anonymity"].map(String::from).to_vec();
            }
            return out;
        }
    };
    fixed.iter().map(|s| s.to_string()).collect()
}

/// A readable name: the database type, plus the English description when it says more
/// (MaxMind's own descriptions mostly restate the type: "GeoLite2City database").
pub(super) fn display_name(kind: DbKind, database_type: &str, description: &BTreeMap<String, String>) -> String {
    let described =
        description.get("en").or_else(|| description.values().next()).map(|d| d.trim()).filter(|d| !d.is_empty());
    let squash = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    match (described, kind) {
        (Some(d), _) if squash(d).starts_with(&squash(database_type)) => database_type.to_string(),
        (Some(d), _) => format!("{database_type} ({d})"),
        (None, DbKind::FlatCity | DbKind::FlatCountry) => format!("{database_type} (ip-location-db flat layout)"),
        (None, _) => database_type.to_string(),
    }
}

/// The licence and required attribution, where the family alone tells them.
pub(super) fn licence(database_type: &str) -> (Option<String>, Option<String>) {
    let t = database_type.trim().to_ascii_lowercase();
    if t.starts_with("geolite2") {
        (
            Some("MaxMind GeoLite2 End User License Agreement (user-supplied copy)".to_string()),
            Some(
                "This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com".into(),
            ),
        )
    } else if t.starts_with("geoip") {
        (Some("MaxMind commercial licence (user-supplied copy)".to_string()), None)
    } else if t.starts_with("dbip") && t.contains("lite") {
        (Some("CC BY 4.0 (DB-IP Lite)".to_string()), Some("IP Geolocation by DB-IP (https://db-ip.com)".to_string()))
    } else {
        (None, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maxmind_types_route_by_prefix() {
        assert_eq!(kind_from_type("GeoLite2-City"), Some(DbKind::City));
        assert_eq!(kind_from_type("GeoIP2-City-Europe"), Some(DbKind::City));
        assert_eq!(kind_from_type("GeoIP2-Country"), Some(DbKind::Country));
        assert_eq!(kind_from_type("GeoLite2-ASN"), Some(DbKind::Asn));
        assert_eq!(kind_from_type("GeoIP2-ISP"), Some(DbKind::Isp));
        assert_eq!(kind_from_type("GeoIP2-Enterprise"), Some(DbKind::Enterprise));
        assert_eq!(kind_from_type("GeoIP2-Precision-Enterprise"), Some(DbKind::Enterprise));
        assert_eq!(kind_from_type("GeoIP2-Anonymous-IP"), Some(DbKind::AnonymousIp));
        assert_eq!(kind_from_type("GeoIP-Anonymous-Plus"), Some(DbKind::AnonymousPlus));
        assert_eq!(kind_from_type("GeoIP-Residential-Proxy"), Some(DbKind::ResidentialProxy));
        assert_eq!(kind_from_type("GeoIP2-IP-Risk"), Some(DbKind::IpRisk));
        assert_eq!(kind_from_type("GeoIP2-Connection-Type"), None);
        assert_eq!(kind_from_type("GeoIP2-Domain"), None);
    }

    #[test]
    fn other_vendors_route_too() {
        assert_eq!(kind_from_type("DBIP-City-Lite"), Some(DbKind::DbipCityLite));
        assert_eq!(kind_from_type("DBIP-Country-Lite"), Some(DbKind::Country));
        assert_eq!(kind_from_type("DBIP-ASN-Lite (compat=GeoLite2-ASN)"), Some(DbKind::Asn));
        assert_eq!(kind_from_type("DBIP-ISP (compat=Enterprise)"), Some(DbKind::Enterprise));
        assert_eq!(kind_from_type("city ipv4"), Some(DbKind::FlatCity));
        assert_eq!(kind_from_type("city ipv6"), Some(DbKind::FlatCity));
        assert_eq!(kind_from_type("country ipvAll"), Some(DbKind::FlatCountry));
        assert_eq!(kind_from_type("ipinfo generic_asn_mmdb_v4.mmdb"), Some(DbKind::Ipinfo));
        assert_eq!(kind_from_type("Foo-Bar"), None);
        assert_eq!(kind_from_type(""), None);
    }

    #[test]
    fn ipinfo_layers_follow_the_fields() {
        let keys: BTreeSet<String> = ["asn", "as_name", "country_code"].map(String::from).into();
        assert_eq!(layers(DbKind::Ipinfo, &keys), ["asn", "country"]);
        assert!(looks_like_ipinfo(&keys));
        let privacy: BTreeSet<String> = ["hosting", "vpn", "service"].map(String::from).into();
        assert_eq!(layers(DbKind::Ipinfo, &privacy), ["anonymity"]);
        assert_eq!(layers(DbKind::Ipinfo, &BTreeSet::new()).len(), 4);
        assert!(!looks_like_ipinfo(&["country_code".to_string()].into()));
    }

    #[test]
    fn names_add_descriptions_that_say_more() {
        let en = |d: &str| BTreeMap::from([("en".to_string(), d.to_string())]);
        assert_eq!(display_name(DbKind::City, "GeoLite2-City", &en("GeoLite2City database")), "GeoLite2-City");
        assert_eq!(display_name(DbKind::City, "DBIP-City-Lite", &en("DB-IP sample")), "DBIP-City-Lite (DB-IP sample)");
        assert_eq!(
            display_name(DbKind::FlatCity, "city ipv4", &BTreeMap::new()),
            "city ipv4 (ip-location-db flat layout)"
        );
        assert_eq!(display_name(DbKind::Ipinfo, "ipinfo lite.mmdb", &en(" ")), "ipinfo lite.mmdb");
    }

    #[test]
    fn licences_by_family() {
        assert!(licence("GeoLite2-City").1.unwrap().contains("GeoLite2 data created by MaxMind"));
        assert!(licence("GeoIP2-City").1.is_none());
        assert_eq!(licence("DBIP-City-Lite").0.as_deref(), Some("CC BY 4.0 (DB-IP Lite)"));
        assert_eq!(licence("city ipv4"), (None, None));
    }
}
