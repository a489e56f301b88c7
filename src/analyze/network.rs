//! The network signals, `net-hosting`, `net-vpn`, `net-tor` and `net-proxy`: the IP belongs to a
//! data centre or an anonymizer, by the flags the enrichment set, unless the subject declared it.
//!
//! One fact is one signal: a list that says of itself that it mixes VPNs and data centres (MISP's
//! `vpn-ipv4`) adds nothing to an address another source already calls a data centre, so it is
//! then a fact of `net-hosting` and does not fire `net-vpn` as well.

use super::Context;
use super::signals::{clear, facts_of, fired, not_evaluated};
use crate::model::case_config::Subject;
use crate::model::enrichment::{AddressClass, Flag, FlagKind, IpFacts};
use crate::model::finding::SignalResult;

/// The kinds `net-hosting` reports.
const DATA_CENTRE: &[FlagKind] = &[FlagKind::Hosting, FlagKind::Cdn];

/// The four network signals of an address, in the order of DESIGN §7.
pub fn network_signals<'a>(ctx: &Context<'a>, ip: &'a Option<String>) -> [SignalResult; 4] {
    [
        network(ctx, ip, "net-hosting", DATA_CENTRE, "a hosting, cloud or CDN network"),
        network(ctx, ip, "net-vpn", &[FlagKind::Vpn], "a VPN provider or data center"),
        network(ctx, ip, "net-tor", &[FlagKind::Tor], "a Tor exit network"),
        network(ctx, ip, "net-proxy", &[FlagKind::Proxy, FlagKind::Relay], "a proxy"),
    ]
}

/// The VPN provider the subject declared that runs the address's network, if any (an "AS1234"
/// entry, or a name the organisation contains).
pub fn declared_vpn<'s>(subject: &'s Subject, f: &IpFacts) -> Option<&'s String> {
    if subject.vpn_providers.is_empty() {
        return None;
    }
    let org = f.asn.as_ref().and_then(|a| a.value.organization.as_deref()).unwrap_or_default().to_lowercase();
    let asn = f.asn.as_ref().map(|a| format!("as{}", a.value.number)).unwrap_or_default();
    subject.vpn_providers.iter().find(|p| {
        let p = p.trim().to_lowercase();
        !p.is_empty() && ((!asn.is_empty() && p == asn) || (!org.is_empty() && org.contains(&p)))
    })
}

/// Whether a source other than a mixed VPN-or-data-centre list calls the address a data centre.
fn plainly_data_centre(f: &IpFacts) -> bool {
    f.flags.iter().any(|fl| DATA_CENTRE.contains(&fl.kind) && !fl.or_data_centre)
}

