//! The report's two pictures, drawn by us as vector `Figure`s with no network and no fonts: the
//! world map of the countries sessions were seen from, and the sessions' timeline. `svg` writes a
//! figure for the HTML; the PDF renderer draws the same figure with its own path operators.
//!
//! Labels are untrusted (device names): they pass through `text::visible_keeping_isolates` here
//! and are escaped by every writer. Every word comes from the report's catalogue. Sizes are in
//! points; text widths are estimated, not measured, so labels are cut with a margin to spare.

mod legend;
mod map;
mod svg;
mod ticks;
mod timeline;

pub use map::world_map;
pub use svg::svg;
pub use timeline::{TimelineInput, TimelineRow, timeline};

use crate::model::figure::{Anchor, Paint, Rgb, Shape};
use crate::model::finding::Verdict;
use crate::model::text::{is_isolate, visible_keeping_isolates};

/// Body text and outlines.
const INK: Rgb = Rgb(0x1a, 0x1a, 0x1a);
/// Secondary text (captions, notes).
const MUTED: Rgb = Rgb(0x55, 0x55, 0x55);
const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);

/// The fill for sessions of `verdict`, on the map and the timeline. The four are told apart by
/// lightness too, so a greyscale print keeps them apart (act-now darkest), and none is as light
/// as the map's grey land; the key names them in words.
pub fn verdict_colour(verdict: Verdict) -> Rgb {
    match verdict {
        Verdict::ActNow => Rgb(0xa1, 0x11, 0x11),
        Verdict::Review => Rgb(0xb3, 0x6b, 0x00),
        Verdict::Info => Rgb(0x7f, 0xa7, 0xd9),
        Verdict::Ok => Rgb(0x9f, 0xd6, 0x90),
    }
}

/// The narrowest and widest figure we draw; other widths are clamped (a NaN gives the narrowest).
const MIN_WIDTH: f32 = 240.0;
const MAX_WIDTH: f32 = 4000.0;

fn clamp_width(width: f32) -> f32 {
    if width.is_nan() { MIN_WIDTH } else { width.clamp(MIN_WIDTH, MAX_WIDTH) }
}

/// The size of labels, keys and notes, in points.
const TEXT_SIZE: f32 = 7.5;

/// A line of regular text at `TEXT_SIZE`.
fn text(x: f32, y: f32, text: String, anchor: Anchor, colour: Rgb) -> Shape {
    Shape::Text { x, y, size: TEXT_SIZE, text, anchor, colour, bold: false }
}

/// A straight line.
fn line(x1: f32, y1: f32, x2: f32, y2: f32, paint: Paint, dashed: bool) -> Shape {
    Shape::Line { x1, y1, x2, y2, paint, dashed }
}

/// Estimated advance of `text` at `size` points in a sans-serif face: wide (CJK) characters take
/// a full em, others a little over half.
fn text_width(text: &str, size: f32) -> f32 {
    let em = |c: char| match u32::from(c) {
        _ if is_isolate(c) => 0.0,
        0x2E80.. => 1.0,
        _ => 0.56,
    };
    text.chars().map(em).sum::<f32>() * size
}

/// `text` made visible-safe and shortened with "…" to fit `width` points at `size`. The
/// catalogue's directional isolates stay (see [`visible_keeping_isolates`]).
fn fit(text: &str, size: f32, width: f32) -> String {
    let text = visible_keeping_isolates(text.trim());
    if text_width(&text, size) <= width {
        return text;
    }
    let mut out = String::new();
    let mut used = text_width("…", size);
    for c in text.chars() {
        used += text_width(c.encode_utf8(&mut [0; 4]), size);
        if used > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_long_labels_and_marks_controls() {
        assert_eq!(fit("iPhone", 7.0, 100.0), "iPhone");
        let long = fit(&"x".repeat(500), 7.0, 100.0);
        assert!(long.ends_with('…') && text_width(&long, 7.0) <= 100.0, "{long}");
        assert_eq!(fit("a\u{202E}b", 7.0, 100.0), "a⟨U+202E⟩b");
        assert_eq!(fit("测试设备", 10.0, 25.0), "测…");
    }

    /// Lightness as a greyscale print renders it (ITU-R BT.601 luma, 0-255).
    fn luma(c: Rgb) -> f32 {
        0.299 * f32::from(c.0) + 0.587 * f32::from(c.1) + 0.114 * f32::from(c.2)
    }

    #[test]
    fn verdict_colours_stay_apart_in_greyscale() {
        let order = [Verdict::ActNow, Verdict::Review, Verdict::Info, Verdict::Ok];
        let lumas: Vec<f32> = order.iter().map(|v| luma(verdict_colour(*v))).collect();
        for pair in lumas.windows(2) {
            assert!(pair[1] - pair[0] >= 25.0, "{lumas:?}");
        }
        assert!(luma(map::LAND) - lumas[3] >= 20.0, "the lightest verdict must stand out from the land");
    }

    #[test]
    fn widths_are_clamped() {
        assert_eq!(clamp_width(f32::NAN), MIN_WIDTH);
        assert_eq!(clamp_width(-3.0), MIN_WIDTH);
        assert_eq!(clamp_width(f32::INFINITY), MAX_WIDTH);
        assert_eq!(clamp_width(500.0), 500.0);
    }
}
