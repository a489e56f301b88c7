//! What changed between acquisitions: sessions that appeared, vanished, stayed or came back,
//! and the sightings the `reappeared` signal rests on. Pure: snapshots in, changes out.
//!
//! Sessions are matched once over the whole case with the shared rule of
//! [`crate::model::identity`] (session hash, else created time + app + device), so a session is
//! the same session here as in the report's session table.
//!
//! # When absence is evidence
//!
//! A session missing from an acquisition is called *vanished* (and, when it comes back later,
//! *reappeared*) only if that acquisition **could have shown it**: it lists at least one session,
//! and every session it lists can be told apart from the missing one on an exact key both carry —
//! the same kind of key with a different value. The exact keys are Telegram's session hash and a
//! created time known to the second (with the device). So:
//!
//! - a screenshot transcription without created times, or any list holding even one session
//!   with neither key, proves no absence: that unkeyed entry could be the missing session;
//! - a list of hashes only (some CSVs) proves nothing about a session known only by its created
//!   time (Desktop exports), and the other way round;
//! - a created time read off a screen to the minute or day ("Tue") is not exact;
//! - an empty list proves nothing: every real session list shows at least the session that made it;
//! - a list of another account (its user id differs from that of an acquisition that listed the
//!   session) proves nothing. Only the user id counts: it never changes, while a takeover may
//!   change the phone number or username.
//!
//! Such sessions are listed as *not comparable* with the reason, never as appeared or vanished.
//! The same rule, read the other way, decides *appeared*. Web ("Log in with Telegram") sessions are
//! not compared: the shared identity rule covers app sessions only.

use crate::model::capture::{self, Capture};
use crate::model::identity::{SessionKey, group_sessions, session_keys};
use crate::model::snapshot::{Session, Snapshot};
use serde::Serialize;

// The change types live in `model`, where the report reads them; re-exported for callers here.
pub use crate::model::change::{Change, ChangeKind, Diff, NotComparable, SessionRef, Unprovable};

/// A session back in an acquisition after at least one acquisition that could have shown it did not.
/// Unlike [`SessionRef`], every acquisition here is a **0-based index** into the snapshots given,
/// like `session_index`, so `snapshots[acquisition].sessions[session_index]` is the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reappearance {
    /// The acquisition it is back in (0-based index).
    pub acquisition: usize,
    /// Its 0-based index into that acquisition's sessions.
    pub session_index: usize,
    /// Every earlier acquisition (0-based indexes, in acquisition order) that listed it.
    pub seen_in: Vec<usize>,
    /// The acquisitions (0-based indexes) since its last sighting that could have shown it and did not.
    pub absent_in: Vec<usize>,
    /// How it was matched with its last sighting.
    pub basis: &'static str,
}

/// Capture order, as 0-based indexes ([`crate::model::capture::order`]): by the stated capture
/// time, else by the earliest the list can have been captured; ties by import order. Where two
/// lists' capture times overlap, the order between them is a guess, and [`diff`] and
/// [`reappeared`] claim nothing that rests on it.
pub fn order(snapshots: &[&Snapshot]) -> Vec<usize> {
    capture::order(snapshots)
}

