//! The world map: every country in neutral grey, the countries sessions were seen from in their
//! verdict's colour with their code beside them, countries too small for the map as dots, and a
//! key naming each colour.
//!
//! Equal Earth projection (Šavrič, Patterson and Jenny, 2018): areas keep their true proportions,
//! so a large country does not look more alarming than it is. Outlines are Natural Earth 1:110m.

use super::legend::{Swatch, key};
use super::{INK, MUTED, TEXT_SIZE, WHITE, clamp_width, fit, line, text, text_width};
use crate::model::figure::{Anchor, Figure, Paint, PathOp, Rgb, Shape};
use crate::model::text::visible_keeping_isolates as visible;
use crate::model::world;
use crate::render::i18n::Catalogue;

const PAD: f32 = 4.0;
pub(super) const LAND: Rgb = Rgb(0xd4, 0xd4, 0xd4);
const SEA: Rgb = Rgb(0xf3, 0xf6, 0xf9);
const FRAME: Rgb = Rgb(0x9a, 0xa5, 0xb1);
/// A country whose outline spans less than this (points) is also drawn as a dot.
const MIN_VISIBLE: f32 = 5.0;
const DOT: f32 = 3.2;
const CODE_SIZE: f32 = 7.0;

/// Equal Earth in unit coordinates: x in ±2.7066, y in ±1.3174, north up.
fn equal_earth(lon: f64, lat: f64) -> (f64, f64) {
    const A1: f64 = 1.340264;
    const A2: f64 = -0.081106;
    const A3: f64 = 0.000893;
    const A4: f64 = 0.003796;
    let m = 3f64.sqrt() / 2.0;
    let theta = (m * lat.to_radians().sin()).asin();
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    let x = lon.to_radians() * theta.cos() / (m * (A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)));
    let y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
    (x, y)
}

/// Maps degrees to figure points.
struct Projection {
    scale: f64,
    cx: f64,
    cy: f64,
}

impl Projection {
    fn new(width: f32) -> (Projection, f32) {
        let (x_max, _) = equal_earth(180.0, 0.0);
        let (_, y_max) = equal_earth(0.0, 90.0);
        let scale = (f64::from(width) - 2.0 * f64::from(PAD)) / (2.0 * x_max);
        let height = (2.0 * y_max * scale) as f32;
        (Projection { scale, cx: f64::from(width) / 2.0, cy: f64::from(PAD) + y_max * scale }, height)
    }

    fn point(&self, lon: f64, lat: f64) -> (f32, f32) {
        let (x, y) = equal_earth(lon, lat);
        ((self.cx + x * self.scale) as f32, (self.cy - y * self.scale) as f32)
    }
}

/// The map of `countries` (ISO 3166-1 alpha-2 codes, either case, with their colour) and a key
/// naming the colours in `legend`, `width` points wide, its words from `c`. Codes without a shape
/// or centroid are not drawn; they are named under the map and in the description, never dropped
/// silently.
pub fn world_map(countries: &[(String, Rgb)], legend: &[(String, Rgb)], width: f32, c: &Catalogue) -> Figure {
    let width = clamp_width(width);
    let (proj, map_h) = Projection::new(width);
    let mut wanted: Vec<(String, Rgb)> = Vec::new();
    for (code, colour) in countries {
        let code = code.trim().to_ascii_uppercase();
        if !wanted.iter().any(|(c, _)| *c == code) {
            wanted.push((code, *colour));
        }
    }
    let colour_of = |code: &str| wanted.iter().find(|(c, _)| c == code).map(|(_, colour)| *colour);

    let mut shapes = vec![sphere(&proj)];
    let mut coloured = Vec::new();
    let mut extents: Vec<(&str, [f32; 4])> = Vec::new();
    for (code, rings) in world::shapes() {
        let (ops, extent) = outline(&proj, rings);
        match colour_of(code) {
            Some(colour) => {
                coloured.push(Shape::Path { ops, paint: Paint::fill_stroke(colour, INK, 0.6) });
                extents.push((code, extent));
            }
            None => shapes.push(Shape::Path { ops, paint: Paint::fill_stroke(LAND, WHITE, 0.4) }),
        }
    }
    shapes.extend(coloured);

    // Dots first and reserved, so that no code tag hides one; then a tag per country.
    let (mut dots, mut unknown, mut placed, mut marks) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (code, colour) in &wanted {
        let Some(geo) = world::country(code) else {
            unknown.push(fit(code, CODE_SIZE, 60.0));
            continue;
        };
        let (x, y) = proj.point(geo.lon, geo.lat);
        let outline = extents.iter().find(|(c, _)| c == code).map(|(_, e)| *e);
        let small = outline.is_none_or(|[x0, y0, x1, y1]| (x1 - x0).max(y1 - y0) < MIN_VISIBLE);
        if small {
            shapes.push(Shape::Circle { cx: x, cy: y, r: DOT, paint: Paint::fill_stroke(*colour, INK, 0.8) });
            placed.push([x - DOT, y - DOT, x + DOT, y + DOT]);
            dots.push(geo.alpha2);
        }
        marks.push((geo.alpha2, (x, y), small, outline));
    }
    for (code, (x, y), small, outline) in marks {
        // A tag on a country not much larger than itself would hide its colour: it goes above
        // the outline, with a line to it.
        let tag_w = text_width(code, CODE_SIZE) + 3.0;
        let (nominal, leader) = match outline {
            _ if small => ((x, y - DOT - 6.0), false),
            Some([x0, y0, x1, _]) if x1 - x0 < 3.0 * tag_w => ((x, (y0 - CODE_SIZE).max(PAD + CODE_SIZE)), true),
            _ => ((x, y), false),
        };
        shapes.extend(code_label(code, (x, y), nominal, leader, &mut placed));
    }

    let mut y = PAD + map_h + 8.0;
    let items: Vec<(Swatch, String)> = legend.iter().map(|(label, c)| (Swatch::Box(*c), label.clone())).collect();
    let (key_shapes, key_h) = key(&items, PAD, y, width - 2.0 * PAD);
    shapes.extend(key_shapes);
    y += key_h;
    if !unknown.is_empty() {
        let note = c.tf("figure.map.not_on_map", &[("codes", &unknown.join(&c.t("text.comma")))]);
        shapes.push(text(PAD, y + 8.0, fit(&note, TEXT_SIZE, width - 2.0 * PAD), Anchor::Start, MUTED));
        y += 13.0;
    }

    Figure {
        width,
        height: y + PAD,
        shapes,
        title: c.t("figure.map.title"),
        description: describe(&wanted, legend, &dots, &unknown, c),
    }
}

