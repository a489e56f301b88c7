//! The user's own `.mmdb` files (MaxMind GeoLite2/GeoIP2, DB-IP, ip-location-db, IPinfo): opened,
//! routed by their metadata `database_type`, cited as a data source, and asked about one address.

mod flat;
mod geoip2;
mod route;

use crate::model::enrichment::{Asn, DataSource, FlagKind, Place};
use maxminddb::{LookupResult, MaxMindDbError, Reader};
use std::collections::BTreeSet;
use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// The layout a file is read with, chosen from its `database_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    /// GeoLite2 / GeoIP2 City: country and place.
    City,
    /// GeoLite2 / GeoIP2 Country (also DB-IP Country): country.
    Country,
    /// GeoLite2 ASN (also DB-IP ASN, ip-location-db "asn ipv*"): AS number and organisation.
    Asn,
    /// GeoIP2 ISP: AS plus ISP / organisation.
    Isp,
    /// GeoIP2 Enterprise: place, AS, ISP, anonymity booleans and `user_type`.
    Enterprise,
    /// GeoIP2 Anonymous-IP: six booleans.
    AnonymousIp,
    /// GeoIP Anonymous-Plus: the booleans plus confidence, provider and last-seen date.
    AnonymousPlus,
    /// GeoIP Residential-Proxy: provider, confidence and last-seen date per listed network.
    ResidentialProxy,
    /// GeoIP2 IP-Risk: a risk score plus the anonymity fields.
    IpRisk,
    /// DB-IP City Lite in MaxMind's City layout.
    DbipCityLite,
    /// ip-location-db "city ipv4" / "city ipv6": flat `city`, `country_code`, `state1`, coordinates.
    FlatCity,
    /// ip-location-db "country ipv*": flat `country_code`.
    FlatCountry,
    /// IPinfo's flat files, values often stored as strings.
    Ipinfo,
}

/// A problem with one database file; the message says what is wrong and what to do.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct MmdbError {
    pub path: String,
    pub message: String,
}

/// One opened user database.
pub struct UserDb {
    reader: Reader<Vec<u8>>,
    kind: DbKind,
    source: DataSource,
    build_epoch: u64,
}

impl fmt::Debug for UserDb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserDb").field("kind", &self.kind).field("source", &self.source).finish_non_exhaustive()
    }
}

/// What one user database says about one address.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct UserFacts {
    /// The database has a record for the address (an empty record counts: it means "nothing to report").
    pub found: bool,
    pub asn: Option<Asn>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: Option<String>,
    pub place: Option<Place>,
    pub isp: Option<String>,
    /// (kind, detail naming the field, e.g. "is_tor_exit_node").
    pub flags: Vec<(FlagKind, String)>,
    /// GeoIP2 Enterprise `traits.user_type`, verbatim.
    pub user_type: Option<String>,
}

/// A lookup answer borrowed from the reader.
type Hit<'a> = LookupResult<'a, Vec<u8>>;

/// What precedes the metadata map at the end of every MaxMind DB file.
const METADATA_MARKER: &[u8] = b"\xAB\xCD\xEFMaxMind.com";
/// The metadata must start within this many bytes of the end of the file (MaxMind DB spec).
const METADATA_WINDOW: usize = 128 * 1024;

impl UserDb {
    /// Opens and routes a file by its metadata `database_type`; `id` becomes the DataSource id (e.g. "user-1").
    ///
    /// The file is read whole, on purpose, not memory-mapped: the SHA-256 the report gives for
    /// the database is then the hash of exactly the bytes every lookup used, even if the file is
    /// replaced during the run (a database updater); a mapped file changed under the reader would
    /// be undefined behaviour (`maxminddb::Reader::open_mmap` is `unsafe`), and this crate has no
    /// unsafe code. Reading a 100 MB database takes a tenth of a second.
    pub fn open(path: &Path, id: &str) -> Result<UserDb, MmdbError> {
        let bytes = std::fs::read(path)
            .map_err(|e| error(path, format!("cannot read the file ({e}); check the path and its permissions")))?;
        Self::from_bytes(bytes, path, id, None)
    }

