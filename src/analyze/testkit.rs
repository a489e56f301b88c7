//! Test data for the signals: sessions, snapshots and hand-made enrichment, so each signal's
//! unit tests state exactly the facts they judge.

use crate::model::case_config::Device;
use crate::model::enrichment::{AddressClass, Asn, Enrichment, Flag, FlagKind, IpFacts, Sourced};
use crate::model::snapshot::{Session, Snapshot};
use std::collections::BTreeMap;

/// A session of `device` with its app, platform, IP and Telegram's country name.
pub fn session(
    device: &str,
    app: Option<&str>,
    platform: Option<&str>,
    ip: Option<&str>,
    country: Option<&str>,
) -> Session {
    Session {
        device_model: Some(device.into()),
        app_name: app.map(str::to_string),
        platform: platform.map(str::to_string),
        ip: ip.map(str::to_string),
        country: country.map(str::to_string),
        ..Session::unknown(format!("/{device}"))
    }
}

/// A declared device.
pub fn device(model: &str, platform: Option<&str>, app: Option<&str>) -> Device {
    Device { model: model.into(), platform: platform.map(str::to_string), app: app.map(str::to_string) }
}

/// One acquisition holding `sessions`.
pub fn snapshot(sessions: Vec<Session>) -> Snapshot {
    crate::model::snapshot::test_snapshot(sessions)
}

/// The facts of a public address in AS `asn`, geolocated in `country`, with `flags` as
/// (kind, source, or-data-centre).
pub fn public(ip: &str, asn: u32, org: &str, country: Option<&str>, flags: &[(FlagKind, &str, bool)]) -> IpFacts {
    IpFacts {
        ip: ip.into(),
        normalized: Some(ip.into()),
        class: Some(AddressClass::Public),
        asn: Some(Sourced { value: Asn { number: asn, organization: Some(org.into()) }, source: "test-asn".into() }),
        country: country.map(|c| Sourced { value: c.into(), source: "test-country".into() }),
        place: None,
        isp: None,
        flags: flags
            .iter()
            .map(|&(kind, source, or_data_centre)| Flag {
                kind,
                source: source.into(),
                detail: format!("{source} says {kind:?}"),
                or_data_centre,
            })
            .collect(),
        notes: vec![],
    }
}

/// An enrichment of exactly these addresses.
pub fn enrichment(ips: Vec<IpFacts>) -> Enrichment {
    Enrichment {
        sources: vec![],
        missing_layers: vec![],
        warnings: vec![],
        ips: ips.into_iter().map(|f| (f.ip.clone(), f)).collect::<BTreeMap<_, _>>(),
    }
}