/// The changes from `snapshots[from]` to `snapshots[to]` (0-based). A session missing from `from`
/// and seen in an acquisition certainly captured before it is `Reappeared` when `to` was
/// certainly captured after `from`. When which of the two was captured first is not known, no
/// session appeared, vanished or reappeared between them: each one-sided session is not
/// comparable, and `order_unknown` says why. Panics if an index is out of range.
pub fn diff(snapshots: &[&Snapshot], from: usize, to: usize) -> Diff {
    let x = Sightings::new(snapshots);
    let captures: Vec<Capture> = snapshots.iter().map(|s| Capture::of(s)).collect();
    let before = |a: usize, b: usize| captures[a].before(&captures[b]);
    let order_unknown = capture::order_unknown(snapshots, from, to);
    let mut changes = Vec::new();
    let mut not_comparable = Vec::new();
    let unordered = || Unprovable::CaptureOrderUnknown { from: from + 1, to: to + 1 };
    for g in 0..x.groups.len() {
        let in_from = x.members_in(g, from);
        let in_to = x.members_in(g, to);
        match (in_from.first(), in_to.first()) {
            (Some(&f), Some(&t)) => {
                let (basis, via) = x.link(&in_from, &in_to, g);
                changes.push(Change {
                    kind: ChangeKind::Stayed,
                    session: x.session_ref(t),
                    matched: Some(x.session_ref(f)),
                    basis,
                    linked_through: via,
                });
            }
            (None, Some(&t)) if order_unknown.is_some() => {
                not_comparable.push(NotComparable { session: x.session_ref(t), why: unordered() })
            }
            (Some(&f), None) if order_unknown.is_some() => {
                not_comparable.push(NotComparable { session: x.session_ref(f), why: unordered() })
            }
            (None, Some(&t)) => match x.could_show(from, g) {
                Err(why) => not_comparable.push(NotComparable { session: x.session_ref(t), why }),
                Ok(()) => {
                    let forward = before(from, to);
                    let earlier = (0..snapshots.len())
                        .filter(|&e| forward && before(e, from) && !x.members_in(g, e).is_empty())
                        .max_by_key(|&e| (captures[e].latest(), e));
                    let change = match earlier {
                        Some(e) => {
                            let seen = x.members_in(g, e);
                            let (basis, via) = x.link(&seen, &in_to, g);
                            Change {
                                kind: ChangeKind::Reappeared,
                                session: x.session_ref(t),
                                matched: Some(x.session_ref(seen[0])),
                                basis,
                                linked_through: via,
                            }
                        }
                        None => Change {
                            kind: ChangeKind::Appeared,
                            session: x.session_ref(t),
                            matched: None,
                            basis: None,
                            linked_through: None,
                        },
                    };
                    changes.push(change);
                }
            },
            (Some(&f), None) => match x.could_show(to, g) {
                Err(why) => not_comparable.push(NotComparable { session: x.session_ref(f), why }),
                Ok(()) => changes.push(Change {
                    kind: ChangeKind::Vanished,
                    session: x.session_ref(f),
                    matched: None,
                    basis: None,
                    linked_through: None,
                }),
            },
            (None, None) => {}
        }
    }
    changes.sort_by_key(|c| (c.kind, c.session.acquisition, c.session.session_index));
    not_comparable.sort_by_key(|n| (n.session.acquisition != from + 1, n.session.session_index));
    Diff { from: from + 1, to: to + 1, changes, not_comparable, order_unknown }
}

/// Sessions that were present in an earlier acquisition, absent from a later one that could have
/// shown them, and present again after — the pattern of a login being repeated after termination.
/// Each step must be certain: every acquisition involved certainly captured after the one before.
/// One entry per return, in capture order.
pub fn reappeared(snapshots: &[&Snapshot]) -> Vec<Reappearance> {
    let captures: Vec<Capture> = snapshots.iter().map(|s| Capture::of(s)).collect();
    returns(snapshots, |a, b| captures[a].before(&captures[b]))
}

/// The returns [`reappeared`] would report if the guessed [`order`] were certain, but does not,
/// because one of their steps rests on two acquisitions whose capture times overlap.
pub fn reappeared_if_ordered(snapshots: &[&Snapshot]) -> Vec<Reappearance> {
    let pos = positions(snapshots);
    let certain = reappeared(snapshots);
    returns(snapshots, |a, b| pos[a] < pos[b])
        .into_iter()
        .filter(|r| !certain.iter().any(|c| (c.acquisition, c.session_index) == (r.acquisition, r.session_index)))
        .collect()
}

