#!/usr/bin/env python3
"""Builds data/world.bin (country centroids, uncertainty radii and map outlines) and
data/country-names.tsv (English country names -> ISO 3166-1 alpha-2) from pinned packages.

    python3 scripts/world/build.py            # regenerate both files and their SOURCES.json entries
    python3 scripts/world/build.py --check    # rebuild in a temp dir, compare with data/

Inputs come from the npm registry through `npm pack` and are checked against the integrity hashes
pinned below before they are opened: Natural Earth admin-0 countries as TopoJSON (`world-atlas`)
and the ISO 3166-1 numeric -> alpha-2 table and English names (`i18n-iso-countries`). The output is
deterministic:
the same pins give byte-identical files. The format is described below and in
scripts/world/README.md, and read by src/model/world.rs; keep the three in step.

Format of world.bin (version 1; all integers little-endian; nothing needs parsing at start-up
beyond the header and one pass over the ring lengths):

    header     magic "SPWORLD\\0", u16 format version, u16 countries N, u32 rings R, u32 points P
    countries  N records of 22 bytes, sorted by code:
                 2 ASCII bytes  ISO 3166-1 alpha-2 code (XK for Kosovo)
                 i32 latitude, i32 longitude  of the centroid, in micro-degrees
                 u32 radius     metres from the centroid to the farthest vertex of the main landmass
                 u32 extent     metres from the centroid to the farthest vertex of any part
                 u16 first ring, u16 ring count  (count 0: no outline at map scale, draw a dot)
    rings      R x u16 point count (a country's rings are consecutive; points follow in the same order)
    points     P x (u16 longitude, u16 latitude), quantized: lon = -180 + q * 360 / 65535,
               lat = -90 + q * 180 / 65535 (about 0.6 km at the equator; the map is 1:110m)

Centroid, radius and extent come from the 1:50m shapes (1:10m for the few codes 1:50m lacks):
the centroid is the area-weighted centroid, on the sphere, of the country's largest polygon (its
main landmass, holes subtracted). The outlines are the 1:110m shapes, every ring (holes too; the
map fills them with the even-odd rule).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = "scripts/world/build.py"

# Pins: (name, version, npm dist.integrity, sha256 of the tarball, npm publish date of the version).
ATLAS_PKG = ("world-atlas", "2.0.2",
             "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==",
             "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97", "2024-12-07")
ISO_PKG = ("i18n-iso-countries", "7.14.0",
           "sha512-nXHJZYtNrfsi1UQbyRqm3Gou431elgLjKl//CYlnBGt5aTWdRPH1PiS2T/p/n8Q8LnqYqzQJik3Q7mkwvLokeg==",
           "bb418ebfb965789fcfbcce7dee59888d901ef64b03601da78b2e224cd6f5825c", "2025-07-17")

# Format constants; mirrored in src/model/world.rs.
MAGIC = b"SPWORLD\0"
FORMAT_VERSION = 1
HEADER = struct.Struct("<8sHHII")  # 20 bytes
RECORD = struct.Struct("<2siiIIHH")  # 22 bytes
EARTH_RADIUS_KM = 6371.0  # the mean radius src/analyze/signals.rs uses for great-circle distances

# Natural Earth shapes without an ISO 3166-1 numeric id, and what we do with them. ISO 3166 has no
# code for Somaliland or Northern Cyprus and IP geolocation reports them as SO and CY; Kosovo is
# reported as the user-assigned XK. Siachen is a disputed glacier with no code: left out.
UNCODED = {"Somaliland": "SO", "N. Cyprus": "CY", "Kosovo": "XK", "Siachen Glacier": None,
           "Indian Ocean Ter.": "split"}
# Natural Earth draws these territories as parts of another country, but ISO 3166-1 (and IP
# geolocation) give them their own code. A polygon whose outer ring's bounding box lies inside a
# box (west, east, south, north) moves to that code. Every rule must catch a polygon at 1:50m.
SPLITS = {
    "FR": [("GF", -55.0, -51.0, 2.0, 6.0), ("GP", -62.0, -61.0, 15.8, 16.6), ("MQ", -61.3, -60.8, 14.3, 14.9),
           ("RE", 55.0, 56.0, -21.5, -20.8), ("YT", 45.0, 45.3, -13.1, -12.6)],
    "NO": [("SJ", 0.0, 35.0, 74.0, 81.0), ("SJ", -9.5, -7.5, 70.5, 71.5)],
    "NL": [("BQ", -69.0, -62.0, 11.5, 18.0)],
    "Indian Ocean Ter.": [("CX", 105.0, 106.0, -11.0, -10.0), ("CC", 96.0, 97.5, -12.5, -11.5)],
}

ATLAS_ATTRIBUTION = (
    "Country shapes: Natural Earth (naturalearthdata.com) admin-0 countries 1:110m, 1:50m and 1:10m, version "
    "4.1.0, public domain, as TopoJSON from the npm package world-atlas 2.0.2 (ISC, Mike Bostock); centroids, "
    "radii and simplified outlines derived by sessionproof.")
NAMES_ATTRIBUTION = (
    "English country names, with the alternative spellings the package lists, and their ISO 3166-1 alpha-2 codes "
    "from the npm package i18n-iso-countries 7.14.0 (MIT, widdix GmbH), used to read the country names Telegram "
    "reports.")
ISO_ATTRIBUTION = (
    "ISO 3166-1 numeric to alpha-2 codes from the npm package i18n-iso-countries 7.14.0 (MIT, widdix GmbH), "
    "used to label the Natural Earth shapes.")


def fail(msg: str) -> None:
    sys.exit(f"build.py: {msg}")


def run(cmd: list[str], cwd: Path) -> None:
    print("  $", " ".join(cmd))
    res = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if res.returncode != 0:
        fail(f"`{' '.join(cmd)}` failed:\n{res.stdout}")


def npm_fetch(pkg: tuple[str, str, str, str, str], tmp: Path) -> Path:
    """`npm pack` one pinned package, check dist.integrity and sha256, return the unpacked folder."""
    name, version, integrity, sha256, _ = pkg
    run(["npm", "pack", f"{name}@{version}", "--silent"], tmp)
    tgz = tmp / f"{name}-{version}.tgz"
    data = tgz.read_bytes()
    got = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if got != integrity or hashlib.sha256(data).hexdigest() != sha256:
        fail(f"{tgz.name}: integrity mismatch (got {got}); the registry served other bytes than pinned")
    out = tmp / tgz.stem
    with tarfile.open(tgz) as tar:
        tar.extractall(out, filter="data")
    return out / "package"


# ---------------------------------------------------------------- TopoJSON


def read_topology(path: Path) -> list[tuple[str | None, str, list[list[list[tuple[float, float]]]]]]:
    """(numeric id or None, name, polygons) per country geometry; a polygon is [outer, holes...],
    a ring a list of (lon, lat) in degrees. Arcs are delta-encoded and quantized (TopoJSON 2.1)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = doc["transform"]["scale"], doc["transform"]["translate"]
    arcs = []
    for arc in doc["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(ids: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in ids:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        if not out or out[0] != out[-1]:
            fail(f"{path.name}: a ring of {len(out)} points does not close")
        return out[:-1]

    def polygon(rings: list[list[int]]) -> list[list[tuple[float, float]]] | None:
        """The rings of a polygon, the one enclosing the most area first (Antarctica's first ring
        is a tiny circle around the South Pole, cut out of the coastline's). Rings of fewer than 3
        distinct points (quantization slivers, a few at 1:10m) enclose nothing and are dropped,
        and with them a polygon whose outer ring is one."""
        outer, *holes = map(ring, rings)
        if len(set(outer)) < 3:
            return None
        kept = [outer] + [h for h in holes if len(set(h)) >= 3]
        return sorted(kept, key=ring_area, reverse=True)

    countries = []
    for g in doc["objects"]["countries"]["geometries"]:
        if g["type"] == "Polygon":
            polys = [g["arcs"]]
        elif g["type"] == "MultiPolygon":
            polys = g["arcs"]
        else:
            fail(f"{path.name}: unexpected geometry type {g['type']!r}")
        kept = [p for p in map(polygon, polys) if p is not None]
        countries.append((g.get("id"), g["properties"]["name"], kept))
    return countries


def inside(ring: list[tuple[float, float]], box: tuple[float, float, float, float]) -> bool:
    west, east, south, north = box
    return all(west <= x <= east and south <= y <= north for x, y in ring)


def by_code(path: Path, numeric: dict[str, str], split_hits: dict[tuple, int], only_known: bool = False
            ) -> dict[str, list]:
    """The polygons of each alpha-2 code, with the UNCODED and SPLITS rules applied. With
    `only_known`, shapes with neither an ISO id nor a rule are skipped instead of refused."""
    out: dict[str, list] = {}
    for num, name, polys in read_topology(path):
        if num is None:
            if only_known and name not in UNCODED:
                continue
            if name not in UNCODED:
                fail(f"{path.name}: {name!r} has no ISO numeric id and no rule in UNCODED")
            code = UNCODED[name]
            if code is None:
                continue
            parent = name if code == "split" else code
        else:
            if num not in numeric:
                fail(f"{path.name}: {name!r} has numeric id {num}, unknown to {ISO_PKG[0]}")
            code = parent = numeric[num]
        for poly in polys:
            target = parent
            for rule in SPLITS.get(parent, []):
                if inside(poly[0], rule[1:]):
                    target = rule[0]
                    split_hits[(path.name, parent) + rule] = split_hits.get((path.name, parent) + rule, 0) + 1
                    break
            if target == "split":
                fail(f"{path.name}: a polygon of {name!r} matches no SPLITS rule")
            out.setdefault(target, []).append(poly)
    return out


# ---------------------------------------------------------------- geometry on the sphere


def unit(lon: float, lat: float) -> tuple[float, float, float]:
    lo, la = math.radians(lon), math.radians(lat)
    return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))


