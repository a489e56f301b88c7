//! `report.html`: one self-contained file (inline CSS, no scripts, no external requests, a strict
//! Content-Security-Policy) rendered with tera from the view model, autoescaping every string.
//! The built-in template and stylesheet can be replaced from a folder (`report --templates DIR`).

use super::RenderError;
use crate::model::view::ReportView;
use tera::{Context, Tera};

/// The template names, as a user's override folder holds them.
pub const TEMPLATE_NAME: &str = "report.html";
pub const STYLESHEET_NAME: &str = "report.css";

const TEMPLATE: &str = include_str!("../../templates/report.html");
const STYLESHEET: &str = include_str!("../../templates/report.css");

/// A user's replacement for a built-in file: where it was read from, and its text.
#[derive(Debug, Clone)]
pub struct Override {
    /// Shown in errors ("my-templates/report.html").
    pub shown_as: String,
    pub text: String,
}

/// The report's template, compiled, and its stylesheet. Compiling first means a template that
/// does not parse is refused before anything is written.
pub struct HtmlTemplates {
    tera: Tera,
    template_shown_as: String,
    stylesheet: String,
}

impl HtmlTemplates {
    /// The built-in template and stylesheet, each replaced by the override given.
    pub fn new(template: Option<Override>, stylesheet: Option<Override>) -> Result<HtmlTemplates, RenderError> {
        let (shown_as, text) = match template {
            Some(o) => (o.shown_as, o.text),
            None => (format!("built-in {TEMPLATE_NAME}"), TEMPLATE.to_string()),
        };
        let mut tera = Tera::default();
        // The ".html" name keeps tera's autoescaping on: device names are attacker-controlled.
        tera.add_raw_template(TEMPLATE_NAME, &text).map_err(|e| template_error(&shown_as, &e))?;
        Ok(HtmlTemplates {
            tera,
            template_shown_as: shown_as,
            stylesheet: stylesheet.map(|o| o.text).unwrap_or_else(|| STYLESHEET.to_string()),
        })
    }

    /// The built-in template and stylesheet.
    pub fn builtin() -> HtmlTemplates {
        HtmlTemplates::new(None, None).expect("the built-in template parses (checked by the tests)")
    }

    /// Renders the report's HTML.
    pub fn render(&self, view: &ReportView) -> Result<String, RenderError> {
        let mut ctx = Context::new();
        ctx.insert("r", view);
        ctx.insert("stylesheet", &self.stylesheet);
        ctx.insert("style_hash", &crate::digest::sha256_base64(self.stylesheet.as_bytes()));
        self.tera.render(TEMPLATE_NAME, &ctx).map_err(|e| template_error(&self.template_shown_as, &e))
    }
}

/// Renders the report's HTML with the built-in template.
pub fn render_html(view: &ReportView) -> Result<String, RenderError> {
    HtmlTemplates::builtin().render(view)
}

/// An error naming the template file, and the line and column tera points at.
fn template_error(shown_as: &str, e: &tera::Error) -> RenderError {
    use tera::ErrorKind;
    let message = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let s = r.span();
            format!("line {}, column {}: {}", s.start_line, s.start_col + 1, r.message())
        }
        other => other.to_string(),
    };
    RenderError {
        what: shown_as.to_string(),
        message: format!("{message}; correct the template, or remove it to use the built-in one"),
    }
}
