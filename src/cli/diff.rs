//! `sessionproof diff CASE [A B]`: what appeared, vanished and reappeared between acquisitions.
//!
//! Acquisitions keep the numbers the report gives them: the case's snapshots in import order,
//! leaving out those a later re-reading of the same original supersedes (so 1 =
//! `snapshots/0001.json` until an original is read again). Without A and B each is compared with
//! the next in capture order; where which was captured first is not known, nothing is called
//! appeared or gone between the two.

use crate::analyze::diff::{self, Change, ChangeKind, Diff, Reappearance, SessionRef};
use crate::evidence::Case;
use crate::model::capture::Capture;
use crate::model::snapshot::Snapshot;
use crate::model::text::{clipped, visible};
use clap::Args;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Longest untrusted label shown in full.
const MAX_SHOWN: usize = 200;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The case folder.
    case: PathBuf,
    /// The acquisition to compare from, numbered as in the report (1 = the first snapshot in force).
    #[arg(value_name = "A", requires = "b")]
    a: Option<usize>,
    /// The acquisition to compare with.
    #[arg(value_name = "B")]
    b: Option<usize>,
    /// Print JSON (acquisitions, changes per pair, reappearances) instead of text.
    #[arg(long)]
    json: bool,
}

/// One acquisition as `--json` describes it.
#[derive(Debug, Serialize)]
struct Acquisition {
    number: usize,
    snapshot: String,
    method: &'static str,
    /// The capture time the source or the examiner states.
    captured_at: Option<String>,
    /// "examiner" when the examiner stated `captured_at`, "source" when the source does.
    captured_at_stated_by: Option<&'static str>,
    /// Bounds on the capture time, when it is not stated.
    captured_not_before: Option<String>,
    captured_not_after: Option<String>,
    acquired_at: String,
}

/// A reappearance as `--json` describes it: acquisition numbers as in the report (1-based).
#[derive(Debug, Serialize)]
struct Reappeared {
    acquisition: usize,
    session_index: usize,
    locator: String,
    label: String,
    seen_in: Vec<usize>,
    absent_in: Vec<usize>,
    basis: &'static str,
}

impl Reappeared {
    fn of(r: &Reappearance, snaps: &[&Snapshot]) -> Reappeared {
        let s = &snaps[r.acquisition].sessions[r.session_index];
        let numbers = |v: &[usize]| v.iter().map(|i| i + 1).collect();
        Reappeared {
            acquisition: r.acquisition + 1,
            session_index: r.session_index,
            locator: s.locator.clone(),
            label: diff::label(s),
            seen_in: numbers(&r.seen_in),
            absent_in: numbers(&r.absent_in),
            basis: r.basis,
        }
    }
}

#[derive(Debug, Serialize)]
struct Output<'a> {
    acquisitions: Vec<Acquisition>,
    /// Acquisition numbers in capture order.
    order: Vec<usize>,
    diffs: &'a [Diff],
    /// Every reappearance in the case, whatever pair was asked for.
    reappeared: &'a [Reappeared],
}

