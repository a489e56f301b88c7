//! Analysis speed: enrich and judge 100,000 generated sessions (one acquisition) on one core.
//! Run with `cargo bench --bench analyze`; peak memory with `/usr/bin/time -v` around it.

use sessionproof::enrich::EnrichOptions;
use sessionproof::model::case_config::parse_case_toml;
use sessionproof::model::snapshot::{Account, Method, SNAPSHOT_SCHEMA, Session, Snapshot, Source, Time, TimeBasis};
use std::time::Instant;

fn main() {
    let n: usize = std::env::var("BENCH_SESSIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let config = parse_case_toml(
        "[case]\nid = \"BENCH\"\n[subject]\ntime_zone = \"Europe/Berlin\"\nsleep = { from = \"00:30\", to = \"07:00\" }\n\
         usual_countries = [\"DE\"]\nweb_domains = [\"example.com\"]\n\
         incident_window = { from = \"2026-11-18T00:00:00Z\", to = \"2026-11-27T00:00:00Z\" }\n\
         [[subject.devices]]\nmodel = \"Pixel 8\"\n",
    )
    .expect("bench baseline parses");
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
    let snapshot = Snapshot {
        schema: SNAPSHOT_SCHEMA.into(),
        acquired_at: "2026-11-26T12:00:00Z".into(),
        captured_at: None,
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
    };
    let refs = [&snapshot];
    let start = Instant::now();
    let enrichment = sessionproof::pipeline::enrich_snapshots(&refs, &EnrichOptions::default());
    let enriched = start.elapsed();
    let analysis = sessionproof::analyze::analyze(&config.subject, &refs, &enrichment);
    let total = start.elapsed();
    let act_now =
        analysis.sessions.iter().filter(|f| f.verdict == sessionproof::model::finding::Verdict::ActNow).count();
    println!(
        "{n} sessions: enrichment {:.0} ms, analysis {:.0} ms, total {:.0} ms on one core ({act_now} act-now)",
        enriched.as_secs_f64() * 1000.0,
        (total - enriched).as_secs_f64() * 1000.0,
        total.as_secs_f64() * 1000.0
    );
}
