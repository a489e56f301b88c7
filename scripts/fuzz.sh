#!/usr/bin/env bash
# Fuzzes every input parser and the bundle verifier with cargo-fuzz (the crate in fuzz/).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Builds every target once, seeds each target's corpus from fixtures/, then runs each target
# for SECONDS (default 60), two at a time. CI runs `scripts/fuzz.sh 60`; the long run is
# `scripts/fuzz.sh 3600` (an hour per target, about six hours in all on two cores).
#
# Corpora grow in target/fuzz-corpus/<target>/ and are kept between runs (never committed);
# logs go to target/fuzz-logs/<target>.log. A crash, hang (10 s per input) or out-of-memory
# input is saved under target/fuzz-artifacts/<target>/ and makes the script exit non-zero with
# the command that reproduces it. Every crash becomes a regression test named after it in
# tests/suite/fuzz_regressions.rs.
#
# Only the stable toolchain is needed: RUSTC_BOOTSTRAP=1 lets it take the nightly flags cargo-fuzz
# passes (-Zsanitizer=address, sanitizer coverage). cargo-fuzz 0.13.2 is installed if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
all_targets=(tdesktop_json tdesktop_html telethon_json pyrogram_json grammers_json tdlib_json tl csv transcribed
    case_toml detect verify_bundle)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
case $seconds in '' | *[!0-9]*)
    echo "fuzz.sh: SECONDS must be a whole number, not '$seconds'" >&2
    exit 2
    ;;
esac
for t in "${targets[@]}"; do
    [[ " ${all_targets[*]} " == *" $t "* ]] || {
        echo "fuzz.sh: unknown target '$t'; targets: ${all_targets[*]}" >&2
        exit 2
    }
done

export RUSTC_BOOTSTRAP=1
if ! cargo fuzz --version 2>/dev/null | grep -qx 'cargo-fuzz 0.13.2'; then
    echo "installing cargo-fuzz 0.13.2"
    cargo install --locked --quiet cargo-fuzz --version 0.13.2
fi

# cargo fuzz has no --locked: check the committed fuzz/Cargo.lock first, so the build uses it as is.
if ! cargo metadata --quiet --locked --format-version 1 --manifest-path fuzz/Cargo.toml >/dev/null; then
    echo "fuzz.sh: fuzz/Cargo.lock does not match the crates; run \`cargo update --manifest-path fuzz/Cargo.toml --workspace\` and commit fuzz/Cargo.lock" >&2
    exit 2
fi

# One build of every target: release with debug assertions and overflow checks, AddressSanitizer.
mkdir -p target
build=(--fuzz-dir fuzz --target-dir target/fuzz -O --debug-assertions --codegen-units 16)
cargo fuzz build "${build[@]}" 2>target/fuzz-build.log || {
    tail -n 40 target/fuzz-build.log >&2
    echo "fuzz.sh: building the fuzz targets failed (full log: target/fuzz-build.log)" >&2
    exit 2
}
bin_dir=target/fuzz/$(rustc -vV | sed -n 's/^host: //p')/release

# The fixtures each target starts from (copied at run time; corpora are never committed).
seeds_of() {
    case $1 in
    tdesktop_json) find fixtures/tdesktop-json fixtures/demo/export fixtures/diff -name '*.json' ! -name transcription.json ! -name '1-*' ! -name '3-*' ;;
    tdesktop_html) find fixtures/tdesktop-html -name '*.html' ;;
    telethon_json) find fixtures/telethon fixtures/diff -maxdepth 1 -name '*.json' ;;
    pyrogram_json) find fixtures/pyrogram -name '*.json' ;;
    grammers_json) find fixtures/grammers -name '*.json' ;;
    tdlib_json) find fixtures/tdlib -name '*.json' ;;
    tl) find fixtures/tl -name '*.bin' ;;
    csv) find fixtures/csv -name '*.csv' ;;
    transcribed) find fixtures -name transcription.json ;;
    case_toml) find fixtures/demo fuzz/seeds/case_toml -name '*.toml' ;;
    detect) for t in tdesktop_json tdesktop_html telethon_json pyrogram_json grammers_json tdlib_json tl csv transcribed; do
        seeds_of $t
    done ;;
    verify_bundle) ;; # the target writes its bundle's own files (SESSIONPROOF_FUZZ_SEEDS)
    esac
}

run() {
    local t=$1 corpus=target/fuzz-corpus/$1 artifacts=target/fuzz-artifacts/$1/ log=target/fuzz-logs/$1.log
    mkdir -p "$corpus" "$artifacts" target/fuzz-logs
    local f
    while read -r f; do
        [ -n "$f" ] && cp "$f" "$corpus/fixture-$(echo "${f#fixtures/}" | tr '/' '_')"
    done < <(seeds_of "$t")
    local status=0
    # The verifier target makes its bundle under TMPDIR; this one is removed after the run.
    rm -rf "target/fuzz-tmp/$t" && mkdir -p "target/fuzz-tmp/$t"
    TMPDIR=$PWD/target/fuzz-tmp/$t SESSIONPROOF_FUZZ_SEEDS=$([ "$t" = verify_bundle ] && echo "$corpus" || true) \
        "$bin_dir/$t" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1 || status=$?
    rm -rf "target/fuzz-tmp/$t"
    local runs
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ "$status" = 0 ]; then
        printf 'ok    %-14s %s runs in %s s, corpus %s inputs\n' "$t" "${runs:-?}" "$seconds" "$(ls "$corpus" | wc -l)"
        return 0
    fi
    local crash
    crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    {
        printf 'FAIL  %-14s exit %s; log: %s\n' "$t" "$status" "$log"
        grep -m 5 -E '^(==[0-9]+==ERROR|thread .* panicked|ERROR: libFuzzer)' "$log" | sed 's/^/      /' || true
        if [ -n "$crash" ]; then
            echo "      input:     $crash"
            echo "      reproduce: RUSTC_BOOTSTRAP=1 cargo fuzz run ${build[*]} $t $crash"
        fi
    } >&2
    return 1
}

failed=0
running=0
for t in "${targets[@]}"; do
    if [ "$running" -ge 2 ]; then
        wait -n || failed=1
        running=$((running - 1))
    fi
    run "$t" &
    running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
    wait -n || failed=1
    running=$((running - 1))
done
if [ "$failed" != 0 ]; then
    echo "fuzz.sh: a target failed (see FAIL above); add the input as a regression test in tests/suite/fuzz_regressions.rs" >&2
    exit 1
fi