/// Seen, provably absent, seen again, with `before(a, b)` saying whether `a` came before `b`.
fn returns(snapshots: &[&Snapshot], before: impl Fn(usize, usize) -> bool) -> Vec<Reappearance> {
    // Seen, provably absent, seen again: it takes three acquisitions.
    if snapshots.len() < 3 {
        return Vec::new();
    }
    let x = Sightings::new(snapshots);
    let order = order(snapshots);
    let mut out = Vec::new();
    for g in 0..x.groups.len() {
        let sightings: Vec<usize> = order.iter().copied().filter(|&a| !x.members_in(g, a).is_empty()).collect();
        let absences: Vec<usize> =
            order.iter().copied().filter(|&a| x.members_in(g, a).is_empty() && x.could_show(a, g).is_ok()).collect();
        for (p, &c) in order.iter().enumerate() {
            let here = x.members_in(g, c);
            let Some(&first) = here.first() else { continue };
            // Absent since its last sighting: after a sighting, before this one, and with no
            // sighting in between.
            let absent_in: Vec<usize> = absences
                .iter()
                .copied()
                .filter(|&b| before(b, c) && sightings.iter().any(|&a| before(a, b)))
                .filter(|&b| !sightings.iter().any(|&s| s != c && before(b, s) && before(s, c)))
                .collect();
            if absent_in.is_empty() {
                continue;
            }
            let seen_in: Vec<usize> = sightings.iter().copied().filter(|&a| before(a, c)).collect();
            let last = sightings
                .iter()
                .copied()
                .filter(|&a| absent_in.iter().any(|&b| before(a, b)))
                .last()
                .expect("an absence counts only after a sighting");
            let (basis, _) = x.link(&x.members_in(g, last), &here, g);
            out.push((
                p,
                Reappearance {
                    acquisition: c,
                    session_index: x.obs[first].1,
                    seen_in,
                    absent_in,
                    basis: basis.expect("a session seen twice has a match basis"),
                },
            ));
        }
    }
    out.sort_by_key(|(p, r)| (*p, r.session_index));
    out.into_iter().map(|(_, r)| r).collect()
}

/// "app version · device · ip", with "—" for what the source did not carry.
pub fn label(s: &Session) -> String {
    let app = [&s.app_name, &s.app_version].iter().filter_map(|x| x.as_deref()).collect::<Vec<_>>().join(" ");
    let part = |v: Option<&str>| v.filter(|v| !v.trim().is_empty()).unwrap_or("—").to_string();
    format!("{} · {} · {}", part(Some(&app)), part(s.device_model.as_deref()), part(s.ip.as_deref()))
}

/// Each snapshot's position in [`order`].
fn positions(snapshots: &[&Snapshot]) -> Vec<usize> {
    let mut pos = vec![0; snapshots.len()];
    for (p, i) in order(snapshots).into_iter().enumerate() {
        pos[i] = p;
    }
    pos
}

/// The exact key kinds a session or a group carries: what can prove two sessions different.
#[derive(Debug, Clone, Copy, Default)]
struct Kinds {
    hash: bool,
    created: bool,
}

impl Kinds {
    fn of(s: &Session, keys: &[SessionKey]) -> Kinds {
        let exact_time = s.created.as_ref().is_some_and(|t| t.precision.is_none());
        Kinds {
            hash: keys.iter().any(|k| matches!(k, SessionKey::Hash(_))),
            created: exact_time && keys.iter().any(|k| matches!(k, SessionKey::CreatedAppDevice { .. })),
        }
    }

    fn any(self) -> bool {
        self.hash || self.created
    }

    fn union(self, o: Kinds) -> Kinds {
        Kinds { hash: self.hash || o.hash, created: self.created || o.created }
    }

    fn shares(self, o: Kinds) -> bool {
        (self.hash && o.hash) || (self.created && o.created)
    }
}

/// Every session of every acquisition, grouped into sessions by the shared identity rule.
struct Sightings<'a> {
    snapshots: &'a [&'a Snapshot],
    /// (snapshot, session index) per observation.
    obs: Vec<(usize, usize)>,
    keys: Vec<Vec<SessionKey>>,
    group_of: Vec<usize>,
    /// Members (observation indexes, in order) and the group's basis.
    groups: Vec<(Vec<usize>, Option<&'static str>)>,
    kinds: Vec<Kinds>,
}

