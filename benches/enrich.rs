//! Enrichment speed: embedded data load time and full enrichments per second on one core,
//! with the embedded layers alone and with a City database (`BENCH_CITY_MMDB=path`).
//! Run with `cargo bench --bench enrich`; `scripts/bench.sh` runs it beside mmdblookup and
//! Python's maxminddb on the same addresses and writes the figures for BENCHMARKS.md.

use sessionproof::enrich::{EnrichOptions, Enricher};
use std::time::Instant;

/// A fixed pseudo-random address stream (xorshift), so every run looks up the same addresses.
fn addresses(n: usize, seed: u64) -> Vec<String> {
    let mut x = seed;
    (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if i % 5 == 4 {
                let v = (x as u128) << 64 | (x.rotate_left(17) as u128);
                // Mostly inside 2000::/3, where real addresses are.
                let v = (v & !(0xe000u128 << 112)) | (0x2000u128 << 112);
                std::net::Ipv6Addr::from(v).to_string()
            } else {
                std::net::Ipv4Addr::from(x as u32).to_string()
            }
        })
        .collect()
}

fn run(label: &str, enricher: &Enricher, ips: &[String]) {
    // Warm up once, then take the median of five passes.
    for ip in ips.iter().take(10_000) {
        std::hint::black_box(enricher.lookup(ip));
    }
    let mut rates = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        for ip in ips {
            std::hint::black_box(enricher.lookup(ip));
        }
        rates.push(ips.len() as f64 / start.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    println!("{label}: {:.0} full enrichments/s (median of 5 passes over {} addresses, one core)", rates[2], ips.len());
}

fn main() {
    let start = Instant::now();
    let embedded = sessionproof::enrich::embedded::Embedded::get();
    let load = start.elapsed();
    std::hint::black_box(embedded);
    println!("embedded data load (first use): {:.3} ms", load.as_secs_f64() * 1000.0);

    let ips = addresses(1_000_000, 0x9e37_79b9_7f4a_7c15);
    let enricher = Enricher::new(&EnrichOptions::default());
    run("embedded layers", &enricher, &ips);

    if let Some(city) = std::env::var_os("BENCH_CITY_MMDB") {
        let opts = EnrichOptions { mmdb: vec![city.into()], ..Default::default() };
        let enricher = Enricher::new(&opts);
        run("embedded layers + City database", &enricher, &ips);
    }
    if let Some(path) = std::env::var_os("BENCH_WRITE_ADDRESSES") {
        std::fs::write(path, ips.join("\n") + "\n").expect("write the address list");
    }
}
