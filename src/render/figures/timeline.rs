//! The timeline: one row per session, a bar from when it was created to when it was last
//! active (a mark when only one end is known), the acquisitions and terminations as vertical
//! lines, the declared incident window shaded, on a UTC time axis.
//!
//! At most `MAX_ROWS` sessions are drawn, in the order given; the figure and its description say
//! how many more there are, so a reader never mistakes the picture for the whole list.

use super::legend::{Swatch, diamond, key};
use super::ticks::{date_line, label, ticks};
use super::{INK, MUTED, clamp_width, fit, line, text, text_width};
use crate::model::figure::{Anchor, Figure, Paint, Rgb, Shape};
use crate::model::text::visible_keeping_isolates as visible;
use crate::render::i18n::Catalogue;
use jiff::Timestamp;

/// Rows drawn at most; the rest are counted in a note.
const MAX_ROWS: usize = 40;
const PAD: f32 = 4.0;
const ROW_H: f32 = 14.0;
const BAR_H: f32 = 8.0;
const SIZE: f32 = super::TEXT_SIZE;
/// Horizontal room per tick label.
const TICK_SPACING: f32 = 64.0;
const BAND_LEVEL: f32 = 10.0;

const STRIPE: Rgb = Rgb(0xf4, 0xf4, 0xf4);
const GRID: Rgb = Rgb(0xdd, 0xdd, 0xdd);
const INCIDENT: Rgb = Rgb(0xfc, 0xe4, 0xc0);
const ACQUISITION: Rgb = Rgb(0x1f, 0x4e, 0x79);
const TERMINATION: Rgb = Rgb(0x8b, 0x1a, 0x1a);

/// One session's row.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRow {
    /// Shown at the left of the row (untrusted: may be a device name).
    pub label: String,
    pub created: Option<Timestamp>,
    pub last_active: Option<Timestamp>,
    /// The two times as the report's table words them, for the text alternative (a day-only
    /// time reads "2026-11-24 (day only, …)", not as the instant it is drawn at).
    pub created_text: Option<String>,
    pub last_active_text: Option<String>,
    /// The bar's colour, usually the session's verdict colour.
    pub colour: Rgb,
}

/// Everything the timeline shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimelineInput {
    pub rows: Vec<TimelineRow>,
    /// (label, when) of each acquisition.
    pub acquisitions: Vec<(String, Timestamp)>,
    /// (label, when) of each termination seen between acquisitions.
    pub terminations: Vec<(String, Timestamp)>,
    /// The declared incident window, start and end.
    pub incident: Option<(Timestamp, Timestamp)>,
    /// A note under the axis, e.g. the subject's time zone; the axis itself is always UTC.
    pub zone_label: String,
}

/// Milliseconds since the epoch to figure x.
struct Scale {
    from: f64,
    to: f64,
    x0: f32,
    x1: f32,
}

impl Scale {
    fn x(&self, t: Timestamp) -> f32 {
        let f = (t.as_millisecond() as f64 - self.from) / (self.to - self.from);
        self.x0 + (f.clamp(0.0, 1.0) as f32) * (self.x1 - self.x0)
    }
}

/// Where the parts of the figure sit, in points.
struct Layout {
    width: f32,
    label_w: f32,
    /// The plot's left and right edge.
    x0: f32,
    x1: f32,
    /// Top of the band that carries the event labels (and of the incident shading).
    band_top: f32,
    rows_top: f32,
    rows_bottom: f32,
}

