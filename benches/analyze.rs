//! Analysis speed: enrich and judge 100,000 generated sessions (one acquisition) on one core.
//! Run with `cargo bench --bench analyze`; peak memory with `/usr/bin/time -v` around it.

#[path = "generated.rs"]
mod generated;

use sessionproof::enrich::EnrichOptions;
use std::time::Instant;

fn main() {
    let n: usize = std::env::var("BENCH_SESSIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let config = generated::config();
    let snapshot = generated::snapshot(n);
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
