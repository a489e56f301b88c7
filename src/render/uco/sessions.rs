//! Telegram's sessions and the addresses it listed for them, kept as the sources gave them.

use super::analysis::kind_tag;
use super::graph::Graph;
use super::ids::{date_time, node_ref};
use crate::model::enrichment::{AddressClass, Enrichment, IpFacts};
use crate::model::snapshot::{Precision, Session, Time, TimeBasis, WebSession};
use serde_json::json;

impl Graph<'_> {
    /// Session `k` of the snapshot at `snapshot`, with Telegram's fields verbatim.
    pub(super) fn session(&mut self, acq: usize, snapshot: &str, k: usize, s: &Session, account: &str) -> String {
        let id = self.iri("session", &[snapshot, &k.to_string(), &s.locator]);
        let yes_no = |b: Option<bool>| b.map(|b| if b { "yes" } else { "no" }).unwrap_or("not stated");
        let mut fields = vec![
            field("app name", &s.app_name),
            field("app version", &s.app_version),
            field("device model", &s.device_model),
            field("platform", &s.platform),
            field("system version", &s.system_version),
            format!("api_id: {}", s.api_id.map(|a| a.to_string()).unwrap_or_else(|| "not stated".into())),
            field("IP", &s.ip),
            field("country", &s.country),
            field("region", &s.region),
            format!("created: {}", describe_time(&s.created)),
            format!("last active: {}", describe_time(&s.last_active)),
            format!("hash: {}", s.hash.map(|h| h.to_string()).unwrap_or_else(|| "not stated".into())),
            format!("current (the acquiring session): {}", yes_no(s.current)),
            format!("official app: {}", yes_no(s.official_app)),
            format!("password pending: {}", yes_no(s.password_pending)),
            format!("unconfirmed: {}", yes_no(s.unconfirmed)),
        ];
        if let Some(lines) = &s.as_written {
            fields.push(format!("as written by the source: “{}”", lines.join("”, “")));
        }
        let description = format!(
            "A logged-in session as Telegram listed it in acquisition {acq} ({snapshot}, {}). {}. \
             App, device, platform and system are declared by the client and can be spoofed.",
            s.locator,
            fields.join("; ")
        );
        let name = format!("Telegram session, acquisition {acq}, {}", s.locator);
        self.session_node(&id, name, description, &s.created, account)
    }

    /// Web session `k` of the snapshot at `snapshot`, with Telegram's fields verbatim.
    pub(super) fn web_session(
        &mut self,
        acq: usize,
        snapshot: &str,
        k: usize,
        w: &WebSession,
        account: &str,
    ) -> String {
        let id = self.iri("web-session", &[snapshot, &k.to_string(), &w.locator]);
        let fields = [
            field("domain", &w.domain),
            field("bot", &w.bot_username),
            format!("bot id: {}", w.bot_id.map(|b| b.to_string()).unwrap_or_else(|| "not stated".into())),
            field("browser", &w.browser),
            field("platform", &w.platform),
            field("IP", &w.ip),
            field("region", &w.region),
            format!("created: {}", describe_time(&w.created)),
            format!("last active: {}", describe_time(&w.last_active)),
            format!("hash: {}", w.hash.map(|h| h.to_string()).unwrap_or_else(|| "not stated".into())),
        ];
        let description = format!(
            "A \"Log in with Telegram\" web session as Telegram listed it in acquisition {acq} ({snapshot}, {}). {}.",
            w.locator,
            fields.join("; ")
        );
        let name = format!("Telegram web login, acquisition {acq}, {}", w.locator);
        self.session_node(&id, name, description, &w.created, account)
    }

    /// The session node and its `UserSessionFacet`.
    pub(super) fn session_node(
        &mut self,
        id: &str,
        name: String,
        description: String,
        created: &Option<Time>,
        account: &str,
    ) -> String {
        let mut facet = json!({ "uco-observable:effectiveUser": node_ref(account) });
        // A day-only time ("Tue" on a screenshot) is not a login instant; the description keeps it.
        let instant = created.as_ref().filter(|t| t.precision != Some(Precision::Day));
        if let Some(v) = instant.and_then(|t| t.utc.as_deref()).and_then(date_time) {
            facet["uco-observable:loginTime"] = v;
        }
        let facet = self.facet(id, "uco-observable:UserSessionFacet", facet);
        self.add(json!({
            "@id": id,
            "@type": "uco-observable:UserSession",
            "uco-core:name": name,
            "uco-core:description": description,
            "uco-core:hasFacet": [facet],
        }))
    }

    /// The node of the address `raw`, made once per address; `None` for no address or one that
    /// does not parse (the session's description keeps the text).
    pub(super) fn address<'e>(
        &mut self,
        enrichment: &'e Enrichment,
        raw: &Option<String>,
        seen: &mut Vec<(String, Option<&'e IpFacts>)>,
    ) -> Option<String> {
        let raw = raw.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        let facts = enrichment.ips.get(raw);
        let addr: std::net::IpAddr = match facts {
            Some(f) => f.normalized.as_deref()?.parse().ok()?,
            None => raw.parse().ok()?,
        };
        let text = addr.to_string();
        let id = self.iri("ip-address", &[&text]);
        if self.ids.contains(&id) {
            return Some(id);
        }
        let (class, facet_class) = if addr.is_ipv4() {
            ("uco-observable:IPv4Address", "uco-observable:IPv4AddressFacet")
        } else {
            ("uco-observable:IPv6Address", "uco-observable:IPv6AddressFacet")
        };
        let facet = self.facet(&id, facet_class, json!({ "uco-observable:addressValue": text }));
        let mut node = json!({ "@id": id, "@type": class, "uco-core:hasFacet": [facet] });
        if let Some(facts) = facts {
            let mut notes: Vec<String> = Vec::new();
            if let Some(c) = facts.class.filter(|c| *c != AddressClass::Public) {
                notes.push(format!("{}: not looked up", crate::enrich::classify::describe(c)));
            }
            notes.extend(facts.flags.iter().map(|f| format!("{} [{}]: {}", kind_tag(f.kind), f.source, f.detail)));
            notes.extend(facts.notes.iter().cloned());
            if !notes.is_empty() {
                node["uco-core:description"] = json!(notes.join("; "));
            }
            let mut tags: Vec<&str> = facts.flags.iter().map(|f| kind_tag(f.kind)).collect();
            tags.sort_unstable();
            tags.dedup();
            if !tags.is_empty() {
                node["uco-core:tag"] = json!(tags);
            }
        }
        self.add(node);
        seen.push((id.clone(), facts));
        Some(id)
    }

    /// The session was used from the address, as Telegram listed it.
    pub(super) fn connected_from(&mut self, session: &str, ip: &str, acq: usize) -> String {
        let d = format!("Telegram listed this address for the session in acquisition {acq}.");
        self.relationship("Connected_From", session, ip, true, Some(d))
    }
}

fn field(label: &str, v: &Option<String>) -> String {
    format!("{label}: {}", v.as_deref().unwrap_or("not stated"))
}

pub(super) fn describe_time(t: &Option<Time>) -> String {
    let Some(t) = t else { return "not stated".into() };
    let basis = match t.basis {
        TimeBasis::Unix => "unix time",
        TimeBasis::Offset => "time with offset",
        TimeBasis::LocalAssumed => "local time, zone assumed",
        TimeBasis::LocalUnknown => "local time, zone unknown",
    };
    let precision = match t.precision {
        Some(Precision::Day) => ", day only",
        Some(Precision::Minute) => ", to the minute",
        None => "",
    };
    format!("{} (as written: “{}”; {basis}{precision})", t.utc.as_deref().unwrap_or("UTC unknown"), t.original)
}
