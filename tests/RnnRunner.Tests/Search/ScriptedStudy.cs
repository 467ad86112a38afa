using System.Collections.Concurrent;
using System.Globalization;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Search;
using RnnRunner.Core.Training;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Search;

/// <summary>
/// A study over a real spec whose trials are not trained but scripted: each epoch's val_loss is a function of the
/// trial's learning rate and the epoch, so samplers, pruners, the journal and resume are tested in milliseconds.
/// The executor keeps a progress file in each trial folder as its checkpoint, and counts every epoch it "trains".
/// </summary>
public sealed class ScriptedStudy : IDisposable
{
    public TempDirectory Temp { get; } = new();
    public string StudyFile { get; }
    public string Results => Temp.File("results");

    public ScriptedStudy(string search, int epochs = 9)
    {
        File.WriteAllText(Temp.File("base.yaml"), $$$"""
            name: base
            engine: scratch
            data: {dataset: counting_sentiment, vocabulary_size: 30, sequence_length: 8, train_samples: 64, test_samples: 16}
            model: [{type: embedding, input_dim: 30, output_dim: 4}, {type: simple_rnn, units: 4}, {type: dense, units: 1, activation: sigmoid}]
            training: {epochs: {{{epochs}}}, batch_size: 16, loss: binary_crossentropy, metrics: [accuracy], validation_split: 0.25, optimizer: {type: adam, learning_rate: 0.01}}
            """);
        StudyFile = Temp.File("study.yaml");
        File.WriteAllText(StudyFile, $"name: scripted\nbase: base.yaml\nsearch:\n{search}");
    }

    public LoadedStudy Load() => StudyLoader.LoadFile(StudyFile);

    /// <summary>The scripted objective: best near learning rate 1e-2, better with every epoch.</summary>
    public static double ValLoss(double learningRate, int epoch) => Math.Pow(Math.Log10(learningRate) + 2, 2) + 1.0 / epoch;

    public void Dispose() => Temp.Dispose();
}

/// <summary>Plays trials by <see cref="ScriptedStudy.ValLoss"/>; optionally interrupts after a number of epochs in all.</summary>
public sealed class ScriptedTrials : IStudyTrialExecutor
{
    /// <summary>Epochs trained per trial folder, over every call: a trial trained twice shows more than its final epochs.</summary>
    public ConcurrentDictionary<string, int> EpochsTrained { get; } = new();
    public ConcurrentDictionary<string, int> FreshStarts { get; } = new();
    public int? InterruptAfterEpochs { get; init; }
    /// <summary>A bigger model scores better: val_loss gains 100 / parameters (a trade-off for multi-objective studies).</summary>
    public bool SizeMatters { get; init; }
    public TimeSpan EpochTime { get; init; }
    private int _epochs;

    public RunSummary Run(LoadedSpec? spec, string folder, ITrainingObserver gate, CancellationToken cancellation)
    {
        var progress = Path.Combine(folder, "progress.txt");
        if (spec is not null)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(progress, $"{spec.Spec.Training.Optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture)} 0 {spec.Spec.Training.Epochs} {spec.Plan.TorchParameters}");
            FreshStarts.AddOrUpdate(folder, 1, (_, n) => n + 1);
            File.WriteAllText(RunFolder.At(folder).SpecResolved, Core.Specs.SpecWriter.ToYaml(spec.Spec)); // as a real run records it
        }
        // As ExperimentRun.Resume refuses to: a completed run is never continued.
        if (spec is null && RunSummary.TryRead(RunFolder.At(folder).Summary, out _) is { Status: RunStatus.Completed })
            throw new Core.Running.ResumeException($"{folder}: this run already completed");
        var parts = File.ReadAllText(progress).Split(' ');
        var (rate, done, epochs) = (double.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture));
        var parameters = long.Parse(parts[3], CultureInfo.InvariantCulture);
        double ValLoss(int epoch) => ScriptedStudy.ValLoss(rate, epoch) + (SizeMatters ? 100.0 / parameters : 0);
        var summary = new RunSummary
        {
            Name = Path.GetFileName(folder), RunId = Path.GetFileName(folder), Status = RunStatus.Running, Engine = "scratch", Device = "cpu",
            Seed = 0, StartedUtc = DateTime.UtcNow, Parameters = parameters, ParametersKerasConvention = parameters, Versions = new Dictionary<string, string>(),
        };
        summary.Write(RunFolder.At(folder).Summary);
        try
        {
            // As a real run does: a resumed trial's gate first hears of the epochs its checkpoint holds.
            if (spec is null && done > 0)
                gate.Resumed(Enumerable.Range(1, done).Select(e => new EpochMetrics(e, new Dictionary<string, double> { ["val_loss"] = ValLoss(e) }, rate, 0.01)).ToList());
            for (var epoch = done + 1; epoch <= epochs; epoch++)
            {
                if (InterruptAfterEpochs is { } limit && Interlocked.Increment(ref _epochs) > limit) return Ended(summary, folder, RunStatus.Interrupted, epoch - 1);
                if (EpochTime > TimeSpan.Zero) Thread.Sleep(EpochTime);
                EpochsTrained.AddOrUpdate(folder, 1, (_, n) => n + 1);
                File.WriteAllText(progress, $"{parts[0]} {epoch} {epochs} {parameters}"); // the checkpoint, before the gate hears of the epoch
                var metrics = new EpochMetrics(epoch, new Dictionary<string, double> { ["val_loss"] = ValLoss(epoch) }, rate, 0.01);
                gate.EpochCompleted(metrics, false);
            }
            return Ended(summary, folder, RunStatus.Completed, epochs);
        }
        catch (TrainingStoppedException e)
        {
            return Ended(summary with { Message = e.Message }, folder, e.Pruned ? RunStatus.Pruned : RunStatus.Paused, e.Epoch);
        }
    }

    private static RunSummary Ended(RunSummary summary, string folder, RunStatus status, int epochs)
    {
        var ended = summary with { Status = status, EpochsRun = epochs };
        ended.Write(RunFolder.At(folder).Summary);
        return ended;
    }
}
