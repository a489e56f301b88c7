//! The CASE/UCO graph's structure, on a hand-built case of two acquisitions.

use super::*;
use crate::model::custody::{CustodyEntry, CustodyTool, GENESIS};
use crate::model::enrichment::{AddressClass, Asn, DataSource, Enrichment, IpFacts, Place, Sourced};
use crate::model::snapshot::{Account, Method, Precision, SNAPSHOT_SCHEMA, Session, Snapshot, Source, Time, TimeBasis};
use crate::render::{EvidenceItem, SnapshotItem};
use std::collections::HashSet;

const PHONE: &str = "+49 151 23456789";
const USERNAME: &str = "real_handle_of_the_owner";
const USER_ID: i64 = 7_310_448_291;
const HOSTILE: &str = "Evil\u{0}\u{1b}[2J\u{7f}\u{85}\u{202E}gpj.exe\"}]<script>";

fn sha(n: u8) -> String {
    format!("{n:02x}").repeat(32)
}

fn session(locator: &str, device: &str, ip: Option<&str>, created: Option<Time>) -> Session {
    let mut s = Session::unknown(locator);
    s.device_model = Some(device.into());
    s.app_name = Some("Telegram Desktop".into());
    s.ip = ip.map(Into::into);
    s.created = created;
    s
}

fn time(utc: &str, precision: Option<Precision>) -> Time {
    Time { utc: Some(utc.into()), original: "as the source wrote it".into(), basis: TimeBasis::Unix, precision }
}

fn snapshot(n: u8, sessions: Vec<Session>) -> Snapshot {
    Snapshot {
        schema: SNAPSHOT_SCHEMA.into(),
        acquired_at: format!("2026-11-2{n}T10:00:00Z"),
        captured_at: None,
        captured_at_basis: None,
        capture_window: None,
        reread_of: None,
        method: Method::TelethonJson,
        source: Source {
            sha256: sha(n),
            file_name: format!("dump-{n}.json"),
            bytes: 100 + n as u64,
            tool: None,
            source_tz: None,
            companions: vec![],
        },
        account: Account {
            user_id: Some(USER_ID),
            phone: Some(PHONE.into()),
            username: Some(USERNAME.into()),
            ..Default::default()
        },
        sessions,
        web_sessions: vec![],
        security_log: vec![],
        warnings: vec![],
    }
}

fn facts(ip: &str, asn: u32, place: Option<Place>) -> IpFacts {
    IpFacts {
        ip: ip.into(),
        normalized: Some(ip.into()),
        class: Some(AddressClass::Public),
        asn: Some(Sourced {
            value: Asn { number: asn, organization: Some(format!("Org {asn}")) },
            source: "asn".into(),
        }),
        country: Some(Sourced { value: "DE".into(), source: "country".into() }),
        place: place.map(|p| Sourced { value: p, source: "city".into() }),
        isp: None,
        flags: vec![],
        notes: vec![],
    }
}

