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
//! Node ids are `kb:<kind>-<uuid>` with `kb:` = `urn:sessionproof:`; each UUID is derived from the
//! case id and the node's stable facts (see `ids`), so the same inputs give the same bytes.
//! The security log's events are not modelled (the report and `findings.json` carry them).
//! Untrusted strings are plain JSON strings; control and bidi characters are written as escapes.

mod analysis;
mod escape;
mod graph;
mod ids;
mod sessions;

use super::RenderError;
use super::view::{ReportInput, SnapshotItem};
use crate::model::custody::FileRef;
use crate::model::enrichment::IpFacts;
use crate::model::manifest::ManifestEntry;
use graph::Graph;
use ids::{date_time, node_ref};
use serde_json::{Value, json};
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
    render_uco_when(input, bundle, || Some(bundle.files.clone()))
}

/// As [`render_uco`], but the bundle's own files come from `files`, called once the rest of the
/// graph is built: the report builds the graph while the HTML and PDF it will list are being
/// made. `bundle.files` is not read. `None` (the files were never written) is an error.
pub fn render_uco_when(
    input: &ReportInput,
    bundle: &UcoBundle,
    files: impl FnOnce() -> Option<Vec<ManifestEntry>>,
) -> Result<String, RenderError> {
    let fail = |message: String| RenderError { what: "case-uco.jsonld".into(), message };
    if bundle.snapshots.len() != input.snapshots.len() {
        return Err(fail(format!(
            "{} snapshot files given for {} snapshots",
            bundle.snapshots.len(),
            input.snapshots.len()
        )));
    }
    let mut g = Graph::new(&input.config.case.id);
    let examiner = input.config.case.examiner.as_deref().map(|name| g.examiner(name));
    let account = g.account(input);
    let tool = g.tool(crate::TOOL_NAME, crate::TOOL_VERSION);
    let evidence: BTreeMap<&str, String> = input
        .evidence
        .iter()
        .map(|e| {
            let mut note = format!("Original preserved byte for byte; received as {}.", received_as(input, &e.sha256));
            if !e.intact {
                note.push_str(" Its SHA-256 does not match the name it is stored under.");
            }
            (e.sha256.as_str(), g.file(&e.rel_path, e.bytes, &e.sha256, &note))
        })
        .collect();
    let mut acq = Acquired::default();
    for (i, (item, file)) in input.snapshots.iter().zip(&bundle.snapshots).enumerate() {
        let shared =
            Shared { input, examiner: examiner.as_deref(), account: &account, tool: &tool, evidence: &evidence };
        acquisition(&mut g, &shared, i + 1, item, file, &mut acq);
    }
    let case_toml = g.file(
        &bundle.case_toml.path,
        bundle.case_toml.bytes,
        &bundle.case_toml.sha256,
        "The case file: case id, examiner and the subject's declared baseline the analysis judges against.",
    );
    let shared = Shared { input, examiner: examiner.as_deref(), account: &account, tool: &tool, evidence: &evidence };
    let analysis_results = interpretations(&mut g, &shared, &acq);
    let Some(files) = files() else {
        return Err(fail("the report bundle's files were not written, so there is nothing to list".into()));
    };
    analysis_and_report(&mut g, &shared, bundle, &files, &acq, &case_toml, analysis_results);

    let generated = input.generated_at.to_string();
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

/// The nodes every action refers to.
struct Shared<'a> {
    input: &'a ReportInput,
    /// The examiner's node.
    examiner: Option<&'a str>,
    account: &'a str,
    tool: &'a str,
    /// The preserved originals' file nodes, by SHA-256.
    evidence: &'a BTreeMap<&'a str, String>,
}

/// What the acquisitions produced, for the analysis to build on.
#[derive(Default)]
struct Acquired<'a> {
    actions: Vec<String>,
    snapshot_files: Vec<String>,
    sessions: Vec<String>,
    web_sessions: Vec<String>,
    /// Every address node, once, with what enrichment knows about it.
    ips: Vec<(String, Option<&'a IpFacts>)>,
}

