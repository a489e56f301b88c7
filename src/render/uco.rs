//! `case-uco.jsonld`: the case in the CASE/UCO ontology, for forensic tools that read CASE and for
//! `case_validate` (PyPI `case-utils` 0.18.0, whose bundled ontology is CASE 1.5.0 / UCO 1.5.0).
//! Every class and property used here exists in that version; the choices, checked against the
//! ontology files shipped in that package:
//!
//! - the case: `case-investigation:Investigation` (name = case id; `core:object` lists every node);
//! - the examiner: `uco-identity:Person` holding a `case-investigation:Examiner` role (a `Has_Role`
//!   relationship); the account owner: a `uco-identity:Person` named by the declared pseudonym only.
//!   The account's user id, username and phone number are never written;
//! - sessionproof: one `uco-tool:Tool` per version the custody log names; the running program as
//!   a `uco-observable:File` carrying its SHA-256;
//! - each acquisition: a `case-investigation:InvestigativeAction` (instrument = the tool, object =
//!   the originals, result = the snapshot and what Telegram listed in it); the analysis and the
//!   report generation are two more actions whose results are the bundle's files;
//! - files: `uco-observable:File` with a `FileFacet` (name, case-relative path, size) and a
//!   `ContentDataFacet` (size, `uco-types:Hash` SHA256 as `xsd:hexBinary`);
//! - sessions: `uco-observable:UserSession` with a `UserSessionFacet` (`loginTime` = created,
//!   `effectiveUser` = the account). UCO has no facet for a messenger's session fields, and a
//!   `Device` or `Application` node would assert a device that only the client declared, so
//!   Telegram's fields are kept verbatim in the session's description instead;
//! - addresses: `uco-observable:IPv4Address` / `IPv6Address` with their facets, one node per
//!   address; autonomous systems: `AutonomousSystem` + facet (number; the organisation is the
//!   name); places: `uco-location:Location` with `SimpleAddressFacet` and, when coordinates are
//!   known, `LatLongCoordinatesFacet`;
//! - links: session → address `Connected_From` (the session was used from that address; both
//!   observable, so an `ObservableRelationship`), address → AS `Contained_Within`, address →
//!   place `Located_At` (a `core:Relationship`: a place is not observable), all directional;
//! - interpretation stays apart from fact: each verdict is a `core:Annotation` on its session,
//!   made by the analysis action.
//!
//! The security log's events are not modelled (the report and `findings.json` carry them).
//! Untrusted strings are plain JSON strings; control and bidi characters are written as escapes.

mod escape;
mod ids;

use super::RenderError;
use super::view::ReportInput;
use crate::model::custody::FileRef;
use crate::model::enrichment::{AddressClass, IpFacts};
use crate::model::finding::{SessionFinding, SignalResult, SignalStatus};
use crate::model::manifest::ManifestEntry;
use crate::model::snapshot::{Precision, Session, Time, TimeBasis, WebSession};
use ids::{date_time, decimal, hex_binary, integer, is_sha256, node_ref};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashSet};

/// The ontology version the document is written for.
pub const ONTOLOGY_VERSION: &str = "CASE 1.5.0 / UCO 1.5.0";

/// What only the pipeline knows about the bundle being written.
#[derive(Debug, Clone)]
pub struct UcoBundle {
    /// The bundle folder relative to the case folder, e.g. `reports/20261126T120000Z`.
    pub dir: String,
    /// `case.toml` as the report read it (path relative to the case folder).
    pub case_toml: FileRef,
    /// Each snapshot file, in the order of [`ReportInput::snapshots`].
    pub snapshots: Vec<FileRef>,
    /// The bundle's own files written before this document (paths relative to the bundle).
    pub files: Vec<ManifestEntry>,
}

