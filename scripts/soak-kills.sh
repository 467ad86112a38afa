#!/usr/bin/env bash
# Soak test of kill -9 and resume: N times, start a run, a grid, a `grid --jobs 2`, a study (`search`) or a
# `predict --output` over 200,000 lines, SIGKILL it at a random moment (seeded), resume it (a run with `rnnrunner
# resume`, a grid or a study by running it again, a prediction by predicting again) until it completes, and compare
# the result with an unbroken reference: metrics.csv without its timing column and weights.bin byte for byte, for the
# run and every trial; the predictions CSV byte for byte — and right after the kill, the file --output names must be
# either the previous file or the complete new one, never a part. Prints "N of N identical". Not part of `make test`:
#   scripts/soak-kills.sh 50 [seed]
set -euo pipefail
count=${1:-50}
RANDOM=${2:-7}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/rnnrunner" --version >/dev/null # build once, outside any timing
R="$root/artifacts/cli/rnnrunner"       # then the built binary: no rebuild check, no rebuild mid-soak
work=$(mktemp -d /tmp/rnnrunner-soak-XXXXXX)
trap 'pkill -KILL -f "$work" 2>/dev/null || true' EXIT
spec="$root/experiments/basics/basic-rnn.yaml"
run_args=(--set training.epochs=4 --set training.early_stopping=null -q)
cat > "$work/grid.yaml" <<GRID
name: soak
base: $spec
axes:
  training.epochs: [3]
seeds: [1, 2]
GRID
cat > "$work/study.yaml" <<STUDY
name: soak-study
base: $spec
set: {training.epochs: 3, training.early_stopping: null}
search:
  sampler: tpe
  trials: 4
  seed: 3
  parameters:
    model[1].units: {type: int, low: 8, high: 32, step: 8}
    training.optimizer.learning_rate: {type: log_uniform, low: 0.001, high: 0.01}
  pruner: {type: asha, min_epochs: 1, reduction_factor: 2}
STUDY
# A text model to predict with, and 200,000 lines to predict (about 3 s): the kill lands mid-write or before it.
"$R" run "$root/experiments/data/tickets.yaml" --set "data.path=$root/experiments/data/tickets.csv" --results "$work/model" -q >/dev/null 2>&1
model=$(find "$work/model/tickets" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*' | head -1)
words=(my invoice was charged twice please refund the card payment login password locked app crashes error)
for i in $(seq 1 200000); do echo "${words[$((i % 16))]} ${words[$((i * 7 % 16))]} ${words[$((i * 13 % 16))]} ${words[$((i * 3 % 16))]}"; done > "$work/inputs.txt"
previous="the previous predictions, which a killed predict must leave whole"


start() { # scenario results-folder → starts it in the background; sets $pid
  case $1 in
    run) "$R" run "$spec" "${run_args[@]}" --results "$2" >/dev/null 2>&1 & ;;
    grid) "$R" grid "$work/grid.yaml" --results "$2" -q >/dev/null 2>&1 & ;;
    jobs) "$R" grid "$work/grid.yaml" --jobs 2 --results "$2" -q >/dev/null 2>&1 & ;;
    search) "$R" search "$work/study.yaml" --results "$2" -q >/dev/null 2>&1 & ;;
    predict)
      mkdir -p "$2"; [ -e "$2/predictions.csv" ] || echo "$previous" > "$2/predictions.csv"
      "$R" predict "$model" --input "$work/inputs.txt" --output "$2/predictions.csv" -q >/dev/null 2>&1 & ;;
  esac
  pid=$!
}

intact_after_kill() { # scenario results-folder → for predict: the output is the previous file or the whole new one
  [ "$1" != predict ] && return 0
  local out="$2/predictions.csv"
  [ "$(cat "$out")" = "$previous" ] || cmp -s "$out" "$work/reference-predict/predictions.csv"
}

finish() { # scenario results-folder → resumes until completed
  local attempt
  for attempt in 1 2 3; do
    case $1 in
      run)
        local folder
        folder=$(find "$2/basic-rnn" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*' 2>/dev/null | head -1)
        if [ -z "$folder" ]; then  # killed before its folder existed: nothing to resume
          "$R" run "$spec" "${run_args[@]}" --results "$2" >/dev/null 2>&1 && return 0
        elif grep -q '"status": "completed"' "$folder/summary.json" 2>/dev/null; then
          return 0
        elif "$R" resume "$folder" -q >/dev/null 2>&1; then
          return 0
        elif ! [ -s "$folder/summary.json" ]; then  # killed before its first file: "never started"
          rm -rf "$folder"
        fi
        ;;
      grid) "$R" grid "$work/grid.yaml" --results "$2" -q >/dev/null 2>&1 && return 0 ;;
      jobs) "$R" grid "$work/grid.yaml" --jobs 2 --results "$2" -q >/dev/null 2>&1 && return 0 ;;
      search) "$R" search "$work/study.yaml" --results "$2" -q >/dev/null 2>&1 && return 0 ;;
      predict) "$R" predict "$model" --input "$work/inputs.txt" --output "$2/predictions.csv" -q >/dev/null 2>&1 && return 0 ;;
    esac
    sleep 1 # e.g. an orphaned child still stopping
  done
  return 1
}

outputs() { # results-folder → the comparable files, one "name: checksum" line each
  find "$1" -name metrics.csv -o -name weights.bin -o -name predictions.csv | sort | while read -r f; do
    local rel=${f#"$1"/}; rel=$(sed -E 's#[0-9]{3}-[0-9TZ]+#RUN#; s#shared-[0-9a-f]+#RUN#' <<<"$rel")
    if [ "$(basename "$f")" = predictions.csv ]; then echo "$rel: $(sha256sum "$f" | cut -c1-16)"
    elif [ "${f##*.}" = csv ]; then echo "$rel: $(sed -E 's/(,[^,]*){3}$//' "$f" | sha256sum | cut -c1-16)"  # the timings aside
    else echo "$rel: $(sha256sum "$f" | cut -c1-16)"; fi
  done
}

scenarios=(run grid jobs search predict)
for scenario in "${scenarios[@]}"; do
  start $scenario "$work/reference-$scenario"; wait "$pid"
  outputs "$work/reference-$scenario" > "$work/reference-$scenario.txt"
done

identical=0
for i in $(seq 1 "$count"); do
  scenario=${scenarios[$((RANDOM % ${#scenarios[@]}))]}
  delay=$(printf '%d.%02d' $((RANDOM % 6)) $((RANDOM % 100)))
  results="$work/try-$i"
  start $scenario "$results"
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if ! intact_after_kill $scenario "$results"; then
    verdict="PARTIAL OUTPUT after the kill"
  elif finish $scenario "$results" && outputs "$results" | diff -q - "$work/reference-$scenario.txt" >/dev/null; then
    identical=$((identical + 1)); verdict=identical
  else
    verdict=DIFFERENT; outputs "$results" | diff - "$work/reference-$scenario.txt" | head -5 || true
  fi
  echo "$i: $scenario killed after ${delay}s: $verdict"
done
echo "$identical of $count identical"
[ "$identical" -eq "$count" ]