/// Acquisition `n`: from its originals to its snapshot and what Telegram listed in it.
fn acquisition<'a>(
    g: &mut Graph,
    shared: &Shared<'a>,
    n: usize,
    item: &SnapshotItem,
    file: &FileRef,
    acq: &mut Acquired<'a>,
) {
    let s = &item.snapshot;
    let description = format!("Normalized snapshot of acquisition {n} (schema {}).", s.schema);
    let snapshot_file = g.file(&file.path, file.bytes, &file.sha256, &description);
    acq.snapshot_files.push(snapshot_file.clone());
    let mut originals = Vec::new();
    let main = std::iter::once((s.source.sha256.as_str(), s.source.file_name.as_str(), s.source.bytes));
    let companions = s.source.companions.iter().map(|c| (c.sha256.as_str(), c.file_name.as_str(), c.bytes));
    for (sha, name, bytes) in main.chain(companions) {
        let iri = match shared.evidence.get(sha) {
            Some(iri) => iri.clone(),
            None => g.missing_original(name, bytes, sha),
        };
        if !originals.contains(&iri) {
            originals.push(iri);
        }
    }
    let mut results = vec![snapshot_file];
    let mut ips_here = HashSet::new();
    let enrichment = &shared.input.enrichment;
    let mut listed = |g: &mut Graph, results: &mut Vec<String>, id: &str, ip: &Option<String>| {
        results.push(id.to_string());
        if let Some(ip) = g.address(enrichment, ip, &mut acq.ips) {
            if ips_here.insert(ip.clone()) {
                results.push(ip.clone());
            }
            results.push(g.connected_from(id, &ip, n));
        }
    };
    let mut sessions = Vec::new();
    for (k, sess) in s.sessions.iter().enumerate() {
        let id = g.session(n, &item.rel_path, k, sess, shared.account);
        listed(g, &mut results, &id, &sess.ip);
        sessions.push(id);
    }
    let mut web_sessions = Vec::new();
    for (k, w) in s.web_sessions.iter().enumerate() {
        let id = g.web_session(n, &item.rel_path, k, w, shared.account);
        listed(g, &mut results, &id, &w.ip);
        web_sessions.push(id);
    }
    acq.sessions.extend(sessions);
    acq.web_sessions.extend(web_sessions);
    // The custody entry that wrote the snapshot gives the end time, the tool version and the actor.
    let custody = shared.input.custody.iter().find(|c| c.outputs.iter().any(|o| o.path == item.rel_path));
    let instrument = match custody {
        Some(c) => g.tool(&c.tool.name, &c.tool.version),
        None => shared.tool.to_string(),
    };
    let named = shared.input.config.case.examiner.as_deref();
    let performer = custody.filter(|c| named == Some(c.actor.as_str())).and(shared.examiner);
    let action = g.iri("acquisition", &[&item.rel_path, &file.sha256]);
    g.nodes.push(action_node(
        &action,
        &format!("acquisition {n}: {}", s.method.as_str()),
        &describe_acquisition(n, s, custody.map(|c| c.actor.as_str())),
        (&s.acquired_at, custody.map(|c| c.at.as_str()).unwrap_or(&s.acquired_at)),
        performer,
        &[instrument],
        &originals,
        &results,
    ));
    acq.actions.push(action);
}