    /// `forced` skips routing (tests run every decoder over damaged files with it).
    fn from_bytes(bytes: Vec<u8>, path: &Path, id: &str, forced: Option<DbKind>) -> Result<UserDb, MmdbError> {
        let sha256 = crate::digest::sha256_hex(&bytes);
        if let Some(why) = not_an_mmdb(&bytes) {
            return Err(error(path, why));
        }
        let reader = Reader::from_source(bytes)
            .map_err(|e| error(path, format!("is a damaged MaxMind DB file ({e}); download or export it again")))?;
        let meta = reader.metadata();
        let database_type = meta.database_type.clone();
        let mut keys = BTreeSet::new();
        let kind = match forced.or_else(|| route::kind_from_type(&database_type)) {
            Some(kind) => kind,
            None => {
                // IPinfo files under a type that does not say so are recognised by their field names.
                keys = route::sample_keys(&reader);
                if !route::looks_like_ipinfo(&keys) {
                    return Err(error(
                        path,
                        format!(
                            "database_type \"{}\" is not one sessionproof reads; supported: {}",
                            database_type.escape_debug(),
                            route::SUPPORTED
                        ),
                    ));
                }
                DbKind::Ipinfo
            }
        };
        if kind == DbKind::Ipinfo && keys.is_empty() {
            keys = route::sample_keys(&reader);
        }
        let (licence, attribution) = route::licence(&database_type);
        let source = DataSource {
            id: id.to_string(),
            name: route::display_name(kind, &database_type, &meta.description),
            version: None,
            build_date: build_date(meta.build_epoch),
            licence,
            attribution,
            sha256: Some(sha256),
            kind: "user".to_string(),
            path: Some(path.display().to_string()),
            database_type: Some(database_type),
            layers: route::layers(kind, &keys),
        };
        let build_epoch = meta.build_epoch;
        Ok(UserDb { reader, kind, source, build_epoch })
    }

    pub fn kind(&self) -> DbKind {
        self.kind
    }

    /// Name, build date, sha256, path, `database_type` and the layers this file serves.
    pub fn source(&self) -> &DataSource {
        &self.source
    }

    /// What the file says about `ip`. Not found is `Ok` with `found: false`; an error means the
    /// record could not be decoded (a damaged file, or records unlike its `database_type`).
    pub fn lookup(&self, ip: IpAddr) -> Result<UserFacts, MmdbError> {
        // "::ffff:a.b.c.d" is an IPv4 address written in IPv6 form; IPv4-only files know it as IPv4.
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        // An IPv4-only tree has no answer for IPv6 (the reader would call it invalid input).
        if ip.is_ipv6() && self.reader.metadata().ip_version == 4 {
            return Ok(UserFacts::default());
        }
        let hit = self.reader.lookup(ip).map_err(|e| self.lookup_error(ip, e))?;
        let facts = match self.kind {
            DbKind::City | DbKind::DbipCityLite => geoip2::city(&hit),
            DbKind::Country => geoip2::country(&hit),
            DbKind::Asn => geoip2::asn(&hit),
            DbKind::Isp => geoip2::isp(&hit),
            DbKind::Enterprise => geoip2::enterprise(&hit),
            DbKind::AnonymousIp => geoip2::anonymous_ip(&hit),
            DbKind::AnonymousPlus | DbKind::IpRisk => geoip2::anonymity_plus(&hit, false),
            DbKind::ResidentialProxy => geoip2::anonymity_plus(&hit, true),
            DbKind::FlatCity => flat::flat(&hit, true),
            DbKind::FlatCountry => flat::flat(&hit, false),
            DbKind::Ipinfo => flat::ipinfo(&hit),
        };
        facts.map_err(|e| self.lookup_error(ip, e))
    }

    fn lookup_error(&self, ip: IpAddr, e: MaxMindDbError) -> MmdbError {
        let database_type = self.source.database_type.as_deref().unwrap_or_default();
        MmdbError {
            path: self.source.path.clone().unwrap_or_default(),
            message: format!(
                "looking up {ip} failed ({e}); the file is damaged or its records do not have the layout its \
                 database_type \"{}\" promises; download or export it again",
                database_type.escape_debug()
            ),
        }
    }

    /// "GeoLite2 file older than 30 days" warning (its licence requires updates); `now` unix seconds.
    pub fn age_warning(&self, now: i64) -> Option<String> {
        let database_type = self.source.database_type.as_deref().unwrap_or_default();
        if !database_type.trim().to_ascii_lowercase().starts_with("geolite2") {
            return None;
        }
        let age = now.checked_sub(i64::try_from(self.build_epoch).ok()?)?;
        if age <= 30 * 86_400 {
            return None;
        }
        Some(format!(
            "{}: GeoLite2 file built {} is {} days old; MaxMind's GeoLite2 licence requires deleting old copies \
             within 30 days of a newer release: update it (geoipupdate or a fresh download) and run again",
            self.source.path.as_deref().unwrap_or_default(),
            self.source.build_date.as_deref().unwrap_or("on an unknown date"),
            age / 86_400
        ))
    }
}

/// The `.mmdb` files in a folder, sorted by name (not recursive); unreadable folder → empty.
pub fn discover(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| p.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("mmdb")) && p.is_file())
        .collect();
    found.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    found
}

fn error(path: &Path, message: String) -> MmdbError {
    MmdbError { path: path.display().to_string(), message }
}

