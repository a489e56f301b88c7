//! Drawing a `Figure` (timeline, world map) with native path operators, scaled to the text width;
//! its labels are shaped like any other text, its title and description form the caption that
//! readers without sight (and `pdftotext`) get.

use super::doc::{Style, Tone};
use super::draw::{Op, Seg, Stroke, circle};
use super::flow::Flow;
use super::fonts::FontId;
use super::text::{Direction, TextStyle, layout};
use crate::model::figure::{Anchor, Figure, Paint, PathOp, Shape};

/// A coordinate as the PDF can write it (NaN and infinities become 0).
fn fin(v: f32) -> f32 {
    if v.is_finite() { v } else { 0.0 }
}

/// Maps figure coordinates to the page.
struct Place {
    x0: f32,
    y0: f32,
    s: f32,
}

impl Place {
    fn x(&self, x: f32) -> f32 {
        self.x0 + fin(x) * self.s
    }
    fn y(&self, y: f32) -> f32 {
        self.y0 + fin(y) * self.s
    }
}

fn painted(segs: Vec<Seg>, paint: &Paint, s: f32, dashed: bool) -> Option<Op> {
    if paint.fill.is_none() && paint.stroke.is_none() {
        return None;
    }
    let stroke = paint.stroke.map(|color| Stroke { color, width: (fin(paint.stroke_width) * s).max(0.1), dashed });
    Some(Op::Path { segs, fill: paint.fill, stroke })
}

fn shape_ops(flow: &mut Flow, shape: &Shape, p: &Place) -> Vec<Op> {
    match shape {
        Shape::Rect { x, y, w, h, paint } => {
            let segs = super::draw::rect(p.x(*x), p.y(*y), fin(*w) * p.s, fin(*h) * p.s);
            painted(segs, paint, p.s, false).into_iter().collect()
        }
        Shape::Line { x1, y1, x2, y2, paint, dashed } => {
            let segs = vec![Seg::Move(p.x(*x1), p.y(*y1)), Seg::Line(p.x(*x2), p.y(*y2))];
            let paint = Paint { fill: None, ..*paint };
            painted(segs, &paint, p.s, *dashed).into_iter().collect()
        }
        Shape::Circle { cx, cy, r, paint } => {
            let segs = circle(p.x(*cx), p.y(*cy), fin(*r).abs() * p.s);
            painted(segs, paint, p.s, false).into_iter().collect()
        }
        Shape::Path { ops, paint } => {
            let segs = ops
                .iter()
                .map(|o| match *o {
                    PathOp::MoveTo(x, y) => Seg::Move(p.x(x), p.y(y)),
                    PathOp::LineTo(x, y) => Seg::Line(p.x(x), p.y(y)),
                    PathOp::Close => Seg::Close,
                })
                .collect::<Vec<_>>();
            if segs.is_empty() {
                return Vec::new();
            }
            painted(segs, paint, p.s, false).into_iter().collect()
        }
        Shape::Text { x, y, size, text, anchor, colour, bold } => {
            let style = TextStyle {
                font: if *bold { FontId::Bold } else { FontId::Sans },
                size: (fin(*size) * p.s).clamp(2.0, 72.0),
                color: *colour,
            };
            // One line per label; a label is never wrapped, only placed.
            let lines = layout(flow.shaper, text, style, Direction::Auto, f32::MAX / 4.0);
            let mut out = Vec::new();
            for (k, line) in lines.into_iter().enumerate() {
                let w = line.width;
                let left = match anchor {
                    Anchor::Start => p.x(*x),
                    Anchor::Middle => p.x(*x) - w / 2.0,
                    Anchor::End => p.x(*x) - w,
                };
                let baseline = p.y(*y) + k as f32 * style.leading();
                out.push(Op::Text { x: left, baseline, style, glyphs: line.glyphs });
            }
            out
        }
    }
}

/// Places a figure at the cursor with its caption.
pub(super) fn figure(flow: &mut Flow, fig: &Figure) {
    let width = flow.g.text_width();
    let title = flow.lines(&fig.title, Style::Strong.text(), width);
    let title_h: f32 = title.iter().map(|l| l.style.leading()).sum();
    let (fw, fh) = (fin(fig.width), fin(fig.height));
    let drawable = fw > 0.0 && fh > 0.0;
    let mut s = if drawable { width / fw } else { 0.0 };
    let max_h = flow.g.text_height() - title_h - 30.0;
    if drawable && fh * s > max_h {
        s = max_h / fh;
    }
    let h = if drawable { fh * s } else { 0.0 };
    flow.ensure(title_h + h + 4.0);
    let left = flow.g.left;
    flow.place_lines(&title, left, width);
    flow.y += 2.0;
    if drawable {
        let place = Place { x0: flow.g.left + (width - fw * s) / 2.0, y0: flow.y, s };
        // Clipped to its box: a long label (a device name) cannot spill over the page.
        flow.ops().push(Op::PushClip { x: place.x0, y: place.y0, w: fw * s, h });
        for shape in &fig.shapes {
            let ops = shape_ops(flow, shape, &place);
            flow.ops().extend(ops);
        }
        flow.ops().push(Op::PopClip);
        flow.y += h + 4.0;
    } else {
        let note = flow.lines("(picture without size; not drawn)", Style::Verdict(Tone::Warn).text(), width);
        flow.place_lines(&note, left, width);
    }
    let desc = flow.lines(&fig.description, Style::Muted.text(), width);
    flow.place_lines(&desc, left, width);
    flow.y += 6.0;
}

