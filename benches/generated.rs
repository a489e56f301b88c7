//! Generated sessions shared by the benches: deterministic (xorshift), one CSV-like acquisition,
//! a seventh of them on an unofficial app, a third on the subject's declared Pixel 8, addresses
//! anywhere in IPv4.

use sessionproof::model::case_config::{CaseConfig, parse_case_toml};
use sessionproof::model::snapshot::{Account, Method, SNAPSHOT_SCHEMA, Session, Snapshot, Source, Time, TimeBasis};

/// The baseline the benches judge against: every signal has what it needs.
pub fn config() -> CaseConfig {
    parse_case_toml(
        "[case]\nid = \"BENCH\"\n[subject]\ntime_zone = \"Europe/Berlin\"\nsleep = { from = \"00:30\", to = \"07:00\" }\n\
         usual_countries = [\"DE\"]\nweb_domains = [\"example.com\"]\n\
         incident_window = { from = \"2026-11-18T00:00:00Z\", to = \"2026-11-27T00:00:00Z\" }\n\
         [[subject.devices]]\nmodel = \"Pixel 8\"\n",
    )
    .expect("bench baseline parses")
}

/// `n` sessions in one snapshot.
pub fn snapshot(n: usize) -> Snapshot {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let sessions: Vec<Session> = (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let t = |secs: i64| Time {
                utc: Some(sessionproof::clock::rfc3339(jiff::Timestamp::from_second(secs).expect("in range"))),
                original: secs.to_string(),
                basis: TimeBasis::Unix,
                precision: None,
            };
            Session {
                hash: Some(x as i64),
                current: Some(false),
                official_app: Some(i % 7 != 0),
                password_pending: Some(false),
                unconfirmed: Some(false),
                encrypted_requests_disabled: None,
                call_requests_disabled: None,
                api_id: Some(6),
                app_name: Some(if i % 7 == 0 { "Nicegram".into() } else { "Telegram Android".into() }),
                app_version: Some("12.1.1".into()),
                device_model: Some(if i % 3 == 0 { "Pixel 8".into() } else { format!("Device {}", i % 500) }),
                platform: Some("Android".into()),
                system_version: Some("14".into()),
                ip: Some(std::net::Ipv4Addr::from(x as u32).to_string()),
                country: None,
                region: None,
                created: Some(t(1_790_000_000 + (x % 10_000_000) as i64)),
                last_active: Some(t(1_795_000_000 + (x % 1_000_000) as i64)),
                locator: format!("/generated/{i}"),
                as_written: None,
            }
        })
        .collect();
    Snapshot {
        schema: SNAPSHOT_SCHEMA.into(),
        acquired_at: "2026-11-26T12:00:00Z".into(),
        captured_at: None,
        captured_at_basis: None,
        capture_window: None,
        reread_of: None,
        method: Method::Csv,
        source: Source {
            sha256: String::new(),
            file_name: "generated".into(),
            bytes: 0,
            tool: None,
            source_tz: None,
            companions: vec![],
        },
        account: Account::default(),
        sessions,
        web_sessions: vec![],
        security_log: vec![],
        warnings: vec![],
    }
}