/// Why `bytes` cannot be a MaxMind DB at all, with what to do instead; `None` when it might be one.
fn not_an_mmdb(bytes: &[u8]) -> Option<String> {
    let looks = |what: &str| {
        Some(format!("is {what}, not a MaxMind DB (.mmdb) file: unpack it and pass the .mmdb file inside"))
    };
    if bytes.is_empty() {
        return Some("is empty (0 bytes), not a MaxMind DB (.mmdb) file".to_string());
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return looks("gzip-compressed (MaxMind downloads are .tar.gz archives)");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return looks("a zip archive");
    }
    if bytes.get(257..262) == Some(b"ustar") {
        return looks("a tar archive");
    }
    let tail = &bytes[bytes.len().saturating_sub(METADATA_WINDOW)..];
    if !tail.windows(METADATA_MARKER.len()).any(|w| w == METADATA_MARKER) {
        return Some(
            "is not a MaxMind DB (.mmdb) file: it has no MaxMind DB metadata section (a CSV, a text file or a \
             cut-off download?); pass a GeoLite2/GeoIP2, DB-IP, ip-location-db or IPinfo .mmdb file"
                .to_string(),
        );
    }
    None
}

/// `build_epoch` as YYYY-MM-DD (UTC); `None` when it is not a representable time.
fn build_date(epoch: u64) -> Option<String> {
    let ts = jiff::Timestamp::from_second(i64::try_from(epoch).ok()?).ok()?;
    Some(ts.strftime("%Y-%m-%d").to_string())
}

/// An ISO 3166-1 alpha-2 code in upper case; anything else (names, "ZZZ", "") is dropped.
fn country_code(s: &str) -> Option<String> {
    let s = s.trim();
    (s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic())).then(|| s.to_ascii_uppercase())
}

