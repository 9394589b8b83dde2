#!/usr/bin/env bash
# Builds the cargo-fuzz targets and runs each for a while from the seeds in fuzz/corpus/.
#
#   fuzz/run.sh                 every target, 20 s each (the CI run)
#   fuzz/run.sh 600             every target, 10 minutes each (or FUZZ_SECONDS=600)
#   fuzz/run.sh 300 markdown    some targets (or FUZZ_TARGETS="markdown config")
#
# The fuzzer grows its corpus in a scratch copy, so the seeds in the repo never change; set
# FUZZ_KEEP_CORPUS=DIR to keep what it found (to minimise into new seeds). A crash, panic,
# timeout or out-of-memory fails the run and its input is left in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-${FUZZ_SECONDS:-20}}"
shift $(( $# > 0 ? 1 : 0 ))
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/empire/target-fuzz}"
# The product forbids unsafe code, so panics are what is hunted: no sanitizer is the fast
# default. Debug assertions turn integer overflow into a panic too.
sanitizer="${FUZZ_SANITIZER:-none}"
flags=(--release --debug-assertions --sanitizer "$sanitizer")

if (( $# > 0 )); then
  targets=("$@")
elif [[ -n "${FUZZ_TARGETS:-}" ]]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

echo "building ${#targets[@]} fuzz targets (sanitizer: $sanitizer)"
cargo +nightly fuzz build "${flags[@]}"
triple="$(rustc +nightly -vV | sed -n 's/^host: //p')"
bin_dir="$CARGO_TARGET_DIR/$triple/release"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=()
summary=()
for target in "${targets[@]}"; do
  mkdir -p "$work/$target" "artifacts/$target"
  if [[ -d "corpus/$target" ]]; then
    cp -R "corpus/$target/." "$work/$target/"
  fi
  log="$work/$target.log"
  echo "==> $target (${seconds} s)"
  status=0
  "$bin_dir/$target" "$work/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="artifacts/$target/" >"$log" 2>&1 || status=$?
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  units="$(find "$work/$target" -type f | wc -l)"
  summary+=("$(printf '%-20s %10s execs %7s/s %6s inputs' "$target" "${runs:-?}" "${speed:-?}" "$units")")
  if [[ -n "${FUZZ_KEEP_CORPUS:-}" ]]; then
    mkdir -p "$FUZZ_KEEP_CORPUS/$target"
    cp -R "$work/$target/." "$FUZZ_KEEP_CORPUS/$target/"
  fi
  if (( status != 0 )); then
    failed+=("$target")
    grep -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written to' "$log" | head -20 >&2 || true
    tail -n 40 "$log" >&2
    echo "FAIL: fuzz target $target found a problem (exit $status); the input is in:" >&2
    grep -o 'Test unit written to .*' "$log" | sed 's/^Test unit written to /  fuzz\//' >&2 || true
    echo "  reproduce: cargo +nightly fuzz run ${flags[*]} $target <that file>" >&2
  fi
done

echo; printf '%s\n' "${summary[@]}"
if (( ${#failed[@]} > 0 )); then
  echo "FAIL: ${failed[*]}" >&2
  exit 1
fi
echo "no crash in ${#targets[@]} targets"
