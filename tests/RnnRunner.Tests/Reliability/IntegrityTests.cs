using System.Security.Cryptography;
using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Storage;
using RnnRunner.Core.Training;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Reliability;

/// <summary>
/// Every file RnnRunner reads back is checked before it is used: a damaged checkpoint falls back to the one before
/// it (and the run still ends identical to an unbroken one), a damaged token-cache entry is discarded and rebuilt,
/// a damaged summary makes its trial "needs rerun" — never silent garbage, never a crash.
/// </summary>
[Collection(TorchCollection.Name)]
public class IntegrityTests
{
    private static LoadedSpec Spec() => Support.Specs.Load(Support.Specs.BasicRnn, "training.epochs=5", "model[1].dropout=0.3");

    private static RunOutcome Interrupted(string root, int afterEpoch)
    {
        using var cancel = new CancellationTokenSource();
        var outcome = TestRuns.New().Execute(Spec(), new RunOptions(root) { Progress = new InterruptAfter(afterEpoch, cancel) }, cancel.Token);
        Assert.Equal(RunStatus.Interrupted, outcome.Summary.Status);
        return outcome;
    }

    private static IEnumerable<string> MetricsWithoutTimings(RunFolder folder) => MetricsFile.WithoutTimings(folder.Metrics);

    [Theory]
    [InlineData("flip a weight byte")]
    [InlineData("flip a header byte")]
    [InlineData("cut one byte")]
    public void A_damaged_checkpoint_falls_back_to_the_previous_one_and_the_run_still_ends_identical(string damage)
    {
        using var temp = new TempDirectory();
        var unbroken = TestRuns.New().Execute(Spec(), new RunOptions(temp.File("a")));
        var interrupted = Interrupted(temp.File("b"), afterEpoch: 3);
        Damage(interrupted.Folder.Checkpoint, damage);

        var resumed = TestRuns.New().Resume(interrupted.Folder, new RunOptions(temp.File("b")));

        Assert.Equal(RunStatus.Completed, resumed.Summary.Status);
        Assert.Contains("checkpoint.bin is damaged", File.ReadAllText(interrupted.Folder.Log));
        Assert.Equal(MetricsWithoutTimings(unbroken.Folder), MetricsWithoutTimings(resumed.Folder));
        Assert.Equal(File.ReadAllBytes(unbroken.Folder.Weights), File.ReadAllBytes(resumed.Folder.Weights));
    }

    [Fact]
    public void With_no_intact_checkpoint_left_resume_fails_clearly_naming_the_file()
    {
        using var temp = new TempDirectory();
        var interrupted = Interrupted(temp.Path, afterEpoch: 2);
        Damage(interrupted.Folder.Checkpoint, "flip a weight byte");
        Damage(interrupted.Folder.PreviousCheckpoint, "cut one byte");

        var (exit, _, stderr) = CliHarness.Run("resume", interrupted.Folder.Path, "-q");

        Assert.Equal(RnnRunner.Cli.ExitCodes.RunFailed, exit);
        Assert.Contains("checkpoint.bin is damaged", stderr);
        Assert.DoesNotContain("   at ", stderr);
        var summary = RunSummary.Read(interrupted.Folder.Summary);
        Assert.Equal(RunStatus.Failed, summary.Status);
        Assert.Contains("no intact checkpoint", summary.Message);
    }

    [Fact]
    public void Sealed_files_refuse_any_changed_missing_or_extra_byte()
    {
        using var temp = new TempDirectory();
        var path = temp.File("x.bin");
        SealedFile.Write(path, s => s.Write(RandomNumberGenerator.GetBytes(1000)));
        var intact = File.ReadAllBytes(path);
        using (var payload = SealedFile.Open(path)) Assert.Equal(1000, payload.Length);

        foreach (var damaged in new[] { Flip(intact, 500), intact[..^1], [.. intact, 0], Flip(intact, intact.Length - 3) })
        {
            File.WriteAllBytes(path, damaged);
            Assert.Throws<DamagedFileException>(() => SealedFile.Open(path).Dispose());
        }
    }

