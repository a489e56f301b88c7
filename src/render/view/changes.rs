//! Changes between acquisitions: sessions that appeared, vanished or came back from one
//! acquisition to the next in capture order, how each was matched, and what cannot be compared.

use super::Ctx;
use super::format::{capture_text, safe};
use super::sessions::basis_label;
use crate::model::capture::Capture;
use crate::model::change::{Change, ChangeKind, Diff, SessionRef, Unprovable};
use crate::model::view::{ChangePair, ChangeRow, Changes};
use crate::render::i18n::Catalogue;
use std::collections::BTreeMap;

pub(super) fn build(ctx: &Ctx, numbers: &BTreeMap<(usize, usize), usize>) -> Changes {
    let c = ctx.c;
    if ctx.input.snapshots.len() < 2 {
        return Changes { intro: c.t("changes.only_one"), pairs: Vec::new() };
    }
    Changes { intro: c.t("changes.intro"), pairs: ctx.input.changes.iter().map(|d| pair(ctx, d, numbers)).collect() }
}

fn pair(ctx: &Ctx, d: &Diff, numbers: &BTreeMap<(usize, usize), usize>) -> ChangePair {
    let c = ctx.c;
    let describe = |n: usize| {
        let Some(item) = ctx.input.snapshots.get(n.wrapping_sub(1)) else { return n.to_string() };
        let s = &item.snapshot;
        let when = capture_text(c, &Capture::of(s).text());
        c.tf("changes.acquisition", &[("n", &n.to_string()), ("method", s.method.as_str()), ("when", &when)])
    };
    let rows =
        d.changes.iter().filter(|ch| ch.kind != ChangeKind::Stayed).map(|ch| change_row(c, d, ch, numbers)).collect();
    let stayed = d.changes.iter().filter(|ch| ch.kind == ChangeKind::Stayed).count();
    ChangePair {
        heading: c.tf("changes.pair", &[("from", &describe(d.from)), ("to", &describe(d.to))]),
        rows,
        stayed: c.tn("changes.stayed", stayed, &[]),
        order_unknown: d.order_unknown.as_ref().map(|o| {
            c.tf(
                "capture.order_unknown",
                &[
                    ("a", &o.first.0.to_string()),
                    ("a_when", &capture_text(c, &o.first.1)),
                    ("b", &o.second.0.to_string()),
                    ("b_when", &capture_text(c, &o.second.1)),
                ],
            )
        }),
        not_comparable: d
            .not_comparable
            .iter()
            .map(|nc| ChangeRow {
                kind: "not-comparable".into(),
                kind_label: c.t("changes.kind_not_comparable"),
                number: number_of(numbers, &nc.session),
                session: safe(c, &nc.session.label, 200),
                location: location(c, &nc.session),
                explanation: unprovable(c, &nc.why),
            })
            .collect(),
    }
}

fn change_row(c: &Catalogue, d: &Diff, ch: &Change, numbers: &BTreeMap<(usize, usize), usize>) -> ChangeRow {
    let (kind, label) = match ch.kind {
        ChangeKind::Appeared => ("appeared", "changes.kind_appeared"),
        ChangeKind::Vanished => ("vanished", "changes.kind_vanished"),
        ChangeKind::Reappeared => ("reappeared", "changes.kind_reappeared"),
        ChangeKind::Stayed => ("stayed", "changes.kind_stayed"),
    };
    let from = d.from.to_string();
    let to = d.to.to_string();
    let mut explanation = match ch.kind {
        ChangeKind::Appeared => c.tf("changes.explain_appeared", &[("from", &from)]),
        ChangeKind::Vanished => c.tf("changes.explain_vanished", &[("to", &to)]),
        ChangeKind::Reappeared | ChangeKind::Stayed => {
            let seen = ch.matched.as_ref().map(|m| location(c, m)).unwrap_or_default();
            let basis = ch.basis.map(|b| basis_label(c, b)).unwrap_or_default();
            let key =
                if ch.kind == ChangeKind::Reappeared { "changes.explain_reappeared" } else { "changes.explain_stayed" };
            c.tf(key, &[("seen", &seen), ("from", &from), ("basis", &basis)])
        }
    };
    if let Some(via) = ch.linked_through {
        explanation.push_str(&c.tf("changes.linked_through", &[("n", &via.to_string())]));
    }
    ChangeRow {
        kind: kind.into(),
        kind_label: c.t(label),
        number: number_of(numbers, &ch.session),
        session: safe(c, &ch.session.label, 200),
        location: location(c, &ch.session),
        explanation,
    }
}

fn number_of(numbers: &BTreeMap<(usize, usize), usize>, r: &SessionRef) -> Option<usize> {
    numbers.get(&(r.acquisition, r.session_index)).copied()
}

/// "acquisition 2 /authorizations/3".
fn location(c: &Catalogue, r: &SessionRef) -> String {
    c.tf("sessions.source", &[("n", &r.acquisition.to_string()), ("locator", &safe(c, &r.locator, 200))])
}

fn unprovable(c: &Catalogue, why: &Unprovable) -> String {
    match why {
        Unprovable::NoIdentity => c.t("changes.unprovable_no_identity"),
        Unprovable::EmptyList { acquisition } => c.tf("changes.unprovable_empty", &[("n", &acquisition.to_string())]),
        Unprovable::OtherAccount { acquisition } => {
            c.tf("changes.unprovable_other_account", &[("n", &acquisition.to_string())])
        }
        Unprovable::CannotTellApart { acquisition, locator } => c.tf(
            "changes.unprovable_cannot_tell_apart",
            &[("n", &acquisition.to_string()), ("locator", &safe(c, locator, 200))],
        ),
        Unprovable::CaptureOrderUnknown { from, to } => {
            c.tf("changes.unprovable_order_unknown", &[("from", &from.to_string()), ("to", &to.to_string())])
        }
    }
}
