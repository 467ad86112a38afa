#!/usr/bin/env bash
# make test-slurm: `rnnrunner submit slurm` against a real single-node Slurm on localhost (scripts/slurm-local.sh).
# 1. a basics grid as a job array: every trial completes in one folder, the report is built once, by the report job;
# 2. a task cancelled mid-trial (scancel: SIGTERM, then KILL) and resubmitted alone resumes its trial from its checkpoint;
# 3. a trial that fails makes its task fail, as Slurm's job completion log shows.
# Where Slurm cannot be installed or started it says so and fails, unless SKIP_SLURM=1.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "${SKIP_SLURM:-}" = 1 ]; then echo "test-slurm: skipped (SKIP_SLURM=1)"; exit 0; fi
rnnrunner=$PWD/artifacts/cli/rnnrunner
./rnnrunner --help >/dev/null || { echo "test-slurm: could not build rnnrunner" >&2; exit 1; }
export SLURM_LOCAL=${SLURM_LOCAL:-/tmp/rnnrunner-slurm}
conf=$(scripts/slurm-local.sh start) || { echo "test-slurm: no Slurm here (set SKIP_SLURM=1 to skip)" >&2; exit 1; }
export SLURM_CONF=$conf
trap 'scripts/slurm-local.sh stop' EXIT
work=$(mktemp -d /tmp/rnnrunner-test-slurm-XXXXXX)
failures=0
pass() { echo "  ok: $*"; }
fail() { echo "  FAILED: $*" >&2; failures=$((failures + 1)); }

# Waits until none of the given jobs is queued or running (at most $2 seconds).
wait_jobs() {
  for _ in $(seq 1 "$2"); do
    [ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && return 0
    sleep 1
  done
  echo "test-slurm: jobs $1 still running after $2 s" >&2; return 1
}

spec() { # name epochs train_samples extra-training
  cat >"$work/$1.yaml" <<YAML
name: $1
engine: scratch
seed: 1
data: {dataset: counting_sentiment, vocabulary_size: 30, sequence_length: 10, train_samples: $3, test_samples: 100}
model: [{type: embedding, input_dim: 30, output_dim: 8}, {type: simple_rnn, units: 8}, {type: dense, units: 1, activation: sigmoid}]
training: {epochs: $2, batch_size: 32, loss: binary_crossentropy, metrics: [accuracy], validation_split: 0.25$4}
YAML
}
submit() { # grid-file → "array report folder"
  "$rnnrunner" submit slurm "$1" --results "$work/results" --cpus-per-task 1 --json -q \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["array_job"], d["report_job"], d["results"])'
}

