using System.Globalization;
using RnnRunner.Core.Search.Samplers;

namespace RnnRunner.Core.Search;

/// <summary>Where a study's trial stands, as its journal tells it.</summary>
public enum TrialState { Running, Paused, Pruned, Completed, Failed, Interrupted }

/// <summary>One trial of a study, replayed from the journal: its point, how far it got and what it reported.</summary>
public sealed class StudyTrial(int number, int sample, ParameterPoint point, IReadOnlyDictionary<string, string> settings)
{
    public int Number { get; } = number;
    public int Sample { get; } = sample;
    public ParameterPoint Point { get; } = point;
    public IReadOnlyDictionary<string, string> Settings { get; } = settings;
    public TrialState State { get; internal set; } = TrialState.Running;
    /// <summary>The epoch its latest start trains to: its rung's budget, or all its epochs.</summary>
    public int Target { get; internal set; }
    /// <summary>The objective after each epoch it finished (the metric's raw value).</summary>
    public SortedDictionary<int, double> Reported { get; } = [];
    public string? Message { get; internal set; }
    public string? Worker { get; internal set; }
    /// <summary>Every objective's raw value as measured when it completed (a multi-objective study); null otherwise.</summary>
    public IReadOnlyList<double?>? Measured { get; internal set; }

    public string Name => LoadedStudy.TrialName(Number);

    /// <summary>
    /// Its settings for people to read: path=value, a sampled real number to four significant digits (0.001112, not
    /// 0.0011121199228262268; the spec the trial ran keeps every digit).
    /// </summary>
    public string SettingsText(string between = "=") => string.Join(", ", Settings.Select(s => $"{s.Key}{between}{Comparisons.ComparisonColumns.Readable(s.Value)}"));

    /// <summary>The last epoch it finished (0 before the first).</summary>
    public int Epochs => Reported.Count == 0 ? 0 : Reported.Keys.Max();

    /// <summary>Its best oriented value over epochs up to <paramref name="epoch"/>, or null when it reported none.</summary>
    public double? BestUpTo(int epoch, Objective objective)
    {
        var values = Reported.Where(r => r.Key <= epoch).Select(r => objective.Oriented(r.Value)).ToList();
        return values.Count == 0 ? null : values.Min();
    }

    /// <summary>Its result: the best epoch's objective (raw), or null.</summary>
    public double? Best(Objective objective) =>
        BestUpTo(int.MaxValue, objective) is { } oriented ? objective.Oriented(oriented) : null;

    /// <summary>
    /// Its raw value of each objective — the first its best epoch, the others as measured when it completed — or null
    /// unless it completed with every value known.
    /// </summary>
    public IReadOnlyList<double>? ObjectiveValues(IReadOnlyList<Objective> objectives)
    {
        if (State != TrialState.Completed || Best(objectives[0]) is not { } first) return null;
        if (objectives.Count == 1) return [first];
        if (Measured is not { } measured || measured.Count != objectives.Count || measured.Skip(1).Any(v => v is null)) return null;
        return [first, .. measured.Skip(1).Select(v => v!.Value)];
    }

    /// <summary>What a sampler learns from it, or null when it has no value yet or failed.</summary>
    public Observation? Observation(IReadOnlyList<Objective> objectives) =>
        State is TrialState.Failed || BestUpTo(int.MaxValue, objectives[0]) is not { } value ? null
        : new Observation(Point, value, Epochs, State == TrialState.Completed,
            objectives.Count > 1 ? ObjectiveValues(objectives)?.Select((v, i) => objectives[i].Oriented(v)).ToList() : null);
}

/// <summary>A study's state, replayed from its journal: its trials and how many samples it has drawn (refused ones too).</summary>
public sealed record StudyState(IReadOnlyList<StudyTrial> Trials, int Samples, int Refused)
{
    public static StudyState Replay(IEnumerable<JournalRecord> records)
    {
        var trials = new SortedDictionary<int, StudyTrial>();
        var (samples, refused) = (0, 0);
        foreach (var r in records)
        {
            if (r.Sample is { } sample) samples = Math.Max(samples, sample + 1);
            if (r.Event == JournalEvent.Refused) { refused++; continue; }
            if (r.Event == JournalEvent.Sampled)
            {
                trials[r.Trial!.Value] = new StudyTrial(r.Trial.Value, r.Sample ?? 0, new ParameterPoint(r.Point ?? []), r.Settings ?? new Dictionary<string, string>());
                continue;
            }
            if (r.Trial is not { } number || !trials.TryGetValue(number, out var trial)) continue;
            switch (r.Event)
            {
                case JournalEvent.Started:
                    (trial.State, trial.Target, trial.Worker, trial.Message) = (TrialState.Running, r.Epoch ?? trial.Target, r.Worker, null);
                    break;
                case JournalEvent.Reported when r.Epoch is { } epoch && r.Value is { } value:
                    trial.Reported[epoch] = value;
                    break;
                case JournalEvent.Paused: trial.State = TrialState.Paused; break;
                case JournalEvent.Pruned: (trial.State, trial.Message) = (TrialState.Pruned, r.Message); break;
                case JournalEvent.Completed: (trial.State, trial.Measured) = (TrialState.Completed, r.Values); break;
                case JournalEvent.Failed: (trial.State, trial.Message) = (TrialState.Failed, r.Message); break;
                case JournalEvent.Interrupted: trial.State = TrialState.Interrupted; break;
            }
        }
        return new StudyState(trials.Values.ToList(), samples, refused);
    }

    /// <summary>The samplers' view: every trial with a value, in trial order.</summary>
    public IReadOnlyList<Observation> Observations(IReadOnlyList<Objective> objectives) =>
        Trials.Select(t => t.Observation(objectives)).OfType<Observation>().ToList();

    /// <summary>
    /// A multi-objective study's answer: the completed trials no other completed trial beats on every objective, in
    /// order of the first objective (ties by trial number).
    /// </summary>
    public IReadOnlyList<StudyTrial> ParetoFront(IReadOnlyList<Objective> objectives)
    {
        var scored = Trials.Select(t => (Trial: t, Values: t.ObjectiveValues(objectives)?.Select((v, i) => objectives[i].Oriented(v)).ToList()))
            .Where(t => t.Values is not null).ToList();
        var fronts = Pareto.Fronts(scored.Select(t => (IReadOnlyList<double>)t.Values!).ToList());
        return scored.Where((_, i) => fronts[i] == 0).OrderBy(t => t.Values![0]).ThenBy(t => t.Trial.Number).Select(t => t.Trial).ToList();
    }

    /// <summary>The best trial with a value, complete ones first (a pruned trial's partial value is not a result).</summary>
    public StudyTrial? Best(Objective objective) => Trials
        .Where(t => t.State == TrialState.Completed && t.Best(objective) is not null)
        .OrderBy(t => objective.Oriented(t.Best(objective)!.Value)).ThenBy(t => t.Number).FirstOrDefault();
}