impl<'a> Sightings<'a> {
    fn new(snapshots: &'a [&'a Snapshot]) -> Sightings<'a> {
        let obs: Vec<(usize, usize)> =
            snapshots.iter().enumerate().flat_map(|(a, s)| (0..s.sessions.len()).map(move |i| (a, i))).collect();
        let sessions: Vec<&Session> = obs.iter().map(|&(a, i)| &snapshots[a].sessions[i]).collect();
        let keys: Vec<Vec<SessionKey>> = sessions.iter().map(|s| session_keys(s)).collect();
        let groups = group_sessions(&sessions);
        let mut group_of = vec![0; obs.len()];
        let mut kinds = vec![Kinds::default(); groups.len()];
        for (g, (members, _)) in groups.iter().enumerate() {
            for &m in members {
                group_of[m] = g;
                kinds[g] = kinds[g].union(Kinds::of(sessions[m], &keys[m]));
            }
        }
        Sightings { snapshots, obs, keys, group_of, groups, kinds }
    }

    fn members_in(&self, g: usize, acquisition: usize) -> Vec<usize> {
        self.groups[g].0.iter().copied().filter(|&m| self.obs[m].0 == acquisition).collect()
    }

    fn session_ref(&self, m: usize) -> SessionRef {
        let (a, i) = self.obs[m];
        let s = &self.snapshots[a].sessions[i];
        SessionRef {
            acquisition: a + 1,
            session_index: i,
            locator: s.locator.clone(),
            label: label(s),
            current: s.current == Some(true),
        }
    }

    /// Whether acquisition `a` could have shown session group `g` (see the module doc).
    fn could_show(&self, a: usize, g: usize) -> Result<(), Unprovable> {
        if !self.kinds[g].any() {
            return Err(Unprovable::NoIdentity);
        }
        let user = |i: usize| self.snapshots[i].account.user_id;
        if let Some(u) = user(a)
            && self.groups[g].0.iter().any(|&m| user(self.obs[m].0).is_some_and(|v| v != u))
        {
            return Err(Unprovable::OtherAccount { acquisition: a + 1 });
        }
        if self.snapshots[a].sessions.is_empty() {
            return Err(Unprovable::EmptyList { acquisition: a + 1 });
        }
        let blocking = (0..self.obs.len())
            .filter(|&m| self.obs[m].0 == a)
            .find(|&m| !self.kinds[self.group_of[m]].shares(self.kinds[g]));
        match blocking {
            Some(m) => Err(Unprovable::CannotTellApart {
                acquisition: a + 1,
                locator: self.snapshots[a].sessions[self.obs[m].1].locator.clone(),
            }),
            None => Ok(()),
        }
    }

    /// The strongest key two observations share, if any.
    fn common(&self, x: usize, y: usize) -> Option<&SessionKey> {
        self.keys[x].iter().filter(|k| self.keys[y].contains(k)).min_by_key(|k| strength(k))
    }

    /// Why observations `a` and `b` of group `g` are one session: the strongest key a pair of
    /// them shares; else the weaker link through one observation in a third acquisition; else
    /// the group's own basis (a longer chain).
    fn link(&self, a: &[usize], b: &[usize], g: usize) -> (Option<&'static str>, Option<usize>) {
        let pairs = |xs: &[usize], ys: &[usize]| {
            xs.iter().flat_map(|&x| ys.iter().filter_map(move |&y| self.common(x, y))).min_by_key(|k| strength(k))
        };
        if let Some(k) = pairs(a, b) {
            return (Some(k.basis()), None);
        }
        let through = self.groups[g]
            .0
            .iter()
            .filter(|c| !a.contains(c) && !b.contains(c))
            .filter_map(|&c| {
                let (ka, kb) = (pairs(a, &[c])?, pairs(&[c], b)?);
                let weaker = if strength(ka) >= strength(kb) { ka } else { kb };
                Some((strength(weaker), self.obs[c].0, weaker.basis()))
            })
            .min();
        match through {
            Some((_, via, basis)) => (Some(basis), Some(via + 1)),
            None => (self.groups[g].1, None),
        }
    }
}

