//! A vector picture (the timeline, the world map) described once and drawn by every renderer:
//! inline SVG in the HTML, native path operators in the PDF. No I/O, no fonts, no rasters.
//!
//! Coordinates are in points (1/72 inch), origin at the top left, y growing downwards, as in SVG;
//! the PDF renderer flips them.

use serde::Serialize;

/// A colour as 8-bit red, green, blue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, for SVG.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// How a shape is painted. `None` means "not painted".
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Paint {
    pub fill: Option<Rgb>,
    pub stroke: Option<Rgb>,
    /// Stroke width in points.
    pub stroke_width: f32,
}

impl Paint {
    /// Filled, no outline.
    pub fn fill(colour: Rgb) -> Paint {
        Paint { fill: Some(colour), stroke: None, stroke_width: 0.0 }
    }

    /// Outlined, not filled.
    pub fn stroke(colour: Rgb, width: f32) -> Paint {
        Paint { fill: None, stroke: Some(colour), stroke_width: width }
    }

    /// Filled and outlined.
    pub fn fill_stroke(fill: Rgb, stroke: Rgb, width: f32) -> Paint {
        Paint { fill: Some(fill), stroke: Some(stroke), stroke_width: width }
    }
}

/// One step of a path.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum PathOp {
    MoveTo(f32, f32),
    LineTo(f32, f32),
    Close,
}

/// Where a label's anchor point sits relative to its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// One drawable element.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Shape {
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        paint: Paint,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        paint: Paint,
        dashed: bool,
    },
    Circle {
        cx: f32,
        cy: f32,
        r: f32,
        paint: Paint,
    },
    /// A closed or open polyline; filled with the even-odd rule (holes in countries).
    Path {
        ops: Vec<PathOp>,
        paint: Paint,
    },
    /// A single line of text; `size` in points. The text is untrusted and escaped by renderers.
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
        anchor: Anchor,
        colour: Rgb,
        bold: bool,
    },
}

/// A picture with its size, its shapes in painting order, and a text alternative for readers
/// who cannot see it (screen readers, `pdftotext`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub width: f32,
    pub height: f32,
    pub shapes: Vec<Shape>,
    pub title: String,
    pub description: String,
}
