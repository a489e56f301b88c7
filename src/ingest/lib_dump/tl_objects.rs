//! Reading the MTProto objects of the TL-object dumps (Telethon, Pyrogram, grammers): the same
//! field names everywhere, told apart only by a [`Style`] (class naming, date encoding).

use super::{DateStyle, Dump, EMPTY_IP, Int64, class_name, read_json, shown, top_items};
use crate::ingest::fields::{child, describe};
use crate::ingest::json::Node;
use crate::ingest::{IngestError, ParseOptions, Parsed};
use crate::model::snapshot::{Method, Session, TwoFa, WebSession};
use jiff::tz::TimeZone;
use std::collections::BTreeMap;

const AUTHORIZATION_KEYS: &[&str] = &[
    "_",
    "current",
    "official_app",
    "password_pending",
    "encrypted_requests_disabled",
    "call_requests_disabled",
    "unconfirmed",
    "hash",
    "device_model",
    "platform",
    "system_version",
    "api_id",
    "app_name",
    "app_version",
    "date_created",
    "date_active",
    "ip",
    "country",
    "region",
];
const WEB_AUTHORIZATION_KEYS: &[&str] =
    &["_", "hash", "bot_id", "domain", "browser", "platform", "date_created", "date_active", "ip", "region"];

/// The classes of the MTProto objects a TL dump holds, whatever a library calls them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Authorizations,
    WebAuthorizations,
    Password,
    Authorization,
    WebAuthorization,
    User,
    Username,
}

/// What differs between the TL-object dumps of Telethon, Pyrogram and grammers.
pub struct Style<'a> {
    /// Named in messages ("Telethon").
    pub tool: &'static str,
    pub dates: DateStyle,
    pub tz: Option<&'a TimeZone>,
    /// The object's fields if `node` is an element of class `class` (grammers wraps them in a tag).
    pub element: fn(&Node, Class) -> Option<&Node>,
    /// Why a dump may lack `unconfirmed` (added in layer 166).
    pub unconfirmed_since: &'static str,
}

const FLAGS_SINCE_135: &str = "the dump's schema layer predates it (added by layer 135)";
const ALWAYS: &str = "every schema layer carries this flag, so the dump was edited or cut";

/// Reads one top-level object of class `class` (already unwrapped) into `d`.
fn read_tl_object(d: &mut Dump, style: &Style, class: Class, obj: &Node, ptr: &str) -> Result<(), IngestError> {
    d.recognized += 1;
    match class {
        Class::Authorizations => read_list(d, style, obj, ptr, false),
        Class::WebAuthorizations => read_list(d, style, obj, ptr, true),
        Class::Password => {
            read_password(d, style, obj, ptr);
            Ok(())
        }
        Class::Authorization => read_authorization(d, style, obj, ptr),
        Class::WebAuthorization => read_web_authorization(d, style, obj, ptr, None),
        Class::User | Class::Username => Ok(()),
    }
}

/// `account.authorizations` or `account.webAuthorizations`.
fn read_list(d: &mut Dump, style: &Style, obj: &Node, ptr: &str, web: bool) -> Result<(), IngestError> {
    if !web {
        d.set_ttl(obj, "authorization_ttl_days", ptr);
    }
    let list_ptr = child(ptr, "authorizations");
    let (item, article) = if web { ("WebAuthorization", "a") } else { ("Authorization", "an") };
    let list = match obj.get("authorizations") {
        Some(n) => n.as_array().ok_or_else(|| {
            IngestError::at(&list_ptr, format!("expected an array of {item} objects, found {}", describe(n)))
        })?,
        None => return Err(IngestError::at(&list_ptr, format!("missing: expected the array of {item} objects"))),
    };
    let bots = if web { Some(read_bots(d, style, obj, ptr)) } else { None };
    let class = if web { Class::WebAuthorization } else { Class::Authorization };
    for (i, el) in list.iter().enumerate() {
        let at = format!("{list_ptr}/{i}");
        match (style.element)(el, class) {
            Some(inner) if web => read_web_authorization(d, style, inner, &at, bots.as_ref())?,
            Some(inner) => read_authorization(d, style, inner, &at)?,
            None => d.f.warn(at, format!("expected {article} {item} object, found {}; skipped", class_name(el))),
        }
    }
    Ok(())
}

fn read_authorization(d: &mut Dump, style: &Style, obj: &Node, ptr: &str) -> Result<(), IngestError> {
    d.note_unknown_keys(obj, ptr, AUTHORIZATION_KEYS);
    let hash = d.hash(obj, "hash", ptr, Int64::Number)?;
    let f = |d: &mut Dump, key: &str| d.f.string(obj, key, ptr, None);
    let session = Session {
        hash,
        current: d.flag(obj, "current", ptr, ALWAYS),
        official_app: d.flag(obj, "official_app", ptr, ALWAYS),
        password_pending: d.flag(obj, "password_pending", ptr, ALWAYS),
        unconfirmed: d.flag(obj, "unconfirmed", ptr, style.unconfirmed_since),
        encrypted_requests_disabled: d.flag(obj, "encrypted_requests_disabled", ptr, FLAGS_SINCE_135),
        call_requests_disabled: d.flag(obj, "call_requests_disabled", ptr, FLAGS_SINCE_135),
        api_id: d.int32(obj, "api_id", ptr),
        app_name: f(d, "app_name"),
        app_version: f(d, "app_version"),
        device_model: d.f.string(obj, "device_model", ptr, Some("device_model is empty")),
        platform: f(d, "platform"),
        system_version: f(d, "system_version"),
        ip: d.f.string(obj, "ip", ptr, Some(EMPTY_IP)),
        country: f(d, "country"),
        region: f(d, "region"),
        created: d.time(obj, "date_created", ptr, style.dates, style.tz, false),
        last_active: d.time(obj, "date_active", ptr, style.dates, style.tz, false),
        locator: shown(ptr).to_string(),
        as_written: None,
    };
    d.sessions.push(session);
    Ok(())
}

