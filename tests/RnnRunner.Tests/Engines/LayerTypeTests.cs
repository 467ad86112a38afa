using RnnRunner.Core.Engines;
using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;

namespace RnnRunner.Tests.Engines;

/// <summary>Each kind of layer is described in one place: exactly one LayerType per layer spec the language has.</summary>
public class LayerTypeTests
{
    public static TheoryData<string> LayerSpecTypes()
    {
        var data = new TheoryData<string>();
        foreach (var variant in SpecSchema.UnionOf(typeof(LayerSpec)).Variants) data.Add(variant.Key);
        return data;
    }

    [Theory]
    [MemberData(nameof(LayerSpecTypes))]
    public void Every_layer_spec_has_exactly_one_layer_type(string name)
    {
        var spec = SpecSchema.UnionOf(typeof(LayerSpec)).Variants.Single(v => v.Key == name).Value;

        Assert.Single(LayerTypes.All, t => t.SpecType.IsAssignableFrom(spec));
    }

    [Theory]
    [MemberData(nameof(LayerSpecTypes))]
    public void Every_layer_spec_has_a_module_in_each_engine(string name)
    {
        var spec = SpecSchema.UnionOf(typeof(LayerSpec)).Variants.Single(v => v.Key == name).Value;

        Assert.NotNull(LayerModules.Find(typeof(RnnRunner.Engines.Torch.TorchEngine).Assembly, spec));
        Assert.NotNull(LayerModules.Find(typeof(RnnRunner.Engines.Scratch.ScratchEngine).Assembly, spec));
    }

    [Fact]
    public void Gates_are_defined_once_on_the_spec_and_drive_the_parameter_count()
    {
        var loaded = Support.Specs.Load(Support.Specs.BasicRnn, "model[1]={type: gru, units: 16}");
        var gru = loaded.Plan.Layers[1];

        Assert.Equal(3, ((GruLayerSpec)gru.Spec).Gates);
        Assert.Equal(3L * 16 * (8 + 16) + 2 * 3 * 16, gru.TorchParameters);
        Assert.Equal(3 * 16, InitialWeights.For(loaded.Plan, 1).Single(w => w.Name == "model[1].weight_hh").Shape[0]);
    }
}
