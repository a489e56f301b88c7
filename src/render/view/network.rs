//! What the offline data says about an IP, for the tables (one line) and the per-session detail
//! (one row per fact, each with the source that gave it).

use super::Ctx;
use super::format::{dash, safe};
use crate::model::enrichment::{AddressClass, FlagKind, IpFacts};
use crate::model::view::EnrichmentFact;
use crate::render::i18n::Catalogue;

/// An IP in the tables: who runs the network, what it is used for, where it is placed.
pub(super) struct Net {
    pub network: String,
    pub flags: Vec<String>,
    pub geolocated: String,
}

impl Net {
    /// Everything in one line, for the smaller tables.
    pub fn line(&self) -> String {
        let mut parts = vec![self.network.clone()];
        parts.extend(self.flags.iter().cloned());
        if self.geolocated != dash() {
            parts.push(self.geolocated.clone());
        }
        parts.join(" · ")
    }
}

/// The facts of `ip`, when it was looked up.
fn facts<'a>(ctx: &'a Ctx, ip: &Option<String>) -> Option<&'a IpFacts> {
    let ip = ip.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    ctx.input.enrichment.ips.get(ip)
}

pub(super) fn net(ctx: &Ctx, ip: &Option<String>) -> Net {
    let c = ctx.c;
    let plain = |network: String| Net { network, flags: Vec::new(), geolocated: dash() };
    let Some(f) = facts(ctx, ip) else { return plain(c.t("net.no_ip")) };
    if f.normalized.is_none() {
        return plain(c.t("net.not_an_ip"));
    }
    if let Some(class) = f.class.filter(|k| *k != AddressClass::Public) {
        return plain(c.tf("net.not_looked_up", &[("class", &class_label(c, class))]));
    }
    let mut network = match &f.asn {
        Some(a) => {
            let org = a.value.organization.as_deref().map(|o| safe(c, o, 60)).unwrap_or_default();
            format!("AS{} {org} [{}]", a.value.number, a.source).replace("  ", " ")
        }
        None => c.t("net.as_unknown"),
    };
    if let Some(isp) = &f.isp {
        network.push_str(&format!(" · {} [{}]", c.tf("net.isp", &[("name", &safe(c, &isp.value, 60))]), isp.source));
    }
    let geolocated = match (&f.place, &f.country) {
        (Some(p), _) => {
            let v = &p.value;
            let text =
                [&v.city, &v.region, &v.country].iter().filter_map(|x| x.as_deref()).collect::<Vec<_>>().join(", ");
            format!("{} [{}]", safe(c, &text, 80), p.source)
        }
        (None, Some(k)) => format!("{} [{}]", k.value, k.source),
        _ => dash(),
    };
    // One entry per kind, with every source that set it.
    let mut kinds: Vec<(FlagKind, Vec<&str>)> = Vec::new();
    for fl in &f.flags {
        match kinds.iter_mut().find(|(k, _)| *k == fl.kind) {
            Some((_, sources)) if !sources.contains(&fl.source.as_str()) => sources.push(&fl.source),
            Some(_) => {}
            None => kinds.push((fl.kind, vec![&fl.source])),
        }
    }
    let flags = kinds.into_iter().map(|(k, s)| format!("{} [{}]", flag_label(c, k), s.join(", "))).collect();
    Net { network, flags, geolocated }
}

/// The country a session is placed in (ISO 3166-1 alpha-2), for the map: where the offline data
/// places its IP, else the country Telegram names for it (screenshots show no IP). The map draws
/// both alike; the session's detail says which basis `geo-unfamiliar` used.
pub(super) fn country(ctx: &Ctx, ip: &Option<String>, telegram: Option<&str>) -> Option<String> {
    let f = facts(ctx, ip);
    let from_place = f.and_then(|f| f.place.as_ref()).and_then(|p| p.value.country.clone());
    from_place
        .or_else(|| f.and_then(|f| f.country.as_ref()).map(|k| k.value.clone()))
        .or_else(|| telegram.and_then(crate::model::countries::code_for_name).map(str::to_string))
}