/// The timeline of `input`, `width` points wide, its words from `c`.
pub fn timeline(input: &TimelineInput, width: f32, c: &Catalogue) -> Figure {
    let width = clamp_width(width);
    let label_w = (width * 0.28).clamp(60.0, 180.0);
    let (x0, x1) = (PAD + label_w + 8.0, width - PAD - 6.0);
    let shown = &input.rows[..input.rows.len().min(MAX_ROWS)];
    let hidden = input.rows.len() - shown.len();
    let scale = range(input).map(|(from, to)| Scale { from, to, x0, x1 });

    let (mut shapes, key_h) = key(&key_items(input, c), PAD, PAD, width - 2.0 * PAD);
    let band_top = PAD + key_h + 2.0;
    let incident_label = c.t("figure.timeline.key_incident");
    let events = events(input, &incident_label);
    let rows_top = if scale.is_some() && !events.is_empty() { band_top + 2.0 * BAND_LEVEL + 2.0 } else { band_top };
    let rows_bottom = rows_top + ROW_H * shown.len() as f32;
    let at = Layout { width, label_w, x0, x1, band_top, rows_top, rows_bottom };

    shapes.extend(row_backgrounds(shown, &at));
    let mut bottom = rows_bottom + 4.0;
    if let Some(s) = &scale {
        if let Some((start, end)) = input.incident {
            let (a, b) = (s.x(start.min(end)), s.x(start.max(end)));
            let h = rows_bottom - band_top;
            shapes.push(Shape::Rect { x: a, y: band_top, w: (b - a).max(1.0), h, paint: Paint::fill(INCIDENT) });
        }
        let (grid, labels, label_h) = axis(s, &at);
        shapes.extend(grid);
        shapes.extend(shown.iter().enumerate().flat_map(|(i, row)| row_marks(row, Some(s), &at, i, c)));
        shapes.extend(event_marks(&events, s, &at));
        shapes.extend(labels);
        bottom = rows_bottom + 2.0 + label_h;
    } else {
        shapes.extend(shown.iter().enumerate().flat_map(|(i, row)| row_marks(row, None, &at, i, c)));
    }

    let mut notes = Vec::new();
    if input.rows.is_empty() {
        notes.push(c.t("figure.timeline.no_sessions"));
    }
    if scale.is_none() {
        notes.push(c.t("figure.timeline.no_axis"));
    } else {
        let zone = visible(input.zone_label.trim());
        let utc = c.t("figure.timeline.utc");
        notes.push(if zone.is_empty() { utc } else { format!("{utc} {zone}") });
    }
    if hidden > 0 {
        notes.push(c.tn("figure.timeline.more", hidden, &[]));
    }
    for note in notes {
        shapes.push(text(PAD, bottom + 8.0, fit(&note, SIZE, width - 2.0 * PAD), Anchor::Start, MUTED));
        bottom += 12.0;
    }

    Figure {
        width,
        height: bottom + PAD,
        shapes,
        title: c.t("figure.timeline.title"),
        description: describe(input, shown, hidden, scale.as_ref(), c),
    }
}

/// The key, naming only what the figure contains.
fn key_items(input: &TimelineInput, c: &Catalogue) -> Vec<(Swatch, String)> {
    let grey = Rgb(0xbb, 0xbb, 0xbb);
    let mut items = vec![
        (Swatch::Box(grey), c.t("figure.timeline.key_bar")),
        (Swatch::Diamond(grey), c.t("figure.timeline.key_created")),
        (Swatch::Dot(grey), c.t("figure.timeline.key_active")),
    ];
    if !input.acquisitions.is_empty() {
        items.push((Swatch::Rule { colour: ACQUISITION, dashed: true }, c.t("figure.timeline.key_acquisition")));
    }
    if !input.terminations.is_empty() {
        items.push((Swatch::Rule { colour: TERMINATION, dashed: false }, c.t("figure.timeline.key_gone")));
    }
    if input.incident.is_some() {
        items.push((Swatch::Box(INCIDENT), c.t("figure.timeline.key_incident")));
    }
    items
}

/// An event above the rows: when, its label, its colour, and its vertical line (dashed or
/// solid), or none for the incident window's label.
type Event<'a> = (Timestamp, &'a str, Rgb, Option<bool>);

