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
    public void An_engine_without_a_module_for_a_layer_type_says_so_at_that_layer()
    {
        var loaded = Support.Specs.Load(Support.Specs.BasicRnn);
        IEngine engine = new ModulelessEngine();

        var problems = engine.Problems(loaded.Plan, DeviceKind.Cpu).ToList();

        Assert.Contains(problems, p => p.Path == "model[1].type" && p.Message.Contains("has no simple_rnn layer", StringComparison.Ordinal));
        Assert.Equal(loaded.Plan.Layers.Count, problems.Count);
    }

    /// <summary>An engine (in this test assembly) that marks no layer modules.</summary>
    private sealed class ModulelessEngine : IEngine
    {
        public EngineKind Kind => EngineKind.Torch;
        public IReadOnlyDictionary<string, string> Versions => new Dictionary<string, string>();
        public string RecurrentKernels => "none";
        public string? DeviceProblem(DeviceKind device) => null;
        public EngineVariant DefaultVariant => new("torch", 1, "none");
        public ITrainableModel Build(ModelPlan plan, TrainingSpec training, DeviceKind device, int seed, EngineVariant? variant = null) => throw new NotSupportedException();
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
