#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Run every fuzz target for a while; fail on any finding.
#
#   test/fuzz/run.sh BUILD_DIR [SECONDS]
#
# BUILD_DIR is configured with clang and -Dfuzz=true. Each target runs SECONDS (default 60) on
# its corpus: BUILD_DIR/fuzz/corpus-TARGET (what earlier runs found, kept between runs) over the
# checked-in seeds test/fuzz/corpus-TARGET and, for fuzz-definition, the case files of test/cases.
# One line a target; a crash, leak or failed check leaves its input in BUILD_DIR/fuzz/ and a log
# beside it. To reproduce one: BUILD_DIR/test/fuzz/fuzz-TARGET BUILD_DIR/fuzz/crash-...
set -uo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
        echo "usage: $0 BUILD_DIR [SECONDS]" >&2
        exit 2
fi
build=$1
seconds=${2:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
out="$build/fuzz"
mkdir -p "$out"

for t in definition quote values; do
        if [ ! -x "$build/test/fuzz/fuzz-$t" ]; then
                echo "$build/test/fuzz/fuzz-$t is missing: configure with CC=clang and -Dfuzz=true, and build" >&2
                exit 2
        fi
done

# Seeds for fuzz-definition: the first byte picks type, backend and file name (see
# fuzz-definition.c), the rest is the file; a NUL byte starts a drop-in.
seeds="$out/seed-definition"
rm -rf "$seeds"
mkdir -p "$seeds"
i=0
for f in "$src"/test/cases/*.container "$src"/test/cases/extra/*.container "$src"/test/cases/extra/*.network \
         "$src"/test/cases/extra/*.volume "$src"/test/cases/extra/*.pod; do
        [ -f "$f" ] || continue
        case "$f" in
                *.container) type=0 ;;
                *.network) type=1 ;;
                *.volume) type=2 ;;
                *.pod) type=3 ;;
        esac
        # cycle through the backends ([Defaults] none, podman, docker, nspawn) and user mode
        sel=$(( type | ((i % 4) << 2) | ((i / 4 % 2) << 4) ))
        { printf "\\$(printf %03o "$sel")"; cat "$f"; } >"$seeds/$(basename "$f")"
        i=$((i + 1))
done
# a definition with each drop-in of the cases on top; each as a defaults file too
for f in "$src"/test/cases/extra/*.conf; do
        [ -f "$f" ] || continue
        { printf '\000[Container]\nImage=docker.io/library/nginx\nPublishPort=8080:80\n\000'; cat "$f"; } \
                >"$seeds/dropin-$(basename "$f")"
        { printf '\200'; cat "$f"; printf '\000[Container]\nPublishPort=80:80\nVolume=data:/data\n'; } \
                >"$seeds/defaults-$(basename "$f")"
done

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

status=0
for t in definition quote values; do
        corpus="$out/corpus-$t"
        mkdir -p "$corpus"
        dirs=("$corpus" "$src/test/fuzz/corpus-$t")
        [ "$t" = definition ] && dirs+=("$seeds")
        log="$out/fuzz-$t.log"
        start=$(date +%s)
        "$build/test/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
                -print_final_stats=1 -artifact_prefix="$out/$t-" "${dirs[@]}" >"$log" 2>&1
        rc=$?
        took=$(( $(date +%s) - start ))
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
        size=$(find "$corpus" -type f | wc -l)
        if [ $rc -eq 0 ]; then
                echo "fuzz-$t: ok, ${took} s, ${runs:-?} runs (${rate:-?}/s), corpus $size"
        else
                found=$(grep -o "Test unit written to .*" "$log" | tail -1 | sed 's/Test unit written to //')
                why=$(grep -m1 -E "^(==[0-9]+==ERROR|SUMMARY|.*check failed|.*runtime error)" "$log")
                echo "fuzz-$t: FAILED after ${took} s (exit $rc): ${why:-see the log}; input ${found:-?}; log $log"
                status=1
        fi
done
exit $status