/// Acquisitions, terminations and the incident window's start, in time order.
fn events<'a>(input: &'a TimelineInput, incident_label: &'a str) -> Vec<Event<'a>> {
    let mut events: Vec<Event<'_>> = Vec::new();
    events.extend(input.acquisitions.iter().map(|(l, t)| (*t, l.as_str(), ACQUISITION, Some(true))));
    events.extend(input.terminations.iter().map(|(l, t)| (*t, l.as_str(), TERMINATION, Some(false))));
    events.extend(input.incident.map(|(a, b)| (a.min(b), incident_label, MUTED, None)));
    events.sort_by_key(|e| e.0);
    events
}

/// Every other row shaded, and each row's label cut to the label column.
fn row_backgrounds(shown: &[TimelineRow], at: &Layout) -> Vec<Shape> {
    let mut shapes = Vec::new();
    for (i, row) in shown.iter().enumerate() {
        let top = at.rows_top + ROW_H * i as f32;
        if i % 2 == 1 {
            shapes.push(Shape::Rect { x: PAD, y: top, w: at.x1 - PAD, h: ROW_H, paint: Paint::fill(STRIPE) });
        }
        shapes.push(text(PAD, top + ROW_H - 4.0, fit(&row.label, SIZE, at.label_w), Anchor::Start, INK));
    }
    shapes
}

/// The axis line, a grid line and tick per tick, and (separately, to be painted last) the tick
/// labels with the date under sub-day ticks where it changes; and the labels' height.
fn axis(s: &Scale, at: &Layout) -> (Vec<Shape>, Vec<Shape>, f32) {
    let max_ticks = ((at.x1 - at.x0) / TICK_SPACING).floor().max(2.0) as usize;
    let (step, ticks) = ticks(ms(s.from), ms(s.to), max_ticks);
    let y = at.rows_bottom + 2.0;
    let (mut grid, mut labels) = (vec![line(at.x0, y, at.x1, y, Paint::stroke(INK, 0.6), false)], Vec::new());
    let mut label_h: f32 = 16.0;
    for (i, t) in ticks.iter().enumerate() {
        let x = s.x(*t);
        grid.push(line(x, at.rows_top, x, y, Paint::stroke(GRID, 0.5), false));
        grid.push(line(x, y, x, y + 3.0, Paint::stroke(INK, 0.6), false));
        labels.push(text(x, y + 12.0, label(step, *t), Anchor::Middle, INK));
        if let Some(date) = date_line(step, *t, i.checked_sub(1).map(|j| ticks[j])) {
            labels.push(text(x, y + 21.0, date, Anchor::Middle, MUTED));
            label_h = 25.0;
        }
    }
    (grid, labels, label_h)
}