/// Every fact about `ip`, each with its source, for the per-session detail.
pub(super) fn enrichment_facts(ctx: &Ctx, ip: &Option<String>, out: &mut Vec<EnrichmentFact>) {
    let c = ctx.c;
    let mut push = |key: &str, value: String, source: &str| {
        out.push(EnrichmentFact { label: c.t(key), value, source: source.to_string() });
    };
    let Some(f) = facts(ctx, ip) else {
        push("details.net_ip", c.t("net.no_ip"), "—");
        return;
    };
    push("details.net_ip", safe(c, &f.ip, 80), "—");
    if f.normalized.is_none() {
        push("details.net_class", c.t("net.not_an_ip"), "—");
        return;
    }
    if let Some(class) = f.class.filter(|k| *k != AddressClass::Public) {
        push("details.net_class", c.tf("net.not_looked_up", &[("class", &class_label(c, class))]), "—");
        return;
    }
    match &f.asn {
        Some(a) => {
            push("details.net_asn", format!("AS{}", a.value.number), &a.source);
            if let Some(o) = &a.value.organization {
                push("details.net_org", safe(c, o, 120), &a.source);
            }
        }
        None => push("details.net_asn", c.t("net.as_unknown"), "—"),
    }
    if let Some(isp) = &f.isp {
        push("details.net_isp", safe(c, &isp.value, 120), &isp.source);
    }
    if let Some(k) = &f.country {
        push("details.net_country", k.value.clone(), &k.source);
    }
    if let Some(p) = &f.place {
        let v = &p.value;
        let text = [&v.city, &v.region, &v.country].iter().filter_map(|x| x.as_deref()).collect::<Vec<_>>().join(", ");
        if !text.is_empty() {
            push("details.net_place", safe(c, &text, 120), &p.source);
        }
        if let (Some(lat), Some(lon)) = (v.latitude, v.longitude) {
            push("details.net_coordinates", format!("{lat:.4}, {lon:.4}"), &p.source);
        }
        if let Some(km) = v.accuracy_km {
            push("details.net_accuracy", c.tf("details.net_accuracy_km", &[("km", &km.to_string())]), &p.source);
        }
    }
    for fl in &f.flags {
        let label = flag_label(c, fl.kind);
        // Our data sources' own words: shown whole (a user database's text is still made safe).
        out.push(EnrichmentFact { label, value: safe(c, &fl.detail, 1000), source: fl.source.clone() });
    }
    for note in &f.notes {
        out.push(EnrichmentFact { label: c.t("details.net_note"), value: safe(c, note, 200), source: dash() });
    }
}

pub(super) fn flag_label(c: &Catalogue, kind: FlagKind) -> String {
    c.t(match kind {
        FlagKind::Telegram => "flag.telegram",
        FlagKind::Tor => "flag.tor",
        FlagKind::Vpn => "flag.vpn",
        FlagKind::Proxy => "flag.proxy",
        FlagKind::Hosting => "flag.hosting",
        FlagKind::Cdn => "flag.cdn",
        FlagKind::Relay => "flag.relay",
        FlagKind::PublicDns => "flag.public_dns",
    })
}

fn class_label(c: &Catalogue, class: AddressClass) -> String {
    c.t(match class {
        AddressClass::Public => "class.public",
        AddressClass::Private => "class.private",
        AddressClass::Loopback => "class.loopback",
        AddressClass::LinkLocal => "class.link_local",
        AddressClass::Cgnat => "class.cgnat",
        AddressClass::Documentation => "class.documentation",
        AddressClass::Multicast => "class.multicast",
        AddressClass::Unspecified => "class.unspecified",
        AddressClass::Broadcast => "class.broadcast",
        AddressClass::Reserved => "class.reserved",
    })
}
