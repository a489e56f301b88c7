#!/usr/bin/env python3
"""Checks the fixtures, the demo case and the JSON Schemas against each other.

    pip install jsonschema        # the only dependency (Pillow only to regenerate PNGs)
    python3 scripts/check-fixtures.py

What it proves: every JSON fixture that should parse does (xhh-escape.json must not);
every local date in a Desktop export is its `*_unixtime` in Europe/Berlin; inlined
other_data equals the server file it came from; the transcription examples match
schemas/transcribed-v1.schema.json and the fail_ ones fail for their one reason; a
snapshot built from the demo matches schemas/snapshot-v1.schema.json. It also prints
the UTC value of every transcribed time, as a reference for the Rust resolver.
Exit status 0 when all checks pass.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "fixtures"
TD = FIX / "tdesktop-json"
BERLIN = ZoneInfo("Europe/Berlin")
failures: list[str] = []


def check(ok: bool, what: str) -> None:
    print(("  ok   " if ok else "  FAIL ") + what)
    if not ok:
        failures.append(what)


def parses(path: Path) -> bool:
    try:
        json.loads(path.read_bytes())
        return True
    except (ValueError, UnicodeDecodeError):
        return False


def tolerant(data: bytes):
    """What the importer's pre-pass must do: \\xHH -> \\u00HH, then parse."""
    return json.loads(re.sub(rb"\\x([0-9A-Fa-f]{2})", rb"\\u00\1", data))


# -- Desktop exports -------------------------------------------------------------------

def check_dates(doc: dict, name: str) -> None:
    for section in ("sessions", "web_sessions"):
        for i, row in enumerate(doc.get(section, {}).get("list", [])):
            for key in ("last_active", "created"):
                if key + "_unixtime" not in row:
                    continue
                unix = int(row[key + "_unixtime"])
                local = dt.datetime.fromtimestamp(unix, BERLIN)
                ok = local.strftime("%Y-%m-%dT%H:%M:%S") == row[key]
                check(ok, f"{name} /{section}/list/{i}/{key} = {row[key]} is {unix} in Europe/Berlin "
                          f"(UTC{local.strftime('%z')})")


SESSION_KEYS = ["last_active", "last_active_unixtime", "last_ip", "last_country", "last_region",
                "application_name", "application_version", "device_model", "platform",
                "system_version", "created", "created_unixtime"]
WEB_KEYS = ["last_active", "last_active_unixtime", "last_ip", "last_region", "bot_username",
            "domain_name", "browser", "platform", "created", "created_unixtime"]
TOP_ORDER = ["about", "personal_information", "profile_pictures", "stories", "contacts",
             "frequent_contacts", "sessions", "web_sessions", "other_data", "chats", "left_chats"]


def check_layout(doc: dict, name: str) -> None:
    keys = list(doc)
    check(keys == [k for k in TOP_ORDER if k in keys], f"{name}: top-level key order {keys}")
    for section, order in (("sessions", SESSION_KEYS), ("web_sessions", WEB_KEYS)):
        for i, row in enumerate(doc.get(section, {}).get("list", [])):
            got = list(row)
            check(got == [k for k in order if k in got], f"{name}: /{section}/list/{i} key order")
            if section == "sessions":
                check(("application_version" in got) == (row["application_name"] is not None),
                      f"{name}: /{section}/list/{i} null name <=> no version key")


