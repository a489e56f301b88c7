#!/usr/bin/env bash
# End-to-end speed of the release binary, as a responder runs it (issue 8):
#   (a) `sessionproof demo --out DIR`: the whole pipeline on the built-in sample case, one warm-up
#       run then the median of RUNS_DEMO (default 7) runs, each into a fresh folder;
#   (b) for each N in SIZES (default "10 1000 100000"): N generated sessions as CSV
#       (scripts/gen-sessions.py), then `case init`, `import`, `analyze --json` and `report`, each
#       timed on its own and in total, median of RUNS (default 3) runs, each run in a fresh case.
# Wall time is python3's time.perf_counter around each process; peak memory is the process's
# maximum resident set size from wait4(2), the figure `/usr/bin/time -f %M` prints.
#
# Guards: every step runs under an address-space limit of BENCH_MEM_LIMIT_MB (default 12000) and
# a time limit of BENCH_STEP_TIMEOUT seconds (default 1800); hitting either is reported in the
# table as a result, and the script goes on. `report` of 100,000 sessions writes a detail section
# per flagged session (hundreds of thousands of PDF pages, minutes, gigabytes), so it runs only
# with BENCH_BIG_REPORT=1 and is otherwise reported as skipped.
#
# Needs cargo and python3. Run from anywhere; prints a markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked --quiet
bin="$PWD/target/release/sessionproof"
work=$(mktemp -d "${TMPDIR:-/tmp}/sessionproof-e2e.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "== machine"
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$bin" "$work" <<'PY'
import os, resource, shutil, signal, statistics, subprocess, sys, threading, time

bin_, work = sys.argv[1], sys.argv[2]
sizes = [int(s) for s in os.environ.get("SIZES", "10 1000 100000").split()]
runs_demo = int(os.environ.get("RUNS_DEMO", "7"))
runs = int(os.environ.get("RUNS", "3"))
big_report = os.environ.get("BENCH_BIG_REPORT") == "1"
limit_mb = int(os.environ.get("BENCH_MEM_LIMIT_MB", "12000"))
timeout = float(os.environ.get("BENCH_STEP_TIMEOUT", "1800"))
BIG = 100_000  # from this many sessions on, `report` needs BENCH_BIG_REPORT=1


def limit():
    resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))


def run(args, stdout=subprocess.DEVNULL):
    """Runs one step; returns (seconds, peak RSS in KiB, None) or (seconds, peak, why it failed)."""
    err_path = os.path.join(work, "stderr.txt")
    with open(err_path, "wb") as err:
        start = time.perf_counter()
        p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=stdout, stderr=err, preexec_fn=limit)
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        _, status, usage = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - start
        timed_out = not timer.is_alive()
        timer.cancel()
        timer.join()  # no thread left when the next step forks
    p.returncode = os.waitstatus_to_exitcode(status)
    stderr = open(err_path, "rb").read().decode("utf-8", "replace")
    why = None
    if timed_out:
        why = f"stopped after {timeout:.0f} s (BENCH_STEP_TIMEOUT)"
    elif p.returncode != 0:
        if "memory allocation" in stderr or p.returncode in (-signal.SIGABRT, -signal.SIGKILL):
            why = f"out of memory under the {limit_mb} MB address-space limit"
        else:
            why = f"exit {p.returncode}: {stderr.strip().splitlines()[-1] if stderr.strip() else 'no message'}"
    return seconds, usage.ru_maxrss, why


def ms(s):
    return f"{s * 1000:,.0f} ms" if s < 10 else f"{s:,.1f} s"


def mb(kib):
    return f"{kib / 1024:,.0f} MB"


# (a) demo
times, peak, failure = [], 0, None
for i in range(runs_demo + 1):
    out = os.path.join(work, f"demo-{i}")
    s, rss, failure = run([bin_, "demo", "--out", out])
    shutil.rmtree(out, ignore_errors=True)
    peak = max(peak, rss)
    if failure:
        break
    if i > 0:  # the first run is a warm-up (binary and data into the page cache)
        times.append(s)
print()
if failure:
    print(f"`sessionproof demo`: failed ({failure}), peak memory {mb(peak)}")
else:
    print(f"`sessionproof demo`: median {ms(statistics.median(times))} of {runs_demo} runs "
          f"({ms(min(times))}–{ms(max(times))}), peak memory {mb(peak)} (target < 300 ms)")

# (b) import + analyze + report of N generated sessions
steps = ["case init", "import", "analyze --json", "report"]
rows = []
for n in sizes:
    csv = os.path.join(work, f"sessions-{n}.csv")
    with open(csv, "wb") as f:
        subprocess.run([sys.executable, "scripts/gen-sessions.py", str(n)], stdout=f, check=True)
    per = {s: [] for s in steps}
    peaks = {s: 0 for s in steps}
    failed = {}
    totals = []
    for r in range(runs):
        case = os.path.join(work, f"case-{n}-{r}")
        total = 0.0
        for step in steps:
            if step in failed:
                break  # a step that failed in an earlier run is not retried, nor anything after it
            if step == "case init":
                args = [bin_, "case", "init", case, "--subject-tz", "Europe/Berlin", "--now", "2026-11-27T09:00:00Z"]
            elif step == "import":
                args = [bin_, "import", case, csv, "--format", "csv", "--now", "2026-11-27T09:00:01Z"]
            elif step == "analyze --json":
                args = [bin_, "analyze", case, "--json", "--now", "2026-11-27T10:00:00Z"]
            else:
                if n >= BIG and not big_report:
                    failed[step] = "skipped: set BENCH_BIG_REPORT=1 (a detail section per flagged session: minutes, gigabytes)"
                    continue
                args = [bin_, "report", case, "--now", "2026-11-27T10:00:01Z"]
            s, rss, why = run(args)
            peaks[step] = max(peaks[step], rss)
            if why:
                failed[step] = why
                for later in steps[steps.index(step) + 1:]:
                    failed.setdefault(later, f"not run: {step} failed")
                break
            per[step].append(s)
            total += s
            if step == "case init":
                # The subject's declared phone, as in bench-report.sh: a fifth of the sessions are on it.
                with open(os.path.join(case, "case.toml"), "a") as t:
                    t.write('\n[[subject.devices]]\nmodel = "Pixel 8"\n')
        totals.append(total)
        shutil.rmtree(case, ignore_errors=True)
    cells = []
    for step in steps:
        if step in failed:
            cells.append(failed[step])
        else:
            cells.append(f"{ms(statistics.median(per[step]))} ({mb(peaks[step])})")
    steps_in_total = "all four" if not failed else "without " + ", ".join(failed)
    rows.append((n, cells, f"**{ms(statistics.median(totals))}** ({steps_in_total})", mb(max(peaks.values()))))

print()
print(f"Median of {runs} runs per step (peak memory of the step, largest over the runs):")
print()
print("| sessions | case init | import | analyze --json | report | total | peak memory |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for n, cells, total, peak in rows:
    print(f"| {n:,} | " + " | ".join(cells) + f" | {total} | {peak} |")
PY

echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