#[cfg(test)]
mod tests {
    use crate::model::figure::{Anchor, Figure, Paint, PathOp, Rgb, Shape};
    use crate::render::pdf::doc::{Block, Document, test_meta};
    use crate::render::pdf::draw::Op;
    use crate::render::pdf::flow::lay_out;
    use crate::render::pdf::shaping::Shaper;
    use crate::render::pdf::text::Direction;

    fn picture() -> Figure {
        let paint = Paint { fill: Some(Rgb(200, 30, 40)), stroke: Some(Rgb(0, 0, 0)), stroke_width: 1.0 };
        Figure {
            width: 200.0,
            height: 100.0,
            shapes: vec![
                Shape::Rect { x: 0.0, y: 0.0, w: 200.0, h: 100.0, paint },
                Shape::Circle { cx: 50.0, cy: 50.0, r: 10.0, paint },
                Shape::Line { x1: 0.0, y1: f32::NAN, x2: 10.0, y2: 10.0, paint, dashed: true },
                Shape::Path { ops: vec![PathOp::MoveTo(0.0, 0.0), PathOp::LineTo(5.0, 5.0), PathOp::Close], paint },
                Shape::Text {
                    x: 100.0,
                    y: 50.0,
                    size: 8.0,
                    text: "تهران <b>".into(),
                    anchor: Anchor::Middle,
                    colour: Rgb(0, 0, 0),
                    bold: true,
                },
            ],
            title: "A picture".into(),
            description: "What it shows, in words.".into(),
        }
    }

    #[test]
    fn a_figure_is_scaled_to_the_text_width_clipped_and_captioned() {
        let doc = Document { meta: test_meta(Direction::Ltr), blocks: vec![Block::Figure(picture())] };
        let l = lay_out(&doc, &mut Shaper::new());
        let ops = &l.pages[0].ops;
        let clip = ops.iter().find_map(|op| if let Op::PushClip { w, h, .. } = op { Some((*w, *h)) } else { None });
        let (w, h) = clip.expect("clipped to its box");
        assert!((w - (l.size.width - 92.0)).abs() < 0.5, "text width: {w}");
        assert!((h - w / 2.0).abs() < 0.5, "aspect kept: {h}");
        assert!(ops.iter().any(|op| matches!(op, Op::PopClip)));
        let paths = ops.iter().filter(|op| matches!(op, Op::Path { fill: Some(Rgb(200, 30, 40)), .. })).count();
        assert_eq!(paths, 3, "rect, circle, path");
        for op in ops {
            if let Op::Path { segs, .. } = op {
                assert!(format!("{segs:?}").find("NaN").is_none(), "no NaN reaches the PDF");
            }
        }
        // Caption lines and the label are text.
        assert!(ops.iter().filter(|op| matches!(op, Op::Text { .. })).count() >= 3);
    }

    #[test]
    fn the_world_map_and_the_timeline_draw_with_path_operators() {
        let red = Rgb(179, 29, 40);
        let catalogue = crate::render::Catalogue::new(crate::render::Lang::En);
        let map =
            crate::render::figures::world_map(&[("IR".into(), red)], &[("act now".into(), red)], 500.0, &catalogue);
        let t: jiff::Timestamp = "2026-11-19T02:12:09Z".parse().unwrap();
        let rows = vec![crate::render::figures::TimelineRow {
            label: "گوشی من".into(),
            created: Some(t),
            last_active: Some(t + jiff::SignedDuration::from_hours(30)),
            created_text: None,
            last_active_text: None,
            colour: red,
        }];
        let input = crate::render::figures::TimelineInput { rows, ..Default::default() };
        let timeline = crate::render::figures::timeline(&input, 500.0, &catalogue);
        let doc =
            Document { meta: test_meta(Direction::Ltr), blocks: vec![Block::Figure(timeline), Block::Figure(map)] };
        let l = lay_out(&doc, &mut Shaper::new());
        let red_paths =
            l.pages.iter().flat_map(|p| &p.ops).filter(|op| matches!(op, Op::Path { fill: Some(c), .. } if *c == red));
        assert!(red_paths.count() >= 2, "Iran on the map and the session's bar");
        let pdf = crate::render::pdf::render_document(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF-") && pdf.len() > 10_000, "the map's outlines are in the file");
    }

    #[test]
    fn a_figure_without_size_is_captioned_not_drawn() {
        let mut f = picture();
        f.width = 0.0;
        let doc = Document { meta: test_meta(Direction::Ltr), blocks: vec![Block::Figure(f)] };
        let l = lay_out(&doc, &mut Shaper::new());
        assert!(!l.pages[0].ops.iter().any(|op| matches!(op, Op::PushClip { .. })));
    }
}
