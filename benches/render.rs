//! Report rendering speed (issue 6): the HTML and the PDF of N generated sessions (default 5,000,
//! `BENCH_SESSIONS`) made from one view model the way `report` makes them, the PDF on a thread of
//! its own beside the HTML. Prints the median of `BENCH_RUNS` runs (default 5) of each step.
//! Run with `cargo bench --bench render`. `scripts/bench-report.sh` times the whole `report`
//! command (analysis, CASE/UCO, JSON, hashing and writing included) beside Chromium.

#[path = "generated.rs"]
mod generated;

use sessionproof::render::pdf::{Paper, PdfOptions, render_pdf};
use sessionproof::render::{Catalogue, Lang, ReportInput, SnapshotItem, build_view, html::render_html};
use std::time::{Duration, Instant};

// The allocator of the binary, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut d: Vec<Duration>) -> f64 {
    d.sort();
    d[d.len() / 2].as_secs_f64() * 1000.0
}

fn main() {
    let var = |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (n, runs) = (var("BENCH_SESSIONS", 5_000), var("BENCH_RUNS", 5).max(1));
    let config = generated::config();
    let snapshot = generated::snapshot(n);
    let refs = [&snapshot];
    let enrichment = sessionproof::pipeline::enrich_snapshots(&refs, &Default::default());
    let analysis = sessionproof::analyze::analyze(&config.subject, &refs, &enrichment);
    let now: jiff::Timestamp = "2026-11-27T10:00:00Z".parse().expect("a time");
    let input = ReportInput {
        config,
        snapshots: vec![SnapshotItem { rel_path: "snapshots/generated.json".into(), snapshot: snapshot.clone() }],
        evidence: Vec::new(),
        custody: Vec::new(),
        generated_at: now,
        binary_sha256: "0".repeat(64),
        enrichment,
        analysis,
        changes: Vec::new(),
        verdict_rule: sessionproof::analyze::verdict::RULE.into(),
        bundle_dir: "reports/20261127T100000Z".into(),
    };
    let catalogue = Catalogue::new(Lang::En);
    let options = PdfOptions::new(Paper::A4, now);
    let (mut views, mut htmls, mut pdfs, mut boths) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut html_bytes, mut pdf_bytes) = (0, 0);
    for _ in 0..runs {
        let start = Instant::now();
        let view = build_view(&input, &catalogue);
        views.push(start.elapsed());
        let start = Instant::now();
        let (html, pdf) = std::thread::scope(|scope| {
            let pdf = scope.spawn(|| {
                let t = Instant::now();
                let pdf = render_pdf(&view, &options).expect("the PDF renders");
                (pdf, t.elapsed())
            });
            let t = Instant::now();
            let html = render_html(&view).expect("the HTML renders");
            let html_took = t.elapsed();
            ((html, html_took), pdf.join().expect("the PDF thread ends"))
        });
        boths.push(start.elapsed());
        htmls.push(html.1);
        pdfs.push(pdf.1);
        (html_bytes, pdf_bytes) = (html.0.len(), pdf.0.len());
    }
    println!(
        "{n} sessions, median of {runs}: view {:.0} ms; HTML {:.0} ms ({html_bytes} bytes) and PDF {:.0} ms \
         ({pdf_bytes} bytes) side by side: {:.0} ms",
        median(views),
        median(htmls),
        median(pdfs),
        median(boths)
    );
}
