//! The graph being built: its nodes, their identifiers, and the nodes every part shares
//! (people, the account, tools, files, relationships).

use super::ids::{self, hex_binary, integer, is_sha256, node_ref};
use crate::render::view::ReportInput;
use serde_json::{Map, Value, json};
use std::collections::HashSet;

/// The top-level nodes of the graph, in the order they are made, and the case they belong to.
pub(super) struct Graph<'a> {
    pub(super) case_id: &'a str,
    pub(super) nodes: Vec<Value>,
    /// The ids in `nodes`, so a case of 100,000 sessions stays linear.
    pub(super) ids: HashSet<String>,
}

impl<'a> Graph<'a> {
    pub(super) fn new(case_id: &'a str) -> Graph<'a> {
        Graph { case_id, nodes: Vec::new(), ids: HashSet::new() }
    }

    pub(super) fn iri(&self, kind: &str, parts: &[&str]) -> String {
        ids::iri(self.case_id, kind, parts)
    }

    /// Adds `node` unless a node with its id exists; returns the id.
    pub(super) fn add(&mut self, node: Value) -> String {
        let id = node["@id"].as_str().expect("every node has an id").to_string();
        if self.ids.insert(id.clone()) {
            self.nodes.push(node);
        }
        id
    }

    /// A facet of `owner` of class `kind`, its id derived from the owner's.
    pub(super) fn facet(&self, owner: &str, kind: &str, properties: Value) -> Value {
        let mut facet = json!({ "@id": self.iri(&kebab(kind), &[owner]), "@type": kind });
        merge(&mut facet, properties);
        facet
    }

    /// A directional relationship: an `ObservableRelationship` when both ends are observable.
    pub(super) fn relationship(
        &mut self,
        kind: &str,
        source: &str,
        target: &str,
        observable: bool,
        d: Option<String>,
    ) -> String {
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

    /// The examiner and the examiner role they hold.
    pub(super) fn examiner(&mut self, name: &str) -> String {
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
    pub(super) fn account(&mut self, input: &ReportInput) -> String {
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

    /// sessionproof at one version.
    pub(super) fn tool(&mut self, name: &str, version: &str) -> String {
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
    pub(super) fn program(&mut self, sha256: &str) -> Option<String> {
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

    /// A content-data facet carrying the SHA-256 (and the size, when it is a file's).
    pub(super) fn content(&self, owner: &str, bytes: Option<u64>, sha256: &str) -> Value {
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
    pub(super) fn file(&mut self, path: &str, bytes: u64, sha256: &str, description: &str) -> String {
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
    pub(super) fn missing_original(&mut self, name: &str, bytes: u64, sha256: &str) -> String {
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