/// What the analysis found (enrichment and signals: interpretation, kept apart from Telegram's
/// facts): the nodes it adds, as the analysis action's results.
fn interpretations(g: &mut Graph, shared: &Shared, acq: &Acquired) -> Vec<String> {
    let input = shared.input;
    let mut analysis_results = Vec::new();
    for (ip, facts) in acq.ips.iter().filter_map(|(i, f)| f.map(|f| (i, f))) {
        analysis_results.extend(g.network_facts(ip, facts, &input.enrichment));
    }
    for (session, finding) in acq.sessions.iter().zip(&input.analysis.sessions) {
        analysis_results.push(g.verdict(session, finding));
    }
    for (session, finding) in acq.web_sessions.iter().zip(&input.analysis.web_sessions) {
        analysis_results.push(g.verdict(session, finding));
    }
    analysis_results.extend(g.account_findings(shared.account, &input.analysis.account));
    analysis_results
}

/// The analysis and the report generation as actions, each with the bundle files it wrote.
fn analysis_and_report(
    g: &mut Graph,
    shared: &Shared,
    bundle: &UcoBundle,
    files: &[ManifestEntry],
    acq: &Acquired,
    case_toml: &str,
    mut analysis_results: Vec<String>,
) {
    let input = shared.input;
    let generated = input.generated_at.to_string();
    let mut report_results = Vec::new();
    for f in files {
        let path = format!("{}/{}", bundle.dir, f.path);
        let id = g.file(&path, f.bytes, &f.sha256, &format!("Report bundle file ({}).", f.role));
        match f.role.as_str() {
            "findings" | "enrichment" => analysis_results.push(id),
            _ => report_results.push(id),
        }
    }
    let mut instruments = vec![shared.tool.to_string()];
    instruments.extend(g.program(&input.binary_sha256));
    let mut analysis_instruments = instruments.clone();
    analysis_instruments.extend(g.data_sources(&input.enrichment));
    let mut analysis_objects = acq.snapshot_files.clone();
    analysis_objects.push(case_toml.to_string());
    let analysis = g.iri("analysis", &[&bundle.dir]);
    let mut node = action_node(
        &analysis,
        "analysis: offline enrichment and signals",
        "Each IP address looked up in offline data (the data sources are instruments); each session judged \
         against the baseline declared in case.toml. The results are interpretations, not facts reported by Telegram.",
        (&generated, &generated),
        shared.examiner,
        &analysis_instruments,
        &analysis_objects,
        &analysis_results,
    );
    node["case-investigation:wasInformedBy"] = acq.actions.iter().map(|a| node_ref(a)).collect();
    g.nodes.push(node);

    let mut report_objects = acq.snapshot_files.clone();
    report_objects.extend(shared.evidence.values().cloned());
    report_objects.push(case_toml.to_string());
    let description = format!(
        "Report bundle {} written by {} {}; manifest.json in the bundle lists every file with its SHA-256 \
         (it is written after this document and names its hash).",
        bundle.dir,
        crate::TOOL_NAME,
        crate::TOOL_VERSION
    );
    let mut node = action_node(
        &g.iri("report", &[&bundle.dir]),
        "report generation",
        &description,
        (&generated, &generated),
        shared.examiner,
        &instruments,
        &report_objects,
        &report_results,
    );
    node["case-investigation:wasInformedBy"] = json!([node_ref(&analysis)]);
    g.nodes.push(node);
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
    match &s.captured_at {
        Some(t) if s.captured_at_basis == Some(crate::model::capture::CapturedAtBasis::StatedByExaminer) => {
            d.push_str(&format!(
                " The examiner states the list was captured at {}; the source does not say.",
                sessions::describe_time(&Some(t.clone()))
            ))
        }
        Some(t) => d.push_str(&format!(
            " The source states it captured the list at {}.",
            sessions::describe_time(&Some(t.clone()))
        )),
        None => d.push_str(&format!(
            " The source does not say when it captured the list: {}.",
            crate::model::capture::Capture::of(s).text().describe()
        )),
    }
    if let Some(r) = &s.reread_of {
        d.push_str(&format!(
            " It reads again the original of {} with other options ({}), and replaces that snapshot in the analysis.",
            r.snapshot,
            r.changed.join("; ")
        ));
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

#[cfg(test)]
mod tests;