/// The case as CASE/UCO JSON-LD, pretty-printed with a final newline.
pub fn render_uco(input: &ReportInput, bundle: &UcoBundle) -> Result<String, RenderError> {
    let fail = |message: String| RenderError { what: "case-uco.jsonld".into(), message };
    if bundle.snapshots.len() != input.snapshots.len() {
        return Err(fail(format!(
            "{} snapshot files given for {} snapshots",
            bundle.snapshots.len(),
            input.snapshots.len()
        )));
    }
    let mut g = Graph { case_id: &input.config.case.id, nodes: Vec::new(), ids: HashSet::new() };
    let generated = input.generated_at.to_string();

    let examiner = input.config.case.examiner.as_deref().map(|name| g.examiner(name));
    let account = g.account(input);
    let tool = g.tool(crate::TOOL_NAME, crate::TOOL_VERSION);
    let program = g.program(&input.binary_sha256);

    let evidence: BTreeMap<&str, String> = input
        .evidence
        .iter()
        .map(|e| {
            let received = received_as(input, &e.sha256);
            let mut note = format!("Original preserved byte for byte; received as {received}.");
            if !e.intact {
                note.push_str(" Its SHA-256 does not match the name it is stored under.");
            }
            (e.sha256.as_str(), g.file(&e.rel_path, e.bytes, &e.sha256, &note))
        })
        .collect();
    let case_toml = g.file(
        &bundle.case_toml.path,
        bundle.case_toml.bytes,
        &bundle.case_toml.sha256,
        "The case file: case id, examiner and the subject's declared baseline the analysis judges against.",
    );

    // Acquisitions: what Telegram listed, as each source gave it.
    let mut ips: Vec<(String, Option<&IpFacts>)> = Vec::new();
    let mut snapshot_files = Vec::new();
    let mut session_nodes = Vec::new();
    let mut web_nodes = Vec::new();
    let mut acquisitions = Vec::new();
    for (i, (item, file)) in input.snapshots.iter().zip(&bundle.snapshots).enumerate() {
        let n = i + 1;
        let s = &item.snapshot;
        let snapshot_file = g.file(
            &file.path,
            file.bytes,
            &file.sha256,
            &format!("Normalized snapshot of acquisition {n} (schema {}).", s.schema),
        );
        snapshot_files.push(snapshot_file.clone());
        let mut originals = Vec::new();
        let main = std::iter::once((s.source.sha256.as_str(), s.source.file_name.as_str(), s.source.bytes));
        let companions = s.source.companions.iter().map(|c| (c.sha256.as_str(), c.file_name.as_str(), c.bytes));
        for (sha, name, bytes) in main.chain(companions) {
            let iri = match evidence.get(sha) {
                Some(iri) => iri.clone(),
                None => g.missing_original(name, bytes, sha),
            };
            if !originals.contains(&iri) {
                originals.push(iri);
            }
        }
        let mut results = vec![snapshot_file];
        let mut ips_seen_here = HashSet::new();
        let mut listed = |g: &mut Graph, results: &mut Vec<String>, id: &str, ip: &Option<String>| {
            results.push(id.to_string());
            if let Some(ip) = g.address(&input.enrichment, ip, &mut ips) {
                if ips_seen_here.insert(ip.clone()) {
                    results.push(ip.clone());
                }
                results.push(g.connected_from(id, &ip, n));
            }
        };
        for (k, sess) in s.sessions.iter().enumerate() {
            let id = g.session(n, &item.rel_path, k, sess, &account);
            listed(&mut g, &mut results, &id, &sess.ip);
            session_nodes.push(id);
        }
        for (k, w) in s.web_sessions.iter().enumerate() {
            let id = g.web_session(n, &item.rel_path, k, w, &account);
            listed(&mut g, &mut results, &id, &w.ip);
            web_nodes.push(id);
        }
        let custody = input.custody.iter().find(|c| c.outputs.iter().any(|o| o.path == item.rel_path));
        let instrument = match custody {
            Some(c) => g.tool(&c.tool.name, &c.tool.version),
            None => tool.clone(),
        };
        let performer =
            custody.filter(|c| input.config.case.examiner.as_deref() == Some(c.actor.as_str())).and(examiner.clone());
        let action = g.iri("acquisition", &[&item.rel_path, &file.sha256]);
        let node = action_node(
            &action,
            &format!("acquisition {n}: {}", s.method.as_str()),
            &describe_acquisition(n, s, custody.map(|c| c.actor.as_str())),
            (&s.acquired_at, custody.map(|c| c.at.as_str()).unwrap_or(&s.acquired_at)),
            performer.as_deref(),
            &[instrument],
            &originals,
            &results,
        );
        g.nodes.push(node);
        acquisitions.push(action);
    }

    // Analysis: enrichment and signals, an interpretation kept apart from Telegram's facts.
    let mut analysis_results = Vec::new();
    for (ip_iri, facts) in ips.iter().filter_map(|(i, f)| f.map(|f| (i, f))) {
        analysis_results.extend(g.network_facts(ip_iri, facts, &input.enrichment));
    }
    for (session, finding) in session_nodes.iter().zip(&input.analysis.sessions) {
        analysis_results.push(g.verdict(session, finding));
    }
    for (session, finding) in web_nodes.iter().zip(&input.analysis.web_sessions) {
        analysis_results.push(g.verdict(session, finding));
    }
    if let Some(a) = g.account_findings(&account, &input.analysis.account) {
        analysis_results.push(a);
    }
    let mut report_results = Vec::new();
    for f in &bundle.files {
        let path = format!("{}/{}", bundle.dir, f.path);
        let id = g.file(&path, f.bytes, &f.sha256, &format!("Report bundle file ({}).", f.role));
        match f.role.as_str() {
            "findings" | "enrichment" => analysis_results.push(id),
            _ => report_results.push(id),
        }
    }
    let mut instruments = vec![tool.clone()];
    instruments.extend(program.clone());
    let mut analysis_instruments = instruments.clone();
    analysis_instruments.extend(g.data_sources(&input.enrichment));
    let mut analysis_objects = snapshot_files.clone();
    analysis_objects.push(case_toml.clone());
    let analysis = g.iri("analysis", &[&bundle.dir]);
    let mut analysis_node = action_node(
        &analysis,
        "analysis: offline enrichment and signals",
        "Each IP address looked up in offline data (sources are the instruments); each session judged against \
         the baseline declared in case.toml. Results are interpretations, not facts reported by Telegram.",
        (&generated, &generated),
        examiner.as_deref(),
        &analysis_instruments,
        &analysis_objects,
        &analysis_results,
    );
    analysis_node["case-investigation:wasInformedBy"] = acquisitions.iter().map(|a| node_ref(a)).collect();
    g.nodes.push(analysis_node);
    let mut report_objects = snapshot_files;
    report_objects.extend(evidence.values().cloned());
    report_objects.push(case_toml);
    let report = g.iri("report", &[&bundle.dir]);
    let mut report_node = action_node(
        &report,
        "report generation",
        &format!(
            "Report bundle {} written by {} {}; manifest.json in the bundle lists every file with its SHA-256 \
             (it is written after this document and names its hash).",
            bundle.dir,
            crate::TOOL_NAME,
            crate::TOOL_VERSION
        ),
        (&generated, &generated),
        examiner.as_deref(),
        &instruments,
        &report_objects,
        &report_results,
    );
    report_node["case-investigation:wasInformedBy"] = json!([node_ref(&analysis)]);
    g.nodes.push(report_node);

    let objects: Vec<Value> = g.nodes.iter().filter_map(|n| n["@id"].as_str()).map(node_ref).collect();
    let mut investigation = json!({
        "@id": g.iri("investigation", &[]),
        "@type": "case-investigation:Investigation",
        "uco-core:name": input.config.case.id,
        "uco-core:specVersion": ONTOLOGY_VERSION,
        "case-investigation:focus": "The logged-in sessions of a Telegram account: which are consistent with \
             the account owner's declared devices, places and habits, and which are not.",
        "case-investigation:investigationForm": "incident",
        "uco-core:description": format!(
            "Case {}: {} acquisition(s) of the account's session list, analysed and reported on {generated}.",
            input.config.case.id,
            input.snapshots.len()
        ),
        "uco-core:object": objects,
    });
    if let Some(start) = input.custody.first().and_then(|c| date_time(&c.at)) {
        investigation["uco-core:startTime"] = start;
    }
    let mut graph = vec![investigation];
    graph.append(&mut g.nodes);
    let doc = json!({ "@context": context(), "@graph": graph });
    escape::to_pretty_escaped(&doc).map_err(|e| fail(e.to_string()))
}

