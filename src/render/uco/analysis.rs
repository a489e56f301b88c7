//! What the analysis adds: each address's AS and place with the source that gave them, the data
//! sources themselves, and the verdicts as annotations kept apart from Telegram's facts.

use super::graph::Graph;
use super::ids::{decimal, integer, is_sha256, node_ref};
use crate::model::enrichment::{Enrichment, IpFacts};
use crate::model::finding::{SessionFinding, SignalResult, SignalStatus};
use serde_json::json;

impl Graph<'_> {
    /// The AS and place of an address, each linked with the source that gave it.
    pub(super) fn network_facts(&mut self, ip: &str, facts: &IpFacts, e: &Enrichment) -> Vec<String> {
        let source_name = |id: &str| {
            e.sources.iter().find(|s| s.id == id).map(|s| format!("{} ({id})", s.name)).unwrap_or_else(|| id.into())
        };
        let mut out = Vec::new();
        if let Some(asn) = &facts.asn {
            let n = asn.value.number;
            let id = self.iri("autonomous-system", &[&n.to_string()]);
            let facet =
                self.facet(&id, "uco-observable:AutonomousSystemFacet", json!({ "uco-observable:number": integer(n) }));
            let mut node =
                json!({ "@id": id, "@type": "uco-observable:AutonomousSystem", "uco-core:hasFacet": [facet] });
            node["uco-core:name"] = json!(asn.value.organization.clone().unwrap_or_else(|| format!("AS{n}")));
            out.push(self.add(node));
            let d = format!("The address lies in a range announced by AS{n}, per {}.", source_name(&asn.source));
            out.push(self.relationship("Contained_Within", ip, &id, true, Some(d)));
        }
        let place = match (&facts.place, &facts.country) {
            (Some(p), _) => Some((
                [p.value.city.clone(), p.value.region.clone(), p.value.country.clone()],
                p.value.latitude.zip(p.value.longitude),
                p.value.accuracy_km,
                &p.source,
            )),
            (None, Some(c)) => Some(([None, None, Some(c.value.clone())], None, None, &c.source)),
            _ => None,
        };
        if let Some(([city, region, country], coords, accuracy, source)) = place {
            let key = format!("{city:?}|{region:?}|{country:?}|{coords:?}");
            let id = self.iri("location", &[&key]);
            let mut address = json!({});
            for (k, v) in [("locality", &city), ("region", &region), ("country", &country)] {
                if let Some(v) = v {
                    address[format!("uco-location:{k}")] = json!(v);
                }
            }
            let mut facets = vec![self.facet(&id, "uco-location:SimpleAddressFacet", address)];
            if let Some((lat, lon)) = coords.and_then(|(a, b)| decimal(a).zip(decimal(b))) {
                facets.push(self.facet(
                    &id,
                    "uco-location:LatLongCoordinatesFacet",
                    json!({ "uco-location:latitude": lat, "uco-location:longitude": lon }),
                ));
            }
            let name = [&city, &region, &country].iter().filter_map(|v| v.as_deref()).collect::<Vec<_>>().join(", ");
            out.push(self.add(json!({
                "@id": id,
                "@type": "uco-location:Location",
                "uco-core:name": name,
                "uco-core:hasFacet": facets,
            })));
            let mut d = format!("Geolocated by {}; GeoIP is city-level at best.", source_name(source));
            if let Some(km) = accuracy {
                d.push_str(&format!(" Stated accuracy: {km} km."));
            }
            out.push(self.relationship("Located_At", ip, &id, false, Some(d)));
        }
        out
    }

    /// Every enrichment data source, as the content it is, with its hash when known.
    pub(super) fn data_sources(&mut self, e: &Enrichment) -> Vec<String> {
        let mut out = Vec::new();
        for s in &e.sources {
            let id = self.iri("data-source", &[&s.id, &s.name, s.sha256.as_deref().unwrap_or("")]);
            let parts = [
                ("version", &s.version),
                ("build date", &s.build_date),
                ("licence", &s.licence),
                ("attribution", &s.attribution),
                ("path", &s.path),
                ("database type", &s.database_type),
            ];
            let mut d = format!("Enrichment data source {} ({}; layers: {})", s.id, s.kind, s.layers.join(", "));
            for (k, v) in parts {
                if let Some(v) = v {
                    d.push_str(&format!("; {k}: {v}"));
                }
            }
            let mut node = json!({
                "@id": id,
                "@type": "uco-observable:ContentData",
                "uco-core:name": s.name,
                "uco-core:description": d,
            });
            if let Some(sha) = s.sha256.as_deref().filter(|h| is_sha256(h)) {
                node["uco-core:hasFacet"] = json!([self.content(&id, None, sha)]);
            }
            out.push(self.add(node));
        }
        out
    }

    /// The session's verdict and fired signals as an annotation on it.
    pub(super) fn verdict(&mut self, session: &str, f: &SessionFinding) -> String {
        let mut statements = vec![format!("verdict {}: {}", f.verdict.as_str(), f.verdict_reason)];
        let mut tags = vec![format!("verdict:{}", f.verdict.as_str())];
        for s in f.signals.iter().filter(|s| s.status == SignalStatus::Fired) {
            statements.push(signal_statement(s));
            tags.push(format!("signal:{}", s.id));
        }
        let id = self.iri("annotation", &[session]);
        self.add(json!({
            "@id": id,
            "@type": "uco-core:Annotation",
            "uco-core:object": [node_ref(session)],
            "uco-core:statement": statements,
            "uco-core:tag": tags,
            "uco-core:description": signal_summary(&f.signals),
        }))
    }

    /// The account-level signals as an annotation on the account; `None` when there are none.
    pub(super) fn account_findings(&mut self, account: &str, signals: &[SignalResult]) -> Option<String> {
        if signals.is_empty() {
            return None;
        }
        let statements: Vec<String> =
            signals.iter().filter(|s| s.status == SignalStatus::Fired).map(signal_statement).collect();
        let mut node = json!({
            "@id": self.iri("annotation", &[account]),
            "@type": "uco-core:Annotation",
            "uco-core:object": [node_ref(account)],
            "uco-core:description": signal_summary(signals),
        });
        if !statements.is_empty() {
            node["uco-core:statement"] = json!(statements);
        }
        Some(self.add(node))
    }
}