def jumps(ring: list[tuple[float, float]]) -> int:
    """How many edges jump across the antimeridian (from about -180 to about 180 or back)."""
    return sum(1 for a, b in zip(ring, ring[1:] + ring[:1]) if abs(a[0] - b[0]) > 180.0)


def unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring with longitudes made continuous (some beyond ±180), for a ring that crosses the
    antimeridian: and comes back (Russia's Chukotka, Fiji), or once, around the South Pole."""
    if not jumps(ring):
        return ring
    out, shift = [ring[0]], 0.0
    for (x0, _), (x1, y1) in zip(ring, ring[1:]):
        if x1 - x0 > 180.0:
            shift -= 360.0
        elif x0 - x1 > 180.0:
            shift += 360.0
        out.append((x1 + shift, y1))
    return out


def clip(ring: list[tuple[float, float]], at: float, keep_west: bool) -> list[tuple[float, float]]:
    """Sutherland-Hodgman: the part of the ring west (or east) of the meridian `at`."""
    keep = (lambda x: x <= at) if keep_west else (lambda x: x >= at)
    out = []
    for a, b in zip(ring, ring[1:] + ring[:1]):
        if keep(a[0]):
            out.append(a)
        if keep(a[0]) != keep(b[0]):
            out.append((at, a[1] + (b[1] - a[1]) * (at - a[0]) / (b[0] - a[0])))
    return out


def split_at_antimeridian(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that crosses the antimeridian and comes back, as one ring on each side of it, so a
    map with the antimeridian at its edges draws no line across the world."""
    if jumps(ring) % 2 == 0 and jumps(ring):
        u = unwrap(ring)
    else:
        return [ring]
    west, east = min(x for x, _ in u), max(x for x, _ in u)
    at = 180.0 if east > 180.0 else -180.0
    shift = -360.0 if east > 180.0 else 360.0
    main, other = clip(u, at, east > 180.0), clip(u, at, west < -180.0)
    return [r for r in (main, [(x + shift, y) for x, y in other]) if len(r) >= 3]


def ring_area(ring: list[tuple[float, float]]) -> float:
    """Area in km^2: the shoelace formula in the cylindrical equal-area projection (x = lon,
    y = sin lat), exact up to the straight-edge approximation between the dense vertices. A ring
    around a pole is closed over the pole it surrounds."""
    ring = unwrap(ring)
    if abs(ring[-1][0] - ring[0][0]) > 180.0:  # winds once around a pole
        pole = -90.0 if sum(y for _, y in ring) < 0 else 90.0
        ring = ring + [(ring[-1][0], pole), (ring[0][0], pole)]
    s = 0.0
    n = len(ring)
    for i in range(n):
        (x1, y1), (x2, y2) = ring[i], ring[(i + 1) % n]
        s += math.radians(x1) * math.sin(math.radians(y2)) - math.radians(x2) * math.sin(math.radians(y1))
    return abs(s) / 2 * EARTH_RADIUS_KM ** 2


def ring_moment(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """The integral of the unit position vector over the region the ring encloses (the side that
    contains its vertices' mean direction). By Stokes, it is half the sum over the edges of the
    arc length times the unit normal of the edge's great circle."""
    pts = [unit(x, y) for x, y in ring]
    m = [0.0, 0.0, 0.0]
    for a, b in zip(pts, pts[1:] + pts[:1]):
        c = (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])
        norm = math.sqrt(c[0] ** 2 + c[1] ** 2 + c[2] ** 2)
        if norm == 0.0:
            continue
        theta = math.atan2(norm, a[0] * b[0] + a[1] * b[1] + a[2] * b[2])
        for k in range(3):
            m[k] += theta * c[k] / norm / 2
    mean = [sum(p[k] for p in pts) for k in range(3)]
    if sum(m[k] * mean[k] for k in range(3)) < 0:
        m = [-v for v in m]
    return (m[0], m[1], m[2])


def polygon_area(poly: list) -> float:
    return ring_area(poly[0]) - sum(ring_area(h) for h in poly[1:])


def centroid(poly: list) -> tuple[float, float]:
    """Area-weighted centroid on the sphere of a polygon with holes, as (lat, lon) in degrees."""
    outer = ring_moment(poly[0])
    holes = [ring_moment(h) for h in poly[1:]]
    v = [outer[k] - sum(h[k] for h in holes) for k in range(3)]
    norm = math.sqrt(sum(c * c for c in v))
    if norm == 0.0:
        fail("a polygon has no centroid (zero moment)")
    return (math.degrees(math.asin(max(-1.0, min(1.0, v[2] / norm)))), math.degrees(math.atan2(v[1], v[0])))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), as in src/analyze/signals.rs."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def geo_of(polys: list) -> dict:
    main = max(polys, key=polygon_area)
    lat, lon = centroid(main)
    radius = max(distance_km(lat, lon, y, x) for x, y in main[0])
    extent = max(distance_km(lat, lon, y, x) for p in polys for x, y in p[0])
    return {"lat": lat, "lon": lon, "radius_km": radius, "extent_km": extent, "parts": len(polys),
            "main_area_km2": polygon_area(main)}


# ---------------------------------------------------------------- encoding


def quantize(lon: float, lat: float) -> tuple[int, int]:
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        fail(f"coordinate out of range: {lon}, {lat}")
    return round((lon + 180.0) / 360.0 * 65535), round((lat + 90.0) / 180.0 * 65535)


def map_rings(polys: list) -> list[list[tuple[int, int]]]:
    """Every ring, split at the antimeridian and quantized, with consecutive duplicate points
    (after quantizing) dropped."""
    out = []
    for poly in polys:
        for ring in (part for r in poly for part in split_at_antimeridian(r)):
            q: list[tuple[int, int]] = []
            for x, y in ring:
                p = quantize(x, y)
                if not q or q[-1] != p:
                    q.append(p)
            while len(q) > 1 and q[0] == q[-1]:
                q.pop()
            if len(q) >= 3:
                out.append(q)
    return out


def encode(geo: dict[str, dict], rings: dict[str, list]) -> bytes:
    codes = sorted(geo)
    records, ring_lens, points = bytearray(), bytearray(), bytearray()
    n_rings = n_points = 0
    for code in codes:
        g, rs = geo[code], rings.get(code, [])
        if len(code) != 2 or not code.isascii() or not code.isupper():
            fail(f"bad code {code!r}")
        if n_rings + len(rs) > 0xFFFF:
            fail("too many rings for a u16 ring index")
        records += RECORD.pack(code.encode(), round(g["lat"] * 1e6), round(g["lon"] * 1e6),
                               round(g["radius_km"] * 1000), round(g["extent_km"] * 1000), n_rings if rs else 0,
                               len(rs))
        for r in rs:
            if len(r) > 0xFFFF:
                fail(f"{code}: a ring of {len(r)} points is too long for a u16 count")
            ring_lens += struct.pack("<H", len(r))
            points += b"".join(struct.pack("<HH", x, y) for x, y in r)
            n_points += len(r)
        n_rings += len(rs)
    return HEADER.pack(MAGIC, FORMAT_VERSION, len(codes), n_rings, n_points) + records + ring_lens + points


def self_check(blob: bytes, geo: dict[str, dict], rings: dict[str, list]) -> None:
    """Reads the file back the way src/model/world.rs does and compares every field."""
    magic, version, n, r, p = HEADER.unpack_from(blob)
    if (magic, version) != (MAGIC, FORMAT_VERSION) or len(blob) != HEADER.size + n * RECORD.size + 2 * r + 4 * p:
        fail("self-check: header or size mismatch")
    lens = struct.unpack_from(f"<{r}H", blob, HEADER.size + n * RECORD.size)
    starts = [0]
    for length in lens:
        starts.append(starts[-1] + length)
    pts_at = HEADER.size + n * RECORD.size + 2 * r
    for i, code in enumerate(sorted(geo)):
        c, lat, lon, radius, extent, first, count = RECORD.unpack_from(blob, HEADER.size + i * RECORD.size)
        g = geo[code]
        if c.decode() != code or abs(lat / 1e6 - g["lat"]) > 1e-6 or abs(lon / 1e6 - g["lon"]) > 1e-6 \
                or abs(radius / 1000 - g["radius_km"]) > 1e-3 or abs(extent / 1000 - g["extent_km"]) > 1e-3:
            fail(f"self-check: record {code} reads back wrong")
        got = [[struct.unpack_from("<HH", blob, pts_at + 4 * k) for k in range(starts[j], starts[j + 1])]
               for j in range(first, first + count)]
        if got != [[tuple(pt) for pt in ring] for ring in rings.get(code, [])]:
            fail(f"self-check: rings of {code} read back wrong")
    print(f"  world.bin: self-check of {n} countries, {r} rings, {p} points passed")


# ---------------------------------------------------------------- country names


NAMES_HEADER = (
    "# English country names and their ISO 3166-1 alpha-2 codes, one name per line: code, a tab, the name.\n"
    f"# From langs/en.json of npm {ISO_PKG[0]} {ISO_PKG[1]}: each code's name first, then the package's other\n"
    "# spellings. Generated by scripts/world/build.py; do not edit (src/model/countries.rs reads it).\n")


def country_names(iso: Path, codes: set[str]) -> tuple[bytes, dict]:
    """country-names.tsv from the package's English names, sorted by code, names in the package's order."""
    doc = json.loads((iso / "langs" / "en.json").read_text(encoding="utf-8"))
    if doc.get("locale") != "en":
        fail(f"langs/en.json: locale is {doc.get('locale')!r}, not 'en'")
    lines, count = [], 0
    for code, names in sorted(doc["countries"].items()):
        if code not in codes:
            fail(f"langs/en.json: {code!r} is not in codes.json")
        for name in names if isinstance(names, list) else [names]:
            if not isinstance(name, str) or not name.strip() or any(c in name for c in "\t\r\n"):
                fail(f"langs/en.json: {code}: unexpected name {name!r}")
            lines.append(f"{code}\t{name}\n")
            count += 1
    blob = (NAMES_HEADER + "".join(lines)).encode("utf-8")
    return blob, {"codes": len(doc["countries"]), "names": count}


# ---------------------------------------------------------------- output


def build(tmp: Path) -> tuple[dict[str, bytes], dict, dict[str, Path], list[dict]]:
    print("fetching pinned packages")
    atlas = npm_fetch(ATLAS_PKG, tmp)
    iso = npm_fetch(ISO_PKG, tmp)
    numeric = {}
    for row in json.loads((iso / "codes.json").read_text(encoding="utf-8")):
        alpha2, _, num = row[0], row[1], row[2]
        if len(alpha2) != 2 or len(num) != 3 or not num.isdigit() or num in numeric:
            fail(f"codes.json: unexpected row {row!r}")
        numeric[num] = alpha2

    print("reading the shapes")
    hits: dict[tuple, int] = {}
    detailed = by_code(atlas / "countries-50m.json", numeric, hits)
    finest = by_code(atlas / "countries-10m.json", numeric, hits, only_known=True)
    small = by_code(atlas / "countries-110m.json", numeric, hits)
    for parent, rules in SPLITS.items():
        for rule in rules:
            if not hits.get(("countries-50m.json", parent) + rule):
                fail(f"SPLITS rule {rule} of {parent} catches no polygon at 1:50m; check the pins")
    from_10m = sorted(set(finest) - set(detailed))
    geo = {code: geo_of(polys) for code, polys in detailed.items()}
    geo |= {code: geo_of(finest[code]) for code in from_10m}
    extra = sorted(set(small) - set(geo))
    if extra:
        fail(f"1:110m has codes 1:50m and 1:10m lack: {extra}")
    rings = {code: map_rings(polys) for code, polys in small.items()}

    print("encoding world.bin")
    blob = encode(geo, rings)
    self_check(blob, geo, rings)
    no_shape = sorted(set(geo) - {c for c, r in rings.items() if r})
    iso_missing = sorted(set(numeric.values()) - set(geo))
    stats = {"countries": len(geo), "with_outline": len(geo) - len(no_shape),
             "rings": sum(len(r) for r in rings.values()),
             "points": sum(len(x) for r in rings.values() for x in r)}
    notes = [
        "Centroid: the area-weighted centroid on the sphere of the country's largest polygon (main landmass, "
        "holes subtracted), from the 1:50m shapes. radius: great-circle distance from it to the farthest vertex "
        "of that polygon; extent: the same over every part of the country (islands, exclaves).",
        f"Centroids from the 1:10m shapes (absent at 1:50m): {', '.join(from_10m) or 'none'}.",
        "Parts given their own ISO code by bounding box: " + "; ".join(
            f"{parent} -> {', '.join(sorted({r[0] for r in rules}))}" for parent, rules in SPLITS.items()) + ".",
        "Natural Earth shapes without an ISO code: Somaliland counted as SO, N. Cyprus as CY, Kosovo as XK; "
        "Siachen Glacier left out.",
        f"No outline at 1:110m (the map draws a dot): {', '.join(no_shape)}.",
        f"ISO 3166-1 codes with no shape at any scale (no centroid): {', '.join(iso_missing) or 'none'}.",
    ]
    names, name_stats = country_names(iso, set(numeric.values()))
    licences = {"world-atlas": atlas / "LICENSE", "i18n-iso-countries": iso / "LICENSE"}
    digest = hashlib.sha256(blob).hexdigest()
    sources = [
        {"id": "embedded-world-shapes", "name": "Natural Earth admin-0 countries 4.1.0 (world-atlas TopoJSON)",
         "generator": GENERATOR, "package": f"npm {ATLAS_PKG[0]}", "version": ATLAS_PKG[1],
         "integrity": ATLAS_PKG[2], "build_date": ATLAS_PKG[4], "licence": "ISC",
         "attribution": ATLAS_ATTRIBUTION, "layers": ["country-centroids", "world-map"],
         "files": {"world.bin": digest}, "licence_files": ["licences/world-atlas/LICENSE"],
         "licence_note": "Natural Earth data is in the public domain (naturalearthdata.com, Terms of Use); the "
                         "ISC licence of world-atlas covers its TopoJSON packaging and is copied here.",
         "stats": stats, "notes": notes},
        {"id": "embedded-world-codes", "name": "ISO 3166-1 numeric and alpha-2 codes (i18n-iso-countries)",
         "generator": GENERATOR, "package": f"npm {ISO_PKG[0]}", "version": ISO_PKG[1], "integrity": ISO_PKG[2],
         "build_date": ISO_PKG[4], "licence": "MIT", "attribution": ISO_ATTRIBUTION,
         "layers": ["country-centroids", "world-map"], "files": {"world.bin": digest},
         "licence_files": ["licences/i18n-iso-countries/LICENSE"],
         "licence_note": "Only codes.json is used (numeric -> alpha-2); none of the package's code is embedded.",
         "notes": []},
        {"id": "embedded-country-names", "name": "English country names and ISO 3166-1 alpha-2 codes (i18n-iso-countries)",
         "generator": GENERATOR, "package": f"npm {ISO_PKG[0]}", "version": ISO_PKG[1], "integrity": ISO_PKG[2],
         "build_date": ISO_PKG[4], "licence": "MIT", "attribution": NAMES_ATTRIBUTION,
         "layers": ["country-names"], "files": {"country-names.tsv": hashlib.sha256(names).hexdigest()},
         "licence_files": ["licences/i18n-iso-countries/LICENSE"],
         "licence_note": "Only langs/en.json is used (English names -> alpha-2), copied unchanged as a table; none of "
                         "the package's code is embedded. Spellings the package lacks are added in "
                         "src/model/countries.rs, in sessionproof's own words.",
         "stats": name_stats, "notes": []},
    ]
    return {"world.bin": blob, "country-names.tsv": names}, geo, licences, sources


LICENCE_URLS = {"ISC": "https://opensource.org/license/isc-license-txt",
                "MIT": "https://opensource.org/license/mit"}
BEGIN, END = "<!-- begin: scripts/world/build.py -->", "<!-- end: scripts/world/build.py -->"


def attribution_section(sources: list[dict]) -> str:
    lines = [BEGIN, "", "# Attribution and licences of the embedded world data and country names", "",
             f"Generated by `{GENERATOR}` between the markers; do not edit by hand.", ""]
    for s in sources:
        lines += [f"## {s['id']}: {s['name']}", "",
                  f"- Package: `{s['package']}` version `{s['version']}` ({s['integrity']})",
                  f"- Package published: {s['build_date']}",
                  f"- Licence: {s['licence']} ({LICENCE_URLS[s['licence']]})",
                  f"- Files: {', '.join('`' + f + '`' for f in s['files'])}",
                  f"- Licence texts from the package: {', '.join('`' + f + '`' for f in s['licence_files'])}", "",
                  "Required attribution:", "", f"> {s['attribution']}", "", s["licence_note"], ""]
    return "\n".join(lines + [END, ""])


def write(out: Path, files: dict[str, bytes], licences: dict[str, Path], sources: list[dict]) -> None:
    """world.bin, country-names.tsv, the licence texts, and our entries merged into SOURCES.json and
    ATTRIBUTION.md (the entries and text of other generators are kept as they are)."""
    out.mkdir(parents=True, exist_ok=True)
    for name, blob in files.items():
        (out / name).write_bytes(blob)
    for folder, src in licences.items():
        (out / "licences" / folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, out / "licences" / folder / "LICENSE")
    path = out / "SOURCES.json"
    doc = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"sources": []}
    ours = {s["id"] for s in sources}
    doc["sources"] = [s for s in doc["sources"] if s["id"] not in ours] + sources
    path.write_text(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path = out / "ATTRIBUTION.md"
    md = md_path.read_text(encoding="utf-8") if md_path.exists() else ""
    if BEGIN in md and END in md:
        # Replaced where it stands, so text written by hand after it stays after it.
        after = md[md.index(END) + len(END):].lstrip("\n")
        md = md[:md.index(BEGIN)] + attribution_section(sources) + ("\n" + after if after else "")
    else:
        md = (md.rstrip("\n") + "\n\n" if md.strip() else "") + attribution_section(sources)
    md_path.write_text(md, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="rebuild in a temp dir and compare with data/")
    ap.add_argument("--out", type=Path, default=ROOT / "data", help="output folder (default: data/)")
    args = ap.parse_args()
    if not hasattr(tarfile, "data_filter"):
        fail("needs Python 3.11.4+ or 3.10.12+ (safe tar extraction filters)")
    with tempfile.TemporaryDirectory(prefix="sessionproof-world-") as t:
        tmp = Path(t)
        work = tmp / "work"
        work.mkdir()
        files, geo, licences, sources = build(work)
        for code in ("DE", "FR", "US", "RU", "IR", "SG"):
            g = geo[code]
            print(f"  {code}: {g['lat']:.3f}, {g['lon']:.3f}, radius {g['radius_km']:.0f} km, "
                  f"extent {g['extent_km']:.0f} km")
        for name, blob in files.items():
            print(f"  {name}: {len(blob):,} bytes")
        if not args.check:
            write(args.out, files, licences, sources)
            return
        out = tmp / "out"
        for name in ("SOURCES.json", "ATTRIBUTION.md"):
            if (args.out / name).exists():
                out.mkdir(exist_ok=True)
                shutil.copyfile(args.out / name, out / name)
        write(out, files, licences, sources)
        ours = [*files, "SOURCES.json", "ATTRIBUTION.md"] + [f"licences/{f}/LICENSE" for f in licences]
        diff = [p for p in ours if not (args.out / p).is_file() or (args.out / p).read_bytes() != (out / p).read_bytes()]
        if diff:
            fail("data/ differs from a fresh build: " + ", ".join(diff))
        print("data/ matches a fresh build byte for byte")


if __name__ == "__main__":
    main()