/// Two acquisitions; one address seen three times, one IPv6 address, one hostile device name.
fn input() -> (ReportInput, UcoBundle) {
    let config = crate::model::case_config::parse_case_toml(
        "[case]\nid = \"HL-2026-0142\"\nexaminer = \"A. Responder\"\n[subject]\npseudonym = \"Subject A\"\n\
         usual_countries = [\"DE\"]\n",
    )
    .unwrap();
    let first = snapshot(
        1,
        vec![
            session("/0", "ThinkPad", Some("93.220.41.17"), Some(time("2026-02-14T09:12:47Z", None))),
            session("/1", HOSTILE, Some("93.220.41.17"), Some(time("2026-11-24T23:00:00Z", Some(Precision::Day)))),
            session("/2", "Pixel", Some("2001:db8::1"), None),
        ],
    );
    let second = snapshot(2, vec![session("/0", "ThinkPad", Some(" 93.220.41.17 "), None)]);
    let berlin = Place {
        city: Some("Berlin".into()),
        region: None,
        country: Some("DE".into()),
        latitude: Some(52.52),
        longitude: Some(13.405),
        accuracy_km: Some(20),
    };
    let mut ips = BTreeMap::new();
    ips.insert("93.220.41.17".to_string(), facts("93.220.41.17", 3320, Some(berlin)));
    ips.insert("2001:db8::1".to_string(), facts("2001:db8::1", 64496, None));
    let enrichment = Enrichment {
        sources: vec![DataSource {
            id: "asn".into(),
            name: "test ASN table".into(),
            version: Some("1".into()),
            build_date: None,
            licence: Some("CC0-1.0".into()),
            attribution: None,
            sha256: Some(sha(9)),
            kind: "embedded".into(),
            path: None,
            database_type: None,
            layers: vec!["asn".into()],
        }],
        missing_layers: vec![],
        warnings: vec![],
        ips,
    };
    let snapshots = vec![
        SnapshotItem { rel_path: "snapshots/0001.json".into(), snapshot: first },
        SnapshotItem { rel_path: "snapshots/0002.json".into(), snapshot: second },
    ];
    let refs: Vec<&Snapshot> = snapshots.iter().map(|s| &s.snapshot).collect();
    let analysis = crate::analyze::analyze(&config.subject, &refs, &enrichment);
    let custody = (1..=2u8)
        .map(|n| CustodyEntry {
            seq: n as u64,
            at: format!("2026-11-2{n}T10:00:05Z"),
            actor: "A. Responder".into(),
            action: "import".into(),
            tool: CustodyTool { name: "sessionproof".into(), version: format!("0.0.{n}") },
            inputs: vec![],
            outputs: vec![FileRef { path: format!("snapshots/000{n}.json"), sha256: sha(10 + n), bytes: 500 }],
            note: None,
            prev: GENESIS.into(),
        })
        .collect();
    let evidence = (1..=2u8)
        .map(|n| EvidenceItem {
            rel_path: format!("evidence/{}.json", sha(n)),
            bytes: 100 + n as u64,
            sha256: sha(n),
            intact: true,
        })
        .collect();
    let input = ReportInput {
        config,
        snapshots,
        evidence,
        custody,
        generated_at: "2026-11-26T12:00:00Z".parse().unwrap(),
        binary_sha256: sha(20),
        enrichment,
        analysis,
        changes: Vec::new(),
        verdict_rule: String::new(),
        bundle_dir: "reports/20261126T120000Z".into(),
    };
    let bundle = UcoBundle {
        dir: "reports/20261126T120000Z".into(),
        case_toml: FileRef { path: "case.toml".into(), sha256: sha(30), bytes: 99 },
        snapshots: (1..=2u8)
            .map(|n| FileRef { path: format!("snapshots/000{n}.json"), sha256: sha(10 + n), bytes: 500 })
            .collect(),
        files: vec![
            ManifestEntry { path: "report.html".into(), role: "report-html".into(), bytes: 7, sha256: sha(40) },
            ManifestEntry { path: "findings.json".into(), role: "findings".into(), bytes: 8, sha256: sha(41) },
        ],
    };
    (input, bundle)
}

fn graph() -> (String, Vec<Value>) {
    let (input, bundle) = input();
    let text = render_uco(&input, &bundle).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    (text, doc["@graph"].as_array().unwrap().clone())
}

fn of_type<'a>(graph: &'a [Value], class: &str) -> Vec<&'a Value> {
    graph.iter().filter(|n| n["@type"] == class).collect()
}

fn by_id<'a>(graph: &'a [Value], id: &Value) -> &'a Value {
    graph.iter().find(|n| n["@id"] == *id).unwrap_or_else(|| panic!("no node {id}"))
}

fn refs(v: &Value) -> Vec<&Value> {
    v.as_array().map(|a| a.iter().map(|r| &r["@id"]).collect()).unwrap_or_default()
}

#[test]
fn every_acquisition_is_an_action_from_its_originals_to_its_snapshot() {
    let (_, g) = graph();
    let actions: Vec<&Value> = of_type(&g, "case-investigation:InvestigativeAction")
        .into_iter()
        .filter(|a| a["uco-core:name"].as_str().unwrap().starts_with("acquisition"))
        .collect();
    assert_eq!(actions.len(), 2);
    for (i, a) in actions.iter().enumerate() {
        let n = i as u8 + 1;
        let object = refs(&a["uco-action:object"]);
        assert_eq!(object.len(), 1);
        let original = by_id(&g, object[0]);
        assert_eq!(original["@type"], "uco-observable:File");
        assert!(original.to_string().contains(&sha(n)), "the original's hash");
        let result = refs(&a["uco-action:result"]);
        let snapshot = by_id(&g, result[0]);
        assert_eq!(snapshot["uco-core:hasFacet"][0]["uco-observable:filePath"], format!("snapshots/000{n}.json"));
        assert!(result.iter().any(|r| by_id(&g, r)["@type"] == "uco-observable:UserSession"));
        // Time, tool version and performer come from the custody entry that wrote the snapshot.
        assert_eq!(a["uco-action:startTime"]["@value"], format!("2026-11-2{n}T10:00:00Z"));
        assert_eq!(a["uco-action:endTime"]["@value"], format!("2026-11-2{n}T10:00:05Z"));
        let tool = by_id(&g, &refs(&a["uco-action:instrument"])[0].clone());
        assert_eq!(tool["uco-tool:version"], format!("0.0.{n}"));
        assert_eq!(by_id(&g, &a["uco-action:performer"]["@id"])["uco-core:name"], "A. Responder");
        assert_eq!(result.len(), result.iter().collect::<HashSet<_>>().len(), "no result listed twice");
    }
}

