#!/usr/bin/env bash
# Speed on a shared machine: each case's median epoch quiet and beside one CPU-bound process (a shell busy loop, as a
# neighbour's job would be), and a small grid with --jobs 1 against --jobs 2, printed as the Markdown rows of
# docs/CONTENTION.md. Cases: the basics run and the IMDB LSTM on each engine, and the basics run as RnnRunner ran it
# before this measurement (libtorch's default two threads, OpenMP's spinning waits) for comparison.
# Run it on an otherwise quiet machine (minutes; nothing else may run meanwhile):
#   scripts/bench-contention.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
make -s data
"$root/rnnrunner" --version >/dev/null # build once, outside any timing
R="$root/artifacts/cli/rnnrunner"
work=$(mktemp -d /tmp/rnnrunner-contention-XXXXXX)
hog=""
trap '[ -n "$hog" ] && kill "$hog" 2>/dev/null; rm -rf "$work"' EXIT

# The median of a run's epochs after the first (warm-up): wall seconds and CPU seconds, from its metrics.csv.
medians() {
  python3 - "$1" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))[1:] or list(csv.DictReader(open(sys.argv[1])))
print(f"{statistics.median(float(r['seconds']) for r in rows):.3f} {statistics.median(float(r['cpu_seconds']) for r in rows):.3f}")
PY
}

# case-name environment spec args… → "wall cpu" medians of one run's epochs
run_case() {
  local name=$1 environment=$2 spec=$3; shift 3
  local results="$work/$name-$RANDOM"
  env $environment "$R" run "$spec" --results "$results" -q "$@" >/dev/null
  medians "$(find "$results" -name metrics.csv | head -1)"
}

start_hog() { bash -c 'while :; do :; done' & hog=$!; sleep 1; }
stop_hog() { kill "$hog"; wait "$hog" 2>/dev/null || true; hog=""; }

basics=(experiments/basics/basic-rnn.yaml --set training.epochs=6 --set training.early_stopping=null)
imdb=(experiments/imdb/lstm.yaml --set training.epochs=2 --set training.early_stopping=null --set training.reduce_lr_on_plateau=null)
cases=(
  "basics, torch|       |${basics[*]} --set engine=torch"
  "basics, torch as before (2 threads, libgomp's default spinning waits)|GOMP_SPINCOUNT=300000|${basics[*]} --set engine=torch --threads 2"
  "basics, scratch|       |${basics[*]} --set engine=scratch"
  "IMDB LSTM(32), torch|       |${imdb[*]} --set engine=torch"
  "IMDB LSTM(32), scratch|       |${imdb[*]} --set engine=scratch"
)

echo "| case | quiet: wall s / epoch | beside one CPU-bound process: wall s / epoch | ratio (target ≤ 2.2×) | CPU s / epoch quiet → beside |"
echo "|---|---|---|---|---|"
for entry in "${cases[@]}"; do
  IFS='|' read -r name environment arguments <<<"$entry"
  read -r -a args <<<"$arguments"
  # --threads is a global option: it goes before the command's own.
  global=(); rest=()
  for ((i = 0; i < ${#args[@]}; i++)); do
    if [ "${args[$i]}" = --threads ]; then global=(--threads "${args[$((i + 1))]}"); i=$((i + 1)); else rest+=("${args[$i]}"); fi
  done
  read -r quiet_wall quiet_cpu < <(run_case quiet "${environment// /}" "${rest[0]}" "${rest[@]:1}" "${global[@]}")
  start_hog
  read -r busy_wall busy_cpu < <(run_case busy "${environment// /}" "${rest[0]}" "${rest[@]:1}" "${global[@]}")
  stop_hog
  ratio=$(python3 -c "print(f'{$busy_wall / $quiet_wall:.2f}')")
  echo "| $name | $quiet_wall | $busy_wall | ${ratio}× | $quiet_cpu → $busy_cpu |"
done

# A grid of small models (6 trials, 3 epochs each), one at a time and two at a time.
cat > "$work/grid.yaml" <<GRID
name: contention-grid
base: $root/experiments/basics/basic-rnn.yaml
axes:
  training.epochs: [3]
  model[1].units: [16, 32, 64]
seeds: [1, 2]
GRID
for jobs in 1 2; do
  start=$(date +%s.%N)
  "$R" grid "$work/grid.yaml" --jobs "$jobs" --results "$work/grid-$jobs" -q >/dev/null
  end=$(date +%s.%N)
  eval "grid_$jobs=$(python3 -c "print(f'{$end - $start:.1f}')")"
done
echo
echo "| grid of 6 small trials | --jobs 1 | --jobs 2 | ratio (target ≤ 0.6×) |"
echo "|---|---|---|---|"
echo "| basics, 3 units × 2 seeds | ${grid_1} s | ${grid_2} s | $(python3 -c "print(f'{$grid_2 / $grid_1:.2f}')")× |"
