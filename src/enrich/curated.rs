//! The project's own, source-cited list of autonomous systems whose addresses mean something
//! for a session: dedicated Tor operators, hosting and cloud providers, CDNs.
//!
//! Each entry names the organisation as the ASN registry data writes it and why it is listed.
//! An ASN hit is a hint to weigh, never a verdict: VPNs and Tor exits also sit in residential
//! networks, and hosting networks also carry legitimate services.

use crate::model::enrichment::FlagKind;

/// One listed autonomous system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CuratedAsn {
    pub asn: u32,
    /// The organisation as `@ip-location-db/asn` 2.3.2026061719 names it.
    pub org: &'static str,
    pub kind: FlagKind,
    pub why: &'static str,
    /// When the entry was added (YYYY-MM-DD).
    pub added: &'static str,
}

/// The source id facts from this list carry.
pub const SOURCE_ID: &str = "curated-asn";

/// Why dedicated Tor operators are listed.
const TOR_WHY: &str = "a non-profit that operates Tor exit relays: among the top operators of a public Tor \
exit-relay list of 2026-08-22 (addresses mapped to ASNs with @ip-location-db/asn)";
/// Why hosting providers are listed.
const HOSTING_WHY: &str = "a hosting / cloud provider by its own registration: servers, not home or mobile connections";
/// Why CDNs are listed.
const CDN_WHY: &str = "a content-delivery / anycast network by its own registration";

/// The list, sorted by ASN.
pub const LIST: &[CuratedAsn] = &[
    CuratedAsn {
        asn: 8075,
        org: "Microsoft Corporation",
        kind: FlagKind::Hosting,
        why: HOSTING_WHY,
        added: "2026-11-27",
    },
    CuratedAsn {
        asn: 9009,
        org: "M247 Europe SRL",
        kind: FlagKind::Hosting,
        why: "a hosting provider whose networks many commercial VPN brands rent for their exits",
        added: "2026-11-27",
    },
    CuratedAsn { asn: 13335, org: "Cloudflare, Inc.", kind: FlagKind::Cdn, why: CDN_WHY, added: "2026-11-27" },
    CuratedAsn { asn: 14061, org: "DigitalOcean, LLC", kind: FlagKind::Hosting, why: HOSTING_WHY, added: "2026-11-27" },
    CuratedAsn { asn: 15169, org: "Google LLC", kind: FlagKind::Hosting, why: HOSTING_WHY, added: "2026-11-27" },
    CuratedAsn { asn: 16276, org: "OVH SAS", kind: FlagKind::Hosting, why: HOSTING_WHY, added: "2026-11-27" },
    CuratedAsn { asn: 16509, org: "Amazon.com, Inc.", kind: FlagKind::Hosting, why: HOSTING_WHY, added: "2026-11-27" },
    CuratedAsn { asn: 16625, org: "Akamai Technologies, Inc.", kind: FlagKind::Cdn, why: CDN_WHY, added: "2026-11-27" },
    CuratedAsn {
        asn: 20473,
        org: "The Constant Company, LLC",
        kind: FlagKind::Hosting,
        why: "Vultr's cloud hosting network (registered as The Constant Company)",
        added: "2026-11-27",
    },
    CuratedAsn { asn: 20940, org: "Akamai International B.V.", kind: FlagKind::Cdn, why: CDN_WHY, added: "2026-11-27" },
    CuratedAsn {
        asn: 24940,
        org: "Hetzner Online GmbH",
        kind: FlagKind::Hosting,
        why: HOSTING_WHY,
        added: "2026-11-27",
    },
    CuratedAsn {
        asn: 53667,
        org: "FranTech Solutions",
        kind: FlagKind::Hosting,
        why: "BuyVM hosting; it also carries many Tor exits, but is a general hoster",
        added: "2026-11-27",
    },
    CuratedAsn { asn: 54113, org: "Fastly, Inc.", kind: FlagKind::Cdn, why: CDN_WHY, added: "2026-11-27" },
    CuratedAsn {
        asn: 60729,
        org: "Stiftung Erneuerbare Freiheit",
        kind: FlagKind::Tor,
        why: TOR_WHY,
        added: "2026-11-27",
    },
    CuratedAsn {
        asn: 63949,
        org: "Akamai Technologies, Inc.",
        kind: FlagKind::Hosting,
        why: "Linode cloud hosting, now Akamai Connected Cloud",
        added: "2026-11-27",
    },
    CuratedAsn { asn: 197540, org: "netcup GmbH", kind: FlagKind::Hosting, why: HOSTING_WHY, added: "2026-11-27" },
    CuratedAsn {
        asn: 198093,
        org: "Foreningen for digitala fri- och rattigheter",
        kind: FlagKind::Tor,
        why: TOR_WHY,
        added: "2026-11-27",
    },
    CuratedAsn { asn: 205100, org: "F3 Netze e.V.", kind: FlagKind::Tor, why: TOR_WHY, added: "2026-11-27" },
    CuratedAsn {
        asn: 208323,
        org: "Foundation for Applied Privacy",
        kind: FlagKind::Tor,
        why: TOR_WHY,
        added: "2026-11-27",
    },
    CuratedAsn { asn: 214503, org: "QuxLabs AB", kind: FlagKind::Tor, why: TOR_WHY, added: "2026-11-27" },
    CuratedAsn { asn: 215125, org: "Church of Cyberology", kind: FlagKind::Tor, why: TOR_WHY, added: "2026-11-27" },
    CuratedAsn { asn: 396507, org: "Emerald Onion", kind: FlagKind::Tor, why: TOR_WHY, added: "2026-11-27" },
    CuratedAsn { asn: 400226, org: "StormyCloud Inc", kind: FlagKind::Tor, why: TOR_WHY, added: "2026-11-27" },
    CuratedAsn { asn: 401401, org: "Unredacted Inc", kind: FlagKind::Tor, why: TOR_WHY, added: "2026-11-27" },
];

/// The entry for `asn`, if listed.
pub fn lookup(asn: u32) -> Option<&'static CuratedAsn> {
    LIST.binary_search_by_key(&asn, |e| e.asn).ok().map(|i| &LIST[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_unique() {
        assert!(LIST.windows(2).all(|w| w[0].asn < w[1].asn));
        assert_eq!(lookup(60729).map(|e| e.kind), Some(FlagKind::Tor));
        assert_eq!(lookup(16509).map(|e| e.kind), Some(FlagKind::Hosting));
        assert!(lookup(62041).is_none(), "Telegram is never listed as hosting");
    }
}
