//! Offline enrichment through the real binary: embedded data, the user's .mmdb files routed by
//! type, special ranges, Telegram's network, and bad data files that do not stop the rest.

use super::util::*;

fn lookup(args: &[&str]) -> serde_json::Value {
    let a = bin().arg("lookup").arg("--json").args(args).assert().success();
    serde_json::from_slice(&a.get_output().stdout).unwrap()
}

fn flags(facts: &serde_json::Value) -> Vec<(String, String)> {
    facts["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].as_str().unwrap().to_string(), f["source"].as_str().unwrap().to_string()))
        .collect()
}

fn mm(name: &str) -> String {
    fixture(&format!("maxmind/{name}")).display().to_string()
}

#[test]
fn embedded_data_answers_offline() {
    let e = lookup(&["149.154.167.50", "3.5.140.2", "2001:67c:4e8:f004::a", "10.1.2.3", "185.220.101.1", "1.1.1.1"]);
    let ips = &e["ips"];
    let tg = &ips["149.154.167.50"];
    assert_eq!(tg["asn"]["value"]["number"], 62041);
    assert_eq!(tg["asn"]["source"], "embedded-asn");
    assert_eq!(flags(tg), [("telegram".to_string(), "telegram-network".to_string())], "Telegram, not a data center");

    let aws = &ips["3.5.140.2"];
    assert_eq!(aws["asn"]["value"]["number"], 16509);
    assert_eq!(aws["asn"]["value"]["organization"], "Amazon.com, Inc.");
    let f = flags(aws);
    assert!(f.contains(&("hosting".into(), "embedded-misp".into())), "{f:?}");
    assert!(f.contains(&("hosting".into(), "curated-asn".into())), "{f:?}");

    assert_eq!(ips["2001:67c:4e8:f004::a"]["flags"][0]["kind"], "telegram");
    let private = &ips["10.1.2.3"];
    assert_eq!(private["class"], "private");
    assert!(private["asn"].is_null() && private["country"].is_null());
    assert!(private["notes"][0].as_str().unwrap().contains("not looked up"));
    assert!(flags(&ips["185.220.101.1"]).contains(&("tor".into(), "curated-asn".into())));
    assert!(flags(&ips["1.1.1.1"]).iter().any(|(k, _)| k == "cdn"));

    let ids: Vec<&str> = e["sources"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    for id in ["embedded-asn", "embedded-country", "embedded-misp", "curated-asn", "telegram-network"] {
        assert!(ids.contains(&id), "{ids:?}");
    }
    for s in e["sources"].as_array().unwrap().iter().filter(|s| s["kind"] == "embedded") {
        for key in ["version", "build_date", "licence", "attribution", "sha256"] {
            assert!(s[key].is_string(), "{}: {key} missing", s["id"]);
        }
    }
}

#[test]
fn user_databases_win_per_layer_and_are_routed_by_type() {
    let city = mm("GeoIP2-City-Test.mmdb");
    let asn = mm("GeoLite2-ASN-Test.mmdb");
    let anon = mm("GeoIP2-Anonymous-IP-Test.mmdb");
    let e = lookup(&["--mmdb", &city, "--mmdb", &asn, "--mmdb", &anon, "89.160.20.112", "81.2.69.160", "8.8.8.8"]);
    let se = &e["ips"]["89.160.20.112"];
    assert_eq!(se["asn"]["value"]["number"], 29518);
    assert_eq!(se["asn"]["value"]["organization"], "Bredband2 AB");
    assert_eq!(se["asn"]["source"], "user-2");
    assert_eq!(se["place"]["value"]["country"], "SE");
    assert_eq!(se["place"]["source"], "user-1");

    let gb = &e["ips"]["81.2.69.160"];
    let kinds: Vec<String> = flags(gb).into_iter().filter(|(_, s)| s == "user-3").map(|(k, _)| k).collect();
    for k in ["tor", "vpn", "hosting", "proxy"] {
        assert!(kinds.contains(&k.to_string()), "81.2.69.160 must carry {k}: {kinds:?}");
    }
    // 8.8.8.8 is absent from the City test data and {} in Anonymous-IP: "not anonymous", not an error.
    let g = &e["ips"]["8.8.8.8"];
    assert!(g["place"].is_null());
    assert!(!flags(g).iter().any(|(_, s)| s == "user-3"));
    assert_eq!(g["asn"]["source"], "embedded-asn", "the embedded layer fills what the user files lack");
    assert!(e["missing_layers"].as_array().unwrap().is_empty(), "{}", e["missing_layers"]);
}

#[test]
fn broken_or_foreign_files_are_named_and_the_rest_carries_on() {
    let d = tempfile::tempdir().unwrap();
    let text = d.path().join("notes.mmdb");
    std::fs::write(&text, "this is not a database").unwrap();
    let broken = mm("GeoIP2-City-Test-Invalid-Node-Count.mmdb");
    let e = lookup(&["--mmdb", &broken, "--mmdb", &text.display().to_string(), "149.154.167.50"]);
    let warnings = e["warnings"].to_string();
    assert!(warnings.contains("GeoIP2-City-Test-Invalid-Node-Count.mmdb"), "{warnings}");
    assert!(warnings.contains("notes.mmdb"), "{warnings}");
    assert_eq!(e["ips"]["149.154.167.50"]["asn"]["value"]["number"], 62041);
    assert!(e["missing_layers"].to_string().contains("city"), "the report says which layer was missing");
}

#[test]
fn an_address_that_does_not_parse_is_named_and_the_rest_is_looked_up() {
    let a = bin().args(["lookup", "1.2.3", "149.154.167.50"]).assert().code(2);
    assert!(stderr_of(&a).contains("\"1.2.3\" is not an IP address"), "{}", stderr_of(&a));
    assert!(stdout_of(&a).contains("AS62041"), "{}", stdout_of(&a));
    let a = bin().args(["lookup", "--mmdb", "/no/such.mmdb", "1.1.1.1"]).assert().code(2);
    assert!(stderr_of(&a).contains("--mmdb is not a file"), "{}", stderr_of(&a));
}

#[test]
fn the_report_names_networks_and_every_data_source_with_its_attribution() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("demo");
    bin().arg("demo").arg("--out").arg(&out).args(["--now", NOW]).assert().success();
    let bundle = only_bundle(&out.join("case"));
    let html = std::fs::read_to_string(bundle.join("report.html")).unwrap();
    assert!(html.contains("AS16509 Amazon.com, Inc. [embedded-asn]"), "the rogue session's network");
    assert!(html.contains("hosting / cloud [curated-asn, embedded-misp]"), "one entry per kind, every source named");
    assert!(html.contains("id=\"data-sources\"") && html.contains("db-ip.com"), "attribution to DB-IP");
    let findings: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("findings.json")).unwrap()).unwrap();
    let with_asn =
        findings["sessions"].as_array().unwrap().iter().filter(|f| f["enrichment"]["asn"].is_object()).count();
    assert!(with_asn >= 4, "{with_asn}");
    assert!(bundle.join("enrichment.json").is_file());
}
