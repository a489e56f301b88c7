//! `case.toml`: the case's identity and the subject's declared baseline, parsed strictly.
//!
//! Every signal is judged against what is declared here, never against a guess, so an unknown key
//! or a bad value is an error naming the key and its line.

use jiff::{Timestamp, civil, tz::TimeZone};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// A validated `case.toml`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseConfig {
    pub case: CaseInfo,
    pub subject: Subject,
}

/// `[case]`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseInfo {
    pub id: String,
    pub examiner: Option<String>,
}

/// `[subject]`: the declared baseline. Every key is optional; what is absent is "not declared".
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Subject {
    pub pseudonym: Option<String>,
    /// A valid IANA zone name.
    pub time_zone: Option<String>,
    pub sleep: Option<SleepWindow>,
    /// ISO 3166-1 alpha-2, upper case.
    pub usual_countries: Vec<String>,
    pub usual_cities: Vec<String>,
    pub vpn_providers: Vec<String>,
    pub web_domains: Vec<String>,
    pub automation: Option<bool>,
    pub last_known_good: Option<Timestamp>,
    pub incident_window: Option<Window>,
    pub devices: Vec<Device>,
    pub travel: Vec<Travel>,
}

/// Local sleeping hours; `from` after `to` means the window crosses midnight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SleepWindow {
    pub from: civil::Time,
    pub to: civil::Time,
}

/// A span of UTC time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Window {
    pub from: Timestamp,
    pub to: Timestamp,
}

/// A device the subject owns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Device {
    pub model: String,
    pub platform: Option<String>,
    pub app: Option<String>,
}

/// A declared trip.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Travel {
    pub country: String,
    pub city: Option<String>,
    pub from: civil::Date,
    pub to: civil::Date,
}

/// Why a `case.toml` was refused: the line (1-based, when known), the key and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct ConfigError {
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    case: RawCase,
    #[serde(default)]
    subject: Option<RawSubject>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    id: Spanned<String>,
    examiner: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubject {
    pseudonym: Option<String>,
    time_zone: Option<Spanned<String>>,
    sleep: Option<Spanned<RawSpan>>,
    #[serde(default)]
    usual_countries: Vec<Spanned<String>>,
    #[serde(default)]
    usual_cities: Vec<String>,
    #[serde(default)]
    vpn_providers: Vec<String>,
    #[serde(default)]
    web_domains: Vec<String>,
    automation: Option<bool>,
    last_known_good: Option<Spanned<String>>,
    incident_window: Option<Spanned<RawSpan>>,
    #[serde(default)]
    devices: Vec<Device>,
    #[serde(default)]
    travel: Vec<Spanned<RawTravel>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpan {
    from: String,
    to: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTravel {
    country: String,
    city: Option<String>,
    from: String,
    to: String,
}

/// Parses and validates a `case.toml` as read from disk: UTF-8 first, then [`parse_case_toml`].
pub fn parse_case_toml_bytes(bytes: &[u8]) -> Result<CaseConfig, ConfigError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ConfigError {
        line: None,
        message: format!("byte {}: not UTF-8 text; save case.toml as UTF-8", e.valid_up_to()),
    })?;
    parse_case_toml(text)
}

