//! The `User` objects of `account.webAuthorizations.users`, read only for `id` and `username`
//! (to name the bot of each web session). `User` changes with almost every layer; this reads
//! `userEmpty` (both ids) and `user#b1b8cc83` of layer 230 (grammers-tl-types 0.11.0 `tl/api.tl`),
//! skipping its nested objects field by field since TL has no lengths to jump over.

use super::reader::{Fault, Read, Reader};
use crate::model::snapshot::Warning;

const USER_EMPTY: u32 = 0xd3bc_4b7a;
/// `userEmpty#200250ba id:int` (layers with 32-bit user ids).
const USER_EMPTY_INT: u32 = 0x2002_50ba;
const USER: u32 = 0xb1b8_cc83;

/// A bot as `users` describes it.
pub(super) struct BotUser {
    pub id: i64,
    pub username: Option<String>,
    /// `userEmpty`: the server sent no details.
    pub empty: bool,
}

/// Reads one `User`; a constructor of another layer is a (non-truncation) fault, since an
/// unknown object cannot be skipped.
pub(super) fn read_user(r: &mut Reader, w: &mut Vec<Warning>) -> Read<BotUser> {
    let at = r.pos();
    match r.u32("a User", "Vector<User>")? {
        USER_EMPTY => Ok(BotUser { id: r.i64("id", "userEmpty#d3bc4b7a")?, username: None, empty: true }),
        USER_EMPTY_INT => Ok(BotUser { id: r.i32("id", "userEmpty#200250ba")?.into(), username: None, empty: true }),
        USER => read_full_user(r, w),
        id => Err(unknown(
            at,
            id,
            "a User (this version reads userEmpty and user#b1b8cc83 of layer 230; a capture from another layer?)",
        )),
    }
}

fn read_full_user(r: &mut Reader, w: &mut Vec<Warning>) -> Read<BotUser> {
    const C: &str = "user#b1b8cc83";
    let flags = r.u32("flags", C)?;
    let flags2 = r.u32("flags2", C)?;
    let on = |bit: u32| flags & (1 << bit) != 0;
    let on2 = |bit: u32| flags2 & (1 << bit) != 0;
    let id = r.i64("id", C)?;
    if on(0) {
        r.i64("access_hash", C)?;
    }
    for (bit, field) in [(1, "first_name"), (2, "last_name")] {
        if on(bit) {
            r.bytes(field, C)?;
        }
    }
    let mut username = if on(3) { Some(r.string("username", C, w)?) } else { None };
    if on(4) {
        r.bytes("phone", C)?;
    }
    if on(5) {
        skip_profile_photo(r)?;
    }
    if on(6) {
        skip_status(r)?;
    }
    if on(14) {
        r.i32("bot_info_version", C)?;
    }
    if on(18) {
        for _ in 0..r.vector("restriction_reason", C, 16)? {
            expect(r, 0xd072_acb4, "a RestrictionReason")?;
            for field in ["platform", "reason", "text"] {
                r.bytes(field, "restrictionReason#d072acb4")?;
            }
        }
    }
    for (bit, field) in [(19, "bot_inline_placeholder"), (22, "lang_code")] {
        if on(bit) {
            r.bytes(field, C)?;
        }
    }
    if on(30) {
        skip_emoji_status(r)?;
    }
    if on2(0) {
        // A bot with several usernames: the first active one stands for it when `username` is absent.
        for _ in 0..r.vector("usernames", C, 12)? {
            expect(r, 0xb407_3647, "a Username")?;
            let f = r.u32("flags", "username#b4073647")?;
            let name = r.string("username", "username#b4073647", w)?;
            if username.is_none() && f & 2 != 0 {
                username = Some(name);
            }
        }
    }
    if on2(5) {
        expect(r, 0x711d_692d, "a RecentStory")?;
        if r.u32("flags", "recentStory#711d692d")? & 2 != 0 {
            r.i32("max_id", "recentStory#711d692d")?;
        }
    }
    for (bit, field) in [(8, "color"), (9, "profile_color")] {
        if on2(bit) {
            skip_peer_color(r, field)?;
        }
    }
    if on2(12) {
        r.i32("bot_active_users", C)?;
    }
    for (bit, field) in [(14, "bot_verification_icon"), (15, "send_paid_messages_stars"), (21, "linked_community_id")] {
        if on2(bit) {
            r.i64(field, C)?;
        }
    }
    Ok(BotUser { id, username: username.filter(|u| !u.is_empty()), empty: false })
}

