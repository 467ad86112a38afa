using RnnRunner.Core.Specs.Schema;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Core.Specs;

/// <summary>
/// A hyperparameter search: a base spec, the spec paths to search with their distributions, an objective, a budget
/// of trials and how to sample and prune them. Run by <c>rnnrunner search</c>; its state is a journal in its folder.
/// </summary>
[Doc("An RnnRunner study: a base spec and a search over its settings, run by `rnnrunner search`.")]
public sealed record StudySpec
{
    [Doc("Study name; results go to results/<name>/<NNN>-<timestamp>/trials/.")]
    public required string Name { get; init; }

    [Doc("What the study looks for, in a sentence or two (shown in its report).")]
    public string Description { get; init; } = "";

    [Doc("The base spec, relative to this study file.")]
    public required string Base { get; init; }

    [Doc("Spec path → value, set on the base for every trial (e.g. fewer epochs for the search, or an embedding's input_dim "
         + "wide enough for every vocabulary searched).")]
    public IReadOnlyDictionary<string, SpecNode> Set { get; init; } = new Dictionary<string, SpecNode>();

    [Doc("What to search and how.")]
    public required SearchSpec Search { get; init; }
}

public sealed record SearchSpec
{
    [Doc("Spec path → distribution, e.g. training.optimizer.learning_rate: {type: log_uniform, low: 1e-4, high: 1e-2}.")]
    public required IReadOnlyDictionary<string, SearchParameterSpec> Parameters { get; init; }

    [Doc("random (independent draws), halton (a scrambled low-discrepancy sequence: even coverage), tpe (the Tree-structured "
         + "Parzen Estimator: learns from finished trials, after startup_trials random ones) or nsga2 (a genetic search for several "
         + "objectives); a name, or {type: tpe, startup_trials: 5}. Default: tpe, or nsga2 when objectives names several.")]
    public SamplerSpec? Sampler { get; init; }

    [Doc("Trials to run in all, counted across reruns of the study (a refused sample does not count).")]
    [SpecRange(1, 100_000)]
    public int Trials { get; init; } = 20;

    [Doc("The sampler's seed: the same seed and journal give the same samples.")]
    public int Seed { get; init; }

    [Doc("The logged metric to optimise, e.g. val_loss or val_accuracy; default: the base spec's early_stopping monitor, else val_loss "
         + "(loss without validation). A trial's value is the metric's best epoch.")]
    public string? Objective { get; init; }

    [Doc("minimize or maximize; auto: maximize accuracy-like metrics, minimize the rest.")]
    public ObjectiveDirection Direction { get; init; } = ObjectiveDirection.Auto;

    [Doc("Several objectives at once, instead of objective/direction: the study looks for the Pareto front (the trials no other beats "
         + "on every objective), e.g. [{metric: val_accuracy}, {metric: parameters, direction: minimize}]. The first is a logged metric "
         + "(trials report it each epoch); the others a logged metric, parameters (the model's trainable parameters) or "
         + "seconds_per_epoch (wall time per epoch). No pruner: a pruner compares one objective.")]
    public IReadOnlyList<ObjectiveSpec>? Objectives { get; init; }

    [Doc("Stop unpromising trials early: asha (successive halving: trials pause at rungs and only the best continue) or median.")]
    public PrunerSpec? Pruner { get; init; }
}

/// <summary>How a study chooses its trials' settings; <c>type:</c> (or the bare name) picks the record.</summary>
[SpecUnion("type")]
public abstract record SamplerSpec;

[Doc("Independent uniform draws, each parameter in its own scale.")]
[SpecName("random")]
public sealed record RandomSamplerSpec : SamplerSpec;

[Doc("A scrambled Halton sequence: low-discrepancy points that cover the space evenly.")]
[SpecName("halton")]
public sealed record HaltonSamplerSpec : SamplerSpec;

[Doc("The Tree-structured Parzen Estimator (Optuna's TPESampler defaults): learns from the finished trials.")]
[SpecName("tpe")]
public sealed record TpeSamplerSpec : SamplerSpec
{
    [Doc("Random trials before TPE models the results (Optuna's n_startup_trials).")]
    [SpecRange(1, 100_000)]
    public int StartupTrials { get; init; } = 10;
}

[Doc("Genetic search for several objectives (Deb et al.'s NSGA-II, as Optuna's NSGAIISampler): the first population_size trials are "
     + "random; each later trial is a child of two parents chosen by tournament among the best population_size so far (by Pareto "
     + "rank, then crowding distance), crossed over and mutated. With one objective it is a plain genetic algorithm.")]
