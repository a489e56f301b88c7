//! The laid-out document: pages of drawing operations in points, origin at the top left, y down.
//! Layout produces it; the writer turns it into PDF content streams.

use super::text::{Placed, TextStyle};
use crate::model::figure::Rgb;

/// One step of a path, in page coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Seg {
    Move(f32, f32),
    Line(f32, f32),
    Cubic(f32, f32, f32, f32, f32, f32),
    Close,
}

/// How a path is painted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    pub color: Rgb,
    pub width: f32,
    pub dashed: bool,
}

/// One drawing operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Glyphs on one baseline; each glyph's `x` is relative to `x`.
    Text {
        x: f32,
        baseline: f32,
        style: TextStyle,
        glyphs: Vec<Placed>,
    },
    /// A path, filled with the even-odd rule and/or stroked.
    Path {
        segs: Vec<Seg>,
        fill: Option<Rgb>,
        stroke: Option<Stroke>,
    },
    /// Until the matching `PopClip`, nothing is drawn outside this rectangle.
    PushClip {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    PopClip,
}

impl Op {
    /// A filled rectangle.
    pub fn fill_rect(x: f32, y: f32, w: f32, h: f32, color: Rgb) -> Op {
        Op::Path { segs: rect(x, y, w, h), fill: Some(color), stroke: None }
    }

    /// A straight line.
    pub fn line(x1: f32, y1: f32, x2: f32, y2: f32, color: Rgb, width: f32) -> Op {
        Op::Path {
            segs: vec![Seg::Move(x1, y1), Seg::Line(x2, y2)],
            fill: None,
            stroke: Some(Stroke { color, width, dashed: false }),
        }
    }
}

/// A closed rectangle path.
pub fn rect(x: f32, y: f32, w: f32, h: f32) -> Vec<Seg> {
    vec![Seg::Move(x, y), Seg::Line(x + w, y), Seg::Line(x + w, y + h), Seg::Line(x, y + h), Seg::Close]
}

/// A circle as four cubic Bézier arcs.
pub fn circle(cx: f32, cy: f32, r: f32) -> Vec<Seg> {
    // Control-point distance for a quarter circle.
    let k = 0.552_284_8 * r;
    vec![
        Seg::Move(cx + r, cy),
        Seg::Cubic(cx + r, cy + k, cx + k, cy + r, cx, cy + r),
        Seg::Cubic(cx - k, cy + r, cx - r, cy + k, cx - r, cy),
        Seg::Cubic(cx - r, cy - k, cx - k, cy - r, cx, cy - r),
        Seg::Cubic(cx + k, cy - r, cx + r, cy - k, cx + r, cy),
        Seg::Close,
    ]
}

/// One page's operations in painting order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub ops: Vec<Op>,
}

/// A bookmark: its title, depth (0 = top level), and where it points.
#[derive(Debug, Clone, PartialEq)]
pub struct Bookmark {
    pub title: String,
    pub depth: u8,
    pub page: usize,
    pub y: f32,
}

/// Page size in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSize {
    pub width: f32,
    pub height: f32,
}

/// Everything the writer needs besides the metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Laid {
    pub size: PageSize,
    pub pages: Vec<Page>,
    pub bookmarks: Vec<Bookmark>,
}
