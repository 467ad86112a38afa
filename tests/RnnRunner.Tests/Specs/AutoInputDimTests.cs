using RnnRunner.Core.Specs;

namespace RnnRunner.Tests.Specs;

/// <summary><c>input_dim: auto</c>: the embedding takes the data's vocabulary, which the data already know.</summary>
public class AutoInputDimTests
{
    [Fact]
    public void Auto_is_the_data_vocabulary_and_the_resolved_spec_records_the_number()
    {
        var loaded = Support.Specs.Load(Support.Specs.BasicRnn.Replace("input_dim: 12", "input_dim: auto").Replace("vocabulary_size: 12", "vocabulary_size: 40"));

        var embedding = Assert.IsType<EmbeddingLayerSpec>(loaded.Spec.Model[0]);
        Assert.Equal(40, embedding.InputDim);
        Assert.Equal(40 * 8, loaded.Plan.Layers[0].TorchParameters);
        Assert.Contains("input_dim: 40", SpecWriter.ToYaml(loaded.Spec));
    }

    [Fact]
    public void A_too_small_input_dim_says_that_auto_would_fit()
    {
        var error = Assert.Single(Support.Specs.ErrorsOf(Support.Specs.BasicRnn.Replace("input_dim: 12", "input_dim: 5")));

        Assert.Equal("model[0].input_dim", error.Path);
        Assert.EndsWith("set it to at least 12, or to auto (the data's vocabulary)", error.Message);
    }

    [Theory]
    [InlineData("input_dim: ~", "expected an integer or auto (the data's vocabulary size), got null")]
    [InlineData("input_dim: automatic", "expected an integer, got 'automatic'")]
    public void Only_a_number_or_the_word_auto_is_an_input_dim(string replace, string message)
    {
        var error = Assert.Single(Support.Specs.ErrorsOf(Support.Specs.BasicRnn.Replace("input_dim: 12", replace)));

        Assert.Equal(("model[0].input_dim", message), (error.Path, error.Message));
    }
}
