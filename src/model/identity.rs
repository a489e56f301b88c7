//! When two observations are the same session: the rule every stage shares (report, diff,
//! analysis), so a session is matched the same way everywhere.

use super::snapshot::Session;

/// What identifies a session across acquisitions, and on which basis.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SessionKey {
    /// Telegram's own session hash (live captures, library dumps).
    Hash(i64),
    /// Created time (UTC) + app + device, for sources without the hash (exports, screenshots).
    CreatedAppDevice { created: String, app: String, device: String },
}

impl SessionKey {
    /// The basis of a match, for the reader.
    pub fn basis(&self) -> &'static str {
        match self {
            SessionKey::Hash(_) => "same session hash",
            SessionKey::CreatedAppDevice { .. } => "same created time, app and device",
        }
    }
}

/// The keys a session can be matched by, strongest first; empty when it cannot be matched.
pub fn session_keys(s: &Session) -> Vec<SessionKey> {
    let mut keys = Vec::new();
    // Hash 0 stands for "this session" in official clients, not an identifier.
    if let Some(h) = s.hash.filter(|h| *h != 0) {
        keys.push(SessionKey::Hash(h));
    }
    if let (Some(created), Some(device)) = (s.created.as_ref().and_then(|t| t.utc.clone()), s.device_model.as_ref()) {
        let app = [&s.app_name, &s.app_version].iter().filter_map(|x| x.as_deref()).collect::<Vec<_>>().join(" ");
        keys.push(SessionKey::CreatedAppDevice { created, app: app.to_lowercase(), device: device.to_lowercase() });
    }
    keys
}

/// What two observations that cannot be matched (no session hash, no creation time) must share
/// to be called possibly the same session: app, version and device, case-insensitively. `None`
/// when any of the three is missing.
pub fn loose_key(s: &Session) -> Option<String> {
    let parts = [&s.app_name, &s.app_version, &s.device_model];
    let parts: Option<Vec<String>> = parts.iter().map(|x| x.as_deref().map(|v| v.trim().to_lowercase())).collect();
    Some(parts?.join("\u{1f}"))
}

/// Whether an observation carries what an exact match needs: a session hash or a creation time.
pub fn matchable(s: &Session) -> bool {
    s.hash.is_some_and(|h| h != 0) || s.created.is_some()
}

/// Groups observations of the same session: returns, per group, the indices into `sessions`
/// in order, and the basis of the match (None for a group of one).
pub fn group_sessions(sessions: &[&Session]) -> Vec<(Vec<usize>, Option<&'static str>)> {
    // Each key points at the group that first carried it, so matching stays linear in the
    // number of sessions (a case may hold 100,000 of them).
    let mut groups: Vec<(Vec<usize>, Option<&'static str>)> = Vec::new();
    let mut by_key: std::collections::HashMap<SessionKey, usize> = std::collections::HashMap::new();
    for (i, s) in sessions.iter().enumerate() {
        let keys = session_keys(s);
        let found = keys.iter().find_map(|k| by_key.get(k).map(|g| (*g, k.basis())));
        let g = match found {
            Some((g, basis)) => {
                groups[g].0.push(i);
                groups[g].1.get_or_insert(basis);
                g
            }
            None => {
                groups.push((vec![i], None));
                groups.len() - 1
            }
        };
        for k in keys {
            by_key.entry(k).or_insert(g);
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::snapshot::{Time, TimeBasis};

    fn session(hash: Option<i64>, created: Option<&str>, device: &str) -> Session {
        Session {
            hash,
            app_name: Some("Telegram Desktop".into()),
            app_version: Some("5.1".into()),
            device_model: Some(device.into()),
            created: created.map(|c| Time {
                utc: Some(c.into()),
                original: c.into(),
                basis: TimeBasis::Unix,
                precision: None,
            }),
            ..Session::unknown("/x")
        }
    }

    #[test]
    fn matches_by_hash_else_created_app_device() {
        let a = session(Some(7), Some("2026-11-19T02:12:09Z"), "PC");
        let b = session(None, Some("2026-11-19T02:12:09Z"), "pc");
        let c = session(Some(7), None, "other");
        let d = session(None, None, "PC");
        let e = session(Some(0), None, "PC");
        let f = session(Some(0), None, "PC");
        let groups = group_sessions(&[&a, &b, &c, &d, &e, &f]);
        assert_eq!(groups[0].0, vec![0, 1, 2]);
        assert_eq!(groups[0].1, Some("same created time, app and device"));
        assert_eq!(groups.len(), 4, "no time and no hash: never matched; hash 0 is not an identity");
    }
}
