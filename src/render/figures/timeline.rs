//! The timeline: one row per session, a bar from when it was created to when it was last
//! active (a mark when only one end is known), the acquisitions and terminations as vertical
//! lines, the declared incident window shaded, on a UTC time axis.
//!
//! At most `MAX_ROWS` sessions are drawn, in the order given; the figure and its description say
//! how many more there are, so a reader never mistakes the picture for the whole list.

use super::legend::{Swatch, diamond, key};
use super::ticks::{date_line, label, ticks};
use super::{INK, MUTED, clamp_width, fit, text_width};
use crate::model::figure::{Anchor, Figure, Paint, Rgb, Shape};
use crate::model::text::visible;
use jiff::Timestamp;

/// Rows drawn at most; the rest are counted in a note.
const MAX_ROWS: usize = 40;
const PAD: f32 = 4.0;
const ROW_H: f32 = 14.0;
const BAR_H: f32 = 8.0;
const SIZE: f32 = 7.5;
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

/// The timeline of `input`, `width` points wide.
pub fn timeline(input: &TimelineInput, width: f32) -> Figure {
    let width = clamp_width(width);
    let label_w = (width * 0.28).clamp(60.0, 180.0);
    let (x0, x1) = (PAD + label_w + 8.0, width - PAD - 6.0);
    let shown = &input.rows[..input.rows.len().min(MAX_ROWS)];
    let hidden = input.rows.len() - shown.len();
    let scale = range(input).map(|(from, to)| Scale { from, to, x0, x1 });
    let mut shapes = Vec::new();

    // The key, naming only what the figure contains.
    let mut items = vec![
        (Swatch::Box(Rgb(0xbb, 0xbb, 0xbb)), "bar: created to last active".to_string()),
        (Swatch::Diamond(Rgb(0xbb, 0xbb, 0xbb)), "created (last activity unknown)".to_string()),
        (Swatch::Dot(Rgb(0xbb, 0xbb, 0xbb)), "last active (creation unknown)".to_string()),
    ];
    if !input.acquisitions.is_empty() {
        items.push((Swatch::Rule { colour: ACQUISITION, dashed: true }, "acquisition".into()));
    }
    if !input.terminations.is_empty() {
        items.push((Swatch::Rule { colour: TERMINATION, dashed: false }, "termination".into()));
    }
    if input.incident.is_some() {
        items.push((Swatch::Box(INCIDENT), "incident window".into()));
    }
    let (key_shapes, key_h) = key(&items, PAD, PAD, width - 2.0 * PAD);
    shapes.extend(key_shapes);
    let mut y = PAD + key_h + 2.0;

    // Vertical lines (dashed or solid), and the incident window's label without a line, in time order.
    let mut events: Vec<(Timestamp, &str, Rgb, Option<bool>)> = Vec::new();
    events.extend(input.acquisitions.iter().map(|(l, t)| (*t, l.as_str(), ACQUISITION, Some(true))));
    events.extend(input.terminations.iter().map(|(l, t)| (*t, l.as_str(), TERMINATION, Some(false))));
    events.extend(input.incident.map(|(a, b)| (a.min(b), "incident window", MUTED, None)));
    events.sort_by_key(|e| e.0);
    let band = scale.is_some() && !events.is_empty();
    let band_top = y;
    if band {
        y += 2.0 * BAND_LEVEL + 2.0;
    }
    let rows_top = y;
    let rows_bottom = rows_top + ROW_H * shown.len() as f32;

    for (i, row) in shown.iter().enumerate() {
        let top = rows_top + ROW_H * i as f32;
        if i % 2 == 1 {
            shapes.push(Shape::Rect { x: PAD, y: top, w: x1 - PAD, h: ROW_H, paint: Paint::fill(STRIPE) });
        }
        let text = fit(&row.label, SIZE, label_w);
        shapes.push(Shape::Text {
            x: PAD,
            y: top + ROW_H - 4.0,
            size: SIZE,
            text,
            anchor: Anchor::Start,
            colour: INK,
            bold: false,
        });
    }
    if let (Some(s), Some((start, end))) = (&scale, input.incident) {
        let (a, b) = (s.x(start.min(end)), s.x(start.max(end)));
        shapes.push(Shape::Rect {
            x: a,
            y: band_top,
            w: (b - a).max(1.0),
            h: rows_bottom - band_top,
            paint: Paint::fill(INCIDENT),
        });
    }

    let mut tick_labels = Vec::new();
    if let Some(s) = &scale {
        let (from, to) = (ms(s.from), ms(s.to));
        let max_ticks = ((x1 - x0) / TICK_SPACING).floor().max(2.0) as usize;
        let (step, at) = ticks(from, to, max_ticks);
        let axis_y = rows_bottom + 2.0;
        shapes.push(Shape::Line {
            x1: x0,
            y1: axis_y,
            x2: x1,
            y2: axis_y,
            paint: Paint::stroke(INK, 0.6),
            dashed: false,
        });
        for (i, t) in at.iter().enumerate() {
            let x = s.x(*t);
            shapes.push(Shape::Line {
                x1: x,
                y1: rows_top,
                x2: x,
                y2: axis_y,
                paint: Paint::stroke(GRID, 0.5),
                dashed: false,
            });
            shapes.push(Shape::Line {
                x1: x,
                y1: axis_y,
                x2: x,
                y2: axis_y + 3.0,
                paint: Paint::stroke(INK, 0.6),
                dashed: false,
            });
            let text = label(step, *t);
            tick_labels.push(Shape::Text {
                x,
                y: axis_y + 12.0,
                size: SIZE,
                text,
                anchor: Anchor::Middle,
                colour: INK,
                bold: false,
            });
            if let Some(date) = date_line(step, *t, i.checked_sub(1).map(|j| at[j])) {
                tick_labels.push(Shape::Text {
                    x,
                    y: axis_y + 21.0,
                    size: SIZE,
                    text: date,
                    anchor: Anchor::Middle,
                    colour: MUTED,
                    bold: false,
                });
            }
        }
    }

    for (i, row) in shown.iter().enumerate() {
        let mid = rows_top + ROW_H * i as f32 + ROW_H / 2.0;
        shapes.extend(row_marks(row, scale.as_ref(), mid, x0));
    }

    if let Some(s) = &scale {
        // Labels go on the first of two levels where they do not overlap; one that fits nowhere
        // is left out of the picture (the description lists every event).
        let mut levels = [f32::MIN; 2];
        for &(t, text, colour, line) in &events {
            let x = s.x(t);
            if let Some(dashed) = line {
                shapes.push(Shape::Line {
                    x1: x,
                    y1: band_top,
                    x2: x,
                    y2: rows_bottom,
                    paint: Paint::stroke(colour, 1.0),
                    dashed,
                });
            }
            let text = fit(text, SIZE, 120.0);
            let w = text_width(&text, SIZE);
            let (tx, anchor, left) = if x + 2.0 + w <= width - PAD {
                (x + 2.0, Anchor::Start, x)
            } else {
                (x - 2.0, Anchor::End, x - 2.0 - w)
            };
            if let Some(level) = (0..2).find(|&l| left > levels[l] + 4.0) {
                levels[level] = left + w + 2.0;
                let ty = band_top + BAND_LEVEL * (level as f32 + 1.0) - 2.0;
                shapes.push(Shape::Text { x: tx, y: ty, size: SIZE, text, anchor, colour, bold: false });
            }
        }
    }
    let two_line_ticks = tick_labels.iter().any(|t| matches!(t, Shape::Text { colour, .. } if *colour == MUTED));
    shapes.extend(tick_labels);

    let mut y = match (&scale, two_line_ticks) {
        (None, _) => rows_bottom + 4.0,
        (Some(_), false) => rows_bottom + 18.0,
        (Some(_), true) => rows_bottom + 27.0,
    };
    let mut notes = Vec::new();
    if input.rows.is_empty() {
        notes.push("No sessions to draw.".to_string());
    }
    if scale.is_none() {
        notes.push("No dates are known, so there is no time axis.".to_string());
    } else {
        let zone = visible(input.zone_label.trim());
        notes.push(if zone.is_empty() { "Times in UTC.".to_string() } else { format!("Times in UTC. {zone}") });
    }
    if hidden > 0 {
        notes.push(format!("And {hidden} more sessions, not drawn; the session table lists them all."));
    }
    for note in notes {
        let text = fit(&note, SIZE, width - 2.0 * PAD);
        shapes.push(Shape::Text {
            x: PAD,
            y: y + 8.0,
            size: SIZE,
            text,
            anchor: Anchor::Start,
            colour: MUTED,
            bold: false,
        });
        y += 12.0;
    }

    Figure {
        width,
        height: y + PAD,
        shapes,
        title: "Timeline of the sessions, acquisitions and terminations".into(),
        description: describe(input, shown, hidden, scale.as_ref()),
    }
}

