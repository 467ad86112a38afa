"""Optuna's NSGA-II on ZDT1 and ZDT2, for `rnnrunner-bench search --optuna FILE` to set beside RnnRunner's nsga2.

Ten variables on [0, 1]; both objectives minimised; hypervolume against the reference point (1.1, 11), just beyond
the worst value each objective can take (f1 <= 1, f2 <= g <= 10). Prints JSON lines: a header, then one line per
(problem, population size, seed) with the hypervolume of every trial so far at 100 and 300 trials.
Run inside Debian 13's python3-optuna (scripts/optuna-reference.sh).
"""
import json
import math
import platform
import sys

import optuna

VARIABLES, TRIALS, CHECKPOINTS, REFERENCE = 10, 300, (100, 300), (1.1, 11.0)
SEEDS = int(sys.argv[1]) if len(sys.argv) > 1 else 10


def zdt(problem, x):
    g = 1 + 9 * sum(x[1:]) / (len(x) - 1)
    ratio = x[0] / g
    return x[0], g * (1 - (math.sqrt(ratio) if problem == "ZDT1" else ratio * ratio))


def hypervolume(points):
    area, ceiling = 0.0, REFERENCE[1]
    for f1, f2 in sorted(p for p in points if p[0] < REFERENCE[0] and p[1] < REFERENCE[1]):
        if f2 < ceiling:
            area += (REFERENCE[0] - f1) * (ceiling - f2)
            ceiling = f2
    return area


def run(problem, population, seed):
    sampler = optuna.samplers.NSGAIISampler(population_size=population, seed=seed)
    study = optuna.create_study(directions=["minimize", "minimize"], sampler=sampler)
    study.optimize(lambda t: zdt(problem, [t.suggest_float(f"x{i}", 0, 1) for i in range(VARIABLES)]), n_trials=TRIALS)
    values = [tuple(t.values) for t in study.trials]
    return {f"hv{n}": hypervolume(values[:n]) for n in CHECKPOINTS}


optuna.logging.set_verbosity(optuna.logging.WARNING)
print(json.dumps({"machine": platform.processor() or platform.machine(), "optuna": optuna.__version__,
                  "python": platform.python_version(), "variables": VARIABLES, "reference": REFERENCE}), flush=True)
for problem in ("ZDT1", "ZDT2"):
    for population in (50, 20):
        for seed in range(SEEDS):
            print(json.dumps({"problem": problem, "population": population, "seed": seed, **run(problem, population, seed)}), flush=True)
