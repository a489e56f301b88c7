//! `sessionproof case init`.

use crate::clock::Clock;
use crate::pipeline::{self, InitOptions};
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Create a case folder with a commented case.toml to fill in the subject's baseline.
    Init(InitArgs),
    /// Show the declared baseline and which signals it lets sessionproof evaluate.
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The case folder.
    case: PathBuf,
    /// Print the case, the declared baseline and each signal's coverage as JSON on stdout.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The case folder to create (it may exist but must not already be a case).
    case: PathBuf,
    /// Case identifier (default: the folder's name).
    #[arg(long)]
    case_id: Option<String>,
    /// Who handles the case; recorded in every custody entry.
    #[arg(long)]
    examiner: Option<String>,
    /// The subject's IANA time zone, e.g. Europe/Berlin.
    #[arg(long, value_name = "Area/City")]
    subject_tz: Option<String>,
}

pub fn run(cmd: CaseCommand, clock: &Clock) -> anyhow::Result<ExitCode> {
    match cmd {
        CaseCommand::Show(a) => {
            let case = crate::evidence::Case::open(&a.case)?;
            let c = &case.config;
            let s = &c.subject;
            if a.json {
                let signals: Vec<serde_json::Value> = crate::analyze::baseline_coverage(s)
                    .into_iter()
                    .map(|(id, needs)| serde_json::json!({ "id": id, "evaluable": needs.is_none(), "needs": needs }))
                    .collect();
                let out = serde_json::json!({ "case": c.case, "subject": s, "signals": signals });
                say!("{}", serde_json::to_string_pretty(&out).expect("JSON values serialize"));
                return Ok(ExitCode::SUCCESS);
            }
            let v = crate::model::text::visible;
            let list = |xs: &[String]| if xs.is_empty() { "not declared".to_string() } else { v(&xs.join(", ")) };
            let opt = |x: Option<String>| x.map(|x| v(&x)).unwrap_or_else(|| "not declared".into());
            say!("Case {} ({})", v(&c.case.id), super::shown(&a.case));
            say!("  examiner         {}", opt(c.case.examiner.clone()));
            say!("  pseudonym        {}", opt(s.pseudonym.clone()));
            say!("  time zone        {}", opt(s.time_zone.clone()));
            say!(
                "  sleep            {}",
                opt(s.sleep.map(|w| format!("{} to {}", w.from.strftime("%H:%M"), w.to.strftime("%H:%M"))))
            );
            say!("  usual countries  {}", list(&s.usual_countries));
            say!("  usual cities     {}", list(&s.usual_cities));
            say!("  VPN providers    {}", list(&s.vpn_providers));
            say!("  web domains      {}", list(&s.web_domains));
            say!("  automation       {}", opt(s.automation.map(|a| a.to_string())));
            say!("  last known good  {}", opt(s.last_known_good.map(|t| t.to_string())));
            say!("  incident window  {}", opt(s.incident_window.map(|w| format!("{} to {}", w.from, w.to))));
            for d in &s.devices {
                let extra = [&d.platform, &d.app].iter().filter_map(|x| x.as_deref()).collect::<Vec<_>>().join(", ");
                say!(
                    "  device           {}{}",
                    v(&d.model),
                    if extra.is_empty() { String::new() } else { format!(" ({})", v(&extra)) }
                );
            }
            for t in &s.travel {
                say!("  travel           {} {} from {} to {}", t.country, opt(t.city.clone()), t.from, t.to);
            }
            say!("\nSignals this baseline lets sessionproof evaluate:");
            for (id, missing) in crate::analyze::baseline_coverage(s) {
                match missing {
                    None => say!("  yes  {id}"),
                    Some(m) => say!("  no   {id}: needs {m}"),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        CaseCommand::Init(a) => {
            let case = pipeline::init_case(
                &a.case,
                &InitOptions { case_id: a.case_id, examiner: a.examiner, subject_tz: a.subject_tz },
                clock,
            )?;
            say!("Created case {} in {}", crate::model::text::visible(&case.config.case.id), super::shown(&a.case));
            if case.config.case.examiner.is_none() {
                say!("Note: no --examiner given. Set `examiner` under [case] in case.toml before importing,");
                say!("      so every custody entry names who handled the evidence.");
            }
            say!(
                "Next: fill in {} (the subject's devices, places and hours),",
                super::shown(&a.case.join("case.toml"))
            );
            say!("then: sessionproof import {} PATH-TO-EXPORT", super::shown(&a.case));
            Ok(ExitCode::SUCCESS)
        }
    }
}
