using System.Buffers.Binary;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Engines.Torch;
using RnnRunner.Plotting;
using RnnRunner.TensorBoard;
using RnnRunner.Tests.Support;
using Serilog;

namespace RnnRunner.Tests.TensorBoard;

[Collection(TorchCollection.Name)]
public class TensorBoardExporterTests
{
    /// <summary>Reads a TFRecord file: per record, a length, its CRC, the bytes, their CRC.</summary>
    private static List<Tensorboard.Event> ReadEvents(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var events = new List<Tensorboard.Event>();
        for (var at = 0; at < bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at));
            events.Add(Tensorboard.Event.Parser.ParseFrom(bytes, at + 12, length));
            at += 12 + length + 4;
        }
        return events;
    }

    private static Dictionary<(string Tag, long Step), float> Scalars(string folder) =>
        Directory.GetFiles(folder, "events.out.tfevents.*").SelectMany(ReadEvents)
            .Where(e => e.Summary is not null)
            .SelectMany(e => e.Summary.Value.Where(v => v.ValueCase == Tensorboard.Summary.Types.Value.ValueOneofCase.SimpleValue)
                .Select(v => (v.Tag, e.Step, v.SimpleValue)))
            .ToDictionary(x => (x.Tag, x.Step), x => x.SimpleValue);

    [Fact]
    public void Each_epoch_is_written_as_keras_style_train_and_validation_scalars_that_read_back()
    {
        using var temp = new TempDirectory();
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, "training.epochs=3");

        var outcome = TestRuns.New()
            .Execute(spec, new RunOptions(temp.Path) { Outputs = [new TensorBoardExporter()] });

        var metrics = MetricsCsv.Read(outcome.Folder.Metrics);
        var train = Scalars(outcome.Folder.File("tensorboard/train"));
        var validation = Scalars(outcome.Folder.File("tensorboard/validation"));
        foreach (var epoch in metrics)
        {
            Assert.Equal((float)epoch["loss"], train[("epoch_loss", epoch.Epoch)]);
            Assert.Equal((float)epoch["accuracy"], train[("epoch_accuracy", epoch.Epoch)]);
            Assert.Equal((float)epoch.LearningRate, train[("epoch_learning_rate", epoch.Epoch)]);
            Assert.Equal((float)epoch["val_loss"], validation[("epoch_loss", epoch.Epoch)]);
            Assert.Equal((float)epoch["val_accuracy"], validation[("epoch_accuracy", epoch.Epoch)]);
        }
        Assert.Equal(3 * 3, train.Count);
        var text = Directory.GetFiles(outcome.Folder.File("tensorboard/train")).SelectMany(ReadEvents)
            .SelectMany(e => e.Summary?.Value ?? []).Single(v => v.Tag.StartsWith("hyperparameters", StringComparison.Ordinal));
        Assert.Contains("learning_rate: 0.005", text.Tensor.StringVal[0].ToStringUtf8());
    }

    [Theory]
    [InlineData("torch")]
    [InlineData("scratch")]
    public void Histogram_freq_writes_every_weight_and_its_gradient_as_a_histogram_every_n_epochs(string engine)
    {
        using var temp = new TempDirectory();
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, "training.epochs=2", "training.histogram_freq=2", $"engine={engine}");

        var outcome = TestRuns.New().Execute(spec, new RunOptions(temp.Path) { Outputs = [new TensorBoardExporter()] });

        var histograms = Directory.GetFiles(outcome.Folder.File("tensorboard/train"), "events.out.tfevents.*").SelectMany(ReadEvents)
            .SelectMany(e => (e.Summary?.Value ?? []).Where(v => v.ValueCase == Tensorboard.Summary.Types.Value.ValueOneofCase.Histo).Select(v => (e.Step, v)))
            .ToList();
        var weights = Core.Engines.WeightsFile.Load(outcome.Folder.Weights); // the weights after epoch 2: the run's last
        Assert.All(histograms, h => Assert.Equal(2, h.Step)); // epoch 2 only
        Assert.Equal(weights.Select(w => w.Name).Concat(weights.Select(w => $"{w.Name}/gradient")).Order(StringComparer.Ordinal),
            histograms.Select(h => h.v.Tag).Order(StringComparer.Ordinal));
        foreach (var w in weights)
        {
            var histo = histograms.Single(h => h.v.Tag == w.Name).v.Histo;
            Assert.Equal(w.Values.Length, histo.Num);
            Assert.Equal(w.Values.Sum(v => (double)v), histo.Sum, 3);
            Assert.Equal(w.Values.Min(), histo.Min, 6);
            Assert.True(histograms.Single(h => h.v.Tag == $"{w.Name}/gradient").v.Histo.SumSquares > 0, $"{w.Name}'s gradient is all zeros");
        }
    }

    /// <summary>
    /// A protobuf message's fields by number, decoded without the writer's code: each field number to its values (a
    /// varint as ulong, a fixed64 as its double, a length-delimited field as bytes), as plugin_data.proto and api.proto
    /// number them.
    /// </summary>
    private static Dictionary<int, List<object>> Fields(byte[] message)
    {
        var fields = new Dictionary<int, List<object>>();
        var input = new Google.Protobuf.CodedInputStream(message);
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            object value = Google.Protobuf.WireFormat.GetTagWireType(tag) switch
            {
                Google.Protobuf.WireFormat.WireType.Varint => input.ReadUInt64(),
                Google.Protobuf.WireFormat.WireType.Fixed64 => input.ReadDouble(),
                Google.Protobuf.WireFormat.WireType.LengthDelimited => input.ReadBytes().ToByteArray(),
                var other => throw new InvalidDataException($"unexpected wire type {other}"),
            };
            var number = Google.Protobuf.WireFormat.GetTagFieldNumber(tag);
            if (!fields.TryGetValue(number, out var list)) fields[number] = list = [];
            list.Add(value);
        }
        return fields;
    }

    [Fact]
    public void A_run_given_settings_is_a_session_of_the_hparams_tab_with_its_settings_group_and_ending_as_the_plugin_defines_them()
    {
        using var temp = new TempDirectory();
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, "training.epochs=2", "model[1].units=6", "seed=3", "training.optimizer.type=adam");

        var outcome = TestRuns.New().Execute(spec, new RunOptions(temp.Path) { Outputs = [new TensorBoardExporter()] });

        var file = outcome.Folder.File("tensorboard/" + HParamsSession.FileName);
        var bytes = File.ReadAllBytes(file);
        for (var at = 0; at < bytes.Length;) // every frame's CRCs check, as TensorBoard's reader checks them
        {
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at));
            Assert.Equal(HParamsSession.MaskedCrc(bytes[at..(at + 8)]), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)));
            Assert.Equal(HParamsSession.MaskedCrc(bytes[(at + 12)..(at + 12 + length)]), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + length)));
            at += 12 + length + 4;
        }
        var values = ReadEvents(file).Select(e => Assert.Single(e.Summary.Value)).ToList();
        Assert.Equal([HParamsSession.StartTag, HParamsSession.EndTag], values.Select(v => v.Tag));
        Assert.All(values, v => Assert.Equal("hparams", v.Metadata.PluginData.PluginName));
        // HParamsPluginData: version (1) = 0, left out; session_start_info (3) / session_end_info (4).
        var start = Fields((byte[])Fields(values[0].Metadata.PluginData.Content.ToByteArray())[3].Single());
        var hparams = start[1].Cast<byte[]>().Select(Fields).ToDictionary(
            entry => System.Text.Encoding.UTF8.GetString((byte[])entry[1].Single()), entry => Google.Protobuf.WellKnownTypes.Value.Parser.ParseFrom((byte[])entry[2].Single()));
        Assert.Equal(6, hparams["model[1].units"].NumberValue);
        Assert.Equal(3, hparams["seed"].NumberValue);
        Assert.Equal("adam", hparams["training.optimizer.type"].StringValue);
        Assert.Equal(2, hparams["training.epochs"].NumberValue);
        var group = System.Text.Encoding.UTF8.GetString((byte[])start[4].Single());
        Assert.DoesNotContain("seed", group); // seeds of one setting form one group
        Assert.Contains("model[1].units=6", group);
        var end = Fields((byte[])Fields(values[1].Metadata.PluginData.Content.ToByteArray())[4].Single());
        Assert.Equal(1UL, end[1].Single()); // STATUS_SUCCESS
        Assert.True((double)end[2].Single() >= (double)start[5].Single());
    }
}
