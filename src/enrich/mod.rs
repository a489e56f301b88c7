//! Offline IP enrichment: who owns an address and roughly where it is, from embedded data and
//! the user's own `.mmdb` files, with the source of every fact.
//!
//! Order per address: parse; special ranges are labelled and never looked up; Telegram's own
//! network is recognized before any hosting rule; then user databases win per layer and the
//! embedded layers fill the gaps. A data file that cannot be read is a warning, and the rest
//! of the enrichment carries on; the report says which layer was missing.

pub mod classify;
pub mod curated;
pub mod embedded;
pub mod mmdb;
pub mod telegram;

use crate::model::enrichment::{AddressClass, Asn, DataSource, Enrichment, Flag, FlagKind, IpFacts, Sourced};
use embedded::Embedded;
use mmdb::UserDb;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// Where user databases come from, already resolved by the CLI.
#[derive(Debug, Clone, Default)]
pub struct EnrichOptions {
    /// `--mmdb` files, in the order given.
    pub mmdb: Vec<PathBuf>,
    /// The data directory whose `*.mmdb` files are read (first of `--data-dir`,
    /// `SESSIONPROOF_DATA`, `/usr/share/GeoIP`, `/var/lib/GeoIP` that exists).
    pub data_dir: Option<PathBuf>,
    /// Unix seconds "now", for the GeoLite2 age rule.
    pub now: i64,
}

/// The default data directories searched after `--data-dir` and `SESSIONPROOF_DATA`.
pub const SYSTEM_DATA_DIRS: &[&str] = &["/usr/share/GeoIP", "/var/lib/GeoIP"];

/// The data directory to use: the first of the candidates that is a folder.
pub fn pick_data_dir(flag: Option<&Path>, env: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf)
        .into_iter()
        .chain(env.map(Path::to_path_buf))
        .chain(SYSTEM_DATA_DIRS.iter().map(PathBuf::from))
        .find(|p| p.is_dir())
}

/// Telegram-prefix source id.
const TELEGRAM_SOURCE: &str = "telegram-network";

/// Enriches addresses with every available layer.
pub struct Enricher {
    embedded: &'static Embedded,
    user: Vec<UserDb>,
    sources: Vec<DataSource>,
    warnings: Vec<String>,
    missing_layers: Vec<String>,
}

impl Enricher {
    /// Opens every user database; unreadable ones become warnings.
    pub fn new(opts: &EnrichOptions) -> Enricher {
        let embedded = Embedded::get();
        let mut paths: Vec<PathBuf> = opts.mmdb.clone();
        if let Some(dir) = &opts.data_dir {
            paths.extend(mmdb::discover(dir));
        }
        let mut seen = Vec::new();
        let mut user = Vec::new();
        let mut warnings: Vec<String> = embedded.warnings().to_vec();
        for path in paths {
            let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            match UserDb::open(&path, &format!("user-{}", user.len() + 1)) {
                Ok(db) => {
                    if let Some(w) = db.age_warning(opts.now) {
                        warnings.push(w);
                    }
                    user.push(db);
                }
                Err(e) => warnings.push(format!("{e}; this file was skipped, the other layers carry on")),
            }
        }
        let mut sources: Vec<DataSource> = user.iter().map(|u| u.source().clone()).collect();
        sources.extend(embedded.sources());
        sources.push(DataSource {
            id: curated::SOURCE_ID.into(),
            name: "sessionproof's curated list of Tor-operator, hosting and CDN autonomous systems".into(),
            version: Some(crate::TOOL_VERSION.into()),
            build_date: None,
            licence: Some("part of sessionproof".into()),
            attribution: None,
            sha256: None,
            kind: "curated".into(),
            path: None,
            database_type: None,
            layers: vec!["flags".into()],
        });
        sources.push(DataSource {
            id: TELEGRAM_SOURCE.into(),
            name: telegram::SOURCE_NAME.into(),
            version: None,
            build_date: Some("2026-01-19".into()),
            licence: Some("facts published by Telegram".into()),
            attribution: None,
            sha256: None,
            kind: "curated".into(),
            path: None,
            database_type: None,
            layers: vec!["telegram".into()],
        });
        let mut missing_layers = Vec::new();
        if !user.iter().any(|u| u.source().layers.iter().any(|l| l == "city")) {
            missing_layers.push(
                "city: no City database given, so places are country-level only (add one with --mmdb or a data directory)"
                    .to_string(),
            );
        }
        if !user.iter().any(|u| u.source().layers.iter().any(|l| l == "anonymity")) {
            missing_layers.push(
                "anonymity: no Anonymous-IP style database given, so hosting / VPN / Tor / proxy flags come only from \
                 the embedded cloud and VPN lists and the curated ASN list"
                    .to_string(),
            );
        }
        Enricher { embedded, user, sources, warnings, missing_layers }
    }

    /// Every source that may appear in facts.
    pub fn sources(&self) -> &[DataSource] {
        &self.sources
    }

