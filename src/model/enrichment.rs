//! What is known about an IP address, offline, and from which data source each fact came.

use serde::Serialize;
use std::collections::BTreeMap;

/// A data set a fact came from: enough to cite it in a report and to re-run the lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataSource {
    /// Short stable id used by facts, e.g. "embedded-asn", "user-1".
    pub id: String,
    /// Human name, e.g. "ip-location-db/asn (Route Views, NRO, DB-IP ASN Lite)".
    pub name: String,
    pub version: Option<String>,
    /// Build date of the data, YYYY-MM-DD.
    pub build_date: Option<String>,
    pub licence: Option<String>,
    /// The attribution the licence requires, shown in every report.
    pub attribution: Option<String>,
    /// sha256 of the database file (for embedded data: of the embedded bytes).
    pub sha256: Option<String>,
    /// "embedded", "user" or "curated".
    pub kind: String,
    /// Where a user file was read from.
    pub path: Option<String>,
    /// The mmdb `database_type`, for user files.
    pub database_type: Option<String>,
    /// The layers this source serves: "asn", "country", "city", "anonymity", "lists".
    pub layers: Vec<String>,
}

/// A value and the source that gave it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sourced<T> {
    pub value: T,
    pub source: String,
}

/// An autonomous system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Asn {
    pub number: u32,
    pub organization: Option<String>,
}

/// A place, at the precision the source has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    pub city: Option<String>,
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub accuracy_km: Option<u32>,
}

/// The kind of range an address is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddressClass {
    Public,
    Private,
    Loopback,
    LinkLocal,
    Cgnat,
    Documentation,
    Multicast,
    Unspecified,
    Broadcast,
    /// Another reserved or special-purpose range (RFC 6890 registries).
    Reserved,
}

/// What the network is used for, when a source says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlagKind {
    /// Telegram's own infrastructure: not a rogue data center.
    Telegram,
    Tor,
    Vpn,
    Proxy,
    /// Data center, cloud or hosting provider.
    Hosting,
    /// CDN or anycast network.
    Cdn,
    /// A privacy relay such as iCloud Private Relay.
    Relay,
    /// A public DNS resolver range.
    PublicDns,
}

/// One flag and who set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub source: String,
    /// Why, e.g. "AS60729 is a dedicated Tor operator" or "in MISP list amazon-aws".
    pub detail: String,
    /// The source lists this kind and data centres together without telling them apart (MISP's
    /// `vpn-ipv4` list: "VPN providers and datacenters"), so the address is a `kind` *or* a data
    /// centre. Such a hit adds nothing once another source says "data centre".
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub or_data_centre: bool,
}

/// Everything known about one address.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IpFacts {
    /// The address as the source wrote it.
    pub ip: String,
    /// The address parsed and normalized, or `None` when it did not parse.
    pub normalized: Option<String>,
    pub class: Option<AddressClass>,
    pub asn: Option<Sourced<Asn>>,
    /// Geolocated country (ISO 3166-1 alpha-2).
    pub country: Option<Sourced<String>>,
    pub place: Option<Sourced<Place>>,
    /// ISP or organisation name from an ISP / Enterprise database.
    pub isp: Option<Sourced<String>>,
    pub flags: Vec<Flag>,
    /// What could not be looked up and why (special range, address that does not parse).
    pub notes: Vec<String>,
}

impl IpFacts {
    /// Whether any source flagged the address as `kind`.
    pub fn has(&self, kind: FlagKind) -> bool {
        self.flags.iter().any(|f| f.kind == kind)
    }
}

/// The enrichment of a set of addresses, with every source used and every layer that was missing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enrichment {
    pub sources: Vec<DataSource>,
    /// Layers no source could serve ("city: no City database given").
    pub missing_layers: Vec<String>,
    /// Problems with data files (a corrupt .mmdb, an old GeoLite2 build).
    pub warnings: Vec<String>,
    pub ips: BTreeMap<String, IpFacts>,
}