#[test]
fn analysis_and_report_are_actions_whose_results_are_the_bundle_files() {
    let (_, g) = graph();
    let action = |prefix: &str| {
        *of_type(&g, "case-investigation:InvestigativeAction")
            .iter()
            .find(|a| a["uco-core:name"].as_str().unwrap().starts_with(prefix))
            .unwrap()
    };
    let path_of = |r: &Value| by_id(&g, r)["uco-core:hasFacet"][0]["uco-observable:filePath"].clone();
    let analysis = action("analysis");
    let report = action("report");
    let analysis_files: Vec<Value> = refs(&analysis["uco-action:result"]).into_iter().map(path_of).collect();
    assert!(analysis_files.contains(&json!("reports/20261126T120000Z/findings.json")));
    let report_files: Vec<Value> = refs(&report["uco-action:result"]).into_iter().map(path_of).collect();
    assert_eq!(report_files, [json!("reports/20261126T120000Z/report.html")]);
    assert_eq!(refs(&analysis["case-investigation:wasInformedBy"]).len(), 2, "informed by both acquisitions");
    // The program's hash and the data source are instruments.
    let instruments = refs(&analysis["uco-action:instrument"]);
    assert!(instruments.iter().any(|i| by_id(&g, i).to_string().contains(&sha(20))));
    assert!(instruments.iter().any(|i| by_id(&g, i)["uco-core:name"] == "test ASN table"));
}

#[test]
fn every_ip_appears_once_with_its_as_and_place() {
    let (_, g) = graph();
    let v4 = of_type(&g, "uco-observable:IPv4Address");
    let v6 = of_type(&g, "uco-observable:IPv6Address");
    assert_eq!(v4.len(), 1, "one node for the address seen three times");
    assert_eq!(v6.len(), 1);
    assert_eq!(v4[0]["uco-core:hasFacet"][0]["uco-observable:addressValue"], "93.220.41.17");
    assert_eq!(v6[0]["uco-core:hasFacet"][0]["@type"], "uco-observable:IPv6AddressFacet");
    let links = |kind: &str| -> Vec<&Value> { g.iter().filter(|n| n["uco-core:kindOfRelationship"] == kind).collect() };
    assert_eq!(links("Connected_From").len(), 4, "one per session");
    for r in links("Connected_From").into_iter().chain(links("Contained_Within")).chain(links("Located_At")) {
        assert_eq!(r["uco-core:isDirectional"], true);
    }
    let as_links = links("Contained_Within");
    assert_eq!(as_links.len(), 2);
    let asys = by_id(&g, &as_links[0]["uco-core:target"]["@id"]);
    assert_eq!(
        asys["uco-core:hasFacet"][0]["uco-observable:number"],
        json!({"@type": "xsd:integer", "@value": "3320"})
    );
    assert_eq!(asys["uco-core:name"], "Org 3320");
    let place_links = links("Located_At");
    assert_eq!(place_links[0]["@type"], "uco-core:Relationship", "a place is not an observable");
    let berlin = by_id(&g, &place_links[0]["uco-core:target"]["@id"]);
    assert_eq!(berlin["uco-core:hasFacet"][0]["uco-location:locality"], "Berlin");
    assert_eq!(
        berlin["uco-core:hasFacet"][1]["uco-location:latitude"],
        json!({"@type": "xsd:decimal", "@value": "52.52"})
    );
    // The IPv6 address has a country only: its own place, without coordinates.
    let country_only = by_id(&g, &place_links[1]["uco-core:target"]["@id"]);
    assert_eq!(country_only["uco-core:hasFacet"].as_array().unwrap().len(), 1);
}

