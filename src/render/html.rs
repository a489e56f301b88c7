//! `report.html`: one self-contained file (inline CSS, no scripts, no external requests, a strict
//! Content-Security-Policy) rendered with tera from the view model, autoescaping every string.

use super::RenderError;
use crate::model::view::ReportView;
use tera::{Context, Tera};

const TEMPLATE: &str = include_str!("../../templates/report.html");
const STYLESHEET: &str = include_str!("../../templates/report.css");

/// Renders the report's HTML.
pub fn render_html(view: &ReportView) -> Result<String, RenderError> {
    let err = |message: String| RenderError { what: "report.html".into(), message };
    let mut tera = Tera::default();
    // The ".html" name keeps tera's autoescaping on: device names are attacker-controlled.
    tera.add_raw_template("report.html", TEMPLATE).map_err(|e| err(e.to_string()))?;
    let mut ctx = Context::new();
    ctx.insert("r", view);
    ctx.insert("stylesheet", STYLESHEET);
    ctx.insert("style_hash", &crate::digest::sha256_base64(STYLESHEET.as_bytes()));
    tera.render("report.html", &ctx).map_err(|e| err(format!("{e:?}")))
}
