using RnnRunner.Core.Search;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Tests.Search;

/// <summary>PED-ANOVA importance recovers what a synthetic objective is known to depend on.</summary>
public class ParameterImportanceTests
{
    private static readonly SearchParameter LearningRate = new("training.optimizer.learning_rate", new FloatDistribution(1e-4, 1e-1, Log: true));
    private static readonly SearchParameter Units = new("model[1].units", new IntDistribution(8, 64, 8, Log: false));
    private static readonly SearchParameter Dropout = new("model[1].dropout", new FloatDistribution(0, 0.5, Log: false));
    private static readonly SearchParameter Cell = new("model[1].type",
        new ChoiceDistribution([new ScalarNode("lstm", true, new SourceMark("t", 1, 1)), new ScalarNode("gru", true, new SourceMark("t", 1, 1))]));

    private static List<(ParameterPoint, double)> Trials(Func<double[], double> objective, int count)
    {
        var random = new Random(7);
        var space = new[] { LearningRate, Units, Dropout, Cell };
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var values = space.Select(p => p.Distribution.Sample(random)).ToArray();
            return (new ParameterPoint(values), objective(values) + 0.01 * random.NextDouble());
        })];
    }

    [Fact]
    public void The_learning_rate_a_mixed_objective_depends_on_most_ranks_first_and_a_setting_it_ignores_last()
    {
        // Best near a learning rate of 1e-2 (on its log scale); dropout matters a little; units and cell not at all.
        var trials = Trials(v => Math.Pow(Math.Log10(v[0]) + 2, 2) + 0.3 * v[2], 200);

        var importance = ParameterImportance.Of([LearningRate, Units, Dropout, Cell], trials);

        Assert.Equal(["training.optimizer.learning_rate", "model[1].dropout"], importance.Take(2).Select(i => i.Path));
        Assert.True(importance[0].Share > 0.6, $"the learning rate's share is {importance[0].Share:F2}");
        Assert.Equal(1.0, importance.Sum(i => i.Share), 9);
    }

    [Fact]
    public void A_choice_that_decides_the_objective_takes_nearly_all_the_importance()
    {
        var trials = Trials(v => v[3] == 0 ? 0 : 1, 200);

        var importance = ParameterImportance.Of([LearningRate, Units, Dropout, Cell], trials);

        Assert.Equal("model[1].type", importance[0].Path);
        Assert.True(importance[0].Share > 0.8, $"the cell's share is {importance[0].Share:F2}");
    }

    [Fact]
    public void Too_few_completed_trials_tell_nothing()
    {
        Assert.Empty(ParameterImportance.Of([LearningRate], Trials(v => v[0], ParameterImportance.MinimumTrials - 1)));
    }
}