/// Reads a constructor id and checks it is `want`.
fn expect(r: &mut Reader, want: u32, what: &str) -> Read<()> {
    let at = r.pos();
    let id = r.u32("constructor", what)?;
    if id != want {
        return Err(unknown(at, id, what));
    }
    Ok(())
}

fn unknown(at: usize, id: u32, what: &str) -> Fault {
    Fault::new(at, format!("unknown constructor {id:#010x} where {what} was expected"))
}

fn skip_profile_photo(r: &mut Reader) -> Read<()> {
    let at = r.pos();
    match r.u32("constructor", "a UserProfilePhoto")? {
        0x4f11_bae1 => Ok(()),
        0x82d1_f706 => {
            const C: &str = "userProfilePhoto#82d1f706";
            let flags = r.u32("flags", C)?;
            r.i64("photo_id", C)?;
            if flags & 2 != 0 {
                r.bytes("stripped_thumb", C)?;
            }
            r.i32("dc_id", C).map(|_| ())
        }
        id => Err(unknown(at, id, "a UserProfilePhoto")),
    }
}

fn skip_status(r: &mut Reader) -> Read<()> {
    let at = r.pos();
    match r.u32("constructor", "a UserStatus")? {
        0x09d0_5049 => Ok(()),
        0xedb9_3949 => r.i32("expires", "userStatusOnline#edb93949").map(|_| ()),
        0x008c_703f => r.i32("was_online", "userStatusOffline#8c703f").map(|_| ()),
        0x7b19_7dc8 | 0x541a_1d1a | 0x6589_9777 => {
            r.u32("flags", "a userStatusRecently/LastWeek/LastMonth").map(|_| ())
        }
        id => Err(unknown(at, id, "a UserStatus")),
    }
}

fn skip_emoji_status(r: &mut Reader) -> Read<()> {
    let at = r.pos();
    let (c, flags) = match r.u32("constructor", "an EmojiStatus")? {
        0x2de1_1aae => return Ok(()),
        0xe7ff_068a => {
            let c = "emojiStatus#e7ff068a";
            let flags = r.u32("flags", c)?;
            r.i64("document_id", c)?;
            (c, flags)
        }
        0x7184_603b => {
            let c = "emojiStatusCollectible#7184603b";
            let flags = r.u32("flags", c)?;
            r.i64("collectible_id", c)?;
            r.i64("document_id", c)?;
            r.bytes("title", c)?;
            r.bytes("slug", c)?;
            r.i64("pattern_document_id", c)?;
            for field in ["center_color", "edge_color", "pattern_color", "text_color"] {
                r.i32(field, c)?;
            }
            (c, flags)
        }
        0x0714_1dbf => {
            let c = "inputEmojiStatusCollectible#7141dbf";
            let flags = r.u32("flags", c)?;
            r.i64("collectible_id", c)?;
            (c, flags)
        }
        id => return Err(unknown(at, id, "an EmojiStatus")),
    };
    if flags & 1 != 0 {
        r.i32("until", c)?;
    }
    Ok(())
}

fn skip_peer_color(r: &mut Reader, field: &str) -> Read<()> {
    let at = r.pos();
    match r.u32(field, "user#b1b8cc83")? {
        0xb54b_5acf => {
            let c = "peerColor#b54b5acf";
            let flags = r.u32("flags", c)?;
            if flags & 1 != 0 {
                r.i32("color", c)?;
            }
            if flags & 2 != 0 {
                r.i64("background_emoji_id", c)?;
            }
            Ok(())
        }
        0xb9c0_639a => {
            let c = "peerColorCollectible#b9c0639a";
            let flags = r.u32("flags", c)?;
            for f in ["collectible_id", "gift_emoji_id", "background_emoji_id"] {
                r.i64(f, c)?;
            }
            r.i32("accent_color", c)?;
            r.skip_vector(4, "colors", c)?;
            if flags & 1 != 0 {
                r.i32("dark_accent_color", c)?;
            }
            if flags & 2 != 0 {
                r.skip_vector(4, "dark_colors", c)?;
            }
            Ok(())
        }
        0xb8ea_86a9 => r.i64("collectible_id", "inputPeerColorCollectible#b8ea86a9").map(|_| ()),
        id => Err(unknown(at, id, "a PeerColor")),
    }
}