[SpecName("nsga2")]
public sealed record Nsga2SamplerSpec : SamplerSpec
{
    [Doc("Trials per generation (Optuna's population_size is 50; a study of a few dozen trials wants fewer).")]
    [SpecRange(2, 100_000)]
    public int PopulationSize { get; init; } = 20;

    [Doc("The chance that a child mixes its two parents (else it copies the first).")]
    [SpecRange(0, 1)]
    public double CrossoverProbability { get; init; } = 0.9;

    [Doc("The chance that each setting of a child is mutated; default 1 / the number of parameters.")]
    [SpecRange(0, 1)]
    public double? MutationProbability { get; init; }
}

public enum ObjectiveDirection { Auto, Minimize, Maximize }

/// <summary>One of a multi-objective study's objectives.</summary>
public sealed record ObjectiveSpec
{
    [Doc("A metric the base spec logs every epoch (its best epoch counts), parameters, or seconds_per_epoch.")]
    public required string Metric { get; init; }

    [Doc("minimize or maximize; auto: maximize accuracy-like metrics, minimize the rest (parameters and seconds too).")]
    public ObjectiveDirection Direction { get; init; } = ObjectiveDirection.Auto;
}

public enum SearchParameterKind { Uniform, LogUniform, Int, Choice }

public sealed record SearchParameterSpec
{
    [Doc("uniform or log_uniform (real numbers between low and high), int (whole numbers from low to high by step), or "
         + "choice (one of values: numbers, names or whole layers).")]
    public required SearchParameterKind Type { get; init; }

    [Doc("The least value (uniform, log_uniform, int).")]
    public double? Low { get; init; }

    [Doc("The greatest value (uniform, log_uniform, int).")]
    public double? High { get; init; }

    [Doc("int: the distance between values (default 1).")]
    [SpecRange(1, 1_000_000_000)]
    public long Step { get; init; } = 1;

    [Doc("int: spread the values evenly in their logarithm (step 1 only).")]
    public bool Log { get; init; }

    [Doc("choice: the values to choose from.")]
    public IReadOnlyList<SpecNode>? Values { get; init; }
}

[Doc("asha: asynchronous successive halving — every trial trains to min_epochs, and a trial continues (from its checkpoint) "
     + "to the next rung, min_epochs × reduction_factorᵏ, only while it is in the top 1/reduction_factor of its rung; "
     + "median: a trial stops when its best so far is worse than the median of the other trials at the same epoch; "
     + "threshold: a trial stops when its value leaves [lower, upper] (a diverged loss, say).")]
[SpecUnion("type")]
public abstract record PrunerSpec;

[Doc("Asynchronous successive halving: trials pause at rungs and only the best continue.")]
[SpecName("asha")]
public sealed record AshaPrunerSpec : PrunerSpec
{
    [Doc("The epochs of the first rung.")]
    [SpecRange(1, 1_000_000)]
    public int MinEpochs { get; init; } = 1;

    [Doc("η, the factor between rungs; the top 1/η of a rung continue.")]
    [SpecRange(2, 100)]
    public int ReductionFactor { get; init; } = 3;
}

[Doc("The median rule (Optuna's MedianPruner): stop a trial whose best so far is worse than the other trials' median at the same epoch.")]
[SpecName("median")]
public sealed record MedianPrunerSpec : PrunerSpec
{
    [Doc("Epochs before any pruning.")]
    [SpecRange(0, 1_000_000)]
    public int WarmupEpochs { get; init; } = 1;

    [Doc("Other trials that must have reached an epoch before a trial is compared there.")]
    [SpecRange(1, 1_000_000)]
    public int MinTrials { get; init; } = 4;
}

[Doc("Optuna's ThresholdPruner: stop a trial whose objective leaves [lower, upper] or is not a number — a diverged loss, an accuracy stuck at chance.")]
[SpecName("threshold")]
public sealed record ThresholdPrunerSpec : PrunerSpec
{
    [Doc("Stop a trial whose value falls below this (e.g. val_accuracy under chance).")]
    public double? Lower { get; init; }

    [Doc("Stop a trial whose value rises above this (e.g. a val_loss that diverged).")]
    public double? Upper { get; init; }

    [Doc("Epochs before any pruning.")]
    [SpecRange(0, 1_000_000)]
    public int WarmupEpochs { get; init; }
}
