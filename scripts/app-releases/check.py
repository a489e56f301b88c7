#!/usr/bin/env python3
"""Checks the Telegram Desktop rows of data/telegram-releases.tsv against the upstream changelog
shipped in the Debian package telegram-desktop 5.7.2+ds-6.

    python3 scripts/app-releases/check.py [path/to/telegram-desktop_5.7.2+ds-6_amd64.deb]

Without a path it runs `apt-get download telegram-desktop=5.7.2+ds-6`, which needs a Debian
suite that still carries that version in the apt sources. The .deb's SHA-256 must match the one
pinned below. Every row whose source is `deb-tdesktop` must be the first stable (non-beta) entry
of its release line in the changelog, with the same date. Exit status 0 when all rows match.
Needs python3, dpkg-deb and (without a path) apt-get.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "data" / "telegram-releases.tsv"
PACKAGE = "telegram-desktop=5.7.2+ds-6"
SHA256 = "4c48a178cc994955c91ca20b1d3a82097e57d259d17b948a92e9f888776b0e63"
CHANGELOG = "usr/share/doc/telegram-desktop/changelog.gz"
ENTRY = re.compile(r"^(\d+)\.(\d+)((?:\.\d+)*) \((\d\d)\.(\d\d)\.(\d\d)\)(.*)$")


def first_stable_entries(text: str) -> dict[tuple[int, int], tuple[str, str]]:
    """(major, minor) -> (version, YYYY-MM-DD) of the earliest non-beta entry of each line."""
    first: dict[tuple[int, int], tuple[str, str]] = {}
    for line in text.splitlines():
        m = ENTRY.match(line.strip())
        if not m or re.search(r"\b(beta|alpha|dev)\b", m.group(7)):
            continue
        major, minor, rest, day, month, year, _ = m.groups()
        version, date = f"{major}.{minor}{rest}", f"20{year}-{month}-{day}"
        key = (int(major), int(minor))
        parts = lambda v: tuple(int(p) for p in v.split("."))  # noqa: E731
        if key not in first or (date, parts(version)) < (first[key][1], parts(first[key][0])):
            first[key] = (version, date)
    return first


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        if len(sys.argv) > 1:
            deb = Path(sys.argv[1])
        else:
            subprocess.run(["apt-get", "download", PACKAGE], cwd=tmp, check=True)
            deb = next(Path(tmp).glob("telegram-desktop_*.deb"))
        digest = hashlib.sha256(deb.read_bytes()).hexdigest()
        if digest != SHA256:
            print(f"{deb}: sha256 {digest}, expected {SHA256}")
            return 1
        subprocess.run(["dpkg-deb", "-x", str(deb), f"{tmp}/x"], check=True)
        entries = first_stable_entries(gzip.decompress(Path(tmp, "x", CHANGELOG).read_bytes()).decode())
    bad = 0
    rows = 0
    for n, line in enumerate(TABLE.read_text(encoding="utf-8").splitlines(), 1):
        cols = line.split("\t")
        if cols[0] != "release" or cols[-1] != "deb-tdesktop":
            continue
        rows += 1
        _, app, version, date, _ = cols
        major, minor = (int(p) for p in version.split(".")[:2])
        want = entries.get((major, minor))
        if app != "desktop" or want != (version, date):
            print(f"line {n}: {app} {version} {date}; the changelog's first stable entry of the line is {want}")
            bad += 1
    print(f"{rows - bad} of {rows} deb-tdesktop rows match the changelog")
    return 1 if bad or rows == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