def desktop_exports() -> None:
    print("Desktop exports")
    good = ["modern.json", "no-unixtime.json", "html-injection.json", "non-latin.json", "zero-sessions.json",
            "export-folder/DataExport_2026-11-25/result.json",
            "export-folder/DataExport_2026-11-25/lists/other_data.json"]
    docs = {}
    for name in good:
        ok = parses(TD / name)
        check(ok, f"{name} is valid JSON")
        if ok:
            docs[name] = json.loads((TD / name).read_bytes())
    docs["demo/export/result.json"] = json.loads((FIX / "demo/export/result.json").read_bytes())
    for name, doc in docs.items():
        if "about" in doc:
            check_layout(doc, name)
            check_dates(doc, name)
            data = (TD / name).read_bytes() if not name.startswith("demo") else (FIX / name).read_bytes()
            check(data.startswith(b'{\n "about": ') and data.endswith(b"\n}"),
                  f"{name}: one-space indentation, no trailing newline")

    old = docs["no-unixtime.json"]
    check("stories" not in old and all("created_unixtime" not in s for s in old["sessions"]["list"]),
          "no-unixtime.json has no stories key and no *_unixtime")
    check(docs["zero-sessions.json"]["sessions"]["list"] == [] == docs["zero-sessions.json"]["web_sessions"]["list"],
          "zero-sessions.json has empty lists")
    rows = docs["modern.json"]["sessions"]["list"]
    check(any(r["application_name"] is None for r in rows) and any(r["last_ip"] == "" for r in rows),
          "modern.json has a null application_name and an empty last_ip")
    check(b"2040.000000" in (TD / "modern.json").read_bytes(), "modern.json other_data numbers are doubles")

    xhh = (TD / "xhh-escape.json").read_bytes()
    check(not parses(TD / "xhh-escape.json"), "xhh-escape.json is NOT valid JSON (on purpose)")
    models = [s["device_model"] for s in tolerant(xhh)["sessions"]["list"]]
    check("\x07" in models[1] and "\x1b" in models[0], "xhh-escape.json holds \\x07 and \\x1B after the tolerant pass")
    check(tolerant(xhh)["personal_information"] == docs["modern.json"]["personal_information"],
          "xhh-escape.json is modern.json apart from two device names")

    folder = TD / "export-folder/DataExport_2026-11-25"
    raw = (folder / "lists/other_data.json").read_bytes()
    check(b"https:\\/\\/t.me" in raw and b'\n    "help"' in raw, "lists/other_data.json: 4-space indent and \\/ escapes")
    check(json.loads(raw) == docs["export-folder/DataExport_2026-11-25/result.json"]["other_data"],
          "inlined other_data equals lists/other_data.json (as numbers)")

    print("Refusals")
    check(not parses(TD / "fail_truncated.json"), "fail_truncated.json does not parse")
    check((TD / "fail_empty.json").stat().st_size == 0, "fail_empty.json is empty")
    check(b"\x00" in (TD / "fail_binary.bin").read_bytes() and 150 <= (TD / "fail_binary.bin").stat().st_size <= 250,
          "fail_binary.bin is ~200 bytes with NULs")
    unrelated = json.loads((TD / "fail_unrelated.json").read_bytes())
    check("sessions" not in unrelated and "name" in unrelated, "fail_unrelated.json is a package.json")
    nosess = json.loads((TD / "fail_no_sessions_key.json").read_bytes())
    check("personal_information" in nosess and "sessions" not in nosess and "web_sessions" not in nosess,
          "fail_no_sessions_key.json has personal_information and no sessions key")


# -- transcriptions --------------------------------------------------------------------

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def resolve(text: str, captured: dt.datetime, zone) -> tuple[str, str]:
    """Reference resolver for the documented time texts -> (UTC RFC 3339, precision)."""
    now = captured.astimezone(zone)
    t = text.strip()
    low = t.lower()

    def at(day: dt.date, hm: str | None) -> tuple[str, str]:
        if hm is None:
            return day.isoformat(), "day"
        h, m = map(int, hm.split(":"))
        local = dt.datetime(day.year, day.month, day.day, h, m, tzinfo=zone)
        return local.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "minute"

    if low in ("online", "just now"):
        return captured.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "minute"
    if m := re.fullmatch(r"(today|yesterday) at (\d{1,2}:\d{2})", low):
        return at(now.date() - dt.timedelta(days=m[1] == "yesterday"), m[2])
    if re.fullmatch(r"\d{1,2}:\d{2}", low):
        return at(now.date(), low)
    if m := re.fullmatch(r"([a-z]{3})[a-z]*(?: at (\d{1,2}:\d{2}))?", low):
        if m[1] in WEEKDAYS:
            back = (now.weekday() - WEEKDAYS.index(m[1])) % 7 or 7
            return at(now.date() - dt.timedelta(days=back), m[2])
    if m := re.fullmatch(r"([a-z]{3}) (\d{1,2})(?:,? (\d{4}))?", low):
        if m[1] in MONTHS:
            year = int(m[3]) if m[3] else now.year
            day = dt.date(year, MONTHS.index(m[1]) + 1, int(m[2]))
            if not m[3] and day > now.date():
                day = day.replace(year=year - 1)
            return at(day, None)
    raise ValueError(f"not a documented time text: {text!r}")