/// The outline of the whole globe, filled as the sea.
fn sphere(proj: &Projection) -> Shape {
    let mut ops = Vec::new();
    for i in 0..=36 {
        let (x, y) = proj.point(-180.0, 90.0 - 5.0 * f64::from(i));
        ops.push(if i == 0 { PathOp::MoveTo(x, y) } else { PathOp::LineTo(x, y) });
    }
    for i in 0..=36 {
        let (x, y) = proj.point(180.0, -90.0 + 5.0 * f64::from(i));
        ops.push(PathOp::LineTo(x, y));
    }
    ops.push(PathOp::Close);
    Shape::Path { ops, paint: Paint::fill_stroke(SEA, FRAME, 0.6) }
}

/// A country's rings as one path, and its extent [x0, y0, x1, y1] on the figure.
fn outline(proj: &Projection, rings: world::Rings<'_>) -> (Vec<PathOp>, [f32; 4]) {
    let mut ops = Vec::new();
    let mut extent = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for ring in rings {
        for (i, (lon, lat)) in ring.enumerate() {
            let (x, y) = proj.point(f64::from(lon), f64::from(lat));
            extent = [extent[0].min(x), extent[1].min(y), extent[2].max(x), extent[3].max(y)];
            ops.push(if i == 0 { PathOp::MoveTo(x, y) } else { PathOp::LineTo(x, y) });
        }
        ops.push(PathOp::Close);
    }
    (ops, extent)
}

/// The country code on a white tag centred on `nominal`, or, when that overlaps a tag or dot
/// already `placed` (neighbours such as BE, NL and LU), at the nearest free spot around it with a
/// thin line back to the country's `point` (always drawn when `leader` is set).
fn code_label(
    code: &str,
    point: (f32, f32),
    nominal: (f32, f32),
    leader: bool,
    placed: &mut Vec<[f32; 4]>,
) -> Vec<Shape> {
    let (w, h) = (text_width(code, CODE_SIZE) + 3.0, CODE_SIZE + 2.0);
    let (dx, dy) = (w + 1.0, h + 1.0);
    let offsets = (1..=3).flat_map(|k| {
        let k = k as f32;
        [(0.0, -dy), (0.0, dy), (dx, 0.0), (-dx, 0.0), (dx, -dy), (-dx, -dy), (dx, dy), (-dx, dy)]
            .map(|(a, b)| (a * k, b * k))
    });
    let (nx, ny) = nominal;
    let free = |t: &[f32; 4]| !placed.iter().any(|p| t[0] < p[2] && p[0] < t[2] && t[1] < p[3] && p[1] < t[3]);
    let at = |(ox, oy): (f32, f32)| [nx + ox - w / 2.0, ny + oy - h / 2.0, nx + ox + w / 2.0, ny + oy + h / 2.0];
    let tag = std::iter::once((0.0, 0.0)).chain(offsets).map(at).find(free).unwrap_or_else(|| at((0.0, 0.0)));
    placed.push(tag);
    let centre = ((tag[0] + tag[2]) / 2.0, (tag[1] + tag[3]) / 2.0);
    let mut shapes = Vec::new();
    if leader || centre != nominal {
        let (x2, y2) = centre;
        shapes.push(line(point.0, point.1, x2, y2, Paint::stroke(INK, 0.4), false));
    }
    shapes.push(Shape::Rect { x: tag[0], y: tag[1], w, h, paint: Paint::fill_stroke(WHITE, INK, 0.3) });
    shapes.push(Shape::Text {
        x: centre.0,
        y: tag[3] - 2.2,
        size: CODE_SIZE,
        text: code.to_string(),
        anchor: Anchor::Middle,
        colour: INK,
        bold: true,
    });
    shapes
}