/// Both coordinates when both are present and on the globe, else neither.
fn valid_coordinates(lat: Option<f64>, lon: Option<f64>) -> (Option<f64>, Option<f64>) {
    match (lat, lon) {
        (Some(a), Some(o)) if (-90.0..=90.0).contains(&a) && (-180.0..=180.0).contains(&o) => (Some(a), Some(o)),
        _ => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn fixture(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)
    }

    fn maxmind(name: &str) -> UserDb {
        UserDb::open(&fixture(&format!("maxmind/{name}.mmdb")), "user-1").unwrap()
    }

    fn own(name: &str) -> UserDb {
        UserDb::open(&fixture(&format!("mmdb/{name}.mmdb")), "user-1").unwrap()
    }

    fn ask(db: &UserDb, ip: &str) -> UserFacts {
        db.lookup(ip.parse().unwrap()).unwrap()
    }

    fn details(facts: &UserFacts) -> Vec<&str> {
        facts.flags.iter().map(|(_, d)| d.as_str()).collect()
    }

    fn kinds(facts: &UserFacts) -> BTreeSet<String> {
        facts.flags.iter().map(|(k, _)| format!("{k:?}")).collect()
    }

    fn open_err(path: &Path) -> String {
        UserDb::open(path, "user-1").unwrap_err().to_string()
    }

    #[test]
    fn every_maxmind_fixture_routes_to_its_kind() {
        for (name, kind) in [
            ("GeoLite2-City-Test", DbKind::City),
            ("GeoIP2-City-Test", DbKind::City),
            ("GeoLite2-Country-Test", DbKind::Country),
            ("GeoIP2-Country-Test", DbKind::Country),
            ("GeoLite2-ASN-Test", DbKind::Asn),
            ("GeoIP2-ISP-Test", DbKind::Isp),
            ("GeoIP2-Enterprise-Test", DbKind::Enterprise),
            ("GeoIP2-Anonymous-IP-Test", DbKind::AnonymousIp),
            ("GeoIP-Anonymous-Plus-Test", DbKind::AnonymousPlus),
            ("GeoIP-Residential-Proxy-Test", DbKind::ResidentialProxy),
            ("GeoIP2-IP-Risk-Test", DbKind::IpRisk),
        ] {
            assert_eq!(maxmind(name).kind(), kind, "{name}");
        }
    }

    #[test]
    fn london_in_city_and_all_six_flags_in_anonymous_ip() {
        let city = ask(&maxmind("GeoLite2-City-Test"), "81.2.69.160");
        assert!(city.found);
        assert_eq!(city.country.as_deref(), Some("GB"));
        let place = city.place.unwrap();
        assert_eq!(place.city.as_deref(), Some("London"));
        assert_eq!(place.country.as_deref(), Some("GB"));
        assert_eq!(place.region.as_deref(), Some("England"));
        assert!(place.latitude.is_some() && place.accuracy_km.is_some());

        let anon = ask(&maxmind("GeoIP2-Anonymous-IP-Test"), "81.2.69.160");
        assert_eq!(
            anon.flags,
            [
                (FlagKind::Hosting, "is_hosting_provider".to_string()),
                (FlagKind::Vpn, "is_anonymous_vpn".to_string()),
                (FlagKind::Tor, "is_tor_exit_node".to_string()),
                (FlagKind::Proxy, "is_public_proxy".to_string()),
                (FlagKind::Proxy, "is_residential_proxy".to_string()),
            ]
        );
    }

    #[test]
    fn enterprise_user_types() {
        let db = maxmind("GeoIP2-Enterprise-Test");
        let gov = ask(&db, "81.2.69.160");
        assert_eq!(gov.user_type.as_deref(), Some("government"));
        assert_eq!(gov.country.as_deref(), Some("GB"));
        assert_eq!(gov.isp.as_deref(), Some("Andrews & Arnold Ltd"));
        assert_eq!(gov.place.unwrap().city.as_deref(), Some("London"));
        assert!(gov.flags.is_empty());

        let hosting = ask(&db, "214.214.214.220");
        assert_eq!(hosting.user_type.as_deref(), Some("hosting"));
        assert_eq!(hosting.flags, [(FlagKind::Hosting, "user_type=hosting".to_string())]);
        let cdn = ask(&db, "214.214.214.221");
        assert_eq!(cdn.flags, [(FlagKind::Cdn, "user_type=content_delivery_network".to_string())]);
        assert!(!ask(&db, "8.8.8.8").found);
    }

    #[test]
    fn linkoping_and_bredband2() {
        let city = ask(&maxmind("GeoIP2-City-Test"), "89.160.20.112");
        assert_eq!(city.country.as_deref(), Some("SE"));
        assert_eq!(city.place.unwrap().city.as_deref(), Some("Linköping"));
        let asn = ask(&maxmind("GeoLite2-ASN-Test"), "89.160.20.112");
        assert_eq!(asn.asn, Some(Asn { number: 29518, organization: Some("Bredband2 AB".into()) }));
        assert!(asn.country.is_none() && asn.place.is_none());
    }

    #[test]
    fn google_dns_is_not_in_city_or_asn_but_found_and_clean_in_anonymous_ip() {
        assert_eq!(ask(&maxmind("GeoLite2-City-Test"), "8.8.8.8"), UserFacts::default());
        assert_eq!(ask(&maxmind("GeoLite2-ASN-Test"), "8.8.8.8"), UserFacts::default());
        // The test file maps ::/0 to {}: found, not anonymous.
        let anon = ask(&maxmind("GeoIP2-Anonymous-IP-Test"), "8.8.8.8");
        assert_eq!(anon, UserFacts { found: true, ..UserFacts::default() });
    }

    #[test]
    fn hosting_and_tor_in_anonymous_ip() {
        let db = maxmind("GeoIP2-Anonymous-IP-Test");
        assert_eq!(ask(&db, "71.160.223.1").flags, [(FlagKind::Hosting, "is_hosting_provider".to_string())]);
        assert_eq!(ask(&db, "65.0.0.1").flags, [(FlagKind::Tor, "is_tor_exit_node".to_string())]);
        assert_eq!(ask(&db, "1.2.3.4").flags, [(FlagKind::Vpn, "is_anonymous_vpn".to_string())]);
        assert_eq!(ask(&db, "186.30.236.1").flags, [(FlagKind::Proxy, "is_public_proxy".to_string())]);
    }

    #[test]
    fn japan_over_ipv6() {
        assert_eq!(ask(&maxmind("GeoIP2-City-Test"), "2001:218::1").country.as_deref(), Some("JP"));
        assert_eq!(ask(&maxmind("GeoLite2-Country-Test"), "2001:218::1").country.as_deref(), Some("JP"));
        assert_eq!(ask(&maxmind("GeoIP2-Country-Test"), "2001:218::1").country.as_deref(), Some("JP"));
        assert_eq!(ask(&maxmind("GeoIP2-Country-Test"), "89.160.20.112").country.as_deref(), Some("SE"));
        let gb = ask(&maxmind("GeoLite2-Country-Test"), "81.2.69.160");
        assert_eq!((gb.country.as_deref(), gb.place), (Some("GB"), None));
    }

    #[test]
    fn ipv4_mapped_ipv6_is_looked_up_as_ipv4() {
        let db = maxmind("GeoIP2-City-Test");
        let mapped = db.lookup(IpAddr::V6(Ipv4Addr::new(89, 160, 20, 112).to_ipv6_mapped())).unwrap();
        assert_eq!(mapped, ask(&db, "89.160.20.112"));
    }

    #[test]
    fn anonymous_plus_carries_confidence_provider_and_last_seen() {
        let db = maxmind("GeoIP-Anonymous-Plus-Test");
        let f = ask(&db, "1.2.0.1");
        assert_eq!(
            f.flags,
            [(
                FlagKind::Vpn,
                "is_anonymous_vpn (anonymizer_confidence=30, provider_name=foo, network_last_seen=2025-04-14)"
                    .to_string()
            )]
        );
        assert_eq!(ask(&db, "8.8.8.8"), UserFacts { found: true, ..UserFacts::default() });
    }

    #[test]
    fn residential_proxy_listing_is_a_proxy_flag() {
        let db = maxmind("GeoIP-Residential-Proxy-Test");
        let f = ask(&db, "1.2.0.4");
        assert_eq!(f.flags.len(), 1);
        assert_eq!(f.flags[0].0, FlagKind::Proxy);
        assert_eq!(
            f.flags[0].1,
            "listed as residential proxy (anonymizer_confidence=82, provider_name=quickshift, \
             network_last_seen=2026-05-11)"
        );
        assert!(!ask(&db, "8.8.8.8").found);
    }

    #[test]
    fn ip_risk_score_goes_into_every_flag() {
        let db = maxmind("GeoIP2-IP-Risk-Test");
        let f = ask(&db, "214.2.3.5");
        assert_eq!(kinds(&f), ["Proxy", "Tor", "Vpn"].map(String::from).into());
        assert!(details(&f).iter().all(|d| d.contains("ip_risk=90")), "{f:?}");
        // A score alone sets no flag; the record is still found.
        assert_eq!(ask(&db, "214.2.3.6"), UserFacts { found: true, ..UserFacts::default() });
        let vpn = ask(&db, "6.1.2.1");
        assert_eq!(
            details(&vpn),
            ["is_anonymous_vpn (ip_risk=75, anonymizer_confidence=95, provider_name=Test VPN Service, \
              network_last_seen=2025-01-15)"]
        );
    }

    #[test]
    fn isp_database_answers() {
        let db = maxmind("GeoIP2-ISP-Test");
        let bredband = ask(&db, "89.160.20.112");
        assert_eq!(bredband.asn, Some(Asn { number: 29518, organization: Some("Bredband2 AB".into()) }));
        assert_eq!(bredband.isp.as_deref(), Some("Bredband2 AB"));
        let telstra = ask(&db, "1.128.0.1");
        assert_eq!(telstra.asn.map(|a| a.number), Some(1221));
        assert_eq!(telstra.isp.as_deref(), Some("Telstra Internet"));
        let aa = ask(&db, "81.2.69.160");
        assert_eq!((aa.asn, aa.isp.as_deref()), (None, Some("Andrews & Arnold Ltd")));
        assert_eq!(ask(&db, "2600:6000::1").asn.map(|a| a.number), Some(237));
        // Only the organisation given: it stands in for the ISP name.
        assert!(ask(&db, "5.83.124.1").isp.is_some());
    }

    #[test]
    fn sources_cite_the_file() {
        let db = maxmind("GeoLite2-City-Test");
        let s = db.source();
        assert_eq!(s.id, "user-1");
        assert_eq!(s.kind, "user");
        assert_eq!(s.name, "GeoLite2-City");
        assert_eq!(s.build_date.as_deref(), Some("2026-02-04"));
        assert_eq!(s.database_type.as_deref(), Some("GeoLite2-City"));
        assert_eq!(s.sha256.as_deref(), Some("f936702b51dcb6c94b286d77a6f182c31a1601baf4b27e8e896934deb41f49f2"));
        assert!(s.path.as_deref().unwrap().ends_with("GeoLite2-City-Test.mmdb"));
        assert_eq!(s.layers, ["country", "city"]);
        assert!(s.attribution.as_deref().unwrap().contains("GeoLite2 data created by MaxMind"));
        assert_eq!(maxmind("GeoIP2-Enterprise-Test").source().layers, ["asn", "country", "city", "anonymity"]);
        assert_eq!(maxmind("GeoIP2-Anonymous-IP-Test").source().layers, ["anonymity"]);
        assert_eq!(maxmind("GeoIP2-ISP-Test").source().layers, ["asn"]);
    }

    #[test]
    fn geolite2_age_warning() {
        let lite = maxmind("GeoLite2-City-Test");
        let built = 1_770_245_369; // 2026-02-04T22:49:29Z
        let warning = lite.age_warning(built + 296 * 86_400).unwrap();
        assert!(warning.contains("GeoLite2-City-Test.mmdb"), "{warning}");
        assert!(warning.contains("built 2026-02-04 is 296 days old"), "{warning}");
        assert_eq!(lite.age_warning(built + 10 * 86_400), None);
        assert_eq!(lite.age_warning(built + 30 * 86_400), None);
        assert_eq!(lite.age_warning(built - 86_400), None);
        assert!(lite.age_warning(i64::MAX).is_some());
        assert_eq!(lite.age_warning(i64::MIN), None);
        // Paid GeoIP2 files carry no such rule.
        assert_eq!(maxmind("GeoIP2-City-Test").age_warning(built + 3650 * 86_400), None);
    }

    #[test]
    fn unknown_database_type_is_refused_with_the_supported_list() {
        let e = open_err(&fixture("mmdb/fail_unknown-type.mmdb"));
        assert!(
            e.contains("fail_unknown-type.mmdb: database_type \"Foo-Bar\" is not one sessionproof reads; supported: "),
            "{e}"
        );
        assert!(e.contains("GeoLite2/GeoIP2 City"), "{e}");
        let e = open_err(&fixture("maxmind/GeoIP2-Connection-Type-Test.mmdb"));
        assert!(e.contains("database_type \"GeoIP2-Connection-Type\" is not one"), "{e}");
    }

    #[test]
    fn files_that_are_not_mmdb_are_refused() {
        for name in ["fail_text", "fail_random", "fail_truncated"] {
            let e = open_err(&fixture(&format!("mmdb/{name}.mmdb")));
            assert!(e.contains(&format!("{name}.mmdb: is not a MaxMind DB (.mmdb) file")), "{e}");
        }
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.mmdb");
        std::fs::write(&empty, b"").unwrap();
        assert!(open_err(&empty).contains("is empty (0 bytes)"));
        let gz = dir.path().join("GeoLite2-City.tar.gz");
        std::fs::write(&gz, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0]).unwrap();
        assert!(open_err(&gz).contains("is gzip-compressed"), "{}", open_err(&gz));
        assert!(open_err(dir.path()).contains("cannot read the file"));
        assert!(open_err(&dir.path().join("missing.mmdb")).contains("cannot read the file"));
    }

    #[test]
    fn broken_test_files_give_errors_naming_the_file() {
        let e = open_err(&fixture("maxmind/GeoIP2-City-Test-Invalid-Node-Count.mmdb"));
        assert!(e.contains("GeoIP2-City-Test-Invalid-Node-Count.mmdb: is a damaged MaxMind DB file"), "{e}");
        let db = maxmind("GeoIP2-City-Test-Broken-Double-Format");
        let e = db.lookup("81.2.69.160".parse().unwrap()).unwrap_err().to_string();
        assert!(e.contains("GeoIP2-City-Test-Broken-Double-Format.mmdb: looking up 81.2.69.160 failed"), "{e}");
    }

    const ALL_KINDS: [DbKind; 13] = [
        DbKind::City,
        DbKind::Country,
        DbKind::Asn,
        DbKind::Isp,
        DbKind::Enterprise,
        DbKind::AnonymousIp,
        DbKind::AnonymousPlus,
        DbKind::ResidentialProxy,
        DbKind::IpRisk,
        DbKind::DbipCityLite,
        DbKind::FlatCity,
        DbKind::FlatCountry,
        DbKind::Ipinfo,
    ];

    fn mmdb_files_under(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                mmdb_files_under(&path, out);
            } else if path.extension().is_some_and(|e| e == "mmdb") {
                out.push(path);
            }
        }
    }

    /// Bad input never panics: every damaged or hostile file, opened normally and through every
    /// decoder, answers a spread of lookups with a value or an error.
    #[test]
    fn damaged_files_never_panic() {
        let mut files = Vec::new();
        mmdb_files_under(&fixture("maxmind/bad-data"), &mut files);
        for name in [
            "GeoIP2-City-Test-Broken-Double-Format",
            "GeoIP2-City-Test-Invalid-Node-Count",
            "MaxMind-DB-test-broken-pointers-24",
            "MaxMind-DB-test-broken-search-tree-24",
            "MaxMind-DB-test-pointer-decoder-dos-ipv6",
            "MaxMind-DB-test-payload-amplification-dos-string",
        ] {
            files.push(fixture(&format!("maxmind/{name}.mmdb")));
        }
        mmdb_files_under(&fixture("mmdb"), &mut files);
        assert!(files.len() >= 30, "{}", files.len());
        let ips: Vec<IpAddr> = ["1.1.1.1", "1.1.1.3", "81.2.69.160", "8.8.8.8", "0.0.0.0", "255.255.255.255"]
            .iter()
            .map(|s| s.parse().unwrap())
            .chain([IpAddr::V6(Ipv6Addr::UNSPECIFIED), "2001:218::1".parse().unwrap(), "::1.1.1.1".parse().unwrap()])
            .collect();
        let (mut refused, mut lookup_errors) = (0, 0);
        for path in &files {
            match UserDb::open(path, "user-1") {
                Ok(db) => {
                    for ip in &ips {
                        let _ = db.lookup(*ip);
                    }
                    let _ = db.age_warning(i64::MAX);
                }
                Err(e) => {
                    assert!(e.path.ends_with(".mmdb") && !e.message.is_empty(), "{e}");
                    refused += 1;
                }
            }
            let bytes = std::fs::read(path).unwrap();
            for kind in ALL_KINDS {
                if let Ok(db) = UserDb::from_bytes(bytes.clone(), path, "user-1", Some(kind)) {
                    for ip in &ips {
                        if let Err(e) = db.lookup(*ip) {
                            assert!(e.message.starts_with(&format!("looking up {ip} failed")), "{e}");
                            lookup_errors += 1;
                        }
                    }
                }
            }
        }
        assert!(refused >= 20, "{refused} of {} refused", files.len());
        // The damaged data sections were reached, not just refused at open.
        assert!(lookup_errors >= 20, "{lookup_errors} lookup errors");
    }

    #[test]
    fn flat_city_ipv4() {
        let db = own("flat-city-ipv4");
        assert_eq!(db.kind(), DbKind::FlatCity);
        assert_eq!(db.source().name, "city ipv4 (ip-location-db flat layout)");
        assert_eq!(db.source().build_date.as_deref(), Some("2026-11-01"));
        assert_eq!(db.source().licence, None);
        let berlin = ask(&db, "192.0.2.1");
        assert_eq!(berlin.country.as_deref(), Some("DE"));
        assert_eq!(
            berlin.place,
            Some(Place {
                city: Some("Exampleton".into()),
                region: Some("Berlin".into()),
                country: Some("DE".into()),
                latitude: Some(52.5),
                longitude: Some(13.25),
                accuracy_km: None,
            })
        );
        // Lower-case code and coordinates stored as text.
        let nl = ask(&db, "198.51.100.1");
        assert_eq!(nl.country.as_deref(), Some("NL"));
        let p = nl.place.unwrap();
        assert_eq!(
            (p.city.as_deref(), p.region, p.latitude, p.longitude),
            (Some("Sample Harbour"), None, Some(52.37), Some(4.89))
        );
        // Empty city: coordinates only.
        let sg = ask(&db, "203.0.113.9").place.unwrap();
        assert_eq!((sg.city, sg.latitude), (None, Some(1.25)));
        assert!(!ask(&db, "198.51.100.200").found);
        // An IPv4-only file has no answer for IPv6, but knows IPv4-mapped addresses.
        assert_eq!(ask(&db, "2001:db8::1"), UserFacts::default());
        assert_eq!(ask(&db, "::ffff:192.0.2.1"), berlin);
    }

    #[test]
    fn flat_city_ipv6_has_no_ipv4() {
        let db = own("flat-city-ipv6");
        assert_eq!(ask(&db, "2001:db8:1::5").place.unwrap().city.as_deref(), Some("Exampleton"));
        assert_eq!(ask(&db, "192.0.2.1"), UserFacts::default());
    }

    #[test]
    fn flat_country() {
        let db = own("flat-country");
        assert_eq!(db.kind(), DbKind::FlatCountry);
        assert_eq!(db.source().layers, ["country"]);
        assert_eq!(ask(&db, "192.0.2.1").country.as_deref(), Some("FR"));
        assert_eq!(ask(&db, "198.51.100.1").country.as_deref(), Some("JP"));
        assert_eq!(ask(&db, "2001:db8::1").country.as_deref(), Some("CA"));
        assert_eq!(ask(&db, "203.0.113.1"), UserFacts { found: true, ..UserFacts::default() });
    }

    #[test]
    fn ipinfo_lite() {
        let db = own("ipinfo-lite");
        assert_eq!(db.kind(), DbKind::Ipinfo);
        assert_eq!(db.source().layers, ["asn", "country"]);
        let de = ask(&db, "192.0.2.1");
        assert_eq!(de.asn, Some(Asn { number: 64500, organization: Some("Example Transit GmbH".into()) }));
        assert_eq!((de.country.as_deref(), de.place), (Some("DE"), None));
        let numeric = ask(&db, "198.51.100.1");
        assert_eq!(numeric.asn.map(|a| a.number), Some(64501));
        assert_eq!(numeric.country, None);
        let gb = ask(&db, "2001:db8::1");
        assert_eq!((gb.asn.map(|a| a.number), gb.country.as_deref()), (Some(64502), Some("GB")));
    }

    #[test]
    fn ipinfo_privacy_flags_from_strings_and_booleans() {
        let db = own("ipinfo-privacy");
        assert_eq!(db.source().layers, ["anonymity"]);
        assert_eq!(
            ask(&db, "192.0.2.10").flags,
            [
                (FlagKind::Hosting, "hosting (service=ExampleVPN)".to_string()),
                (FlagKind::Vpn, "vpn (service=ExampleVPN)".to_string())
            ]
        );
        assert_eq!(ask(&db, "192.0.2.11").flags, [(FlagKind::Tor, "tor".to_string())]);
        assert_eq!(
            ask(&db, "192.0.2.12").flags,
            [(FlagKind::Relay, "relay (service=Example Private Relay)".to_string())]
        );
        assert_eq!(ask(&db, "192.0.2.13").flags, [(FlagKind::Proxy, "proxy".to_string())]);
        assert_eq!(ask(&db, "192.0.2.14"), UserFacts { found: true, ..UserFacts::default() });
        assert!(!ask(&db, "8.8.8.8").found);
    }

    #[test]
    fn ipinfo_location() {
        let db = own("ipinfo-location");
        assert_eq!(db.source().layers, ["country", "city"]);
        let f = ask(&db, "203.0.113.5");
        assert_eq!(f.country.as_deref(), Some("GB"));
        let p = f.place.unwrap();
        assert_eq!((p.city.as_deref(), p.region.as_deref()), (Some("Sampleville"), Some("Exampleshire")));
        assert_eq!((p.latitude, p.longitude), (Some(51.5), Some(-0.125)));
    }

    #[test]
    fn ipinfo_is_recognised_by_field_names() {
        let db = own("ipinfo-country-asn-untyped");
        assert_eq!(db.kind(), DbKind::Ipinfo);
        assert_eq!(db.source().database_type.as_deref(), Some("country_asn"));
        let f = ask(&db, "192.0.2.1");
        assert_eq!(f.asn, Some(Asn { number: 64503, organization: Some("Probe Hosting e.U.".into()) }));
        assert_eq!(f.country.as_deref(), Some("AT"));
    }

    #[test]
    fn dbip_city_lite_reads_like_a_city_file() {
        let db = own("dbip-city-lite");
        assert_eq!(db.kind(), DbKind::DbipCityLite);
        let s = db.source();
        assert_eq!(s.name, "DBIP-City-Lite (Invented City Lite sample)");
        assert_eq!(s.licence.as_deref(), Some("CC BY 4.0 (DB-IP Lite)"));
        assert_eq!(s.attribution.as_deref(), Some("IP Geolocation by DB-IP (https://db-ip.com)"));
        assert_eq!(db.age_warning(i64::MAX), None);
        let f = ask(&db, "198.51.100.7");
        assert_eq!(f.country.as_deref(), Some("DE"));
        let p = f.place.unwrap();
        assert_eq!((p.city.as_deref(), p.region.as_deref(), p.accuracy_km), (Some("Exampleton"), Some("Berlin"), None));
    }

    #[test]
    fn discover_lists_mmdb_files_by_name() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.mmdb", "A.MMDB", "c.txt", "GeoLite2-City.mmdb.gz"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        std::fs::create_dir(dir.path().join("sub.mmdb")).unwrap();
        std::fs::write(dir.path().join("sub.mmdb").join("d.mmdb"), b"x").unwrap();
        let names: Vec<String> =
            discover(dir.path()).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["A.MMDB", "b.mmdb"]);
        assert!(discover(&dir.path().join("missing")).is_empty());
        let fixtures = discover(&fixture("mmdb"));
        assert_eq!(fixtures.len(), 12, "{fixtures:?}");
        assert!(fixtures.first().unwrap().ends_with("dbip-city-lite.mmdb"), "{fixtures:?}");
        assert!(fixtures.windows(2).all(|w| w[0].file_name() < w[1].file_name()));
    }

    #[test]
    fn country_codes_and_coordinates_are_checked() {
        assert_eq!(country_code(" gb "), Some("GB".into()));
        for bad in ["", "G", "GBR", "United Kingdom", "1A", "ÄÖ"] {
            assert_eq!(country_code(bad), None, "{bad}");
        }
        assert_eq!(valid_coordinates(Some(91.0), Some(0.0)), (None, None));
        assert_eq!(valid_coordinates(Some(1.0), None), (None, None));
        assert_eq!(valid_coordinates(Some(-90.0), Some(180.0)), (Some(-90.0), Some(180.0)));
        assert_eq!(build_date(u64::MAX), None);
        assert_eq!(build_date(0).as_deref(), Some("1970-01-01"));
    }

    /// Throughput of a full City lookup (tree walk + `geoip2::City` decode + mapping).
    /// `cargo test --release --lib city_lookup_throughput -- --ignored --nocapture`
    #[test]
    #[ignore = "benchmark; run in release with --ignored --nocapture"]
    fn city_lookup_throughput() {
        let db = maxmind("GeoIP2-City-Test");
        let ips: Vec<IpAddr> = ["81.2.69.160", "89.160.20.112", "2.125.160.216", "216.160.83.56", "175.16.199.1"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let n = 1_000_000;
        let start = std::time::Instant::now();
        let mut found = 0usize;
        for i in 0..n {
            found += usize::from(db.lookup(ips[i % ips.len()]).unwrap().found);
        }
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(found, n);
        println!("City full lookup: {:.0} lookups/s ({:.2} µs each)", n as f64 / secs, secs * 1e6 / n as f64);
    }
}
