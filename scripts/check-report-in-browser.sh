#!/usr/bin/env bash
# Opens the demo report, its brief and a report of hostile input in headless Chromium with the
# network off (tests/browser/check-report.mjs says what must hold) and keeps the screenshots in
# OUT (default target/browser-check) for a person to look at. Needs Debian's `chromium` and
# Node.js; run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/browser-check}
now=2026-11-27T10:00:00Z
rm -rf "$out"
mkdir -p "$out"
bin=target/debug/sessionproof
cargo build --locked --quiet

(cd tests/browser && npm ci --no-audit --no-fund --silent)

"$bin" demo --out "$out/demo" --now "$now" >/dev/null
demo_bundle=$(echo "$out"/demo/case/reports/*/)
node tests/browser/check-report.mjs "$demo_bundle/report.html" "$out/demo-report.png" \
    "DEMO-2026-0001" "3.5.140.2" "185.220.101.4"
node tests/browser/check-report.mjs "$demo_bundle/brief.html" "$out/demo-brief.png" \
    "Request to Telegram support" "3.5.140.2"

# Persian: laid out right to left, the hostile-free demo in another script.
"$bin" demo --out "$out/demo-fa" --lang fa --now "$now" >/dev/null
node tests/browser/check-report.mjs "$(echo "$out"/demo-fa/case/reports/*/report.html)" "$out/demo-fa-report.png" \
    "DEMO-2026-0001" "3.5.140.2"

hostile="$out/hostile"
"$bin" case init "$hostile" --now "$now" >/dev/null
"$bin" import "$hostile" fixtures/tdesktop-json/html-injection.json --now "$now" >/dev/null
"$bin" report "$hostile" --now "$now" >/dev/null
node tests/browser/check-report.mjs "$(echo "$hostile"/reports/*/report.html)" "$out/hostile-report.png" \
    "<img src=x onerror=alert(1)>" "<script>alert(1)</script>"
echo "browser check passed; screenshots in $out"