pub fn run(a: DiffArgs) -> anyhow::Result<ExitCode> {
    let case = Case::open(&a.case)?;
    let stored = crate::pipeline::in_force(case.snapshots()?);
    let problems = case.integrity_problems()?;
    if stored.len() < 2 {
        anyhow::bail!(
            "{}: {} imported; diff compares two acquisitions. Import another session list first: sessionproof import {} FILE",
            super::shown(&a.case),
            crate::pipeline::count(stored.len(), "acquisition"),
            super::shown(&a.case)
        );
    }
    let snaps: Vec<&Snapshot> = stored.iter().map(|s| &s.snapshot).collect();
    let order = diff::order(&snaps);
    let n = snaps.len();
    let pairs: Vec<(usize, usize)> = match (a.a, a.b) {
        (Some(x), Some(y)) => {
            for v in [x, y] {
                if v == 0 || v > n {
                    anyhow::bail!(
                        "there is no acquisition {v}: the case has acquisitions 1 to {n} (as numbered in the report)"
                    );
                }
            }
            if x == y {
                anyhow::bail!("A and B are both acquisition {x}; give two different acquisitions between 1 and {n}");
            }
            vec![(x - 1, y - 1)]
        }
        _ => order.windows(2).map(|w| (w[0], w[1])).collect(),
    };
    let diffs: Vec<Diff> = pairs.iter().map(|&(f, t)| diff::diff(&snaps, f, t)).collect();
    let reappeared: Vec<Reappeared> = diff::reappeared(&snaps).iter().map(|r| Reappeared::of(r, &snaps)).collect();

    for p in problems.iter().take(3) {
        eprintln!("warning: {}", visible(p));
    }
    if !problems.is_empty() {
        eprintln!(
            "warning: the case does not match its custody log ({}); this comparison rests on snapshots that may have been changed outside sessionproof",
            crate::pipeline::count(problems.len(), "problem")
        );
    }
    let mut out = std::io::stdout().lock();
    if a.json {
        let output = Output {
            acquisitions: stored
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let text = Capture::of(&s.snapshot).text();
                    Acquisition {
                        number: i + 1,
                        snapshot: s.rel_path.clone(),
                        method: s.snapshot.method.as_str(),
                        captured_at_stated_by: text
                            .stated
                            .as_ref()
                            .map(|_| if text.by_examiner { "examiner" } else { "source" }),
                        captured_at: text.stated,
                        captured_not_before: text.not_before,
                        captured_not_after: text.not_after,
                        acquired_at: s.snapshot.acquired_at.clone(),
                    }
                })
                .collect(),
            order: order.iter().map(|i| i + 1).collect(),
            diffs: &diffs,
            reappeared: &reappeared,
        };
        let mut bytes = serde_json::to_vec_pretty(&output)?;
        bytes.push(b'\n');
        out.write_all(&bytes)?;
        return Ok(ExitCode::SUCCESS);
    }

    let describe = |i: usize| {
        let s = &stored[i];
        let when = Capture::of(&s.snapshot).text().describe();
        format!("acquisition {} ({}, {}, {})", i + 1, s.snapshot.method.as_str(), visible(&when), s.rel_path)
    };
    if a.a.is_none() && order.iter().enumerate().any(|(p, &i)| p != i) {
        let seq: Vec<String> = order.iter().map(|i| (i + 1).to_string()).collect();
        writeln!(out, "Compared in capture order: {} (numbers as in the report)\n", seq.join(" → "))?;
    }
    for d in &diffs {
        writeln!(out, "{} → {}", describe(d.from - 1), describe(d.to - 1))?;
        let (pf, pt) = (order.iter().position(|&i| i == d.from - 1), order.iter().position(|&i| i == d.to - 1));
        if let Some(why) = &d.order_unknown {
            writeln!(out, "  {}", visible(&why.explain()))?;
        } else if pt < pf {
            writeln!(
                out,
                "  note: acquisition {} was captured before acquisition {}; read \"appeared\" and \"vanished\" backwards in time",
                d.to, d.from
            )?;
        }
        print_diff(&mut out, d)?;
        writeln!(out)?;
    }
    if !reappeared.is_empty() {
        writeln!(out, "Back after an acquisition that could have shown them and did not (whole case):")?;
        for r in &reappeared {
            let list = |v: &[usize]| v.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
            writeln!(
                out,
                "  ↺ {}  [acquisition {} {}]: seen in {}, absent from {}, back in {} (matched by: {})",
                shown_label(&r.label),
                r.acquisition,
                visible(&r.locator),
                list(&r.seen_in),
                list(&r.absent_in),
                r.acquisition,
                r.basis
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_diff(out: &mut impl Write, d: &Diff) -> std::io::Result<()> {
    let of = |k: ChangeKind| d.changes.iter().filter(move |c| c.kind == k);
    for (kind, mark, word) in [
        (ChangeKind::Reappeared, "↺", "reappeared"),
        (ChangeKind::Appeared, "+", "appeared  "),
        (ChangeKind::Vanished, "-", "vanished  "),
    ] {
        for c in of(kind) {
            writeln!(out, "  {mark} {word}  {}", change_line(c))?;
        }
    }
    let stayed: Vec<&Change> = of(ChangeKind::Stayed).collect();
    writeln!(out, "  = stayed ({})", stayed.len())?;
    for c in stayed {
        writeln!(out, "      {}", change_line(c))?;
    }
    if !d.not_comparable.is_empty() {
        writeln!(out, "  ? not comparable ({}): neither matched nor provably absent", d.not_comparable.len())?;
        let mut reasons: Vec<&diff::Unprovable> = Vec::new();
        for n in &d.not_comparable {
            if !reasons.contains(&&n.why) {
                reasons.push(&n.why);
            }
        }
        for why in reasons {
            writeln!(out, "    {}:", visible(&why.explain()))?;
            for n in d.not_comparable.iter().filter(|n| n.why == *why) {
                writeln!(out, "      {}", place(&n.session, ""))?;
            }
        }
    }
    if d.changes.iter().all(|c| c.kind == ChangeKind::Stayed) && d.not_comparable.is_empty() {
        writeln!(out, "  no session appeared, vanished or reappeared")?;
    }
    Ok(())
}

/// "label  [where; where the match was]" plus the basis of the match.
fn change_line(c: &Change) -> String {
    let matched = c.matched.as_ref().map(|m| {
        let word = if c.kind == ChangeKind::Reappeared { "last seen in" } else { "was" };
        format!("; {word} acquisition {} {}", m.acquisition, visible(&m.locator))
    });
    let mut line = place(&c.session, &matched.unwrap_or_default());
    if let Some(b) = c.basis {
        let via = c.linked_through.map(|v| format!(", linked through acquisition {v}")).unwrap_or_default();
        line.push_str(&format!(" (matched by: {b}{via})"));
    }
    line
}

/// "label  [acquisition N locator…]", marked when it is the session that made the acquisition.
fn place(r: &SessionRef, more: &str) -> String {
    let current = if r.current { " (current: the session that made this acquisition)" } else { "" };
    format!("{}{current}  [acquisition {} {}{more}]", shown_label(&r.label), r.acquisition, visible(&r.locator))
}

fn shown_label(label: &str) -> String {
    clipped(&visible(label), MAX_SHOWN)
}