fn signal_statement(s: &SignalResult) -> String {
    let facts: Vec<String> = s.facts.0.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    if facts.is_empty() {
        format!("{} fired: {}", s.id, s.reason)
    } else {
        format!("{} fired: {} (facts: {})", s.id, s.reason, facts.join(", "))
    }
}

fn signal_summary(signals: &[SignalResult]) -> String {
    let ids = |status| signals.iter().filter(|s| s.status == status).map(|s| s.id).collect::<Vec<_>>().join(", ");
    let or_none = |s: String| if s.is_empty() { "none".to_string() } else { s };
    format!(
        "Interpretation by {}'s analysis against the baseline declared in case.toml, not a fact reported by Telegram. \
         Signals fired: {}. Clear: {}. Not evaluated (baseline or data missing; never read as clean): {}.",
        crate::TOOL_NAME,
        or_none(ids(SignalStatus::Fired)),
        or_none(ids(SignalStatus::Clear)),
        or_none(ids(SignalStatus::NotEvaluated))
    )
}

pub(super) fn kind_tag(kind: crate::model::enrichment::FlagKind) -> &'static str {
    use crate::model::enrichment::FlagKind::*;
    match kind {
        Telegram => "telegram-infrastructure",
        Tor => "tor",
        Vpn => "vpn-or-data-center",
        Proxy => "proxy",
        Hosting => "hosting",
        Cdn => "cdn",
        Relay => "privacy-relay",
        PublicDns => "public-dns",
    }
}
