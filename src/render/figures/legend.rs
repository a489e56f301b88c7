//! A key that names what each colour and mark means, flowed in lines across the figure, so the
//! picture still reads when printed in greyscale.

use super::{INK, fit, text_width};
use crate::model::figure::{Anchor, Paint, PathOp, Rgb, Shape};

const SIZE: f32 = super::TEXT_SIZE;
const LINE: f32 = 13.0;
const SWATCH: f32 = 9.0;

/// The mark drawn before a key entry's text.
#[derive(Debug, Clone, Copy)]
pub(super) enum Swatch {
    /// A filled square outlined in ink.
    Box(Rgb),
    /// A diamond (an instant, e.g. "created" with no "last active").
    Diamond(Rgb),
    /// A dot.
    Dot(Rgb),
    /// A short vertical line, dashed or solid.
    Rule { colour: Rgb, dashed: bool },
}

/// Shapes of the key laid out from (`x`, `y`) within `width`, and the height used.
pub(super) fn key(items: &[(Swatch, String)], x: f32, y: f32, width: f32) -> (Vec<Shape>, f32) {
    let mut shapes = Vec::new();
    let (mut cx, mut cy) = (x, y);
    for (swatch, label) in items {
        let text = fit(label, SIZE, (width - SWATCH - 4.0).max(20.0));
        let item_w = SWATCH + 4.0 + text_width(&text, SIZE) + 12.0;
        if cx > x && cx + item_w > x + width {
            cx = x;
            cy += LINE;
        }
        shapes.extend(mark(*swatch, cx, cy));
        shapes.push(Shape::Text {
            x: cx + SWATCH + 4.0,
            y: cy + SWATCH - 1.0,
            size: SIZE,
            text,
            anchor: Anchor::Start,
            colour: INK,
            bold: false,
        });
        cx += item_w;
    }
    let height = if items.is_empty() { 0.0 } else { cy - y + LINE };
    (shapes, height)
}

fn mark(swatch: Swatch, x: f32, y: f32) -> Vec<Shape> {
    let (cx, cy, h) = (x + SWATCH / 2.0, y + SWATCH / 2.0, SWATCH / 2.0);
    match swatch {
        Swatch::Box(c) => vec![Shape::Rect { x, y, w: SWATCH, h: SWATCH, paint: Paint::fill_stroke(c, INK, 0.6) }],
        Swatch::Diamond(c) => vec![diamond(cx, cy, h, c)],
        Swatch::Dot(c) => vec![Shape::Circle { cx, cy, r: h * 0.8, paint: Paint::fill_stroke(c, INK, 0.6) }],
        Swatch::Rule { colour, dashed } => {
            vec![Shape::Line {
                x1: cx,
                y1: y - 1.0,
                x2: cx,
                y2: y + SWATCH + 1.0,
                paint: Paint::stroke(colour, 1.2),
                dashed,
            }]
        }
    }
}

/// A diamond of half-diagonal `h` centred on (`cx`, `cy`), outlined in ink.
pub(super) fn diamond(cx: f32, cy: f32, h: f32, colour: Rgb) -> Shape {
    Shape::Path {
        ops: vec![
            PathOp::MoveTo(cx, cy - h),
            PathOp::LineTo(cx + h, cy),
            PathOp::LineTo(cx, cy + h),
            PathOp::LineTo(cx - h, cy),
            PathOp::Close,
        ],
        paint: Paint::fill_stroke(colour, INK, 0.6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_wrap_onto_new_lines() {
        let items: Vec<(Swatch, String)> =
            (0..6).map(|i| (Swatch::Box(Rgb(i, i, i)), format!("verdict number {i}"))).collect();
        let (_, one_line) = key(&items[..1], 0.0, 0.0, 300.0);
        let (shapes, height) = key(&items, 0.0, 0.0, 300.0);
        assert_eq!(one_line, LINE);
        assert!(height >= 2.0 * LINE, "{height}");
        assert_eq!(shapes.len(), 12);
        for s in &shapes {
            if let Shape::Text { x, text, .. } = s {
                assert!(x + text_width(text, SIZE) <= 300.0, "{text} overflows");
            }
        }
        assert_eq!(key(&[], 0.0, 0.0, 300.0).1, 0.0);
    }
}