/// Parses and validates the text of a `case.toml`.
pub fn parse_case_toml(text: &str) -> Result<CaseConfig, ConfigError> {
    let line_of = |offset: usize| Some(text[..offset.min(text.len())].matches('\n').count() + 1);
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let line = e.span().and_then(|s| line_of(s.start));
        let mut message = describe_toml_error(e.message());
        // serde's type errors do not name the key; the line's own text does.
        if let Some(l) = line
            && !message.contains("key `")
            && let Some(src) = text.lines().nth(l - 1)
        {
            message = format!("`{}`: {message}", crate::model::text::clipped(src.trim(), 80));
        }
        ConfigError { line, message }
    })?;
    let at = |span: std::ops::Range<usize>, message: String| ConfigError { line: line_of(span.start), message };

    let id = raw.case.id.get_ref().trim().to_string();
    if id.is_empty() {
        return Err(at(
            raw.case.id.span(),
            "`case.id` is empty; give the case an identifier such as \"HL-2026-0142\"".into(),
        ));
    }
    let case = CaseInfo { id, examiner: raw.case.examiner.filter(|e| !e.trim().is_empty()) };
    let Some(s) = raw.subject else {
        return Ok(CaseConfig { case, subject: Subject::default() });
    };

    let time_zone = match s.time_zone {
        Some(tz) => {
            TimeZone::get(tz.get_ref()).map_err(|_| {
                at(
                    tz.span(),
                    format!(
                        "`subject.time_zone` = {:?} is not an IANA time zone; use a name such as \"Europe/Berlin\"",
                        tz.get_ref()
                    ),
                )
            })?;
            Some(tz.into_inner())
        }
        None => None,
    };
    let sleep = match s.sleep {
        Some(sp) => {
            let span = sp.span();
            let raw = sp.into_inner();
            let parse = |key: &str, v: &str| {
                parse_clock(v).ok_or_else(|| at(span.clone(), format!("`subject.sleep.{key}` = {v:?} is not a time of day; use 24-hour \"HH:MM\" such as \"00:30\"")))
            };
            let (from, to) = (parse("from", &raw.from)?, parse("to", &raw.to)?);
            if from == to {
                return Err(at(span, "`subject.sleep` starts and ends at the same time; give a real window such as { from = \"00:30\", to = \"07:00\" }".into()));
            }
            Some(SleepWindow { from, to })
        }
        None => None,
    };
    let mut usual_countries = Vec::new();
    for c in s.usual_countries {
        let code = c.get_ref().trim();
        if !super::countries::is_assigned(&code.to_ascii_uppercase()) {
            return Err(at(
                c.span(),
                format!(
                    "`subject.usual_countries` has {:?}, which is not an assigned two-letter ISO 3166-1 code; use codes such as \"DE\" or \"IR\"",
                    c.get_ref()
                ),
            ));
        }
        usual_countries.push(code.to_ascii_uppercase());
    }
    let last_known_good = match s.last_known_good {
        Some(v) => Some(parse_instant(v.get_ref()).ok_or_else(|| {
            at(
                v.span(),
                format!(
                    "`subject.last_known_good` = {:?} is not an RFC 3339 time; use e.g. \"2026-11-15T00:00:00Z\"",
                    v.get_ref()
                ),
            )
        })?),
        None => None,
    };
    let incident_window = match s.incident_window {
        Some(w) => {
            let span = w.span();
            let raw = w.into_inner();
            let parse = |key: &str, v: &str| {
                parse_instant(v).ok_or_else(|| at(span.clone(), format!("`subject.incident_window.{key}` = {v:?} is not an RFC 3339 time; use e.g. \"2026-11-18T00:00:00Z\"")))
            };
            let (from, to) = (parse("from", &raw.from)?, parse("to", &raw.to)?);
            if to <= from {
                return Err(at(
                    span,
                    "`subject.incident_window` ends before it starts; `to` must be later than `from`".into(),
                ));
            }
            Some(Window { from, to })
        }
        None => None,
    };
    for (i, d) in s.devices.iter().enumerate() {
        if d.model.trim().is_empty() {
            return Err(ConfigError {
                line: None,
                message: format!(
                    "`subject.devices[{i}].model` is empty; give the model as the app shows it, e.g. \"Pixel 8\""
                ),
            });
        }
    }
    let mut travel = Vec::new();
    for t in s.travel {
        let span = t.span();
        let raw = t.into_inner();
        let country = raw.country.trim().to_ascii_uppercase();
        if !super::countries::is_assigned(&country) {
            return Err(at(
                span,
                format!("`subject.travel.country` = {:?} is not a two-letter ISO 3166-1 code", raw.country),
            ));
        }
        let date = |key: &str, v: &str| {
            v.parse::<civil::Date>().map_err(|_| {
                at(span.clone(), format!("`subject.travel.{key}` = {v:?} is not a date; use \"YYYY-MM-DD\""))
            })
        };
        let (from, to) = (date("from", &raw.from)?, date("to", &raw.to)?);
        if to < from {
            return Err(at(span, format!("`subject.travel` to {country} ends ({to}) before it starts ({from})")));
        }
        travel.push(Travel { country, city: raw.city, from, to });
    }

    Ok(CaseConfig {
        case,
        subject: Subject {
            pseudonym: s.pseudonym,
            time_zone,
            sleep,
            usual_countries,
            usual_cities: s.usual_cities,
            vpn_providers: s.vpn_providers,
            web_domains: s.web_domains,
            automation: s.automation,
            last_known_good,
            incident_window,
            devices: s.devices,
            travel,
        },
    })
}

/// "HH:MM" in 24-hour time.
fn parse_clock(v: &str) -> Option<civil::Time> {
    let (h, m) = v.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    civil::Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()
}

/// An RFC 3339 instant with `Z` or an offset.
fn parse_instant(v: &str) -> Option<Timestamp> {
    v.parse::<Timestamp>().ok()
}

/// Rewords serde's messages in the file's own vocabulary ("key", not "field").
fn describe_toml_error(message: &str) -> String {
    let m = message.trim().replace("unknown field", "unknown key").replace("missing field", "missing key");
    if m.contains("unknown key") {
        format!("{m}; remove it or check its spelling (keys are listed in `sessionproof case init`'s template)")
    } else if m.contains("missing key") {
        format!("{m}; add it (keys are listed in `sessionproof case init`'s template)")
    } else {
        m
    }
}

