//! The subject's declared devices: which one a session is, `device-unknown`, and
//! `known-device-new-network`.
//!
//! A session is a declared device when its model matches (case-insensitively) and so do the
//! platform and app wherever both the declaration and the session give them: a session named
//! "ThinkPad X1 Carbon" that reports Linux is not the owner's Windows laptop. Platforms are
//! compared by family ("Windows 11" is Windows), apps by Telegram's app ("Telegram Web K" is
//! "Telegram WebK").
//!
//! `known-device-new-network` compares one sighting of a declared device with the networks of
//! that same device's other sightings (its other sessions, and the same session in other
//! acquisitions) and with the VPNs the subject declared; never with the other devices' networks,
//! since a phone on a mobile network and a laptop on home broadband share none.

use super::Context;
use super::network::declared_vpn;
use super::signals::{clear, facts_of, fired, not_evaluated};
use crate::model::case_config::{Device, Subject};
use crate::model::finding::SignalResult;
use crate::model::snapshot::Session;
use std::borrow::Cow;

/// How a session compares with the declared devices.
#[derive(Debug, Clone, PartialEq)]
pub enum DeviceMatch<'a> {
    /// The session names no device.
    NoModel,
    /// No declared device has the session's model.
    UnknownModel,
    /// Declared device `index`: the model matches, and so do the platform and app where both
    /// sides give them. `unchecked` names the declared fields the session does not give.
    Declared { index: usize, device: &'a Device, unchecked: Vec<&'static str> },
    /// A declared model whose platform or app differs: (field, the session's value, the declared value).
    Differs { device: &'a Device, differences: Vec<(&'static str, String, String)> },
}

/// Lower case with single spaces.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Whether two texts are the same words, case aside (`squeeze(a) == squeeze(b)` without
/// allocating: every session is compared with every declared model several times).
fn same_words(a: &str, b: &str) -> bool {
    if !(a.is_ascii() && b.is_ascii()) {
        let lower = |w: &str| w.chars().flat_map(char::to_lowercase).collect::<String>();
        return a.split_whitespace().map(lower).eq(b.split_whitespace().map(lower));
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j, mut started) = (0, 0, false);
    loop {
        let (i0, j0) = (i, j);
        while a.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        while b.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        match (a.get(i), b.get(j)) {
            (None, None) => return true,
            // A word ends in one text where the other goes on.
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) && (!started || (i > i0) == (j > j0)) => {}
            _ => return false,
        }
        (i, j, started) = (i + 1, j + 1, true);
    }
}

/// The operating-system family a platform text names ("Windows 11" → "windows"), else the text
/// itself, squeezed.
pub fn platform_family(text: &str) -> Cow<'static, str> {
    let lower = text.to_lowercase();
    for word in lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let family = match word {
            w if w.starts_with("win") => "windows",
            "android" => "android",
            "ios" | "ipados" | "iphone" | "ipad" | "iphoneos" => "ios",
            "macos" | "mac" | "osx" | "darwin" | "macintosh" => "macos",
            "linux" | "ubuntu" | "debian" | "fedora" | "arch" | "manjaro" | "mint" | "gnu" | "opensuse" | "gentoo" => {
                "linux"
            }
            _ => continue,
        };
        return Cow::Borrowed(family);
    }
    Cow::Owned(squeeze(text))
}

/// The platform a session reports: its `platform`, else a system version that names a known family.
fn session_platform(s: &Session) -> Option<&str> {
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
    given(&s.platform).or_else(|| given(&s.system_version).filter(|v| matches!(platform_family(v), Cow::Borrowed(_))))
}

/// Whether the session's app is the declared one: the same text, the same Telegram app, or the
/// declared name followed by a version or edition ("Telegram Desktop 4.14.9 x64").
pub fn same_app(declared: &str, name: &str, version: Option<&str>) -> bool {
    let (d, n) = (squeeze(declared), squeeze(name));
    if d == n {
        return true;
    }
    let official = |name: &str, version: Option<&str>| super::apps::official_app(name, version).and_then(Result::ok);
    if let (Some(a), Some(b)) = (official(&d, None), official(&n, version)) {
        return a == b;
    }
    n.strip_prefix(&d).is_some_and(|rest| rest.starts_with(|c: char| !c.is_alphanumeric()))
}

