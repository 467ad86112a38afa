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
}
