//! A `Figure` as inline SVG for the HTML report.
//!
//! The report's Content-Security-Policy forbids inline styles, so everything is a presentation
//! attribute (`fill=`, `stroke=`, `font-size=`): no `style=` attribute, no `<style>` element.
//! Numbers are written with at most two decimals and no trailing zeros, so the same figure
//! always gives the same bytes. Every text is XML-escaped; characters XML cannot carry become U+FFFD.

use crate::model::figure::{Anchor, Figure, Paint, PathOp, Shape};
use std::fmt::Write;

/// The SVG document for `fig`: `role="img"` with its title and description as the text alternative.
/// Its geometry runs left to right whatever the page's direction (`text-anchor="start"` would
/// otherwise mean the right end of a label in a right-to-left report).
pub fn svg(fig: &Figure) -> String {
    let mut out = String::with_capacity(256 + fig.shapes.len() * 96);
    let (w, h) = (num(fig.width), num(fig.height));
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" font-family="sans-serif" direction="ltr">"#
    );
    let _ = write!(out, "<title>{}</title><desc>{}</desc>", escape(&fig.title), escape(&fig.description));
    for shape in &fig.shapes {
        write_shape(&mut out, shape);
    }
    out.push_str("</svg>");
    out
}

fn write_shape(out: &mut String, shape: &Shape) {
    match shape {
        Shape::Rect { x, y, w, h, paint } => {
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}"{}/>"#,
                num(*x),
                num(*y),
                num(*w),
                num(*h),
                paint_attrs(paint)
            );
        }
        Shape::Line { x1, y1, x2, y2, paint, dashed } => {
            let dash = if *dashed { r#" stroke-dasharray="3 2""# } else { "" };
            let _ = write!(
                out,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}"{}{dash}/>"#,
                num(*x1),
                num(*y1),
                num(*x2),
                num(*y2),
                paint_attrs(paint)
            );
        }
        Shape::Circle { cx, cy, r, paint } => {
            let _ =
                write!(out, r#"<circle cx="{}" cy="{}" r="{}"{}/>"#, num(*cx), num(*cy), num(*r), paint_attrs(paint));
        }
        Shape::Path { ops, paint } => {
            if ops.is_empty() {
                return;
            }
            out.push_str(r#"<path d=""#);
            for op in ops {
                let _ = match op {
                    PathOp::MoveTo(x, y) => write!(out, "M{} {}", num(*x), num(*y)),
                    PathOp::LineTo(x, y) => write!(out, "L{} {}", num(*x), num(*y)),
                    PathOp::Close => write!(out, "Z"),
                };
            }
            let _ = write!(out, r#"" fill-rule="evenodd"{}/>"#, paint_attrs(paint));
        }
        Shape::Text { x, y, size, text, anchor, colour, bold } => {
            let anchor = match anchor {
                Anchor::Start => "start",
                Anchor::Middle => "middle",
                Anchor::End => "end",
            };
            let weight = if *bold { r#" font-weight="bold""# } else { "" };
            let _ = write!(
                out,
                r#"<text x="{}" y="{}" font-size="{}" text-anchor="{anchor}" fill="{}"{weight}>{}</text>"#,
                num(*x),
                num(*y),
                num(*size),
                colour.hex(),
                escape(text)
            );
        }
    }
}

fn paint_attrs(paint: &Paint) -> String {
    let mut s = match paint.fill {
        Some(c) => format!(r#" fill="{}""#, c.hex()),
        None => r#" fill="none""#.to_string(),
    };
    if let Some(c) = paint.stroke {
        let _ = write!(s, r#" stroke="{}" stroke-width="{}""#, c.hex(), num(paint.stroke_width));
    }
    s
}

/// A coordinate with at most two decimals, no trailing zeros, no "-0"; not-finite values are 0.
fn num(v: f32) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// XML text and attribute escaping; characters not allowed in XML 1.0 become U+FFFD and line
/// breaks become spaces (a label is one line).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::figure::Rgb;

    fn figure(shapes: Vec<Shape>) -> Figure {
        Figure { width: 200.0, height: 100.5, shapes, title: "T".into(), description: "D".into() }
    }

    fn text(s: &str) -> Shape {
        Shape::Text {
            x: 1.0,
            y: 2.0,
            size: 7.0,
            text: s.into(),
            anchor: Anchor::Start,
            colour: Rgb(0, 0, 0),
            bold: false,
        }
    }

    #[test]
    fn numbers_are_fixed_and_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(1.2345), "1.23");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(-2.25), "-2.25");
        assert_eq!(num(f32::NAN), "0");
        assert_eq!(num(f32::INFINITY), "0");
        assert_eq!(num(100.0), "100");
    }

    #[test]
    fn untrusted_text_is_escaped_everywhere() {
        let evil = "<img src=x onerror=alert(1)> & \"q\" 'a'\u{1}\n";
        let mut fig = figure(vec![text(evil)]);
        fig.title = evil.into();
        fig.description = evil.into();
        let out = svg(&fig);
        assert!(!out.contains("<img"), "{out}");
        assert!(!out.contains("& "), "{out}");
        assert_eq!(
            out.matches("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot; &#39;a&#39;\u{fffd} ").count(),
            3,
            "{out}"
        );
        assert!(!out.contains('\u{1}') && !out.contains('\n'));
    }

    #[test]
    fn only_presentation_attributes() {
        let paint = Paint::fill_stroke(Rgb(255, 0, 0), Rgb(0, 0, 0), 0.5);
        let fig = figure(vec![
            Shape::Rect { x: 0.0, y: 0.0, w: 10.0, h: 10.0, paint },
            Shape::Line { x1: 0.0, y1: 0.0, x2: 5.0, y2: 5.0, paint: Paint::stroke(Rgb(0, 0, 255), 1.0), dashed: true },
            Shape::Circle { cx: 3.0, cy: 3.0, r: 2.0, paint: Paint::fill(Rgb(0, 255, 0)) },
            Shape::Path { ops: vec![PathOp::MoveTo(0.0, 0.0), PathOp::LineTo(1.0, 1.0), PathOp::Close], paint },
            Shape::Path { ops: vec![], paint },
            text("x"),
        ]);
        let out = svg(&fig);
        assert!(!out.contains("style"), "{out}");
        assert!(out.starts_with(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100.5" viewBox="0 0 200 100.5" role="img""#
        ));
        assert!(out.contains("<title>T</title><desc>D</desc>"));
        assert!(out.contains(
            r##"<rect x="0" y="0" width="10" height="10" fill="#ff0000" stroke="#000000" stroke-width="0.5"/>"##
        ));
        assert!(out.contains(r##"<line x1="0" y1="0" x2="5" y2="5" fill="none" stroke="#0000ff" stroke-width="1" stroke-dasharray="3 2"/>"##));
        assert!(out.contains(r##"<circle cx="3" cy="3" r="2" fill="#00ff00"/>"##));
        assert!(out.contains(r##"<path d="M0 0L1 1Z" fill-rule="evenodd" fill="#ff0000""##));
        assert_eq!(out.matches("<path").count(), 1, "an empty path is left out");
        assert!(
            out.ends_with(r##"<text x="1" y="2" font-size="7" text-anchor="start" fill="#000000">x</text></svg>"##)
        );
    }

    #[test]
    fn same_figure_same_bytes() {
        let fig = figure(vec![
            text("a"),
            Shape::Circle { cx: 1.0 / 3.0, cy: 2.0 / 3.0, r: 1.0, paint: Paint::fill(Rgb(1, 2, 3)) },
        ]);
        assert_eq!(svg(&fig), svg(&fig.clone()));
        assert!(svg(&fig).contains(r#"cx="0.33" cy="0.67""#));
    }
}