/// Compares a session with the declared devices: the first declared device it fully matches,
/// else the differences from the first with its model.
pub fn match_device<'a>(subject: &'a Subject, s: &Session) -> DeviceMatch<'a> {
    let Some(model) = s.device_model.as_deref().filter(|m| !m.trim().is_empty()) else {
        return DeviceMatch::NoModel;
    };
    let mut first_differs = None;
    for (index, device) in subject.devices.iter().enumerate().filter(|(_, d)| same_words(&d.model, model)) {
        let mut differences = Vec::new();
        let mut unchecked = Vec::new();
        match (device.platform.as_deref(), session_platform(s)) {
            (Some(want), Some(got)) if platform_family(want) != platform_family(got) => {
                differences.push(("platform", got.to_string(), want.to_string()))
            }
            (Some(_), None) => unchecked.push("platform"),
            _ => {}
        }
        match (device.app.as_deref(), s.app_name.as_deref().filter(|a| !a.trim().is_empty())) {
            (Some(want), Some(got)) if !same_app(want, got, s.app_version.as_deref()) => {
                differences.push(("app", got.to_string(), want.to_string()))
            }
            (Some(_), None) => unchecked.push("app"),
            _ => {}
        }
        if differences.is_empty() {
            return DeviceMatch::Declared { index, device, unchecked };
        }
        first_differs.get_or_insert(DeviceMatch::Differs { device, differences });
    }
    first_differs.unwrap_or(DeviceMatch::UnknownModel)
}

/// The declared device a session is (see [`match_device`]), with its index in `[[subject.devices]]`.
pub fn declared_device<'a>(subject: &'a Subject, s: &Session) -> Option<(usize, &'a Device)> {
    match match_device(subject, s) {
        DeviceMatch::Declared { index, device, .. } => Some((index, device)),
        _ => None,
    }
}

/// A declared device in words: "ThinkPad X1 (Windows, Telegram Desktop)".
fn describe(d: &Device) -> String {
    let extra = [&d.platform, &d.app].iter().filter_map(|x| x.as_deref()).collect::<Vec<_>>().join(", ");
    if extra.is_empty() { d.model.clone() } else { format!("{} ({extra})", d.model) }
}

pub fn device_unknown(subject: &Subject, s: &Session) -> SignalResult {
    const ID: &str = "device-unknown";
    if subject.devices.is_empty() {
        return not_evaluated(ID, "no devices declared in case.toml ([[subject.devices]])");
    }
    let model = s.device_model.as_deref().unwrap_or_default();
    let declared = || subject.devices.iter().map(describe).collect::<Vec<_>>().join("; ");
    match match_device(subject, s) {
        DeviceMatch::NoModel => not_evaluated(ID, "the source gives no device name for this session"),
        DeviceMatch::Declared { device, unchecked, .. } => {
            let mut reason = format!("device {model:?} is declared as the subject's ({})", describe(device));
            if !unchecked.is_empty() {
                reason.push_str(&format!("; the source gives no {}, so it was not compared", unchecked.join(" or ")));
            }
            clear(ID, reason, &[("device_model", model.into())])
        }
        DeviceMatch::UnknownModel => fired(
            ID,
            format!("device {model:?} is not among the subject's declared devices"),
            &[("device_model", model.into()), ("declared", declared())],
        ),
        DeviceMatch::Differs { device, differences } => {
            let words = differences
                .iter()
                .map(|(field, got, want)| format!("its {field} {got:?} is not the declared {want:?}"))
                .collect::<Vec<_>>()
                .join(" and ");
            let differs = differences
                .iter()
                .map(|(field, got, want)| format!("{field}: {got} (declared: {want})"))
                .collect::<Vec<_>>()
                .join("; ");
            fired(
                ID,
                format!(
                    "device {model:?} has the model of the subject's {}, but {words}: consistent with another device using the same name",
                    device.model
                ),
                &[("device_model", model.into()), ("differs", differs), ("declared", declared())],
            )
        }
    }
}

/// Whether a session looks like a desktop client, whose session can be copied as files.
fn is_desktop(s: &Session) -> bool {
    use super::apps::App;
    let app =
        s.app_name.as_deref().and_then(|n| super::apps::official_app(n, s.app_version.as_deref())).and_then(Result::ok);
    matches!(app, Some(App::Desktop | App::Macos))
        || session_platform(s).is_some_and(|p| matches!(&*platform_family(p), "windows" | "macos" | "linux"))
}

