//! `sessionproof lookup IP…`: everything known offline about each address, and where it came from.

use super::DataArgs;
use crate::enrich::Enricher;
use crate::model::enrichment::{Enrichment, IpFacts};
use crate::model::text::visible;
use clap::Args;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct LookupArgs {
    /// IPv4 or IPv6 addresses.
    #[arg(required = true)]
    ips: Vec<String>,
    /// Print JSON (facts, sources, missing layers, warnings) instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    data: DataArgs,
}

pub fn run(a: LookupArgs, clock: &crate::clock::Clock) -> anyhow::Result<ExitCode> {
    let enricher = Enricher::new(&a.data.options(clock)?);
    let enrichment = enricher.enrich(a.ips.iter().map(String::as_str));
    let bad: Vec<&IpFacts> = enrichment.ips.values().filter(|f| f.normalized.is_none()).collect();
    let mut out = std::io::stdout().lock();
    if a.json {
        let mut bytes = serde_json::to_vec_pretty(&enrichment)?;
        bytes.push(b'\n');
        out.write_all(&bytes)?;
    } else {
        print_table(&mut out, &a.ips, &enrichment)?;
    }
    for f in &bad {
        eprintln!("error: {:?} is not an IP address; give IPv4 (1.2.3.4) or IPv6 (2001:db8::1)", visible(&f.ip));
    }
    Ok(if bad.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) })
}

fn print_table(out: &mut impl Write, order: &[String], e: &Enrichment) -> std::io::Result<()> {
    let name_of = |id: &str| id.to_string();
    for ip in order {
        let Some(f) = e.ips.get(ip) else { continue };
        writeln!(out, "{}", visible(ip))?;
        if let Some(c) = f.class {
            writeln!(out, "  range    {}", crate::enrich::classify::describe(c))?;
        }
        if let Some(a) = &f.asn {
            let org = a.value.organization.as_deref().map(visible).unwrap_or_else(|| "(no organisation)".into());
            writeln!(out, "  AS       AS{} {org}   [{}]", a.value.number, name_of(&a.source))?;
        }
        if let Some(isp) = &f.isp {
            writeln!(out, "  ISP      {}   [{}]", visible(&isp.value), isp.source)?;
        }
        if let Some(c) = &f.country {
            writeln!(out, "  country  {}   [{}]", c.value, c.source)?;
        }
        if let Some(p) = &f.place {
            let v = &p.value;
            let text =
                [&v.city, &v.region, &v.country].iter().filter_map(|x| x.as_deref()).collect::<Vec<_>>().join(", ");
            let coords = match (v.latitude, v.longitude) {
                (Some(la), Some(lo)) => {
                    format!(" ({la:.4}, {lo:.4}{})", v.accuracy_km.map(|k| format!(", ±{k} km")).unwrap_or_default())
                }
                _ => String::new(),
            };
            writeln!(out, "  place    {}{coords}   [{}]", visible(&text), p.source)?;
        }
        for flag in &f.flags {
            let kind = serde_json::to_value(flag.kind).ok();
            let kind = kind.as_ref().and_then(|k| k.as_str()).unwrap_or("flag");
            writeln!(out, "  flag     {kind}: {}   [{}]", visible(&flag.detail), flag.source)?;
        }
        for n in &f.notes {
            writeln!(out, "  note     {}", visible(n))?;
        }
    }
    writeln!(out, "\nSources:")?;
    for s in &e.sources {
        let mut line = format!("  {:<17} {}", s.id, visible(&s.name));
        if let Some(v) = &s.version {
            line.push_str(&format!(" {v}"));
        }
        if let Some(d) = &s.build_date {
            line.push_str(&format!(" (built {d})"));
        }
        if let Some(l) = &s.licence {
            line.push_str(&format!(", {l}"));
        }
        if let Some(p) = &s.path {
            line.push_str(&format!(", {}", visible(p)));
        }
        writeln!(out, "{line}")?;
    }
    for m in &e.missing_layers {
        writeln!(out, "Missing layer: {m}")?;
    }
    for w in &e.warnings {
        writeln!(out, "Warning: {}", visible(w))?;
    }
    Ok(())
}