/// The prefixes the document uses.
fn context() -> Value {
    json!({
        "kb": "urn:sessionproof:",
        "case-investigation": "https://ontology.caseontology.org/case/investigation/",
        "uco-action": "https://ontology.unifiedcyberontology.org/uco/action/",
        "uco-core": "https://ontology.unifiedcyberontology.org/uco/core/",
        "uco-identity": "https://ontology.unifiedcyberontology.org/uco/identity/",
        "uco-location": "https://ontology.unifiedcyberontology.org/uco/location/",
        "uco-observable": "https://ontology.unifiedcyberontology.org/uco/observable/",
        "uco-tool": "https://ontology.unifiedcyberontology.org/uco/tool/",
        "uco-types": "https://ontology.unifiedcyberontology.org/uco/types/",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
    })
}

/// The top-level nodes of the graph, in the order they are made, and the case they belong to.
struct Graph<'a> {
    case_id: &'a str,
    nodes: Vec<Value>,
    /// The ids in `nodes`, so a case of 100,000 sessions stays linear.
    ids: HashSet<String>,
}

impl Graph<'_> {
    fn iri(&self, kind: &str, parts: &[&str]) -> String {
        ids::iri(self.case_id, kind, parts)
    }

    /// Adds `node` unless a node with its id exists; returns the id.
    fn add(&mut self, node: Value) -> String {
        let id = node["@id"].as_str().expect("every node has an id").to_string();
        if self.ids.insert(id.clone()) {
            self.nodes.push(node);
        }
        id
    }

    fn facet(&self, owner: &str, kind: &str, properties: Value) -> Value {
        let mut facet = json!({ "@id": self.iri(&kebab(kind), &[owner]), "@type": kind });
        merge(&mut facet, properties);
        facet
    }

    fn examiner(&mut self, name: &str) -> String {
        let person = self.add(json!({
            "@id": self.iri("person", &["examiner", name]),
            "@type": "uco-identity:Person",
            "uco-core:name": name,
            "uco-core:description": "The examiner named in case.toml.",
        }));
        let role = self.add(json!({
            "@id": self.iri("examiner-role", &[name]),
            "@type": "case-investigation:Examiner",
            "uco-core:name": "examiner",
        }));
        self.relationship("Has_Role", &person, &role, false, None);
        person
    }

    /// The account owner (by pseudonym only) and the Telegram account the acquisitions list.
    fn account(&mut self, input: &ReportInput) -> String {
        let pseudonym = input.config.subject.pseudonym.as_deref();
        let owner = self.add(json!({
            "@id": self.iri("person", &["subject"]),
            "@type": "uco-identity:Person",
            "uco-core:name": pseudonym.unwrap_or("the account owner (no pseudonym declared)"),
            "uco-core:description": "The account owner, by the pseudonym declared in case.toml. Real name, phone \
                 number, username and user id are deliberately not recorded in this document.",
        }));
        let id = self.iri("account", &[]);
        let mut description = String::from(
            "The Telegram account whose sessions were acquired; its identifiers are left out to keep the owner pseudonymous.",
        );
        if names_different_accounts(input) {
            description.push_str(
                " Note: the acquisitions name different accounts (an identifier both carry differs); \
                 the report names which. Sessions of one account say nothing about another.",
            );
        }
        let facet = self.facet(&id, "uco-observable:AccountFacet", json!({ "uco-observable:owner": node_ref(&owner) }));
        self.add(json!({
            "@id": id,
            "@type": "uco-observable:ApplicationAccount",
            "uco-core:name": format!("Telegram account of {}", pseudonym.unwrap_or("the account owner")),
            "uco-core:description": description,
            "uco-core:hasFacet": [facet],
        }))
    }

    fn tool(&mut self, name: &str, version: &str) -> String {
        let id = self.iri("tool", &[name, version]);
        self.add(json!({
            "@id": id,
            "@type": "uco-tool:Tool",
            "uco-core:name": name,
            "uco-tool:version": version,
            "uco-tool:toolType": "acquisition, offline analysis and reporting of Telegram session lists",
        }))
    }

    /// The running program, when its hash could be computed.
    fn program(&mut self, sha256: &str) -> Option<String> {
        if !is_sha256(sha256) {
            return None;
        }
        let id = self.iri("file", &["program", sha256]);
        let content = self.content(&id, None, sha256);
        Some(self.add(json!({
            "@id": id,
            "@type": "uco-observable:File",
            "uco-core:name": format!("{} program", crate::TOOL_NAME),
            "uco-core:description": "The executable that wrote this report, by the SHA-256 it had when it ran.",
            "uco-core:hasFacet": [content],
        })))
    }

    fn content(&self, owner: &str, bytes: Option<u64>, sha256: &str) -> Value {
        let mut props = json!({
            "uco-observable:hash": [{
                "@id": self.iri("hash", &[owner]),
                "@type": "uco-types:Hash",
                "uco-types:hashMethod": "SHA256",
                "uco-types:hashValue": hex_binary(sha256),
            }],
        });
        if let Some(b) = bytes {
            props["uco-observable:sizeInBytes"] = integer(b);
        }
        self.facet(owner, "uco-observable:ContentDataFacet", props)
    }

    /// A file of the case (path relative to the case folder) with its size and hash.
    fn file(&mut self, path: &str, bytes: u64, sha256: &str, description: &str) -> String {
        let id = self.iri("file", &[path, sha256]);
        let name = path.rsplit('/').next().unwrap_or(path);
        let mut file_facet = json!({
            "uco-observable:fileName": name,
            "uco-observable:filePath": path,
            "uco-observable:sizeInBytes": integer(bytes),
        });
        if let Some((_, ext)) = name.rsplit_once('.') {
            file_facet["uco-observable:extension"] = json!(ext);
        }
        let mut facets = vec![self.facet(&id, "uco-observable:FileFacet", file_facet)];
        if is_sha256(sha256) {
            facets.push(self.content(&id, Some(bytes), sha256));
        }
        self.add(json!({
            "@id": id,
            "@type": "uco-observable:File",
            "uco-core:description": description,
            "uco-core:hasFacet": facets,
        }))
    }

    /// An original a snapshot names but `evidence/` does not hold (the report says so too).
    fn missing_original(&mut self, name: &str, bytes: u64, sha256: &str) -> String {
        let id = self.iri("file", &["missing-original", sha256]);
        let mut facets = vec![self.facet(
            &id,
            "uco-observable:FileFacet",
            json!({ "uco-observable:fileName": name, "uco-observable:sizeInBytes": integer(bytes) }),
        )];
        if is_sha256(sha256) {
            facets.push(self.content(&id, Some(bytes), sha256));
        }
        self.add(json!({
            "@id": id,
            "@type": "uco-observable:File",
            "uco-core:description": "An original named by a snapshot but not found among the case's preserved originals.",
            "uco-core:hasFacet": facets,
        }))
    }

    fn session(&mut self, acq: usize, snapshot: &str, k: usize, s: &Session, account: &str) -> String {
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

    fn web_session(&mut self, acq: usize, snapshot: &str, k: usize, w: &WebSession, account: &str) -> String {
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

    fn session_node(
        &mut self,
        id: &str,
        name: String,
        description: String,
        created: &Option<Time>,
        account: &str,
    ) -> String {
        let mut facet = json!({ "uco-observable:effectiveUser": node_ref(account) });
        // A day-only time ("Tue" on a screenshot) is not a login instant; the description keeps it.
        if let Some(t) = created.as_ref().filter(|t| t.precision != Some(Precision::Day)) {
            if let Some(v) = t.utc.as_deref().and_then(date_time) {
                facet["uco-observable:loginTime"] = v;
            }
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
    fn address<'e>(
        &mut self,
        enrichment: &'e crate::model::enrichment::Enrichment,
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

    fn connected_from(&mut self, session: &str, ip: &str, acq: usize) -> String {
        let d = format!("Telegram listed this address for the session in acquisition {acq}.");
        self.relationship("Connected_From", session, ip, true, Some(d))
    }

    /// The AS and place of an address, each linked with the source that gave it.
    fn network_facts(&mut self, ip: &str, facts: &IpFacts, e: &crate::model::enrichment::Enrichment) -> Vec<String> {
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
    fn data_sources(&mut self, e: &crate::model::enrichment::Enrichment) -> Vec<String> {
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

    fn verdict(&mut self, session: &str, f: &SessionFinding) -> String {
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

    fn account_findings(&mut self, account: &str, signals: &[SignalResult]) -> Option<String> {
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

    fn relationship(&mut self, kind: &str, source: &str, target: &str, observable: bool, d: Option<String>) -> String {
        let class = if observable { "uco-observable:ObservableRelationship" } else { "uco-core:Relationship" };
        let mut node = json!({
            "@id": self.iri("relationship", &[kind, source, target]),
            "@type": class,
            "uco-core:source": node_ref(source),
            "uco-core:target": node_ref(target),
            "uco-core:kindOfRelationship": kind,
            "uco-core:isDirectional": true,
        });
        if let Some(d) = d {
            node["uco-core:description"] = json!(d);
        }
        self.add(node)
    }
}

/// An investigative action node.
#[allow(clippy::too_many_arguments)]
fn action_node(
    id: &str,
    name: &str,
    description: &str,
    (start, end): (&str, &str),
    performer: Option<&str>,
    instruments: &[String],
    objects: &[String],
    results: &[String],
) -> Value {
    let mut node = json!({
        "@id": id,
        "@type": "case-investigation:InvestigativeAction",
        "uco-core:name": name,
        "uco-core:description": description,
        "uco-action:actionStatus": "Complete/Finish",
    });
    if let Some(t) = date_time(start) {
        node["uco-action:startTime"] = t;
    }
    if let Some(t) = date_time(end) {
        node["uco-action:endTime"] = t;
    }
    if let Some(p) = performer {
        node["uco-action:performer"] = node_ref(p);
    }
    for (key, list) in [("instrument", instruments), ("object", objects), ("result", results)] {
        if !list.is_empty() {
            node[format!("uco-action:{key}")] = list.iter().map(|i| node_ref(i)).collect();
        }
    }
    node
}

fn describe_acquisition(n: usize, s: &crate::model::Snapshot, actor: Option<&str>) -> String {
    let mut d = format!(
        "Acquisition {n}: {} ({}) read as {}: {} session(s), {} web session(s), {} warning(s).",
        s.source.file_name,
        s.source.sha256,
        s.method.as_str(),
        s.sessions.len(),
        s.web_sessions.len(),
        s.warnings.len()
    );
    if let Some(t) = &s.captured_at {
        d.push_str(&format!(" The source states it captured the list at {}.", describe_time(&Some(t.clone()))));
    }
    if let Some(t) = &s.source.tool {
        d.push_str(&format!(
            " The original names its writer: {}{}.",
            t.name,
            t.version.as_deref().map(|v| format!(" {v}")).unwrap_or_default()
        ));
    }
    if let Some(z) = &s.source.source_tz {
        d.push_str(&format!(" Local dates read in the zone {z} (declared by the examiner)."));
    }
    if let Some(a) = actor {
        d.push_str(&format!(" The custody log names the actor: {a}."));
    }
    d
}

/// How each original with this hash reached the case, as the snapshots record it.
fn received_as(input: &ReportInput, sha: &str) -> String {
    let mut names: Vec<String> = Vec::new();
    for item in &input.snapshots {
        let src = &item.snapshot.source;
        if src.sha256 == sha {
            names.push(format!("{} ({})", src.file_name, item.snapshot.method.as_str()));
        }
        for c in src.companions.iter().filter(|c| c.sha256 == sha) {
            names.push(format!("{} ({})", c.file_name, c.role));
        }
    }
    names.dedup();
    if names.is_empty() { "an exhibit not read by any acquisition".into() } else { names.join("; ") }
}

/// Whether two acquisitions name different accounts (an identifier both carry differs).
fn names_different_accounts(input: &ReportInput) -> bool {
    let ids: Vec<[Option<String>; 3]> = input
        .snapshots
        .iter()
        .map(|i| {
            let a = &i.snapshot.account;
            [
                a.user_id.map(|u| u.to_string()),
                a.username.as_ref().map(|u| u.trim_start_matches('@').to_lowercase()),
                a.phone.as_ref().map(|p| p.chars().filter(char::is_ascii_digit).collect()),
            ]
        })
        .collect();
    ids.iter().enumerate().any(|(i, a)| {
        ids[i + 1..].iter().any(|b| a.iter().zip(b).any(|(x, y)| matches!((x, y), (Some(x), Some(y)) if x != y)))
    })
}

fn field(label: &str, v: &Option<String>) -> String {
    format!("{label}: {}", v.as_deref().unwrap_or("not stated"))
}

fn describe_time(t: &Option<Time>) -> String {
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

fn kind_tag(kind: crate::model::enrichment::FlagKind) -> &'static str {
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

/// "uco-observable:IPv4AddressFacet" → "ipv4-address-facet".
fn kebab(class: &str) -> String {
    let local = class.rsplit(':').next().unwrap_or(class);
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in local.chars() {
        if c.is_ascii_uppercase() && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit()) {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
        previous = Some(c);
    }
    out
}

fn merge(into: &mut Value, from: Value) {
    if let (Some(a), Value::Object(b)) = (into.as_object_mut(), from) {
        let b: Map<String, Value> = b;
        a.extend(b);
    }
}

#[cfg(test)]
mod tests;