    [Theory]
    [InlineData("a token id out of range")]
    [InlineData("scrambled bytes")]
    [InlineData("empty")]
    public void A_damaged_token_cache_entry_is_discarded_and_rebuilt_with_a_warning(string damage)
    {
        using var temp = new TempDirectory();
        var spec = new ImdbDataSpec { Path = TinyImdb.WriteTarGz(temp.Path), Maxlen = 8, NumWords = 20 };
        var environment = new DataEnvironment(temp.File("data"), temp.File("cache"));
        var first = new ImdbSource(spec, environment).Load(1, CancellationToken.None);
        var entry = TokenCache.PathFor(environment.CacheRoot, "imdb", first.Report!.CacheKey);
        switch (damage)
        {
            case "a token id out of range": // correctly sealed, so only the range check can catch it
                var cached = TokenCache.TryRead(entry, spec, 2)!;
                cached.Train.Tokens![3] = 5000;
                TokenCache.TryWrite(entry, cached);
                break;
            case "scrambled bytes":
                File.WriteAllBytes(entry, Flip(File.ReadAllBytes(entry), 100));
                break;
            default:
                File.WriteAllBytes(entry, []);
                break;
        }

        var again = new ImdbSource(spec, environment).Load(1, CancellationToken.None);
        var third = new ImdbSource(spec, environment).Load(1, CancellationToken.None);

        Assert.False(again.Report!.FromCache);
        Assert.Equal(first.Train.Tokens, again.Train.Tokens);
        Assert.True(third.Report!.FromCache); // the rebuilt entry replaced the bad one
    }

    [Fact]
    public void A_summary_changed_after_it_was_written_is_detected_and_an_unchanged_one_reads_back_equal()
    {
        using var temp = new TempDirectory();
        var run = TestRuns.New().Execute(Support.Specs.Load(Support.Specs.BasicRnn, "training.epochs=1"), new RunOptions(temp.Path));
        var text = File.ReadAllText(run.Folder.Summary);

        Assert.Equal(run.Summary.TestMetrics, RunSummary.Read(run.Folder.Summary).TestMetrics);
        File.WriteAllText(run.Folder.Summary, text.Replace("\"status\": \"completed\"", "\"status\": \"failed\""));
        Assert.Throws<DamagedFileException>(() => RunSummary.Read(run.Folder.Summary));
        File.WriteAllText(run.Folder.Summary, "");
        Assert.Throws<DamagedFileException>(() => RunSummary.Read(run.Folder.Summary));
    }

    [Fact]
    public void A_grid_reruns_a_trial_whose_summary_is_damaged_and_compare_leaves_it_out()
    {
        using var temp = new TempDirectory();
        var grid = TestGrid.RunIn(temp);
        var trial = Path.Combine(grid.Trials, "seed1");
        File.WriteAllText(Path.Combine(trial, "summary.json"), "");

        var (compareExit, _, compareErr) = CliHarness.Run("compare", Path.GetDirectoryName(grid.Trials)!, "--results", grid.Results);
        var (gridExit, _, gridErr) = CliHarness.Run("grid", grid.File, "--results", grid.Results);

        Assert.Equal(0, compareExit);
        Assert.Contains("summary.json is damaged", compareErr);
        Assert.True(gridExit == 0, gridErr);
        Assert.Equal(RunStatus.Completed, RunSummary.Read(Path.Combine(trial, "summary.json")).Status);
    }

    private static void Damage(string path, string how)
    {
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, how switch
        {
            "flip a weight byte" => Flip(bytes, bytes.Length - SealedFile.SealLength - 200),
            "flip a header byte" => Flip(bytes, 20),
            _ => bytes[..^1],
        });
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0x5A;
        return copy;
    }
}
