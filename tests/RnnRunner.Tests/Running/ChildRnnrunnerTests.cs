using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Running;

/// <summary>The one launcher by which RnnRunner starts itself: results read from --json, failures said, never scraped.</summary>
[Trait(TestLevel.Key, TestLevel.Process)]
public class ChildRnnrunnerTests
{
    private static readonly ChildRnnrunner Rnnrunner = new(CliProcess.Executable);

    [Fact]
    public void A_child_run_s_folder_comes_from_its_json_output()
    {
        using var temp = new TempDirectory();

        var folder = Rnnrunner.Train(CliHarness.Example("basics", "basic-rnn.yaml"), temp.File("results"), ["training.epochs=1", "data.train_samples=200"]);

        Assert.StartsWith(temp.File("results"), folder, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, RunSummary.Read(RunFolder.At(folder).Summary).Status);
    }

    [Fact]
    public void A_child_that_names_no_folder_is_an_error_carrying_what_it_said()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("broken.yaml"), "name: broken\nmodel: []\n");

        var error = Assert.Throws<InvalidOperationException>(() => Rnnrunner.Train(temp.File("broken.yaml"), temp.File("results"), []));

        Assert.Contains("broken.yaml: the run named no results folder (exit 2)", error.Message);
        Assert.Contains("broken.yaml:1:1: data: missing required value", error.Message);
    }

    [Fact]
    public void The_product_has_no_bench_command()
    {
        var (exit, _, err) = CliProcess.Run("bench", "engines");

        Assert.Equal(2, exit);
        Assert.Contains("Unrecognized command or argument 'bench'", err);
    }
}