def transcriptions() -> None:
    print("Transcriptions")
    schema = json.loads((ROOT / "schemas/transcribed-v1.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for folder in ("transcribed/example", "demo/screenshots"):
        path = FIX / folder / "transcription.json"
        doc = json.loads(path.read_bytes())
        errors = [e.message for e in validator.iter_errors(doc)]
        check(not errors, f"{folder}/transcription.json matches the schema {errors or ''}")
        shots = {s["id"]: s for s in doc["screenshots"]}
        check(all((path.parent / s["file"]).is_file() for s in shots.values()), f"{folder}: every image exists")
        zone = ZoneInfo(doc["device_time_zone"])
        for kind in ("sessions", "web_sessions"):
            for i, row in enumerate(doc.get(kind) or []):
                check(row["screenshot"] in shots, f"{folder}: /{kind}/{i} names a known screenshot")
                captured = dt.datetime.fromisoformat(shots[row["screenshot"]]["captured_at"])
                utc, precision = resolve(row["last_active"], captured, zone)
                print(f"         /{kind}/{i} last_active {row['last_active']!r:22} -> {utc} ({precision})")
    same = (FIX / "transcribed/example/transcription.json").read_bytes() == \
        (FIX / "demo/screenshots/transcription.json").read_bytes()
    check(same, "demo transcription is the worked example")

    time_schema = {**schema["$defs"]["time_text"], "$schema": schema["$schema"]}
    good = ["online", "Online", "just now", "today at 21:14", "Yesterday at 9:05", "21:14", "9:05", "Tue",
            "tuesday", "Sunday at 23:59", "12.11.26", "1.1.2026", "Nov 12", "12 Nov", "Nov 12 2026",
            "Nov 12, 2026", "12 Nov 2026", "2026-11-12", "2026-11-12 21:14", "2026-11-12T21:14:00Z",
            "2026-11-12T21:14:00.5+01:00"]
    bad = ["sometime last spring", "9:14 PM", "24:00", "yesterday 21:14", "Tues", "November 12",
           "12/11/2026", "2026-11-12T21:14Z", " online", "TUE", "32.11.26", ""]
    tv = jsonschema.Draft202012Validator(time_schema)
    check(all(tv.is_valid(t) for t in good), f"time texts accepted: {[t for t in good if not tv.is_valid(t)] or 'all'}")
    check(not any(tv.is_valid(t) for t in bad), f"time texts refused: {[t for t in bad if tv.is_valid(t)] or 'all'}")
    path_schema = {**schema["$defs"]["relative_path"], "$schema": schema["$schema"]}
    pv = jsonschema.Draft202012Validator(path_schema)
    ok_paths = ["IMG_0412.png", "shots/IMG_0412.png", "a..b.png", "./x.png"]
    bad_paths = ["../x.png", "shots/../../x.png", "/etc/passwd", "C:\\x.png", "\\\\server\\x.png", "..", ""]
    check(all(pv.is_valid(p) for p in ok_paths) and not any(pv.is_valid(p) for p in bad_paths),
          f"relative paths: {[p for p in ok_paths if not pv.is_valid(p)]} {[p for p in bad_paths if pv.is_valid(p)]}")

    expect_schema_failure = {"fail_traversal": "file", "fail_bad_time": "last_active", "fail_wrong_format": "format"}
    for name in ("fail_missing_image", "fail_traversal", "fail_bad_time", "fail_wrong_format"):
        path = FIX / "transcribed" / name / "transcription.json"
        doc = json.loads(path.read_bytes())
        errors = list(validator.iter_errors(doc))
        if name in expect_schema_failure:
            where = {str(p) for e in errors for p in e.absolute_path}
            check(len(errors) == 1 and expect_schema_failure[name] in where,
                  f"{name}: the schema rejects exactly its one fault ({[e.message[:60] for e in errors]})")
        else:
            check(not errors and not (path.parent / doc["screenshots"][0]["file"]).exists(),
                  f"{name}: schema-valid, but its image is missing")


# -- screenshots, demo case, snapshot schema ---------------------------------------------

def images() -> None:
    print("Images")
    for png in sorted(FIX.rglob("*.png")):
        data = png.read_bytes()
        w, h = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        check(data[:8] == b"\x89PNG\r\n\x1a\n" and (w, h) == (390, 844) and len(data) < 40_000,
              f"{png.relative_to(FIX)}: {w}x{h}, {len(data)} bytes")


CASE_KEYS = {"case": {"id", "examiner"},
             "subject": {"pseudonym", "time_zone", "sleep", "usual_countries", "usual_cities", "vpn_providers",
                         "web_domains", "automation", "last_known_good", "incident_window", "devices", "travel"}}


def demo() -> None:
    print("Demo case")
    case = tomllib.loads((FIX / "demo/case.toml").read_text())
    check(set(case) == set(CASE_KEYS) and all(set(case[k]) <= CASE_KEYS[k] for k in case),
          "case.toml uses only the documented keys")
    export = json.loads((FIX / "demo/export/result.json").read_bytes())
    models = {d["model"].lower() for d in case["subject"]["devices"]}
    for s in export["sessions"]["list"]:
        print(f"         {s['device_model']:20} created {unix_utc(s['created_unixtime'])}  "
              f"last active {unix_utc(s['last_active_unixtime'])}  {s['last_ip']}  "
              f"{'declared device' if s['device_model'].lower() in models else 'NOT declared'}")
    for w in export["web_sessions"]["list"]:
        print(f"         web {w['domain_name']:16} created {unix_utc(w['created_unixtime'])}  {w['last_ip']}")
    for c in export["other_data"]["changes_log"]:
        print(f"         {c['event']} at {unix_utc(int(c['timestamp']))} from {c['ip']} app_id {int(c['app_id'])}")
    # The screenshots were taken after the export: nothing may look older on them.
    tr = json.loads((FIX / "demo/screenshots/transcription.json").read_bytes())
    shots = {s["id"]: dt.datetime.fromisoformat(s["captured_at"]) for s in tr["screenshots"]}
    for row in tr["sessions"]:
        match = [s for s in export["sessions"]["list"] if s["device_model"] == row["device"]]
        check(len(match) == 1, f"screenshot session {row['device']} is in the export")
        if match and row["last_active"] != "online":
            utc, precision = resolve(row["last_active"], shots[row["screenshot"]], BERLIN)
            seen = unix_utc(match[0]["last_active_unixtime"])
            ok = utc >= seen if precision == "minute" else utc >= seen[:10]
            check(ok, f"{row['device']}: screenshot last active {utc} is not before export's {seen}")


def unix_utc(value) -> str:
    return dt.datetime.fromtimestamp(int(value), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def snapshot_schema() -> None:
    print("Snapshot schema")
    schema = json.loads((ROOT / "schemas/snapshot-v1.schema.json").read_text())
    v = jsonschema.Draft202012Validator(schema)
    t = {"utc": "2026-11-19T02:12:09Z", "original": "2026-11-19T03:12:09", "basis": "unix"}
    sample = {
        "schema": "sessionproof/snapshot/v1", "acquired_at": "2026-11-26T10:30:00Z", "captured_at": None,
        "method": "tdesktop-json",
        "source": {"sha256": "0" * 64, "file_name": "result.json", "bytes": 3883, "tool": None,
                   "source_tz": "Europe/Berlin",
                   "companions": [{"role": "other-data", "file_name": "other_data.json", "sha256": "a" * 64, "bytes": 1}]},
        "account": {"user_id": 5873104962, "phone": "+49 30 90182011", "username": "mfeldberg_reports",
                    "ttl_days": None, "two_fa": None},
        "sessions": [{"hash": 9007199254740993, "current": None, "official_app": None, "password_pending": None,
                      "unconfirmed": None, "encrypted_requests_disabled": None, "call_requests_disabled": None,
                      "api_id": None, "app_name": "Telegram Desktop", "app_version": "4.16.8 x64",
                      "device_model": "DESKTOP-7Q2K9LM", "platform": "Windows", "system_version": "10",
                      "ip": "3.5.140.2", "country": "Netherlands", "region": "North Holland", "created": t,
                      "last_active": {"utc": "2026-11-24T00:00:00Z", "original": "Tue", "basis": "local-assumed",
                                      "precision": "day"},
                      "locator": "/sessions/list/2"}],
        "web_sessions": [{"hash": None, "bot_id": None, "bot_username": "orgauthbot", "domain": "auth.example.org",
                          "browser": "Chrome 119", "platform": "Windows", "ip": "3.5.140.2", "region": "Netherlands",
                          "created": None, "last_active": None, "locator": "/web_sessions/list/0"}],
        "security_log": [{"event": "password_change", "at": {"utc": "2026-11-21T02:05:44Z",
                          "original": "1795226744.000000", "basis": "unix"}, "app_id": 2040, "ip": "185.220.101.4",
                          "detail": {"email": "", "hint": "", "new_email": ""}, "locator": "/other_data/changes_log/1"}],
        "warnings": [{"locator": "/sessions/list/1/device_model", "message": "control byte written as \\x07"}],
    }
    errors = [e.message for e in v.iter_errors(sample)]
    check(not errors, f"a demo-like snapshot matches {errors or ''}")
    bad = json.loads(json.dumps(sample))
    bad["sessions"][0]["extra"] = 1
    bad["sessions"][0]["created"]["basis"] = "local_assumed"
    del bad["warnings"]
    check(len(list(v.iter_errors(bad))) == 3, "unknown key, snake_case enum and missing key are rejected")


def main() -> int:
    desktop_exports()
    transcriptions()
    images()
    demo()
    snapshot_schema()
    print(f"\n{len(failures)} failed" if failures else "\nall checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