/// The commented `case.toml` written by `case init`: every key, ready to fill in.
pub fn case_toml_template(id: &str, examiner: Option<&str>, subject_tz: Option<&str>) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let examiner_line = match examiner {
        Some(e) => format!("examiner = {}\n", q(e)),
        None => "# examiner = \"A. Responder, Example Helpline\"\n".to_string(),
    };
    let tz_line = match subject_tz {
        Some(tz) => format!("time_zone = {}                  # IANA zone the subject lives in\n", q(tz)),
        None => "# time_zone = \"Europe/Berlin\"                # IANA zone the subject lives in\n".to_string(),
    };
    format!(
        r#"# sessionproof case file. Every signal is judged against what is declared here, never guessed.
# Uncomment and fill in what the account owner confirms; leave out what is not known.

[case]
id = {id}
{examiner_line}
[subject]
# pseudonym = "Subject A"                      # shown in reports instead of the real name
{tz_line}# sleep = {{ from = "00:30", to = "07:00" }}     # usual sleeping hours, local time; may cross midnight
# usual_countries = ["DE"]                      # ISO 3166-1 alpha-2 codes
# usual_cities = ["Berlin"]
# vpn_providers = ["Mullvad"]                   # organisation names or "AS1234"
# web_domains = ["example.com"]                 # sites the subject logs into with Telegram
# automation = false                            # bots or scripts that may be active at night
# last_known_good = "2026-11-15T00:00:00Z"      # last time the account was surely only the subject's
# incident_window = {{ from = "2026-11-18T00:00:00Z", to = "2026-11-27T00:00:00Z" }}

# One block per device the subject owns (model as the app shows it):
# [[subject.devices]]
# model = "ThinkPad X1"
# platform = "Windows"
# app = "Telegram Desktop"

# One block per trip:
# [[subject.travel]]
# country = "TR"
# city = "Istanbul"
# from = "2026-10-01"
# to = "2026-10-05"
"#,
        id = q(id)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_parses_back() {
        let t = case_toml_template("HL-1", Some("A \"quoted\" examiner"), Some("Europe/Berlin"));
        let c = parse_case_toml(&t).unwrap();
        assert_eq!(c.case.id, "HL-1");
        assert_eq!(c.case.examiner.as_deref(), Some("A \"quoted\" examiner"));
        assert_eq!(c.subject.time_zone.as_deref(), Some("Europe/Berlin"));
    }

    #[test]
    fn full_baseline_parses() {
        let c = parse_case_toml(
            "[case]\nid = \"X\"\n[subject]\nsleep = { from = \"23:00\", to = \"06:30\" }\nusual_countries = [\"de\"]\n\
             incident_window = { from = \"2026-11-18T00:00:00Z\", to = \"2026-11-27T00:00:00Z\" }\n\
             [[subject.devices]]\nmodel = \"Pixel 8\"\n[[subject.travel]]\ncountry = \"TR\"\nfrom = \"2026-10-01\"\nto = \"2026-10-05\"\n",
        )
        .unwrap();
        assert_eq!(c.subject.usual_countries, vec!["DE"]);
        assert_eq!(c.subject.devices[0].model, "Pixel 8");
        assert_eq!(c.subject.travel[0].to, civil::date(2026, 10, 5));
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let e = parse_case_toml("[case]\nid = \"X\"\n[subject]\ncolour = \"red\"\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.message.contains("unknown key `colour`"), "{e}");
    }

    #[test]
    fn bad_values_name_key_and_line() {
        for (text, key, line) in [
            ("[case]\nid = \"X\"\n[subject]\ntime_zone = \"Mars/Olympus\"\n", "subject.time_zone", 4),
            (
                "[case]\nid = \"X\"\n[subject]\n\nsleep = { from = \"25:00\", to = \"07:00\" }\n",
                "subject.sleep.from",
                5,
            ),
            ("[case]\nid = \"X\"\n[subject]\nusual_countries = [\"Germany\"]\n", "subject.usual_countries", 4),
            ("[case]\nid = \"X\"\n[subject]\nusual_countries = [\"DE\", \"XX\"]\n", "subject.usual_countries", 4),
            ("[case]\nid = \"X\"\n[subject]\nlast_known_good = \"yesterday\"\n", "subject.last_known_good", 4),
            ("[case]\nid = \"\"\n", "case.id", 2),
            (
                "[case]\nid = \"X\"\n[[subject.travel]]\ncountry = \"TR\"\nfrom = \"2026-10-05\"\nto = \"2026-10-01\"\n",
                "subject.travel",
                3,
            ),
        ] {
            let e = parse_case_toml(text).unwrap_err();
            assert!(e.message.contains(key), "{key}: {e}");
            assert_eq!(e.line, Some(line), "{key}: {e}");
        }
    }

    #[test]
    fn wrong_type_is_refused() {
        let e = parse_case_toml("[case]\nid = \"X\"\n[subject]\nautomation = \"no\"\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
    }

    #[test]
    fn missing_case_table_is_refused() {
        let e = parse_case_toml("[subject]\n").unwrap_err();
        assert!(e.message.contains("missing key `case`"), "{e}");
    }
}
