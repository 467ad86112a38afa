using RnnRunner.Core.Search;
using RnnRunner.Core.Search.Samplers;

namespace RnnRunner.Tests.Search;

public class StudyTrialTests
{
    [Fact]
    public void Settings_read_by_people_show_a_sampled_real_to_four_digits_and_everything_else_as_written()
    {
        var trial = new StudyTrial(1, 1, new ParameterPoint([0.0011121199228262268, 56]), new Dictionary<string, string>
        {
            ["training.optimizer.learning_rate"] = "0.0011121199228262268",
            ["model[1].units"] = "56",
            ["model[1].type"] = "gru",
            ["training.batch_size"] = "1000000000",
        });

        Assert.Equal("training.optimizer.learning_rate=0.001112, model[1].units=56, model[1].type=gru, training.batch_size=1000000000", trial.SettingsText());
        Assert.Equal("0.0011121199228262268", trial.Settings["training.optimizer.learning_rate"]); // what the trial's spec is set to
    }
}
