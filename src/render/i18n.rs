//! Message catalogues: every label and sentence of the report, per language, compiled in from
//! `i18n/<lang>.toml`. Keys are flat and dotted (`summary.heading`; TOML tables are flattened);
//! `{name}` marks a placeholder. A key whose last part is `one`, `few`, `many` or `other` is a
//! plural form of the key before it, chosen by [`Catalogue::tn`].

use std::collections::BTreeMap;

/// A report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Ru,
    Fa,
}

/// Text direction of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    /// The HTML `dir` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// The plural forms a catalogue may give (CLDR names).
pub const PLURAL_FORMS: [&str; 4] = ["one", "few", "many", "other"];

impl Lang {
    /// Every language with a complete catalogue.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ru, Lang::Fa];

    /// The BCP 47 code, as `--lang` takes it and `<html lang>` shows it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Fa => "fa",
        }
    }

    /// The language for a `--lang` value.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }

    pub fn direction(self) -> Direction {
        match self {
            Lang::Fa => Direction::Rtl,
            Lang::En | Lang::Ru => Direction::Ltr,
        }
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../../i18n/en.toml"),
            Lang::Ru => include_str!("../../i18n/ru.toml"),
            Lang::Fa => include_str!("../../i18n/fa.toml"),
        }
    }

    /// The CLDR plural category of a count.
    pub fn plural(self, n: usize) -> &'static str {
        match self {
            Lang::En => {
                if n == 1 {
                    "one"
                } else {
                    "other"
                }
            }
            // Russian: 1, 21, 101 → one; 2–4, 22–24 → few; 0, 5–20, 25–30, 111–114 → many.
            Lang::Ru => match (n % 10, n % 100) {
                (1, h) if h != 11 => "one",
                (2..=4, h) if !(12..=14).contains(&h) => "few",
                _ => "many",
            },
            // Persian: "i = 0 or n = 1" → one; the noun does not change after a number anyway.
            Lang::Fa => {
                if n <= 1 {
                    "one"
                } else {
                    "other"
                }
            }
        }
    }

    /// The plural forms this language's catalogue must give for every plural key.
    pub fn required_forms(self) -> &'static [&'static str] {
        match self {
            Lang::En => &["one", "other"],
            Lang::Ru => &["one", "few", "many"],
            Lang::Fa => &["one", "other"],
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Lang, String> {
        Lang::from_code(s).ok_or_else(|| {
            let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
            format!("{s:?} is not a report language; choose one of {}", codes.join(", "))
        })
    }
}

/// First-strong isolate and pop-directional isolate: keep an inserted value (an IP, a device
/// name) from reordering the right-to-left sentence around it.
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// One language's messages.
#[derive(Debug, Clone)]
pub struct Catalogue {
    lang: Lang,
    messages: BTreeMap<String, String>,
}

impl Catalogue {
    /// The compiled-in catalogue of `lang`. The catalogues are part of the program and checked
    /// by its tests, so one that does not parse is a build defect, not a user error.
    pub fn new(lang: Lang) -> Catalogue {
        let messages =
            parse(lang.source()).unwrap_or_else(|e| panic!("i18n/{}.toml is not a valid catalogue: {e}", lang.code()));
        Catalogue { lang, messages }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn direction(&self) -> Direction {
        self.lang.direction()
    }

    /// Whether the catalogue has `key` (or a plural form of it).
    pub fn has(&self, key: &str) -> bool {
        self.messages.contains_key(key)
            || PLURAL_FORMS.iter().any(|f| self.messages.contains_key(&format!("{key}.{f}")))
    }

    /// The message `key`; a missing key shows as `⟦key⟧` (the tests keep every catalogue complete).
    pub fn t(&self, key: &str) -> String {
        match self.messages.get(key) {
            Some(m) => m.clone(),
            None => format!("⟦{key}⟧"),
        }
    }

    /// The message `key` with each `{name}` replaced by its value. In a right-to-left language each
    /// value is isolated (U+2068 … U+2069), so an address or a Latin name keeps its own order.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.fill(&self.t(key), args)
    }

    /// The plural form of `key` for `n`, with `{n}` and the other placeholders filled.
    pub fn tn(&self, key: &str, n: usize, args: &[(&str, &str)]) -> String {
        let form = self.lang.plural(n);
        let pattern = [form, "other", "many"]
            .iter()
            .find_map(|f| self.messages.get(&format!("{key}.{f}")))
            .cloned()
            .unwrap_or_else(|| format!("⟦{key}⟧"));
        let count = n.to_string();
        let mut all = vec![("n", count.as_str())];
        all.extend_from_slice(args);
        self.fill(&pattern, &all)
    }

    /// `value` isolated from the text around it in a right-to-left language (unchanged otherwise):
    /// for data (times, addresses) placed beside translated words without a placeholder.
    pub fn isolate(&self, value: &str) -> String {
        match self.lang.direction() {
            Direction::Rtl => format!("{FSI}{value}{PDI}"),
            Direction::Ltr => value.to_string(),
        }
    }

    /// The items joined as a list ("a, b, c"; in Persian with the Arabic comma).
    pub fn join(&self, items: &[String]) -> String {
        items.join(&self.t("text.comma"))
    }

    /// Every message whose key starts with `prefix.`, keyed by the rest of the key.
    pub fn section(&self, prefix: &str) -> BTreeMap<String, String> {
        let p = format!("{prefix}.");
        self.messages.iter().filter_map(|(k, v)| k.strip_prefix(&p).map(|rest| (rest.to_string(), v.clone()))).collect()
    }

    /// Every key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.messages.keys().map(String::as_str)
    }

    fn fill(&self, pattern: &str, args: &[(&str, &str)]) -> String {
        let isolate = self.lang.direction() == Direction::Rtl;
        let mut out = String::with_capacity(pattern.len() + 16);
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let value = after.find('}').and_then(|close| {
                let name = &after[..close];
                args.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v, close))
            });
            match value {
                Some((v, close)) => {
                    if isolate {
                        out.push(FSI);
                        out.push_str(v);
                        out.push(PDI);
                    } else {
                        out.push_str(v);
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Flattens a catalogue's TOML tables into dotted keys; every leaf must be a string.
fn parse(text: &str) -> Result<BTreeMap<String, String>, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = BTreeMap::new();
    flatten("", &table, &mut out)?;
    Ok(out)
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>) -> Result<(), String> {
    for (k, v) in table {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            toml::Value::Table(t) => flatten(&key, t, out)?,
            other => return Err(format!("{key}: expected a string, found {}", other.type_str())),
        }
    }
    Ok(())
}

/// The placeholders (`{name}`) a message uses.
pub fn placeholders(message: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && close > 0 => {
                out.insert(after[..close].to_string());
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// A key without its plural form, and the form when it has one.
pub fn split_plural(key: &str) -> (&str, Option<&str>) {
    match key.rsplit_once('.') {
        Some((base, form)) if PLURAL_FORMS.contains(&form) => (base, Some(form)),
        _ => (key, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    /// Base key → union of placeholders over its forms.
    fn shape(c: &Catalogue) -> BTreeMap<String, BTreeSet<String>> {
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (k, v) in &c.messages {
            out.entry(split_plural(k).0.to_string()).or_default().extend(placeholders(v));
        }
        out
    }

    #[test]
    fn every_language_has_every_key_with_the_same_placeholders() {
        let en = shape(&Catalogue::new(Lang::En));
        for lang in [Lang::Ru, Lang::Fa] {
            let other = shape(&Catalogue::new(lang));
            let missing: Vec<&String> = en.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<&String> = other.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{}: missing {missing:?}", lang.code());
            assert!(extra.is_empty(), "{}: keys English lacks {extra:?}", lang.code());
            for (k, p) in &en {
                assert_eq!(&other[k], p, "{}: {k} has other placeholders than English", lang.code());
            }
        }
    }

    #[test]
    fn plural_keys_give_every_form_the_language_needs() {
        for lang in Lang::ALL {
            let c = Catalogue::new(lang);
            let mut forms: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            for k in c.keys() {
                if let (base, Some(form)) = split_plural(k) {
                    forms.entry(base).or_default().insert(form);
                }
            }
            assert!(!forms.is_empty());
            for (base, have) in forms {
                for need in lang.required_forms() {
                    assert!(have.contains(need), "{}: {base}.{need} missing", lang.code());
                }
                // A plural key is only plural: no plain message of the same name.
                assert!(!c.messages.contains_key(base), "{}: {base} is both plain and plural", lang.code());
            }
        }
    }

    #[test]
    fn no_key_is_both_a_message_and_a_prefix() {
        for lang in Lang::ALL {
            let c = Catalogue::new(lang);
            for k in c.keys() {
                let nested = format!("{k}.");
                assert!(!c.keys().any(|o| o.starts_with(&nested)), "{}: {k} is also a prefix", lang.code());
            }
        }
    }

    #[test]
    fn russian_plurals_follow_the_cldr_rule() {
        let forms: Vec<&str> =
            [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112, 122].map(|n| Lang::Ru.plural(n)).to_vec();
        assert_eq!(
            forms,
            [
                "many", "one", "few", "few", "many", "many", "many", "many", "one", "few", "many", "one", "many",
                "many", "few"
            ]
        );
        let c = Catalogue::new(Lang::Ru);
        assert_eq!(c.tn("count.sessions", 1, &[]), "1 сеанс");
        assert_eq!(c.tn("count.sessions", 3, &[]), "3 сеанса");
        assert_eq!(c.tn("count.sessions", 11, &[]), "11 сеансов");
        assert_eq!(c.tn("count.sessions", 21, &[]), "21 сеанс");
        assert_eq!(Catalogue::new(Lang::En).tn("count.sessions", 1, &[]), "1 session");
        assert_eq!(Catalogue::new(Lang::En).tn("count.sessions", 0, &[]), "0 sessions");
    }

    #[test]
    fn placeholders_are_filled_once_and_isolated_in_rtl() {
        let en = Catalogue::new(Lang::En);
        assert_eq!(en.fill("a {x} b {y} {z}", &[("x", "{y}"), ("y", "2")]), "a {y} b 2 {z}");
        let fa = Catalogue::new(Lang::Fa);
        assert_eq!(fa.fill("نشست {n}", &[("n", "3")]), "نشست \u{2068}3\u{2069}");
        assert_eq!(placeholders("{a} {b_c} {} { x}"), BTreeSet::from(["a".to_string(), "b_c".to_string()]));
        assert_eq!(en.t("no.such.key"), "⟦no.such.key⟧");
        assert_eq!("FA".parse::<Lang>(), Ok(Lang::Fa));
        assert!("de".parse::<Lang>().unwrap_err().contains("en, ru, fa"));
    }

    /// Keys built at run time from an id the analysis gives: `signal.<id>.…`, `fact.<name>`.
    /// Such a key is used when the id is a string in the analysis' source.
    const DYNAMIC: &[&str] = &["signal", "fact"];

    fn sources(dir: &Path, ext: &str, out: &mut String) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                sources(&p, ext, out);
            } else if p.extension().is_some_and(|e| e == ext) {
                // Unit tests do not count as a use.
                let text = std::fs::read_to_string(&p).unwrap();
                out.push_str(text.split("#[cfg(test)]").next().unwrap_or_default());
                out.push('\n');
            }
        }
    }

    /// Whether `text` holds `key` as a whole key (not as the start of a longer one).
    fn mentions(text: &str, key: &str) -> bool {
        text.match_indices(key).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + key.len()..].chars().next();
            let part = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
            // Templates reach labels through the view: `r.labels.cover.heading`.
            let before_ok = !part(before) || (key.starts_with("labels.") && before == Some('.'));
            before_ok && !part(after)
        })
    }

    #[test]
    fn every_key_the_code_or_a_template_names_exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let c = Catalogue::new(Lang::En);
        let families: BTreeSet<&str> = c.keys().filter_map(|k| k.split('.').next()).collect();
        let is_key_char = |ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '_' | '.' | '-');
        let mut missing = Vec::new();
        let mut code = String::new();
        sources(&root.join("src"), "rs", &mut code);
        for literal in code.split('"').skip(1).step_by(2) {
            let family = literal.split('.').next().unwrap_or_default();
            let file_name = [".json", ".jsonl", ".toml", ".html", ".css", ".txt"].iter().any(|e| literal.ends_with(e));
            if !file_name
                && literal.contains('.')
                && literal.chars().all(is_key_char)
                && families.contains(family)
                && !c.has(literal)
            {
                missing.push(literal.to_string());
            }
        }
        let mut templates = String::new();
        sources(&root.join("templates"), "html", &mut templates);
        for (i, _) in templates.match_indices("r.labels.") {
            let key: String = templates[i + 2..].chars().take_while(|ch| is_key_char(*ch)).collect();
            if !c.has(&key) {
                missing.push(key);
            }
        }
        assert!(missing.is_empty(), "named but not in the catalogue: {missing:?}");
    }

    #[test]
    fn every_key_is_used_by_a_template_or_the_code() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut code = String::new();
        sources(&root.join("src"), "rs", &mut code);
        sources(&root.join("templates"), "html", &mut code);
        let mut analysis = String::new();
        sources(&root.join("src/analyze"), "rs", &mut analysis);
        let c = Catalogue::new(Lang::En);
        let mut unused = Vec::new();
        let bases: BTreeSet<&str> = c.keys().map(|k| split_plural(k).0).collect();
        for key in bases {
            let family = key.split('.').next().unwrap_or_default();
            let used = if DYNAMIC.contains(&family) {
                let id = key.split('.').nth(1).unwrap_or_default();
                [id.to_string(), id.replace('_', " ")].iter().any(|id| analysis.contains(&format!("\"{id}\"")))
            } else {
                mentions(&code, key)
            };
            if !used {
                unused.push(key);
            }
        }
        assert!(unused.is_empty(), "catalogue keys nothing uses: {unused:?}");
    }
}