/// Lower is stronger: Telegram's own hash beats a created-time match.
fn strength(k: &SessionKey) -> u8 {
    match k {
        SessionKey::Hash(_) => 0,
        SessionKey::CreatedAppDevice { .. } => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::capture::{Bound, CaptureWindow};
    use crate::model::snapshot::{Precision, Time, TimeBasis};

    /// A session: device name (also its identity in the assertions), hash, created time, app version.
    fn s(device: &str, hash: Option<i64>, created: Option<&str>) -> Session {
        Session {
            hash,
            app_name: Some("Telegram Desktop".into()),
            app_version: Some("5.1".into()),
            device_model: Some(device.into()),
            ip: Some("192.0.2.1".into()),
            created: created.map(|c| Time {
                utc: Some(c.into()),
                original: c.into(),
                basis: TimeBasis::Unix,
                precision: None,
            }),
            ..Session::unknown(format!("/{device}"))
        }
    }

    fn snap(acquired_at: &str, captured_at: Option<&str>, sessions: Vec<Session>) -> Snapshot {
        let mut s = crate::model::snapshot::test_snapshot(sessions);
        s.acquired_at = acquired_at.into();
        s.captured_at = captured_at.map(|c| Time {
            utc: Some(c.into()),
            original: c.into(),
            basis: TimeBasis::Offset,
            precision: None,
        });
        s
    }

    /// Snapshots acquired a day apart, in import order.
    /// Snapshots captured (as their sources state) and imported a day apart, in import order.
    fn daily(lists: Vec<Vec<Session>>) -> Vec<Snapshot> {
        lists
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let at = format!("2026-11-{:02}T12:00:00Z", 20 + i);
                snap(&at, Some(&at), l)
            })
            .collect()
    }

    fn device(r: &SessionRef) -> &str {
        r.label.split(" · ").nth(1).unwrap()
    }

    /// "kind device (basis)" per change, then "not-comparable device: reason".
    fn summary(d: &Diff) -> Vec<String> {
        let changes = d.changes.iter().map(|c| {
            let kind = serde_json::to_value(c.kind).unwrap();
            let via = c.linked_through.map(|v| format!(" via {v}")).unwrap_or_default();
            match c.basis {
                Some(b) => format!("{} {} ({b}{via})", kind.as_str().unwrap(), device(&c.session)),
                None => format!("{} {}", kind.as_str().unwrap(), device(&c.session)),
            }
        });
        let nc = d.not_comparable.iter().map(|n| {
            let why = serde_json::to_value(&n.why).unwrap();
            format!("not-comparable {}: {}", device(&n.session), why["reason"].as_str().unwrap())
        });
        changes.chain(nc).collect()
    }

    /// The session lists of the acquisitions, in import order.
    type Lists = Vec<Vec<Session>>;
    /// (acquisition, session index, seen in, absent from) of a reappearance.
    type Reappears = (usize, usize, Vec<usize>, Vec<usize>);

    const T1: &str = "2026-01-01T10:00:00Z";
    const T2: &str = "2026-02-02T10:00:00Z";
    const T3: &str = "2026-03-03T10:00:00Z";
    const HASH: &str = "same session hash";
    const CAD: &str = "same created time, app and device";

    #[test]
    fn changes_between_acquisitions() {
        let keyless = || s("Phone", None, None);
        let cases: Vec<(&str, Lists, usize, usize, Vec<String>)> = vec![
            (
                "appeared, vanished, stayed",
                vec![
                    vec![s("PC", Some(1), Some(T1)), s("Old", Some(2), Some(T2))],
                    vec![s("PC", Some(1), Some(T1)), s("New", Some(3), Some(T3))],
                ],
                0,
                1,
                vec!["appeared New".into(), "vanished Old".into(), format!("stayed PC ({HASH})")],
            ),
            (
                "without hashes, created time + app + device match",
                vec![vec![s("PC", None, Some(T1))], vec![s("pc", None, Some(T1)), s("PC", None, Some(T2))]],
                0,
                1,
                vec!["appeared PC".into(), format!("stayed pc ({CAD})")],
            ),
            (
                "reappeared across three acquisitions",
                vec![
                    vec![s("PC", Some(1), Some(T1)), s("Rogue", Some(9), Some(T2))],
                    vec![s("PC", Some(1), Some(T1))],
                    vec![s("PC", Some(1), Some(T1)), s("Rogue", Some(9), Some(T2))],
                ],
                1,
                2,
                vec![format!("reappeared Rogue ({HASH})"), format!("stayed PC ({HASH})")],
            ),
            (
                "hash match beats created-time match: an app update changes the created-time key",
                vec![
                    vec![s("PC", Some(1), Some(T1))],
                    vec![{
                        let mut x = s("PC", Some(1), Some(T1));
                        x.app_version = Some("5.2".into());
                        x
                    }],
                ],
                0,
                1,
                vec![format!("stayed PC ({HASH})")],
            ),
            (
                "a hash-only list and a created-time-only list prove nothing about each other",
                vec![vec![s("PC", Some(1), None)], vec![s("Mac", None, Some(T1))]],
                0,
                1,
                vec!["not-comparable PC: cannot-tell-apart".into(), "not-comparable Mac: cannot-tell-apart".into()],
            ),
            (
                "a list without keys (transcription) never makes anything vanish or appear",
                vec![vec![s("PC", Some(1), Some(T1))], vec![keyless()]],
                0,
                1,
                vec!["not-comparable PC: cannot-tell-apart".into(), "not-comparable Phone: no-identity".into()],
            ),
            (
                "one unkeyed entry is enough to prove no absence",
                vec![
                    vec![s("PC", None, Some(T1)), s("Rogue", None, Some(T2))],
                    vec![s("PC", None, Some(T1)), keyless()],
                ],
                0,
                1,
                vec![
                    format!("stayed PC ({CAD})"),
                    "not-comparable Rogue: cannot-tell-apart".into(),
                    "not-comparable Phone: no-identity".into(),
                ],
            ),
            (
                "an empty list proves no absence",
                vec![vec![s("PC", Some(1), Some(T1))], vec![]],
                0,
                1,
                vec!["not-comparable PC: empty-list".into()],
            ),
            (
                "linked through a third acquisition that carries both keys",
                vec![vec![s("PC", Some(1), Some(T1))], vec![s("PC", Some(1), None)], vec![s("PC", None, Some(T1))]],
                1,
                2,
                vec![format!("stayed PC ({CAD} via 1)")],
            ),
            (
                "backwards, nothing reappears",
                vec![
                    vec![s("Rogue", Some(9), Some(T2))],
                    vec![s("PC", Some(1), Some(T1))],
                    vec![s("Rogue", Some(9), Some(T2))],
                ],
                2,
                1,
                vec!["appeared PC".into(), "vanished Rogue".into()],
            ),
        ];
        for (name, lists, from, to, expected) in cases {
            let snaps = daily(lists);
            let refs: Vec<&Snapshot> = snaps.iter().collect();
            assert_eq!(summary(&diff(&refs, from, to)), expected, "{name}");
        }
    }

    #[test]
    fn another_accounts_list_proves_no_absence() {
        let mut snaps = daily(vec![vec![s("Rogue", Some(9), Some(T2))], vec![s("PC", Some(1), Some(T1))]]);
        snaps[0].account.user_id = Some(5873104962);
        let refs: Vec<&Snapshot> = snaps.iter().collect();
        assert_eq!(summary(&diff(&refs, 0, 1)), ["appeared PC", "vanished Rogue"], "one side's user id is unknown");
        snaps[1].account.user_id = Some(6420987153);
        let refs: Vec<&Snapshot> = snaps.iter().collect();
        assert_eq!(
            summary(&diff(&refs, 0, 1)),
            ["not-comparable Rogue: other-account", "not-comparable PC: other-account"]
        );
    }

    #[test]
    fn a_created_time_read_off_a_screen_is_not_exact() {
        let mut day = s("Rogue", None, Some("2026-11-24T00:00:00Z"));
        day.created.as_mut().unwrap().precision = Some(Precision::Day);
        let snaps =
            daily(vec![vec![s("PC", None, Some(T1)), s("Rogue", None, Some(T2))], vec![s("PC", None, Some(T1)), day]]);
        let refs: Vec<&Snapshot> = snaps.iter().collect();
        let d = diff(&refs, 0, 1);
        assert_eq!(
            summary(&d),
            vec![
                format!("stayed PC ({CAD})"),
                "not-comparable Rogue: cannot-tell-apart".into(),
                "not-comparable Rogue: no-identity".into()
            ]
        );
        assert_eq!(d.not_comparable[0].why, Unprovable::CannotTellApart { acquisition: 2, locator: "/Rogue".into() });
    }

    #[test]
    fn reappearances_need_a_provable_absence() {
        let rogue = || s("Rogue", Some(9), Some(T2));
        let pc = || s("PC", Some(1), Some(T1));
        let keyless = || s("Phone", None, None);
        let cases: Vec<(&str, Lists, Vec<Reappears>)> = vec![
            (
                "present, absent, present",
                vec![vec![pc(), rogue()], vec![pc()], vec![pc(), rogue()]],
                vec![(2, 1, vec![0], vec![1])],
            ),
            ("never absent", vec![vec![rogue()], vec![rogue()], vec![rogue()]], vec![]),
            (
                "absent only from an unkeyed list",
                vec![vec![pc(), rogue()], vec![keyless()], vec![pc(), rogue()]],
                vec![],
            ),
            ("absent from an empty list", vec![vec![rogue()], vec![], vec![rogue()]], vec![]),
            (
                "twice, skipping an unkeyed list",
                vec![vec![rogue(), pc()], vec![pc()], vec![keyless()], vec![pc(), rogue()], vec![pc()], vec![rogue()]],
                vec![(3, 1, vec![0], vec![1]), (5, 0, vec![0, 3], vec![4])],
            ),
            ("appears late, then stays", vec![vec![pc()], vec![pc(), rogue()], vec![rogue()]], vec![]),
        ];
        for (name, lists, expected) in cases {
            let snaps = daily(lists);
            let refs: Vec<&Snapshot> = snaps.iter().collect();
            let got: Vec<_> = reappeared(&refs)
                .into_iter()
                .inspect(|r| assert_eq!(r.basis, HASH, "{name}"))
                .map(|r| (r.acquisition, r.session_index, r.seen_in, r.absent_in))
                .collect();
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn reappearance_follows_capture_order_not_import_order() {
        // Imported as: back again (captured last), first sighting, the list without it.
        let snaps = [
            snap("2026-11-20T12:00:00Z", Some("2026-11-23T09:00:00+00:00"), vec![s("Rogue", Some(9), Some(T2))]),
            snap("2026-11-20T12:00:00Z", Some("2026-11-21T09:00:00Z"), vec![s("Rogue", Some(9), Some(T2))]),
            snap("2026-11-22T12:00:00Z", None, vec![s("PC", Some(1), Some(T1))]),
        ];
        let mut snaps = snaps;
        snaps[2].capture_window = Some(CaptureWindow {
            not_before: Some(Bound { utc: "2026-11-22T11:00:00Z".into(), basis: "activity".into() }),
            not_after: Some(Bound { utc: "2026-11-22T12:00:00Z".into(), basis: "import".into() }),
        });
        let refs: Vec<&Snapshot> = snaps.iter().collect();
        assert_eq!(order(&refs), vec![1, 2, 0]);
        let r = reappeared(&refs);
        assert_eq!((r[0].acquisition, r[0].seen_in.clone(), r[0].absent_in.clone()), (0, vec![1], vec![2]));
        assert_eq!(summary(&diff(&refs, 2, 0)), vec!["vanished PC".to_string(), format!("reappeared Rogue ({HASH})")]);
        assert_eq!(diff(&refs, 2, 0).changes[1].matched.as_ref().unwrap().acquisition, 2);
        assert!(reappeared_if_ordered(&refs).is_empty());

        // Without the window, the list without it is bounded only by its session's created time and
        // its import: it may have been captured before the first sighting. Nothing reappears.
        snaps[2].capture_window = None;
        let refs: Vec<&Snapshot> = snaps.iter().collect();
        assert_eq!(order(&refs), vec![2, 1, 0], "by the earliest possible capture time");
        assert!(reappeared(&refs).is_empty());
        let guessed = reappeared_if_ordered(&refs);
        assert_eq!(guessed.len(), 0, "in the guessed order the list without it comes first: nothing to return to");
        assert_eq!(summary(&diff(&refs, 2, 0)), vec!["appeared Rogue", "vanished PC"]);
        let d = diff(&refs, 2, 1);
        assert_eq!(
            summary(&d),
            vec!["not-comparable PC: capture-order-unknown", "not-comparable Rogue: capture-order-unknown"]
        );
        assert!(d.order_unknown.as_ref().unwrap().explain().starts_with("cannot tell which was captured first"));
    }

    #[test]
    fn a_return_that_rests_on_an_unknown_order_is_only_a_guess() {
        // Telethon dumps of 20, 23 and 24 November, all imported on the 25th: the 23rd's lacks the
        // rogue session. Without stated capture times none is certainly before another.
        let window = |lo: &str, hi: &str| CaptureWindow {
            not_before: Some(Bound { utc: lo.into(), basis: "activity".into() }),
            not_after: Some(Bound { utc: hi.into(), basis: "import".into() }),
        };
        let pc = || s("PC", Some(1), Some(T1));
        let rogue = || s("Rogue", Some(9), Some(T2));
        let mut snaps = [
            snap("2026-11-25T10:00:00Z", None, vec![pc()]),
            snap("2026-11-25T10:01:00Z", None, vec![pc(), rogue()]),
            snap("2026-11-25T10:02:00Z", None, vec![pc(), rogue()]),
        ];
        snaps[0].capture_window = Some(window("2026-11-23T10:03:12Z", "2026-11-25T10:00:00Z"));
        snaps[1].capture_window = Some(window("2026-11-20T09:58:41Z", "2026-11-25T10:01:00Z"));
        snaps[2].capture_window = Some(window("2026-11-24T11:00:00Z", "2026-11-25T10:02:00Z"));
        let refs: Vec<&Snapshot> = snaps.iter().collect();
        assert_eq!(order(&refs), vec![1, 0, 2]);
        assert!(reappeared(&refs).is_empty());
        let guessed = reappeared_if_ordered(&refs);
        assert_eq!(guessed.iter().map(|r| (r.acquisition, r.session_index)).collect::<Vec<_>>(), vec![(2, 1)]);
        assert_eq!(
            summary(&diff(&refs, 1, 0)),
            vec!["stayed PC (same session hash)", "not-comparable Rogue: capture-order-unknown"]
        );

        // Stated capture times make the order certain: it is a return.
        for (i, at) in ["2026-11-23T10:15:00Z", "2026-11-20T10:10:00Z", "2026-11-24T12:00:00Z"].iter().enumerate() {
            snaps[i].captured_at = Some(Time {
                utc: Some(at.to_string()),
                original: at.to_string(),
                basis: TimeBasis::Offset,
                precision: None,
            });
        }
        let refs: Vec<&Snapshot> = snaps.iter().collect();
        let r = reappeared(&refs);
        assert_eq!((r[0].acquisition, r[0].seen_in.clone(), r[0].absent_in.clone()), (2, vec![1], vec![0]));
        assert!(reappeared_if_ordered(&refs).is_empty());
        assert_eq!(
            summary(&diff(&refs, 0, 2)),
            vec![format!("reappeared Rogue ({HASH})"), format!("stayed PC ({HASH})")]
        );
    }

    #[test]
    fn order_by_captured_time_else_acquired_time_ties_by_import() {
        let snaps = [
            snap("2026-11-26T12:00:00Z", None, vec![]),
            snap("2026-11-27T12:00:00Z", Some("2026-11-24T08:12:00Z"), vec![]),
            snap("2026-11-26T12:00:00Z", None, vec![]),
            snap("not a time", None, vec![]),
            snap("2026-11-25T12:00:00Z", None, vec![]),
        ];
        let refs: Vec<&Snapshot> = snaps.iter().collect();
        assert_eq!(order(&refs), vec![1, 4, 0, 2, 3]);
    }

    #[test]
    fn labels_show_unknown_parts() {
        let mut x = s("PC", None, None);
        x.app_version = None;
        x.ip = Some(String::new());
        assert_eq!(label(&x), "Telegram Desktop · PC · —");
        x.app_name = None;
        x.device_model = None;
        assert_eq!(label(&x), "— · — · —");
    }
}
