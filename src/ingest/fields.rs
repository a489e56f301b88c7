//! Reading typed fields out of a parsed JSON object, turning every oddity into a warning with
//! its JSON pointer instead of an abort.

use super::json::{Node, pointer_token};
use crate::model::snapshot::Warning;

/// Collects warnings while fields are read.
#[derive(Debug, Default)]
pub struct Fields {
    pub warnings: Vec<Warning>,
}

impl Fields {
    pub fn warn(&mut self, locator: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning { locator: locator.into(), message: message.into() });
    }

    /// A string field. Absent, `null` and `""` are all "not carried" (`None`); a `null` or a value
    /// of another type is noted. `empty_note` is the warning for `""` (none when `None`).
    pub fn string(&mut self, obj: &Node, key: &str, ptr: &str, empty_note: Option<&str>) -> Option<String> {
        let node = obj.get(key)?;
        let at = child(ptr, key);
        match node.as_str() {
            Some("") => {
                if let Some(note) = empty_note {
                    self.warn(at, note);
                }
                None
            }
            Some(s) => Some(s.to_string()),
            None if node.is_null() => None,
            None => {
                self.warn(at, format!("expected a string, found a {}; ignored", node.kind_name()));
                None
            }
        }
    }

    /// An integer field written as a number or as a string of digits.
    pub fn integer(&mut self, obj: &Node, key: &str, ptr: &str) -> Option<i64> {
        let node = obj.get(key)?;
        if node.is_null() {
            return None;
        }
        let v = node.as_i64().or_else(|| node.as_str().and_then(|s| s.trim().parse().ok()));
        if v.is_none() {
            self.warn(child(ptr, key), format!("expected a whole number, found {}; ignored", describe(node)));
        }
        v
    }

    /// A boolean field.
    pub fn boolean(&mut self, obj: &Node, key: &str, ptr: &str) -> Option<bool> {
        let node = obj.get(key)?;
        if node.is_null() {
            return None;
        }
        let v = node.as_bool();
        if v.is_none() {
            self.warn(child(ptr, key), format!("expected true or false, found {}; ignored", describe(node)));
        }
        v
    }
}

/// The JSON pointer of `key` inside `ptr`.
pub fn child(ptr: &str, key: &str) -> String {
    format!("{}/{}", ptr.trim_end_matches('/'), pointer_token(key))
}

/// A short description of a node for messages.
pub fn describe(node: &Node) -> String {
    use super::json::Value;
    match &node.value {
        Value::String(s) => format!("the string {:?}", crate::model::text::clipped(s, 40)),
        Value::Number(n) => format!("the number {n}"),
        _ => format!("a {}", node.kind_name()),
    }
}

/// Adds a warning for every device, app or place name that carries control or bidirectional
/// override characters: apps show such names reordered or hide part of them, a known trick.
pub fn note_hidden_characters(snapshot: &mut crate::model::snapshot::Snapshot) {
    let mut found = Vec::new();
    let mut check = |locator: &str, field: &str, value: &Option<String>| {
        if let Some(v) = value {
            let marked = crate::model::text::visible(v);
            if marked != *v {
                found.push(crate::model::snapshot::Warning {
                    locator: child(locator, field),
                    message: format!(
                        "contains control or direction-override characters, shown marked as {}; the apps may display this name differently",
                        crate::model::text::clipped(&marked, 80)
                    ),
                });
            }
        }
    };
    for s in &snapshot.sessions {
        for (field, value) in [
            ("device_model", &s.device_model),
            ("app_name", &s.app_name),
            ("app_version", &s.app_version),
            ("platform", &s.platform),
            ("system_version", &s.system_version),
            ("region", &s.region),
            ("country", &s.country),
        ] {
            check(&s.locator, field, value);
        }
    }
    for w in &snapshot.web_sessions {
        for (field, value) in [
            ("domain", &w.domain),
            ("browser", &w.browser),
            ("platform", &w.platform),
            ("bot_username", &w.bot_username),
        ] {
            check(&w.locator, field, value);
        }
    }
    snapshot.warnings.extend(found);
}