    /// Everything known about one address.
    pub fn lookup(&self, text: &str) -> (IpFacts, Vec<String>) {
        let mut facts = IpFacts {
            ip: text.to_string(),
            normalized: None,
            class: None,
            asn: None,
            country: None,
            place: None,
            isp: None,
            flags: Vec::new(),
            notes: Vec::new(),
        };
        let mut errors = Vec::new();
        let parsed = match classify::parse_ip(text) {
            Ok(p) => p,
            Err(e) => {
                facts.notes.push(format!("{e}: not looked up"));
                return (facts, errors);
            }
        };
        let addr = parsed.addr;
        // A plainly written IPv4 address is already canonical (Rust refuses leading zeros);
        // formatting costs more than the lookups, so only other forms are re-written.
        facts.normalized = Some(match addr {
            IpAddr::V4(_) if parsed.notes.is_empty() => text.trim().to_string(),
            _ => addr.to_string(),
        });
        facts.notes.extend(parsed.notes);
        let class = classify::classify(addr);
        facts.class = Some(class);
        if class != AddressClass::Public {
            facts.notes.push(format!("{}: not looked up", classify::describe(class)));
            return (facts, errors);
        }

        let mut user_flags = Vec::new();
        for db in &self.user {
            let found = match db.lookup(addr) {
                Ok(f) => f,
                Err(e) => {
                    errors.push(e.to_string());
                    continue;
                }
            };
            let id = db.source().id.clone();
            if facts.asn.is_none() {
                facts.asn = found.asn.map(|value| Sourced { value, source: id.clone() });
            }
            if facts.country.is_none() {
                facts.country = found.country.map(|value| Sourced { value, source: id.clone() });
            }
            if facts.place.is_none() {
                facts.place = found.place.map(|value| Sourced { value, source: id.clone() });
            }
            if facts.isp.is_none() {
                facts.isp = found.isp.map(|value| Sourced { value, source: id.clone() });
            }
            for (kind, detail) in found.flags {
                user_flags.push(Flag { kind, source: id.clone(), detail, or_data_centre: false });
            }
        }
        if facts.asn.is_none()
            && let Some((number, org)) = self.embedded.asn(addr)
        {
            facts.asn = Some(Sourced {
                value: Asn { number, organization: Some(org.to_string()).filter(|o| !o.is_empty()) },
                source: "embedded-asn".into(),
            });
        }
        if facts.country.is_none()
            && let Some(cc) = self.embedded.country(addr)
        {
            facts.country = Some(Sourced { value: cc.to_string(), source: "embedded-country".into() });
        }

        // Telegram first: its network is never "a rogue data center".
        let asn_number = facts.asn.as_ref().map(|a| a.value.number);
        let telegram = match (telegram::prefix_of(addr), asn_number) {
            (Some(prefix), _) => Some(format!("in Telegram's published network {prefix}")),
            (None, Some(n)) if telegram::ASNS.contains(&n) => Some(format!("announced by Telegram's AS{n}")),
            _ => None,
        };
        if let Some(detail) = telegram {
            let suppressed = user_flags.len() + self.embedded.lists(addr).len();
            facts.flags.push(Flag {
                kind: FlagKind::Telegram,
                source: TELEGRAM_SOURCE.into(),
                detail,
                or_data_centre: false,
            });
            if suppressed > 0 {
                facts.notes.push(format!(
                    "Telegram infrastructure: {suppressed} hosting / VPN hint(s) from other sources were not applied"
                ));
            }
            return (facts, errors);
        }

        facts.flags.extend(user_flags);
        for hit in self.embedded.lists(addr) {
            // The hit's detail already names the list and its version.
            facts.flags.push(Flag {
                kind: hit.category,
                source: "embedded-misp".into(),
                detail: hit.detail,
                or_data_centre: hit.or_data_centre,
            });
        }
        if let Some(entry) = asn_number.and_then(curated::lookup) {
            facts.flags.push(Flag {
                kind: entry.kind,
                source: curated::SOURCE_ID.into(),
                detail: format!("AS{} ({}) is {}", entry.asn, entry.org, entry.why),
                or_data_centre: false,
            });
        }
        facts.flags.sort_by(|a, b| (a.kind, &a.source, &a.detail).cmp(&(b.kind, &b.source, &b.detail)));
        facts.flags.dedup();
        (facts, errors)
    }

    /// Enriches every address once (duplicates are looked up once), in a stable order.
    pub fn enrich<'a>(&self, ips: impl IntoIterator<Item = &'a str>) -> Enrichment {
        let mut out = BTreeMap::new();
        let mut warnings = self.warnings.clone();
        for ip in ips {
            if out.contains_key(ip) {
                continue;
            }
            let (facts, errors) = self.lookup(ip);
            for e in errors {
                if !warnings.contains(&e) {
                    warnings.push(e);
                }
            }
            out.insert(ip.to_string(), facts);
        }
        Enrichment { sources: self.sources.clone(), missing_layers: self.missing_layers.clone(), warnings, ips: out }
    }
}

/// The IP of an address text as a lookup key, for callers that hold `Option<String>`s.
pub fn is_lookup_candidate(ip: &Option<String>) -> Option<&str> {
    ip.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Parses an address for callers that need only the address (e.g. `lookup`'s argument check).
pub fn parse(text: &str) -> Result<IpAddr, String> {
    classify::parse_ip(text).map(|p| p.addr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curated_entries_match_the_asn_data_they_cite() {
        // Each curated organisation must be the one the embedded ASN data names for that number.
        let e = Embedded::get();
        let mismatches: Vec<String> = curated::LIST
            .iter()
            .filter(|c| e.organization_of(c.asn).map(str::to_lowercase) != Some(c.org.to_lowercase()))
            .map(|c| format!("AS{}: curated {:?}, data {:?}", c.asn, c.org, e.organization_of(c.asn)))
            .collect();
        assert!(mismatches.is_empty(), "{mismatches:#?}");
    }
}