pub fn known_device_new_network<'a>(ctx: &Context<'a>, s: &'a Session) -> SignalResult {
    const ID: &str = "known-device-new-network";
    if ctx.subject.devices.is_empty() {
        return not_evaluated(ID, "no devices declared in case.toml");
    }
    let Some((index, device)) = declared_device(ctx.subject, s) else {
        return clear(ID, "not a declared device (see device-unknown)", &[]);
    };
    let Some(f) = facts_of(ctx, &s.ip) else {
        return not_evaluated(ID, "the source gives no IP address for this session");
    };
    let Some(asn) = f.asn.as_ref().map(|a| &a.value) else {
        return not_evaluated(ID, "no network (AS) is known for this session's IP");
    };
    let network = format!("AS{} {}", asn.number, asn.organization.as_deref().unwrap_or_default()).trim().to_string();
    if let Some(vpn) = declared_vpn(ctx.subject, f) {
        return clear(ID, format!("{network} is the VPN the subject declared ({vpn:?})"), &[]);
    }
    let (seen_here, others) = ctx.device_network_seen(index, asn.number);
    if others == 0 {
        return not_evaluated(
            ID,
            format!("no other sighting of the subject's {} with a known network to compare with", device.model),
        );
    }
    if seen_here {
        return clear(ID, "a network this device was also seen from in another sighting", &[]);
    }
    // The first networks, by number, are enough to show; a case may hold thousands.
    let networks: Vec<u32> = ctx.device_networks_but(index, asn.number).take(11).collect();
    let mut list = networks.iter().take(10).map(|n| format!("AS{n}")).collect::<Vec<_>>().join(", ");
    if networks.len() > 10 {
        list.push_str(" and more");
    }
    let sightings =
        if others == 1 { "its other sighting".to_string() } else { format!("its {others} other sightings") };
    let meaning = if is_desktop(s) {
        "consistent with a copied Desktop session used from elsewhere, or with the device itself on a new network"
    } else {
        "consistent with the device on a new network (travel, another connection), or with its session used elsewhere"
    };
    fired(
        ID,
        format!(
            "the subject's {} seen from {network}, a network {sightings} did not use ({list}): {meaning}",
            device.model
        ),
        &[
            ("asn", network),
            ("device_model", device.model.clone()),
            ("device_networks", list),
            ("other_sightings", others.to_string()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::testkit::*;
    use crate::model::enrichment::FlagKind;
    use crate::model::finding::SignalStatus::{self, *};
    use crate::model::snapshot::Snapshot;

    #[test]
    fn platforms_compare_by_family() {
        for (text, family) in [
            ("Windows", "windows"),
            ("Windows 11", "windows"),
            ("win64", "windows"),
            ("macOS", "macos"),
            ("Mac OS X 14.5", "macos"),
            ("iOS", "ios"),
            ("iPadOS 17", "ios"),
            ("Android", "android"),
            ("Linux", "linux"),
            ("Linux ubuntu GNOME X11 glibc 2.39", "linux"),
            ("Ubuntu 24.04", "linux"),
            ("  Haiku  R1 ", "haiku r1"),
        ] {
            assert_eq!(platform_family(text), family, "{text}");
        }
    }

    #[test]
    fn models_compare_word_by_word_case_aside() {
        for (a, b, same) in [
            ("Pixel 8", "pixel 8", true),
            ("ThinkPad  X1 Carbon", " thinkpad x1 carbon ", true),
            ("Ноутбук Маши", "НОУТБУК маши", true),
            ("Pixel 8", "Pixel 8 Pro", false),
            ("Pixel 8", "Pixel8", false),
            ("Pixel8", "Pixel 8", false),
            ("Pixel 8 ", "Pixel 8", true),
            ("Pixel 8", "", false),
        ] {
            assert_eq!(same_words(a, b), same, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn apps_compare_by_name_or_telegram_app() {
        for (declared, name, version, same) in [
            ("Telegram Desktop", "Telegram Desktop", None, true),
            ("telegram  desktop", "Telegram Desktop", None, true),
            ("Telegram Web K", "Telegram WebK", None, true),
            ("Telegram Web K", "Telegram Web", Some("2.1.0 K"), true),
            ("Telegram Web A", "Telegram Web", Some("2.1.0 K"), false),
            ("Telegram Desktop", "Telegram Desktop 4.14.9 x64", None, true),
            ("Telegram Desktop", "Telegram Android", None, false),
            ("Telegram Android", "Nicegram", None, false),
            ("Telegram Desktop", "Telegram DesktopX", None, false),
            ("Nicegram", "Nicegram", None, true),
        ] {
            assert_eq!(same_app(declared, name, version), same, "{declared:?} vs {name:?} {version:?}");
        }
    }

    fn owner() -> Subject {
        Subject {
            devices: vec![
                device("Pixel 8", Some("Android"), Some("Telegram Android")),
                device("ThinkPad X1 Carbon", Some("Windows 11"), Some("Telegram Desktop")),
                device("Old phone", None, None),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn device_unknown_requires_the_declared_platform_and_app() {
        let s = owner();
        let cases: &[(Session, SignalStatus, &str)] = &[
            (session("ThinkPad X1 Carbon", Some("Telegram Desktop"), Some("Windows"), None, None), Clear, "declared"),
            (session("thinkpad x1  carbon", Some("Telegram Desktop"), Some("windows"), None, None), Clear, "declared"),
            (
                session("ThinkPad X1 Carbon", Some("Telegram Desktop"), Some("Linux"), None, None),
                Fired,
                "its platform \"Linux\" is not the declared \"Windows 11\"",
            ),
            (session("ThinkPad X1 Carbon", Some("Telegram Desktop"), Some("macOS"), None, None), Fired, "platform"),
            (
                session("ThinkPad X1 Carbon", Some("Telegram Web"), Some("Windows"), None, None),
                Fired,
                "its app \"Telegram Web\" is not the declared \"Telegram Desktop\"",
            ),
            (
                session("Pixel 8", Some("Nicegram"), Some("iOS"), None, None),
                Fired,
                "platform \"iOS\" is not the declared \"Android\" and its app \"Nicegram\"",
            ),
            // What the source does not give is not compared, and the reason says so.
            (session("Pixel 8", Some("Telegram Android"), None, None, None), Clear, "gives no platform"),
            (session("Pixel 8", None, None, None, None), Clear, "no platform or app, so it was not compared"),
            // A declaration without platform or app matches on the model alone.
            (session("Old phone", Some("Nicegram"), Some("iOS"), None, None), Clear, "declared"),
            (session("DESKTOP-7Q2K9LM", Some("Telegram Desktop"), Some("Windows"), None, None), Fired, "not among"),
            (Session::unknown("/x"), NotEvaluated, "no device name"),
        ];
        for (sess, status, words) in cases {
            let r = device_unknown(&s, sess);
            assert_eq!(r.status, *status, "{:?}: {}", sess.device_model, r.reason);
            assert!(r.reason.contains(words), "{:?}: {}", sess.device_model, r.reason);
        }
        let differs = device_unknown(&s, &cases[2].0);
        assert_eq!(differs.facts.get("differs"), Some("platform: Linux (declared: Windows 11)"));
        assert!(differs.facts.get("declared").unwrap().contains("ThinkPad X1 Carbon (Windows 11, Telegram Desktop)"));
        let none = device_unknown(&Subject::default(), &cases[0].0);
        assert_eq!(none.status, NotEvaluated);
    }

    #[test]
    fn a_second_declaration_of_the_same_model_can_match() {
        let s = Subject {
            devices: vec![
                device("iPhone", Some("iOS"), Some("Telegram iOS")),
                device("iPhone", Some("iOS"), Some("Nicegram")),
            ],
            ..Default::default()
        };
        let nicegram = session("iPhone", Some("Nicegram"), Some("iOS"), None, None);
        assert!(matches!(match_device(&s, &nicegram), DeviceMatch::Declared { index: 1, .. }));
        assert_eq!(device_unknown(&s, &nicegram).status, Clear);
    }

    /// (status, words in the reason) of `known-device-new-network` for each session of `snaps`.
    fn judge(
        subject: &Subject,
        snaps: &[Snapshot],
        ips: Vec<crate::model::enrichment::IpFacts>,
    ) -> Vec<(SignalStatus, String)> {
        let e = enrichment(ips);
        let refs: Vec<&Snapshot> = snaps.iter().collect();
        let ctx = Context::new(subject, &refs, &e);
        refs.iter()
            .flat_map(|s| s.sessions.iter())
            .map(|s| {
                let r = known_device_new_network(&ctx, s);
                (r.status, r.reason.into_owned())
            })
            .collect()
    }

    fn home() -> crate::model::enrichment::IpFacts {
        public("93.220.41.17", 3320, "Deutsche Telekom AG", Some("DE"), &[])
    }
    fn mobile() -> crate::model::enrichment::IpFacts {
        public("92.72.1.1", 3209, "Vodafone GmbH", Some("DE"), &[])
    }
    fn elsewhere() -> crate::model::enrichment::IpFacts {
        public("185.220.101.4", 60729, "Stiftung Erneuerbare Freiheit", Some("DE"), &[(FlagKind::Tor, "t", false)])
    }
    fn laptop(ip: &str) -> Session {
        session("ThinkPad X1 Carbon", Some("Telegram Desktop"), Some("Windows"), Some(ip), Some("Germany"))
    }
    fn phone(ip: &str) -> Session {
        session("Pixel 8", Some("Telegram Android"), Some("Android"), Some(ip), Some("Germany"))
    }

    #[test]
    fn each_device_is_compared_with_its_own_other_sightings() {
        let s = Subject { vpn_providers: vec!["Mullvad".into()], ..owner() };
        let all = || {
            vec![
                home(),
                mobile(),
                elsewhere(),
                public("193.32.249.1", 39351, "31173 Services AB (Mullvad)", Some("SE"), &[]),
            ]
        };
        // The reported case: a phone on mobile data and a laptop at home, one row each. No device
        // has another sighting, so nothing is compared (it used to fire on both).
        let r = judge(&s, &[snapshot(vec![phone("92.72.1.1"), laptop("93.220.41.17")])], all());
        assert_eq!(r.iter().map(|(st, _)| *st).collect::<Vec<_>>(), [NotEvaluated, NotEvaluated]);
        assert!(r[1].1.contains("no other sighting of the subject's ThinkPad X1 Carbon"), "{}", r[1].1);

        // The same laptop session in two acquisitions, on the same network: clear.
        let r = judge(&s, &[snapshot(vec![laptop("93.220.41.17")]), snapshot(vec![laptop("93.220.41.17")])], all());
        assert_eq!((r[0].0, r[1].0), (Clear, Clear));

        // The laptop seen at home twice and once from a Tor operator's network: only that sighting fires,
        // worded for a Desktop app; the phone's networks do not count for the laptop.
        let r = judge(
            &s,
            &[
                snapshot(vec![laptop("93.220.41.17"), phone("92.72.1.1")]),
                snapshot(vec![laptop("93.220.41.17"), phone("92.72.1.1")]),
                snapshot(vec![laptop("185.220.101.4"), phone("93.220.41.17")]),
            ],
            all(),
        );
        let statuses: Vec<SignalStatus> = r.iter().map(|(st, _)| *st).collect();
        assert_eq!(statuses, [Clear, Clear, Clear, Clear, Fired, Fired]);
        assert!(
            r[4].1.contains("the subject's ThinkPad X1 Carbon seen from AS60729 Stiftung Erneuerbare Freiheit"),
            "{}",
            r[4].1
        );
        assert!(r[4].1.contains("its 2 other sightings did not use (AS3320)"), "{}", r[4].1);
        assert!(r[4].1.contains("consistent with a copied Desktop session"), "{}", r[4].1);
        // The phone at home for the first time: a new network for the phone, worded for a phone.
        assert!(r[5].1.contains("Pixel 8 seen from AS3320") && r[5].1.contains("(AS3209)"), "{}", r[5].1);
        assert!(!r[5].1.contains("Desktop") && r[5].1.contains("travel"), "{}", r[5].1);

        // The subject's declared VPN is a network the subject uses, whatever the sightings.
        let r = judge(&s, &[snapshot(vec![laptop("193.32.249.1")])], all());
        assert_eq!(r[0].0, Clear);
        assert!(r[0].1.contains("declared (\"Mullvad\")"), "{}", r[0].1);
    }

    #[test]
    fn what_cannot_be_compared_is_not_evaluated() {
        let s = owner();
        let snaps = [
            snapshot(vec![laptop("93.220.41.17")]),
            snapshot(vec![
                // No IP; an IP without a known network; a look-alike on Linux; an unknown device.
                session("ThinkPad X1 Carbon", Some("Telegram Desktop"), Some("Windows"), None, Some("Germany")),
                laptop("198.51.100.7"),
                session("ThinkPad X1 Carbon", Some("Telegram Desktop"), Some("Linux"), Some("92.72.1.1"), None),
                session("DESKTOP-1", Some("Telegram Desktop"), Some("Windows"), Some("92.72.1.1"), None),
            ]),
        ];
        let unknown_network =
            crate::model::enrichment::IpFacts { asn: None, ..public("198.51.100.7", 0, "", None, &[]) };
        let r = judge(&s, &snaps, vec![home(), mobile(), unknown_network]);
        let statuses: Vec<SignalStatus> = r.iter().map(|(st, _)| *st).collect();
        // The look-alike on Linux is not the laptop: it neither fires here nor counts as a sighting.
        assert_eq!(statuses, [NotEvaluated, NotEvaluated, NotEvaluated, Clear, Clear]);
        assert!(r[1].1.contains("no IP address"), "{}", r[1].1);
        assert!(r[2].1.contains("no network (AS)"), "{}", r[2].1);
        assert_eq!(judge(&Subject::default(), &snaps[..1], vec![home()])[0].0, NotEvaluated);
    }
}