/// The vertical line of each acquisition and termination, and the events' labels on the first
/// of two levels where they do not overlap; a label that fits nowhere is left out of the picture
/// (the description lists every event).
fn event_marks(events: &[Event<'_>], s: &Scale, at: &Layout) -> Vec<Shape> {
    let mut shapes = Vec::new();
    let mut levels = [f32::MIN; 2];
    for &(t, label, colour, dashed) in events {
        let x = s.x(t);
        if let Some(dashed) = dashed {
            shapes.push(line(x, at.band_top, x, at.rows_bottom, Paint::stroke(colour, 1.0), dashed));
        }
        let label = fit(label, SIZE, 120.0);
        let w = text_width(&label, SIZE);
        let (tx, anchor, left) = if x + 2.0 + w <= at.width - PAD {
            (x + 2.0, Anchor::Start, x)
        } else {
            (x - 2.0, Anchor::End, x - 2.0 - w)
        };
        if let Some(level) = (0..2).find(|&l| left > levels[l] + 4.0) {
            levels[level] = left + w + 2.0;
            shapes.push(text(tx, at.band_top + BAND_LEVEL * (level as f32 + 1.0) - 2.0, label, anchor, colour));
        }
    }
    shapes
}

/// The bar or mark of row `i`; "no dates" when neither end is known or nothing has a date.
fn row_marks(row: &TimelineRow, scale: Option<&Scale>, at: &Layout, i: usize, c: &Catalogue) -> Vec<Shape> {
    let mid = at.rows_top + ROW_H * i as f32 + ROW_H / 2.0;
    let paint = Paint::fill_stroke(row.colour, INK, 0.5);
    match (scale, row.created, row.last_active) {
        (Some(s), Some(a), Some(b)) => {
            let (xa, xb) = (s.x(a.min(b)), s.x(a.max(b)));
            let w = (xb - xa).max(2.0);
            vec![Shape::Rect { x: xa.min(s.x1 - w), y: mid - BAR_H / 2.0, w, h: BAR_H, paint }]
        }
        (Some(s), Some(a), None) => vec![diamond(s.x(a), mid, BAR_H / 2.0 + 0.5, row.colour)],
        (Some(s), None, Some(b)) => vec![Shape::Circle { cx: s.x(b), cy: mid, r: BAR_H / 2.0, paint }],
        _ => vec![text(at.x0 + 2.0, mid + 2.5, c.t("figure.timeline.no_dates"), Anchor::Start, MUTED)],
    }
}

/// The span of every known time (ms since the epoch), padded by 3% on each side and widened to
/// at least ten minutes; `None` when nothing has a date.
fn range(input: &TimelineInput) -> Option<(f64, f64)> {
    let times = input
        .rows
        .iter()
        .flat_map(|r| [r.created, r.last_active])
        .flatten()
        .chain(input.acquisitions.iter().map(|(_, t)| *t))
        .chain(input.terminations.iter().map(|(_, t)| *t))
        .chain(input.incident.into_iter().flat_map(|(a, b)| [a, b]));
    let (lo, hi) = times.fold(None, |acc: Option<(i64, i64)>, t| {
        let m = t.as_millisecond();
        Some(acc.map_or((m, m), |(lo, hi)| (lo.min(m), hi.max(m))))
    })?;
    let (lo, hi) = (lo as f64, hi as f64);
    let pad = ((hi - lo) * 0.03).max((600_000.0 - (hi - lo)).max(0.0) / 2.0);
    let (min, max) = (Timestamp::MIN.as_millisecond() as f64, Timestamp::MAX.as_millisecond() as f64);
    Some(((lo - pad).max(min), (hi + pad).min(max)))
}

/// Milliseconds to a timestamp, clamped to jiff's range.
fn ms(v: f64) -> Timestamp {
    let (min, max) = (Timestamp::MIN.as_millisecond(), Timestamp::MAX.as_millisecond());
    Timestamp::from_millisecond((v as i64).clamp(min, max)).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn when(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// The text alternative: every drawn row's dates, every event, and how many rows are not drawn.
fn describe(
    input: &TimelineInput,
    shown: &[TimelineRow],
    hidden: usize,
    scale: Option<&Scale>,
    c: &Catalogue,
) -> String {
    let n = input.rows.len();
    // The span the data covers, not the padded axis: the axis runs past the report's own date.
    let times = input
        .rows
        .iter()
        .flat_map(|r| [r.created, r.last_active])
        .flatten()
        .chain(input.acquisitions.iter().chain(&input.terminations).map(|e| e.1))
        .chain(input.incident.into_iter().flat_map(|(a, b)| [a, b]));
    let span = times
        .fold(None, |span: Option<(Timestamp, Timestamp)>, t| Some(span.map_or((t, t), |(a, b)| (a.min(t), b.max(t)))));
    let mut parts = vec![match (scale, span) {
        (Some(_), Some((from, to))) => {
            c.tn("figure.timeline.describe_span", n, &[("from", &when(from)), ("to", &when(to))])
        }
        _ => c.tn("figure.timeline.describe_undated", n, &[]),
    }];
    for row in shown {
        let end = |t: Option<Timestamp>, text: &Option<String>| match (t, text) {
            (Some(_), Some(text)) => visible(text),
            (Some(t), None) => when(t),
            (None, _) => c.t("time.unknown"),
        };
        parts.push(c.tf(
            "figure.timeline.describe_row",
            &[
                ("label", &visible(row.label.trim())),
                ("created", &end(row.created, &row.created_text)),
                ("last_active", &end(row.last_active, &row.last_active_text)),
            ],
        ));
    }
    if hidden > 0 {
        parts.push(c.tn("figure.timeline.describe_hidden", hidden, &[]));
    }
    let list = |events: &[(String, Timestamp)]| {
        events
            .iter()
            .map(|(l, t)| c.tf("figure.timeline.describe_event", &[("label", &visible(l.trim())), ("when", &when(*t))]))
            .collect::<Vec<_>>()
            .join(&c.t("text.semicolon"))
    };
    if !input.acquisitions.is_empty() {
        parts.push(c.tf("figure.timeline.describe_acquisitions", &[("list", &list(&input.acquisitions))]));
    }
    if !input.terminations.is_empty() {
        parts.push(c.tf("figure.timeline.describe_gone", &[("list", &list(&input.terminations))]));
    }
    if let Some((a, b)) = input.incident {
        parts.push(c.tf("figure.timeline.describe_incident", &[("from", &when(a.min(b))), ("to", &when(a.max(b)))]));
    }
    let zone = visible(input.zone_label.trim());
    if !zone.is_empty() {
        parts.push(zone);
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::figures::svg;
    use crate::render::i18n::Lang;

    fn timeline(input: &TimelineInput, width: f32) -> Figure {
        super::timeline(input, width, &Catalogue::new(Lang::En))
    }

    const RED: Rgb = Rgb(0xc0, 0x1b, 0x1b);
    const GREEN: Rgb = Rgb(0x2e, 0x7d, 0x32);

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn row(label: &str, created: Option<&str>, last_active: Option<&str>, colour: Rgb) -> TimelineRow {
        TimelineRow {
            label: label.into(),
            created: created.map(t),
            last_active: last_active.map(t),
            created_text: None,
            last_active_text: None,
            colour,
        }
    }

    fn texts(fig: &Figure) -> Vec<&str> {
        fig.shapes
            .iter()
            .filter_map(|s| if let Shape::Text { text, .. } = s { Some(text.as_str()) } else { None })
            .collect()
    }

    fn bars(fig: &Figure, colour: Rgb) -> Vec<(f32, f32)> {
        let bar = |s: &Shape| match s {
            Shape::Rect { x, w, paint, .. } if paint.fill == Some(colour) => Some((*x, *w)),
            _ => None,
        };
        fig.shapes.iter().filter_map(bar).collect()
    }

    /// Vertical lines across the rows (not the key's short samples).
    fn lines(fig: &Figure, colour: Rgb) -> Vec<(f32, bool)> {
        let line = |s: &Shape| match s {
            Shape::Line { x1, y1, y2, paint, dashed, .. } if paint.stroke == Some(colour) && y2 - y1 > 20.0 => {
                Some((*x1, *dashed))
            }
            _ => None,
        };
        fig.shapes.iter().filter_map(line).collect()
    }

    fn case() -> TimelineInput {
        TimelineInput {
            rows: vec![
                row("Telegram Desktop, Ubuntu", Some("2026-03-01T08:00:00Z"), Some("2026-03-14T09:00:00Z"), GREEN),
                row(
                    "<img src=x onerror=alert(1)> & co",
                    Some("2026-03-10T02:00:00Z"),
                    Some("2026-03-13T22:00:00Z"),
                    RED,
                ),
                row("created only", Some("2026-03-12T00:00:00Z"), None, RED),
                row("active only", None, Some("2026-03-11T00:00:00Z"), RED),
                row("no dates at all", None, None, RED),
            ],
            acquisitions: vec![("acquisition 1".into(), t("2026-03-14T10:00:00Z"))],
            terminations: vec![("terminated: iPhone".into(), t("2026-03-14T10:30:00Z"))],
            incident: Some((t("2026-03-09T00:00:00Z"), t("2026-03-11T00:00:00Z"))),
            zone_label: "Subject's zone: Europe/Berlin.".into(),
        }
    }

    #[test]
    fn a_case_draws_bars_marks_lines_and_the_window() {
        let fig = timeline(&case(), 600.0);
        let green = bars(&fig, GREEN);
        let red = bars(&fig, RED);
        assert_eq!(green.len(), 1);
        assert_eq!(red.len(), 1, "one red bar; the others are a diamond, a dot and a note");
        // Created earlier and active longer: the green bar starts left of the red one and is wider.
        assert!(green[0].0 < red[0].0 && green[0].1 > red[0].1, "{green:?} {red:?}");
        let diamonds =
            fig.shapes.iter().filter(|s| matches!(s, Shape::Path { paint, .. } if paint.fill == Some(RED))).count();
        let dots =
            fig.shapes.iter().filter(|s| matches!(s, Shape::Circle { paint, .. } if paint.fill == Some(RED))).count();
        assert_eq!((diamonds, dots), (1, 1));
        assert!(texts(&fig).contains(&"no dates"));
        let acquisition = lines(&fig, ACQUISITION);
        let termination = lines(&fig, TERMINATION);
        assert_eq!(acquisition.len(), 1);
        assert!(acquisition[0].1, "acquisitions are dashed");
        assert_eq!(termination.len(), 1);
        assert!(!termination[0].1 && termination[0].0 > acquisition[0].0);
        assert_eq!(bars(&fig, INCIDENT).len(), 2, "the window and its key entry");
        for text in
            ["acquisition 1", "terminated: iPhone", "incident window", "Times in UTC. Subject's zone: Europe/Berlin."]
        {
            assert!(texts(&fig).contains(&text), "{text}: {:?}", texts(&fig));
        }
        let d = &fig.description;
        // The span of the data (first creation to the termination mark), not the padded axis.
        assert!(d.starts_with("Timeline of 5 sessions from 2026-03-01 08:00 UTC to 2026-03-14 10:30 UTC."), "{d}");
        assert!(d.contains("created only: created 2026-03-12 00:00 UTC, last active unknown."), "{d}");
        assert!(d.contains("Acquisitions: acquisition 1 at 2026-03-14 10:00 UTC."), "{d}");
        assert!(d.contains("Incident window: 2026-03-09 00:00 UTC to 2026-03-11 00:00 UTC."), "{d}");
        // About two weeks: daily or two-daily ticks, dated.
        assert!(texts(&fig).iter().any(|x| x.starts_with("2026-03-")));
    }

    #[test]
    fn untrusted_labels_are_escaped_and_output_is_stable() {
        let fig = timeline(&case(), 600.0);
        let out = svg(&fig);
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("&lt;img src=x onerror=alert(1)&gt; &amp; co"));
        assert_eq!(out, svg(&timeline(&case(), 600.0)));
        let mut rtl = case();
        rtl.rows[0].label = "evil\u{202E}gpj.exe".into();
        assert!(svg(&timeline(&rtl, 600.0)).contains("evil⟨U+202E⟩gpj.exe"));
    }

    #[test]
    fn nothing_to_draw_is_said_not_drawn() {
        let fig = timeline(&TimelineInput::default(), 500.0);
        assert_eq!(
            texts(&fig)[texts(&fig).len() - 2..],
            ["No sessions to draw.", "No dates are known, so there is no time axis."]
        );
        assert_eq!(fig.description, "Timeline of 0 sessions; no dates are known.");
        let undated =
            TimelineInput { rows: vec![row("a", None, None, RED), row("b", None, None, RED)], ..Default::default() };
        let fig = timeline(&undated, 500.0);
        assert_eq!(texts(&fig).iter().filter(|x| **x == "no dates").count(), 2);
        assert!(!fig.shapes.iter().any(|s| matches!(s, Shape::Line { paint, .. } if paint.stroke == Some(GRID))));
        assert!(fig.description.contains("a: created unknown, last active unknown."));
    }

    #[test]
    fn one_instant_gets_a_ten_minute_axis() {
        let input = TimelineInput {
            rows: vec![row("x", Some("2026-03-14T09:00:00Z"), Some("2026-03-14T09:00:00Z"), RED)],
            ..Default::default()
        };
        let fig = timeline(&input, 500.0);
        let bar = bars(&fig, RED);
        assert_eq!(bar.len(), 1);
        assert_eq!(bar[0].1, 2.0, "a zero-length bar is still visible");
        assert!(texts(&fig).contains(&"09:00") && texts(&fig).contains(&"2026-03-14"), "{:?}", texts(&fig));
    }

    #[test]
    fn minutes_and_years_pick_their_own_ticks() {
        let minutes = TimelineInput {
            rows: vec![row("x", Some("2026-03-14T09:00:00Z"), Some("2026-03-14T09:40:00Z"), RED)],
            ..Default::default()
        };
        let fig = timeline(&minutes, 600.0);
        assert!(texts(&fig).contains(&"09:10"), "{:?}", texts(&fig));
        let years = TimelineInput {
            rows: vec![row("x", Some("2019-05-01T00:00:00Z"), Some("2026-03-14T09:40:00Z"), RED)],
            ..Default::default()
        };
        let fig = timeline(&years, 600.0);
        assert!(texts(&fig).contains(&"2020") && texts(&fig).contains(&"2024"), "{:?}", texts(&fig));
    }

    #[test]
    fn extreme_and_reversed_times_do_not_break_the_axis() {
        let input = TimelineInput {
            rows: vec![
                TimelineRow {
                    label: "min".into(),
                    created: Some(Timestamp::MIN),
                    last_active: None,
                    created_text: None,
                    last_active_text: None,
                    colour: RED,
                },
                TimelineRow {
                    label: "max".into(),
                    created: None,
                    last_active: Some(Timestamp::MAX),
                    created_text: None,
                    last_active_text: None,
                    colour: RED,
                },
                row("reversed", Some("2026-03-14T09:00:00Z"), Some("2026-03-01T09:00:00Z"), GREEN),
            ],
            incident: Some((t("2026-03-11T00:00:00Z"), t("2026-03-09T00:00:00Z"))),
            ..Default::default()
        };
        let fig = timeline(&input, 300.0);
        let finite = |v: &f32| v.is_finite();
        for shape in &fig.shapes {
            let ok = match shape {
                Shape::Rect { x, y, w, h, .. } => [x, y, w, h].into_iter().all(finite) && *w >= 0.0,
                Shape::Line { x1, y1, x2, y2, .. } => [x1, y1, x2, y2].into_iter().all(finite),
                Shape::Circle { cx, cy, r, .. } => [cx, cy, r].into_iter().all(finite),
                Shape::Text { x, y, .. } => finite(x) && finite(y),
                Shape::Path { .. } => true,
            };
            assert!(ok, "{shape:?}");
        }
        assert!(fig.description.contains("Incident window: 2026-03-09 00:00 UTC to 2026-03-11 00:00 UTC."));
        assert_eq!(bars(&fig, GREEN).len(), 1, "a reversed pair still draws one bar");
    }

    #[test]
    fn five_thousand_rows_are_capped_with_a_note() {
        let rows = (0..5000)
            .map(|i| TimelineRow {
                label: format!("session {i}"),
                created: Timestamp::from_second(1_770_000_000 + i * 3600).ok(),
                last_active: Timestamp::from_second(1_780_000_000 + i * 60).ok(),
                created_text: None,
                last_active_text: None,
                colour: RED,
            })
            .collect();
        let fig = timeline(&TimelineInput { rows, ..Default::default() }, 600.0);
        assert_eq!(bars(&fig, RED).len(), MAX_ROWS);
        assert_eq!(texts(&fig).iter().filter(|x| x.starts_with("session ")).count(), MAX_ROWS);
        assert!(texts(&fig).contains(&"And 4960 more sessions, not drawn; the session table lists them all."));
        assert!(fig.description.contains("4960 more sessions are not drawn"));
        assert!(!fig.description.contains("session 40:"));
        assert!(fig.height < 40.0 * ROW_H + 120.0, "{}", fig.height);
    }
}