/// The text alternative: which country has which meaning, which are dots, which are missing.
fn describe(
    wanted: &[(String, Rgb)],
    legend: &[(String, Rgb)],
    dots: &[&str],
    unknown: &[String],
    c: &Catalogue,
) -> String {
    let mut parts = vec![c.t("figure.map.describe_intro")];
    let meaning = |colour: Rgb| {
        legend
            .iter()
            .find(|(_, k)| *k == colour)
            .map_or_else(|| c.tf("figure.map.colour", &[("hex", &colour.hex())]), |(l, _)| visible(l))
    };
    let shown: Vec<String> = wanted
        .iter()
        .filter(|(code, _)| world::country(code).is_some())
        .map(|(code, colour)| c.tf("figure.map.describe_item", &[("code", code), ("meaning", &meaning(*colour))]))
        .collect();
    parts.push(if shown.is_empty() {
        c.t("figure.map.describe_none")
    } else {
        c.tf("figure.map.describe_coloured", &[("list", &shown.join(&c.t("text.semicolon")))])
    });
    let comma = c.t("text.comma");
    if !dots.is_empty() {
        parts.push(c.tf("figure.map.describe_dots", &[("codes", &dots.join(&comma))]));
    }
    if !unknown.is_empty() {
        parts.push(c.tf("figure.map.describe_unknown", &[("codes", &unknown.join(&comma))]));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::figures::svg;
    use crate::render::i18n::Lang;

    fn world_map(countries: &[(String, Rgb)], legend: &[(String, Rgb)], width: f32) -> Figure {
        super::world_map(countries, legend, width, &Catalogue::new(Lang::En))
    }

    const RED: Rgb = Rgb(0xc0, 0x1b, 0x1b);
    const AMBER: Rgb = Rgb(0xe0, 0x9b, 0x1a);

    fn legend() -> Vec<(String, Rgb)> {
        vec![("act now".into(), RED), ("review".into(), AMBER)]
    }

    fn fills(fig: &Figure, colour: Rgb) -> (usize, usize) {
        let paths =
            fig.shapes.iter().filter(|s| matches!(s, Shape::Path { paint, .. } if paint.fill == Some(colour))).count();
        let dots = fig
            .shapes
            .iter()
            .filter(|s| matches!(s, Shape::Circle { paint, .. } if paint.fill == Some(colour)))
            .count();
        (paths, dots)
    }

    #[test]
    fn projection_is_equal_earth() {
        assert_eq!(equal_earth(0.0, 0.0), (0.0, 0.0));
        let (x, _) = equal_earth(180.0, 0.0);
        let (_, y) = equal_earth(0.0, 90.0);
        assert!((x - 2.7066).abs() < 1e-3 && (y - 1.3174).abs() < 1e-3, "{x} {y}");
        // Equal area: a 10° x 10° cell at the equator and one at 60° N differ by their true ratio.
        let cell = |lat: f64| {
            let (a, b) = (equal_earth(0.0, lat), equal_earth(10.0, lat + 10.0));
            let (c, d) = (equal_earth(10.0, lat), equal_earth(0.0, lat + 10.0));
            ((c.0 - a.0) + (b.0 - d.0)) / 2.0 * (b.1 - a.1)
        };
        let truth = (70f64.to_radians().sin() - 60f64.to_radians().sin()) / 10f64.to_radians().sin();
        assert!((cell(60.0) / cell(0.0) - truth).abs() < 0.01, "{} vs {truth}", cell(60.0) / cell(0.0));
    }

    #[test]
    fn every_requested_country_is_coloured() {
        let wanted = [("DE", RED), ("ir", AMBER), ("US", AMBER), ("FR", RED), ("SG", RED), ("RU", RED)];
        let countries: Vec<(String, Rgb)> = wanted.iter().map(|(c, r)| (c.to_string(), *r)).collect();
        let fig = world_map(&countries, &legend(), 600.0);
        // DE, FR, RU and SG in red: three outlines and Singapore as a dot; IR and US in amber.
        assert_eq!(fills(&fig, RED), (3, 1));
        assert_eq!(fills(&fig, AMBER), (2, 0));
        for code in ["DE", "IR", "US", "FR", "SG", "RU"] {
            assert!(
                fig.shapes.iter().any(|s| matches!(s, Shape::Text { text, bold: true, .. } if text == code)),
                "{code}"
            );
        }
        assert!(fig.description.contains("DE: act now; IR: review; US: review; FR: act now; SG: act now; RU: act now"));
        assert!(fig.description.contains("Drawn as a dot, too small for the map’s scale: SG."), "{}", fig.description);
        let greys =
            fig.shapes.iter().filter(|s| matches!(s, Shape::Path { paint, .. } if paint.fill == Some(LAND))).count();
        assert_eq!(greys, world::shapes().count() - 5);
        assert!(fig.height > 600.0 / 2.1 && fig.height < 600.0 / 1.6, "{}", fig.height);
    }

    #[test]
    fn the_dot_sits_on_the_country() {
        let fig = world_map(&[("SG".into(), RED)], &[], 1000.0);
        let (proj, _) = Projection::new(1000.0);
        let (x, y) = proj.point(103.8, 1.35);
        let dot = fig.shapes.iter().find_map(|s| match s {
            Shape::Circle { cx, cy, .. } => Some((*cx, *cy)),
            _ => None,
        });
        let (cx, cy) = dot.unwrap();
        assert!((cx - x).abs() < 1.0 && (cy - y).abs() < 1.0, "{cx},{cy} vs {x},{y}");
    }

    #[test]
    fn unknown_codes_are_listed_not_dropped() {
        let countries = vec![("ZZ".into(), RED), ("<b>".into(), RED), ("DE".into(), RED), ("de".into(), AMBER)];
        let fig = world_map(&countries, &legend(), 500.0);
        assert_eq!(fills(&fig, RED), (1, 0));
        assert_eq!(fills(&fig, AMBER), (0, 0), "a repeated code keeps its first colour");
        assert!(fig.description.contains("Not on the map, no shape for the code: ZZ, <B>."), "{}", fig.description);
        assert!(fig.shapes.iter().any(|s| matches!(s, Shape::Text { text, .. } if text.contains("ZZ, <B>"))));
        let out = svg(&fig);
        assert!(out.contains("ZZ, &lt;B&gt;") && !out.contains("<B>"));
    }

    #[test]
    fn an_empty_map_says_so() {
        let fig = world_map(&[], &[], 400.0);
        assert!(fig.description.contains("No session has a known country."));
        assert_eq!(fills(&fig, LAND).0, world::shapes().count());
    }

    #[test]
    fn the_key_names_every_colour() {
        let fig = world_map(&[("DE".into(), RED)], &legend(), 500.0);
        for label in ["act now", "review"] {
            assert!(fig.shapes.iter().any(|s| matches!(s, Shape::Text { text, .. } if text == label)), "{label}");
        }
        let fig = world_map(&[("DE".into(), Rgb(1, 2, 3))], &legend(), 500.0);
        assert!(fig.description.contains("DE: colour #010203"));
    }

    #[test]
    fn a_small_country_keeps_its_colour_visible_under_its_tag() {
        let fig = world_map(&[("DE".into(), RED), ("RU".into(), AMBER)], &legend(), 500.0);
        let tag = |code: &str| {
            fig.shapes.iter().find_map(|s| match s {
                Shape::Text { text, y, bold: true, .. } if text == code => Some(*y),
                _ => None,
            })
        };
        let geo = world::country("DE").unwrap();
        let (proj, _) = Projection::new(500.0);
        let (_, cy) = proj.point(geo.lon, geo.lat);
        assert!(tag("DE").unwrap() < cy - 5.0, "Germany's tag sits above it, not on it");
        assert!(
            fig.shapes.iter().any(|s| matches!(s, Shape::Line { y1, .. } if (*y1 - cy).abs() < 0.01)),
            "with a line"
        );
        let (_, ry) = proj.point(world::country("RU").unwrap().lon, world::country("RU").unwrap().lat);
        assert!((tag("RU").unwrap() - ry).abs() < 10.0, "a large country carries its tag");
    }

    #[test]
    fn same_input_same_svg() {
        let countries = vec![("DE".into(), RED), ("SG".into(), AMBER)];
        assert_eq!(svg(&world_map(&countries, &legend(), 640.0)), svg(&world_map(&countries, &legend(), 640.0)));
    }
}