/// A bot from `account.webAuthorizations.users`.
struct Bot {
    username: Option<String>,
    is_bot: Option<bool>,
}

fn read_bots(d: &mut Dump, style: &Style, obj: &Node, ptr: &str) -> BTreeMap<i64, Bot> {
    let mut bots = BTreeMap::new();
    let Some(users) = obj.get("users") else { return bots };
    let Some(users) = users.as_array() else {
        d.f.warn(child(ptr, "users"), format!("expected an array of users, found {}; ignored", describe(users)));
        return bots;
    };
    for el in users {
        // Other user classes (`userEmpty`) carry no username.
        let Some(user) = (style.element)(el, Class::User) else { continue };
        let Some(id) = user.get("id").and_then(Node::as_i64) else { continue };
        let username = user.get("username").and_then(Node::as_str).filter(|u| !u.is_empty()).or_else(|| {
            // Collectible usernames: `usernames` lists them, the active one first.
            let list = user.get("usernames")?.as_array()?;
            list.iter()
                .filter_map(|u| (style.element)(u, Class::Username))
                .filter(|u| u.get("active").and_then(Node::as_bool) != Some(false))
                .find_map(|u| u.get("username").and_then(Node::as_str))
        });
        let is_bot = user.get("bot").and_then(Node::as_bool);
        bots.insert(id, Bot { username: username.map(str::to_string), is_bot });
    }
    bots
}

fn read_web_authorization(
    d: &mut Dump,
    style: &Style,
    obj: &Node,
    ptr: &str,
    bots: Option<&BTreeMap<i64, Bot>>,
) -> Result<(), IngestError> {
    d.note_unknown_keys(obj, ptr, WEB_AUTHORIZATION_KEYS);
    let hash = d.hash(obj, "hash", ptr, Int64::Number)?;
    let bot_id = d.f.integer(obj, "bot_id", ptr);
    let bot_username = match (bot_id, bots) {
        (Some(id), Some(bots)) => match bots.get(&id) {
            Some(Bot { is_bot: Some(false), .. }) => {
                d.f.warn(child(ptr, "bot_id"), format!("user {id} in users is not a bot; its username is not used"));
                None
            }
            Some(bot) => bot.username.clone(),
            None => {
                d.f.warn(child(ptr, "bot_id"), format!("bot {id} is not among the users; its username is unknown"));
                None
            }
        },
        _ => None,
    };
    let f = |d: &mut Dump, key: &str| d.f.string(obj, key, ptr, None);
    let web = WebSession {
        hash,
        bot_id,
        bot_username,
        domain: f(d, "domain"),
        browser: f(d, "browser"),
        platform: f(d, "platform"),
        ip: d.f.string(obj, "ip", ptr, Some(EMPTY_IP)),
        region: f(d, "region"),
        created: d.time(obj, "date_created", ptr, style.dates, style.tz, false),
        last_active: d.time(obj, "date_active", ptr, style.dates, style.tz, false),
        locator: shown(ptr).to_string(),
        as_written: None,
    };
    d.web_sessions.push(web);
    Ok(())
}

/// `account.password`: only the derived 2FA facts; SRP values and salts are not read.
fn read_password(d: &mut Dump, style: &Style, obj: &Node, ptr: &str) {
    let two_fa = TwoFa {
        has_password: d.f.boolean(obj, "has_password", ptr),
        has_recovery: d.f.boolean(obj, "has_recovery", ptr),
        email_unconfirmed_pattern: d.f.string(obj, "email_unconfirmed_pattern", ptr, None),
        pending_reset_date: d.time(obj, "pending_reset_date", ptr, style.dates, style.tz, false),
    };
    d.set_two_fa(two_fa, ptr);
}

/// Parses a TL-object dump: `classify` names each top-level object's class and unwraps it.
pub fn parse_tl_dump(
    bytes: &[u8],
    opts: &ParseOptions,
    style: &Style,
    method: Method,
    classify: fn(&Node) -> Option<(Class, &Node)>,
    expected: &str,
) -> Result<Parsed, IngestError> {
    let doc = read_json(bytes, &format!("{} dump", style.tool))?;
    let mut d = Dump::new(bytes, &doc.quirks, style.tool);
    for (ptr, item) in top_items(&doc.root) {
        match classify(item) {
            Some((class, inner)) if class != Class::User && class != Class::Username => {
                read_tl_object(&mut d, style, class, inner, &ptr)?
            }
            _ => d.unknown(&ptr, &class_name(item), expected)?,
        }
    }
    d.finish(bytes, opts, method, expected)
}
