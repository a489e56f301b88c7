#!/usr/bin/env bash
# Report rendering speed: a case of N generated sessions (default 5,000) is imported once, then
# `sessionproof report` (enrichment, analysis, HTML, PDF, CASE/UCO, brief, manifest) is timed
# over several runs, and Chromium's --print-to-pdf of the same report.html is timed beside it.
# Prints the figures that go into BENCHMARKS.md. Needs cargo, python3 and Debian's chromium
# (CHROMIUM=0 skips it: minutes per run).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5000}
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --locked --quiet
bin=target/release/sessionproof

# Deterministic sessions (scripts/gen-sessions.py, shared with bench-e2e.sh): a fifth on the
# owner's Pixel, the rest spread over apps, devices, addresses anywhere in IPv4 and three weeks.
python3 scripts/gen-sessions.py "$n" > "$work/sessions.csv"
"$bin" case init "$work/case" --subject-tz Europe/Berlin --now 2026-11-27T09:00:00Z >/dev/null
cat >> "$work/case/case.toml" <<'TOML'

[[subject.devices]]
model = "Pixel 8"
TOML
"$bin" import "$work/case" "$work/sessions.csv" --format csv --now 2026-11-27T09:00:01Z >/dev/null

ms() { python3 -c 'import sys,time; print(int(time.time()*1000))'; }
times=()
for i in $(seq 1 "$runs"); do
    t0=$(ms)
    "$bin" report "$work/case" --now "2026-11-27T10:00:0${i}Z" >/dev/null
    t1=$(ms)
    times+=($((t1 - t0)))
done
bundle=$(ls -d "$work"/case/reports/*/ | tail -n 1)
pages=$(python3 -c "import re,sys; print(len(re.findall(rb'/Type\s*/Page[^s]', open(sys.argv[1],'rb').read())))" "$bundle/report.pdf")
echo "sessions: $n; report.pdf: $(stat -c %s "$bundle/report.pdf") bytes, $pages pages; report.html: $(stat -c %s "$bundle/report.html") bytes"
echo "sessionproof report (whole bundle), ms per run: ${times[*]}"

if [ "${CHROMIUM:-1}" != 0 ] && command -v chromium >/dev/null; then
    ctimes=()
    for i in $(seq 1 "$runs"); do
        t0=$(ms)
        # A profile of its own: a Chromium left running elsewhere holds the default one's lock,
        # and the page would then wait for it forever.
        chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
            --user-data-dir="$work/chromium-profile-$i" \
            --print-to-pdf="$work/chromium.pdf" "file://$bundle/report.html" >/dev/null 2>&1
        t1=$(ms)
        ctimes+=($((t1 - t0)))
    done
    echo "chromium --print-to-pdf of the same report.html, ms per run: ${ctimes[*]}"
fi