echo "test-slurm: 1. a grid as a job array and its report job"
spec tiny 2 400 ""
printf 'name: basics\nbase: tiny.yaml\naxes:\n  model[1].units: [4, 8]\nseeds: [1, 2]\n' >"$work/grid.yaml"
read -r array report folder < <(submit "$work/grid.yaml")
wait_jobs "$array,$report" 120
done_trials=$(grep -l '"status": "completed"' "$folder"/trials/*/summary.json 2>/dev/null | wc -l)
[ "$done_trials" = 4 ] && pass "4 of 4 trials completed in $folder" || fail "$done_trials of 4 trials completed"
[ "$({ wc -l <"$folder/comparison.csv"; } 2>/dev/null)" = 5 ] && grep -q "(4 runs compared)" "$folder/slurm/report-$report.out" \
  && pass "the report job wrote the comparison of all 4" || fail "no full comparison by the report job"
grep -q "JobId=$report .*JobState=COMPLETED" "$SLURM_LOCAL/jobcomp.log" && pass "report job $report completed" || fail "report job $report did not complete"
ls "$folder"/slurm/"${array}"_*.out >/dev/null 2>&1 && pass "task logs in the folder" || fail "no task logs in $folder/slurm"

echo "test-slurm: 2. a task cancelled mid-trial, resubmitted alone, resumes"
spec long 40 3000 ""
printf 'name: cancel\nbase: long.yaml\nseeds: [1, 2]\n' >"$work/cancel.yaml"
read -r array report folder < <(submit "$work/cancel.yaml")
trial=$folder/trials/seed1
for _ in $(seq 1 120); do [ "$({ wc -l <"$trial/metrics.csv"; } 2>/dev/null || echo 0)" -ge 3 ] && break; sleep 0.5; done
scancel "${array}_1"
wait_jobs "${array}_1" 60
status=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"])' "$trial/summary.json")
[ "$status" = interrupted ] && pass "cancelled task left its trial interrupted" || fail "cancelled trial is $status"
epochs_before=$(($(wc -l <"$trial/metrics.csv") - 1))
resubmitted=$(cd "$work" && sbatch --parsable --array=1 "$folder/slurm/array.sbatch" | cut -d';' -f1)
wait_jobs "$resubmitted,$array,$report" 300
status=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"])' "$trial/summary.json")
[ "$status" = completed ] && pass "the resubmitted task completed the trial" || fail "resubmitted trial is $status"
grep 'Resuming after epoch' "$trial/log.jsonl" | grep -q "\"Epoch\":$epochs_before[,}]" && pass "it resumed after epoch $epochs_before" \
  || fail "it did not resume from epoch $epochs_before: $(grep 'Resuming after epoch' "$trial/log.jsonl")"

echo "test-slurm: 3. a study: its workers share one journal, the report job reports it"
cat >"$work/study.yaml" <<YAML
name: study
base: tiny.yaml
search:
  sampler: tpe
  trials: 6
  parameters:
    model[1].units: {type: int, low: 4, high: 16, step: 4}
  pruner: {type: asha, min_epochs: 1, reduction_factor: 2}
YAML
read -r array report folder < <("$rnnrunner" submit slurm "$work/study.yaml" --tasks 2 --results "$work/results" --cpus-per-task 1 --json -q \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["array_job"], d["report_job"], d["results"])')
wait_jobs "$array,$report" 180
[ "$(grep -c '"event":"sampled"' "$folder/journal.jsonl" 2>/dev/null)" = 6 ] && pass "6 trials sampled once each" || fail "the study did not sample its 6 trials once each"
[ "$(grep -o '"worker":"pid [0-9]*' "$folder/journal.jsonl" | sort -u | wc -l)" -ge 2 ] && pass "both workers took trials" || fail "one worker did everything"
[ -f "$folder/report.html" ] && grep -q "JobId=$report .*JobState=COMPLETED" "$SLURM_LOCAL/jobcomp.log" && pass "the report job wrote report.html" || fail "no study report"

echo "test-slurm: 4. a task near its time limit stops cleanly before the kill"
spec endless 100000 3000 ""
printf 'name: timelimit\nbase: endless.yaml\n' >"$work/timelimit.yaml"
# A 2-minute limit: the signal is asked for a quarter of it (30 s) before the end; Slurm sends it at its next check,
# 30-90 s in, before the limit's own SIGTERM at 120 s (which, without --signal, stops the task only after 120 s).
submitted=$SECONDS
read -r array report folder < <("$rnnrunner" submit slurm "$work/timelimit.yaml" --time 00:02:00 --results "$work/results" --cpus-per-task 1 --json -q \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["array_job"], d["report_job"], d["results"])')
wait_jobs "$array" 150
took=$((SECONDS - submitted))
trial=$folder/trials/base
status=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"])' "$trial/summary.json" 2>/dev/null)
grep -q "SIGTERM received in Slurm job" "$folder/slurm/${array}_1.out" && [ "$status" = interrupted ] && [ "$took" -lt 118 ] \
  && pass "SIGTERM before the limit (after $took s of 120): stopped at a batch, trial interrupted" \
  || fail "no clean stop before the time limit (trial $status after $took s)"
scancel "$report" 2>/dev/null

echo "test-slurm: 5. a failing trial fails its task"
cat >"$work/diverge.yaml" <<YAML
name: diverge
engine: scratch
seed: 1
data: {dataset: noisy_sine, noise: 0.1, sequence_length: 20, train_samples: 200, test_samples: 50}
model: [{type: simple_rnn, units: 8, return_sequences: true}, {type: dense, units: 1}]
training: {epochs: 3, batch_size: 16, loss: mse, optimizer: {type: sgd, learning_rate: 10}}
YAML
printf 'name: failing\nbase: diverge.yaml\n' >"$work/failing.yaml"
read -r array report folder < <(submit "$work/failing.yaml")
wait_jobs "$array,$report" 120
grep -q "JobId=$array .*JobState=FAILED" "$SLURM_LOCAL/jobcomp.log" && pass "array task $array shows FAILED" \
  || fail "array task $array not FAILED: $(grep "JobId=$array " "$SLURM_LOCAL/jobcomp.log" | grep -o 'JobState=[A-Z]*')"

rm -rf "$work"
if [ "$failures" -gt 0 ]; then echo "test-slurm: $failures check(s) failed" >&2; exit 1; fi
echo "test-slurm: all checks passed"
