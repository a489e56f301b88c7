//! What changed between two acquisitions: the result of `analyze::diff`, kept here so the report
//! can show it without depending on the analysis.

use serde::Serialize;

/// How a session fared between two acquisitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// In the later acquisition only, and the earlier one could have shown it.
    Appeared,
    /// In the earlier acquisition only, and the later one could have shown it.
    Vanished,
    /// Seen before the earlier acquisition, provably absent from it, present in the later one.
    Reappeared,
    /// In both.
    Stayed,
}

/// One observation of a session: where it is and what it looks like.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRef {
    /// The acquisition's number: its 1-based position in the snapshots given.
    pub acquisition: usize,
    /// The 0-based index into that snapshot's `sessions`.
    pub session_index: usize,
    pub locator: String,
    /// "app version · device · ip", unescaped: the renderer makes it safe to show.
    pub label: String,
    /// The source marks it as the session that made the acquisition.
    pub current: bool,
}

/// One session's change between two acquisitions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// The observation in the later acquisition; for `Vanished`, the one in the earlier.
    pub session: SessionRef,
    /// `Stayed`: the observation in the earlier acquisition. `Reappeared`: the last sighting
    /// before the earlier acquisition.
    pub matched: Option<SessionRef>,
    /// Why `session` and `matched` are the same session ([`crate::model::identity::SessionKey::basis`]).
    pub basis: Option<&'static str>,
    /// When the two share no key themselves: the acquisition whose observation links them.
    pub linked_through: Option<usize>,
}

/// Why a session can be neither matched nor called absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Unprovable {
    /// The session carries neither a session hash nor an exact created time with its device.
    NoIdentity,
    /// The other acquisition lists no sessions at all.
    EmptyList { acquisition: usize },
    /// The other acquisition is of another account (another user id).
    OtherAccount { acquisition: usize },
    /// The other acquisition lists a session that cannot be told apart from this one.
    CannotTellApart { acquisition: usize, locator: String },
    /// Which of the two acquisitions was captured first is not known (their capture times overlap).
    CaptureOrderUnknown { from: usize, to: usize },
}

impl Unprovable {
    /// The reason in words, for the reader; it applies to one session or to several.
    pub fn explain(&self) -> String {
        match self {
            Unprovable::NoIdentity => {
                "cannot be matched: no session hash and no exact created time with a device".into()
            }
            Unprovable::EmptyList { acquisition } => {
                format!("absence cannot be proved: acquisition {acquisition} lists no sessions at all")
            }
            Unprovable::OtherAccount { acquisition } => {
                format!("absence cannot be proved: acquisition {acquisition} is of another account (another user id)")
            }
            Unprovable::CannotTellApart { acquisition, locator } => format!(
                "absence cannot be proved: acquisition {acquisition} lists {locator}, which has no exact key \
                 (session hash, or created time to the second) in common with them and could be any of them"
            ),
            Unprovable::CaptureOrderUnknown { from, to } => format!(
                "neither appeared nor gone: which of acquisitions {from} and {to} was captured first is not known"
            ),
        }
    }
}

/// A session that could not be compared, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotComparable {
    pub session: SessionRef,
    #[serde(flatten)]
    pub why: Unprovable,
}

/// The changes from one acquisition to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// 1-based acquisition numbers.
    pub from: usize,
    pub to: usize,
    /// By kind, then acquisition, then position in the list.
    pub changes: Vec<Change>,
    /// Sessions of either acquisition that cannot be matched nor called absent.
    pub not_comparable: Vec<NotComparable>,
    /// Set when which of the two was captured first is not known: then nothing appeared,
    /// vanished or reappeared between them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_unknown: Option<crate::model::capture::OrderUnknown>,
}
