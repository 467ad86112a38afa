using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;

namespace RnnRunner.Tests.Support;

/// <summary>Small valid specs to start from; each test changes one thing and asserts what follows.</summary>
public static class Specs
{
    public const string BasicRnn = """
        name: tiny
        seed: 7
        data:
          dataset: counting_sentiment
          vocabulary_size: 12
          sequence_length: 10
          train_samples: 600
          test_samples: 200
        model:
          - type: embedding
            input_dim: 12
            output_dim: 8
          - type: simple_rnn
            units: 16
          - type: dense
            units: 1
            activation: sigmoid
        training:
          epochs: 3
          batch_size: 32
          optimizer:
            type: rmsprop
            learning_rate: 0.005
          loss: binary_crossentropy
          metrics: [accuracy]
          validation_split: 0.2
        """;

    public static LoadedSpec Load(string yaml, params string[] overrides) =>
        SpecLoader.LoadText(yaml, "test.yaml", overrides);

    /// <summary>The errors a spec produces (empty when it is valid).</summary>
    public static IReadOnlyList<SpecError> ErrorsOf(string yaml, params string[] overrides)
    {
        try
        {
            Load(yaml, overrides);
            return [];
        }
        catch (SpecException e)
        {
            return e.Errors;
        }
    }

    /// <summary>The example experiment specs (grid files, which name a base spec, are not specs themselves).</summary>
    public static IEnumerable<string> ExampleSpecs() => Examples().Where(f => !HasBase(f));

    public static IEnumerable<string> ExampleGrids() => Examples().Where(f => HasBase(f) && !IsStudy(f));

    public static IEnumerable<string> ExampleStudies() => Examples().Where(f => HasBase(f) && IsStudy(f));

    private static IEnumerable<string> Examples() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot, "experiments"), "*.yaml", SearchOption.AllDirectories).Order();

    private static bool HasBase(string file) => File.ReadLines(file).Any(l => l.StartsWith("base:", StringComparison.Ordinal));

    private static bool IsStudy(string file) => File.ReadLines(file).Any(l => l.StartsWith("search:", StringComparison.Ordinal));

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "RnnRunner.sln"))) return dir.FullName;
            throw new InvalidOperationException("run the tests from inside the repository");
        }
    }
}

/// <summary>A temporary folder deleted after the test.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("rnnrunner-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