#[test]
fn identifiers_are_stable_across_runs_and_every_node_is_named_by_a_uuid() {
    let (a, g) = graph();
    let (b, _) = graph();
    assert_eq!(a, b, "same input, same bytes");
    let (mut input, bundle) = input();
    input.config.case.id = "HL-OTHER".into();
    let other = render_uco(&input, &bundle).unwrap();
    assert!(!other.contains(g[1]["@id"].as_str().unwrap()), "ids belong to their case");
    // Every typed node, nested ones included, is an IRI ending in a UUID: UCO forbids blank nodes.
    fn walk(v: &Value, ids: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if m.contains_key("@type") && !m.contains_key("@value") {
                    ids.push(m.get("@id").and_then(Value::as_str).expect("typed node without @id").to_string());
                }
                m.values().for_each(|x| walk(x, ids));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, ids)),
            _ => {}
        }
    }
    let mut ids = Vec::new();
    g.iter().for_each(|n| walk(n, &mut ids));
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no id is used for two nodes");
    for id in &ids {
        let uuid = &id[id.len() - 36..];
        assert!(id.starts_with("kb:") && uuid.as_bytes()[14] == b'5' && uuid.matches('-').count() == 4, "{id}");
    }
    // The investigation lists every other top-level node.
    assert_eq!(g[0]["@type"], "case-investigation:Investigation");
    assert_eq!(refs(&g[0]["uco-core:object"]).len(), g.len() - 1);
}

#[test]
fn the_owner_stays_pseudonymous() {
    let (text, g) = graph();
    for secret in [PHONE, "23456789", USERNAME, &USER_ID.to_string()] {
        assert!(!text.contains(secret), "{secret} must not be written");
    }
    let people: Vec<&Value> = of_type(&g, "uco-identity:Person");
    assert!(people.iter().any(|p| p["uco-core:name"] == "Subject A"));
    let account = of_type(&g, "uco-observable:ApplicationAccount")[0];
    assert_eq!(account["uco-core:name"], "Telegram account of Subject A");
}

#[test]
fn hostile_device_names_are_kept_exactly_and_written_as_escapes() {
    let (text, g) = graph();
    for raw in ['\u{0}', '\u{1b}', '\u{7f}', '\u{85}', '\u{202E}'] {
        assert!(!text.contains(raw), "{raw:?} written raw");
    }
    assert!(text.contains("\\u202e") && text.contains("\\u0000"));
    let hostile = of_type(&g, "uco-observable:UserSession")
        .into_iter()
        .find(|s| s["uco-core:description"].as_str().unwrap().contains("Evil"))
        .unwrap();
    assert!(hostile["uco-core:description"].as_str().unwrap().contains(&format!("device model: {HOSTILE};")));
}

#[test]
fn login_time_only_when_the_source_gave_an_instant() {
    let (_, g) = graph();
    let login = |locator: &str| {
        let s = of_type(&g, "uco-observable:UserSession")
            .into_iter()
            .find(|s| s["uco-core:name"] == format!("Telegram session, acquisition 1, {locator}"))
            .unwrap();
        s["uco-core:hasFacet"][0]["uco-observable:loginTime"].clone()
    };
    assert_eq!(login("/0"), json!({"@type": "xsd:dateTime", "@value": "2026-02-14T09:12:47Z"}));
    assert_eq!(login("/1"), Value::Null, "a day-only time is not a login instant");
    assert_eq!(login("/2"), Value::Null, "no created time, no login time");
}

#[test]
fn verdicts_are_annotations_apart_from_the_facts() {
    let (_, g) = graph();
    let notes = of_type(&g, "uco-core:Annotation");
    let sessions = of_type(&g, "uco-observable:UserSession");
    assert_eq!(notes.len(), sessions.len() + 1, "one per session and one for the account");
    for s in sessions {
        let note = notes.iter().find(|n| refs(&n["uco-core:object"]) == [&s["@id"]]).expect("annotated");
        assert!(note["uco-core:tag"][0].as_str().unwrap().starts_with("verdict:"));
        assert!(note["uco-core:description"].as_str().unwrap().contains("not a fact reported by Telegram"));
    }
}

#[test]
fn a_snapshot_list_that_does_not_match_is_refused() {
    let (input, mut bundle) = input();
    bundle.snapshots.pop();
    let e = render_uco(&input, &bundle).unwrap_err();
    assert_eq!(e.to_string(), "rendering case-uco.jsonld failed: 1 snapshot files given for 2 snapshots");
}

#[test]
fn the_bundle_files_given_later_make_the_same_document() {
    let (input, bundle) = input();
    let files = bundle.files.clone();
    let mut without = bundle.clone();
    without.files.clear();
    let later = super::render_uco_when(&input, &without, || Some(files)).unwrap();
    assert_eq!(later, render_uco(&input, &bundle).unwrap());
    // Files that never come (the report failed before writing them) end the document with an error.
    let e = super::render_uco_when(&input, &without, || None).unwrap_err();
    assert!(e.to_string().contains("bundle's files were not written"), "{e}");
}
