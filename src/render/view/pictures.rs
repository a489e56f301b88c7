//! The report's pictures built from its input: the timeline of the sessions (most urgent first),
//! the acquisitions, the sessions found gone and the declared incident window; and the map of the
//! countries the sessions' IPs are placed in, each in the colour of its worst verdict.

use super::Ctx;
use super::sessions::{Built, Plotted};
use crate::model::change::ChangeKind;
use crate::model::figure::{Figure, Rgb};
use crate::model::finding::Verdict;
use crate::render::figures::{TimelineInput, TimelineRow, timeline, verdict_colour, world_map};
use jiff::Timestamp;

/// Width the pictures are drawn at, in points: about the PDF's text width, so labels keep their
/// size there; the HTML scales the SVG to its column.
pub(super) const WIDTH: f32 = 500.0;

/// Sessions the analysis gave no verdict.
const NOT_EVALUATED: Rgb = Rgb(0xbb, 0xbb, 0xbb);

/// Most urgent first: act now, review, not evaluated, ok, information.
fn urgency(v: Option<Verdict>) -> u8 {
    match v {
        Some(Verdict::ActNow) => 0,
        Some(Verdict::Review) => 1,
        None => 2,
        Some(Verdict::Ok) => 3,
        Some(Verdict::Info) => 4,
    }
}

fn colour(v: Option<Verdict>) -> Rgb {
    v.map_or(NOT_EVALUATED, verdict_colour)
}

/// The timeline and the map, or nothing when there is no session to draw.
pub(super) fn build(ctx: &Ctx, built: &Built) -> Vec<Figure> {
    if built.plotted.is_empty() {
        return Vec::new();
    }
    let mut rows: Vec<&Plotted> = built.plotted.iter().collect();
    rows.sort_by_key(|p| (urgency(p.verdict), p.number));
    vec![timeline(&timeline_input(ctx, built, &rows), WIDTH, ctx.c), map(ctx, &rows)]
}

/// Where acquisition `n` (1-based) is drawn: when it was captured, as stated; else the earliest
/// it can have been captured (the newest activity it shows), else the latest.
fn acquisition_time(ctx: &Ctx, n: usize) -> Option<Timestamp> {
    let s = &ctx.input.snapshots.get(n.checked_sub(1)?)?.snapshot;
    let c = crate::model::capture::Capture::of(s);
    c.earliest().or_else(|| c.latest())
}

fn timeline_input(ctx: &Ctx, built: &Built, rows: &[&Plotted]) -> TimelineInput {
    let c = ctx.c;
    let acquisitions = (1..=ctx.input.snapshots.len())
        .filter_map(|n| Some((c.tf("figure.acquisition", &[("n", &n.to_string())]), acquisition_time(ctx, n)?)))
        .collect();
    // A session gone from the next acquisition is drawn at that acquisition: the list shows it gone
    // by then, and nothing says when in between it ended.
    let mut terminations = Vec::new();
    for d in &ctx.input.changes {
        let Some(at) = acquisition_time(ctx, d.to) else { continue };
        for ch in d.changes.iter().filter(|ch| ch.kind == ChangeKind::Vanished) {
            let key = (ch.session.acquisition, ch.session.session_index);
            if let Some(n) = built.numbers.get(&key) {
                terminations.push((c.tf("figure.gone", &[("n", &n.to_string())]), at));
            }
        }
    }
    let subject = &ctx.input.config.subject;
    TimelineInput {
        rows: rows
            .iter()
            .map(|p| TimelineRow {
                label: format!("#{} {}", p.number, p.device),
                created: p.created,
                last_active: p.last_active,
                created_text: p.created_text.clone(),
                last_active_text: p.last_active_text.clone(),
                colour: colour(p.verdict),
            })
            .collect(),
        acquisitions,
        terminations,
        incident: subject.incident_window.map(|w| (w.from, w.to)),
        zone_label: subject.time_zone.as_deref().map(|z| c.tf("figure.zone", &[("zone", z)])).unwrap_or_default(),
    }
}

/// Each session's country in its colour (the first, most urgent, wins), and a key naming the
/// verdicts on the map.
fn map(ctx: &Ctx, rows: &[&Plotted]) -> Figure {
    let countries: Vec<(String, Rgb)> =
        rows.iter().filter_map(|p| Some((p.country.clone()?, colour(p.verdict)))).collect();
    let mut on_map: Vec<Option<Verdict>> = Vec::new();
    for p in rows.iter().filter(|p| p.country.is_some()) {
        if !on_map.contains(&p.verdict) {
            on_map.push(p.verdict);
        }
    }
    let legend =
        on_map.into_iter().map(|v| (super::sessions::verdict_words(ctx.c, v).1, colour(v))).collect::<Vec<_>>();
    world_map(&countries, &legend, WIDTH, ctx.c)
}