/// The bar or mark of one row, vertically centred on `mid`; "no dates" when neither end is known.
fn row_marks(row: &TimelineRow, scale: Option<&Scale>, mid: f32, x0: f32) -> Vec<Shape> {
    let paint = Paint::fill_stroke(row.colour, INK, 0.5);
    match (scale, row.created, row.last_active) {
        (Some(s), Some(a), Some(b)) => {
            let (xa, xb) = (s.x(a.min(b)), s.x(a.max(b)));
            let w = (xb - xa).max(2.0);
            vec![Shape::Rect { x: xa.min(s.x1 - w), y: mid - BAR_H / 2.0, w, h: BAR_H, paint }]
        }
        (Some(s), Some(a), None) => vec![diamond(s.x(a), mid, BAR_H / 2.0 + 0.5, row.colour)],
        (Some(s), None, Some(b)) => vec![Shape::Circle { cx: s.x(b), cy: mid, r: BAR_H / 2.0, paint }],
        _ => vec![Shape::Text {
            x: x0 + 2.0,
            y: mid + 2.5,
            size: SIZE - 0.5,
            text: "no dates".into(),
            anchor: Anchor::Start,
            colour: MUTED,
            bold: false,
        }],
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
fn describe(input: &TimelineInput, shown: &[TimelineRow], hidden: usize, scale: Option<&Scale>) -> String {
    let mut parts = vec![match scale {
        Some(s) => format!(
            "Timeline of {} sessions from {} to {}. Each bar runs from when a session was created to when it was last active.",
            input.rows.len(),
            when(ms(s.from)),
            when(ms(s.to))
        ),
        None => format!("Timeline of {} sessions; no dates are known.", input.rows.len()),
    }];
    for row in shown {
        let end = |t: Option<Timestamp>| t.map_or_else(|| "unknown".to_string(), when);
        parts.push(format!(
            "{}: created {}, last active {}.",
            visible(row.label.trim()),
            end(row.created),
            end(row.last_active)
        ));
    }
    if hidden > 0 {
        parts.push(format!("{hidden} more sessions are not drawn; the session table lists them all."));
    }
    let list = |events: &[(String, Timestamp)]| {
        events.iter().map(|(l, t)| format!("{} at {}", visible(l.trim()), when(*t))).collect::<Vec<_>>().join("; ")
    };
    if !input.acquisitions.is_empty() {
        parts.push(format!("Acquisitions: {}.", list(&input.acquisitions)));
    }
    if !input.terminations.is_empty() {
        parts.push(format!("Terminations: {}.", list(&input.terminations)));
    }
    if let Some((a, b)) = input.incident {
        parts.push(format!("Incident window: {} to {}.", when(a.min(b)), when(a.max(b))));
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

    const RED: Rgb = Rgb(0xc0, 0x1b, 0x1b);
    const GREEN: Rgb = Rgb(0x2e, 0x7d, 0x32);

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn row(label: &str, created: Option<&str>, last_active: Option<&str>, colour: Rgb) -> TimelineRow {
        TimelineRow { label: label.into(), created: created.map(t), last_active: last_active.map(t), colour }
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
        assert!(d.starts_with("Timeline of 5 sessions from 2026-02-28"), "{d}");
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
    fn five_thousand_rows_are_capped_with_a_note() {
        let rows = (0..5000)
            .map(|i| TimelineRow {
                label: format!("session {i}"),
                created: Timestamp::from_second(1_770_000_000 + i * 3600).ok(),
                last_active: Timestamp::from_second(1_780_000_000 + i * 60).ok(),
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