/// One network signal: fires when a source flags the address as one of `kinds`.
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
    let mut hits: Vec<&Flag> = f.flags.iter().filter(|fl| kinds.contains(&fl.kind)).collect();
    let sources = |hits: &[&Flag]| hits.iter().map(|h| format!("{} ({})", h.detail, h.source)).collect::<Vec<_>>();
    let data_centre = plainly_data_centre(f);
    // A Tor exit on a list of VPN and data-center ranges alike is the Tor exit, counted by net-tor.
    let tor = f.has(FlagKind::Tor) && !kinds.contains(&FlagKind::Tor);
    if !hits.is_empty()
        && hits.iter().all(|h| h.or_data_centre)
        && (data_centre || tor)
        && !kinds.contains(&FlagKind::Hosting)
    {
        let (what_else, under) = if tor { ("a Tor exit", "net-tor") } else { ("a data center", "net-hosting") };
        return clear(
            id,
            format!(
                "the only listing of {} as such is a list of VPN and data-center ranges alike, and other sources \
                 already call it {what_else}: counted once, under {under}",
                f.ip
            ),
            &[("sources", sources(&hits).join("; "))],
        );
    }
    if kinds.contains(&FlagKind::Hosting) && data_centre {
        // The mixed lists' hits are data-centre facts too: shown here, where they are counted.
        hits.extend(f.flags.iter().filter(|fl| fl.or_data_centre && !kinds.contains(&fl.kind)));
    }
    if hits.is_empty() {
        return clear(id, "no data source lists the address as such", &[]);
    }
    let sources = sources(&hits).join("; ");
    if let Some(p) = declared_vpn(ctx.subject, f) {
        return clear(id, format!("{} is {what}, but the subject declared using {p:?}", f.ip), &[("sources", sources)]);
    }
    let org = f.asn.as_ref().and_then(|a| a.value.organization.clone()).unwrap_or_default();
    let asn = f.asn.as_ref().map(|a| format!("AS{}", a.value.number)).unwrap_or_default();
    fired(
        id,
        format!("{} ({asn} {org}) is consistent with {what}", f.ip),
        &[("ip", f.ip.clone()), ("asn", format!("{asn} {org}").trim().to_string()), ("sources", sources)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::testkit::*;
    use crate::model::enrichment::FlagKind::*;
    use crate::model::finding::SignalStatus::{self, *};
    use crate::model::snapshot::Snapshot;

    /// The four network signals of `ip` given its facts.
    fn judge(subject: &Subject, facts: IpFacts) -> [SignalResult; 4] {
        let ip = Some(facts.ip.clone());
        let e = enrichment(vec![facts]);
        let snaps: Vec<Snapshot> = vec![];
        let refs: Vec<&Snapshot> = snaps.iter().collect();
        let ctx = Context::new(subject, &refs, &e);
        network_signals(&ctx, &ip)
    }

    #[test]
    fn one_listing_is_one_signal() {
        let none = Subject::default();
        let aws = || {
            public(
                "3.5.140.2",
                16509,
                "Amazon.com, Inc.",
                Some("KR"),
                &[(Hosting, "curated-asn", false), (Hosting, "embedded-misp", false), (Vpn, "embedded-misp", true)],
            )
        };
        let cases: Vec<(&str, Subject, IpFacts, [SignalStatus; 4])> = vec![
            // A cloud address on the mixed VPN-or-data-centre list: a data centre, counted once.
            ("cloud on the mixed list", none.clone(), aws(), [Fired, Clear, Clear, Clear]),
            (
                "CDN on the mixed list",
                none.clone(),
                public(
                    "104.16.1.1",
                    13335,
                    "Cloudflare, Inc.",
                    None,
                    &[(Cdn, "curated-asn", false), (Vpn, "embedded-misp", true)],
                ),
                [Fired, Clear, Clear, Clear],
            ),
            // The mixed list alone: it may be a VPN, so net-vpn fires (and only it).
            (
                "only the mixed list",
                none.clone(),
                public("8.8.8.8", 15169, "Google LLC", None, &[(Vpn, "embedded-misp", true)]),
                [Clear, Fired, Clear, Clear],
            ),
            // A source that says VPN outright is a second fact.
            (
                "plain VPN in a data centre",
                none.clone(),
                public(
                    "1.2.3.4",
                    9009,
                    "M247 Europe SRL",
                    None,
                    &[(Hosting, "curated-asn", false), (Vpn, "user-1", false)],
                ),
                [Fired, Fired, Clear, Clear],
            ),
            // A Tor exit on the mixed list is the Tor exit: counted once, under net-tor.
            (
                "Tor exit on the mixed list",
                none.clone(),
                public(
                    "185.220.101.4",
                    60729,
                    "Stiftung Erneuerbare Freiheit",
                    None,
                    &[(Tor, "curated-asn", false), (Vpn, "embedded-misp", true)],
                ),
                [Clear, Clear, Fired, Clear],
            ),
            (
                "relay",
                none.clone(),
                public("172.224.1.1", 36183, "Akamai", None, &[(Relay, "user-1", false)]),
                [Clear, Clear, Clear, Fired],
            ),
            // The subject's declared VPN provider is clear for every network signal.
            (
                "declared provider",
                Subject { vpn_providers: vec!["amazon".into()], ..Default::default() },
                aws(),
                [Clear, Clear, Clear, Clear],
            ),
            (
                "declared by AS number",
                Subject { vpn_providers: vec!["AS16509".into(), " ".into()], ..Default::default() },
                aws(),
                [Clear, Clear, Clear, Clear],
            ),
            (
                "Telegram",
                none.clone(),
                public(
                    "149.154.167.50",
                    62041,
                    "Telegram Messenger Inc",
                    None,
                    &[(Telegram, "telegram-network", false)],
                ),
                [Clear, Clear, Clear, Clear],
            ),
            (
                "private range",
                none.clone(),
                IpFacts { class: Some(AddressClass::Private), asn: None, ..public("10.1.2.3", 0, "", None, &[]) },
                [Clear, Clear, Clear, Clear],
            ),
            (
                "not an address",
                none.clone(),
                IpFacts { normalized: None, class: None, asn: None, ..public("300.1.2.3", 0, "", None, &[]) },
                [NotEvaluated, NotEvaluated, NotEvaluated, NotEvaluated],
            ),
        ];
        for (what, subject, facts, want) in cases {
            let got = judge(&subject, facts).map(|r| r.status);
            assert_eq!(got, want, "{what}");
        }
        // The mixed list's hit stays visible: a fact of net-hosting, and named where net-vpn is clear.
        let [hosting, vpn, ..] = judge(&none, aws());
        assert!(hosting.facts.get("sources").unwrap().contains("embedded-misp says Vpn"), "{:?}", hosting.facts);
        assert!(vpn.reason.contains("counted once, under net-hosting"), "{}", vpn.reason);
        assert!(vpn.facts.get("sources").unwrap().contains("embedded-misp says Vpn"));
        // An empty declared provider does not excuse everything.
        let blank = Subject { vpn_providers: vec![String::new()], ..Default::default() };
        assert_eq!(judge(&blank, aws())[0].status, Fired);
    }

    #[test]
    fn without_an_address_nothing_is_judged() {
        let e = enrichment(vec![]);
        let subject = Subject::default();
        let refs: Vec<&Snapshot> = vec![];
        let ctx = Context::new(&subject, &refs, &e);
        let none = None;
        assert!(network_signals(&ctx, &none).iter().all(|r| r.status == NotEvaluated));
    }
}
