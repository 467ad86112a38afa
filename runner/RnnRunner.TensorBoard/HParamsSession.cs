using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Tensorboard;
using TorchSharp.Utils;

namespace RnnRunner.TensorBoard;

/// <summary>
/// A run as a session of TensorBoard's HPARAMS tab: the settings it was given (its overrides — a grid's axes, a
/// study's sampled values) as a <c>SessionStartInfo</c>, and how it ended as a <c>SessionEndInfo</c>, each a summary
/// tagged <c>_hparams_/…</c> whose metadata names the "hparams" plugin, in the run's tensorboard folder beside the
/// train/validation sub-runs that hold its metrics — Keras' hparams layout — so `tensorboard --logdir results/` shows
/// every grid trial and study trial in one table and parallel-coordinates view, seeds of a setting grouped. No
/// experiment summary is written: TensorBoard takes one from the results root only, where several grids would
/// overwrite each other; without one it infers the columns from the sessions. TorchSharp's SummaryWriter has no
/// add_hparams, so the records are written here: the event and summary messages are TorchSharp's own generated
/// protobuf classes; the plugin's three messages, which it lacks, are encoded field by field from the plugin's
/// published schema (tensorboard/plugins/hparams/plugin_data.proto and api.proto).
/// </summary>
public static class HParamsSession
{
    /// <summary>The event file, one per run: a resumed run appends to it rather than starting a second session.</summary>
    public const string FileName = "events.out.tfevents.hparams";
    public const string StartTag = "_hparams_/session_start_info", EndTag = "_hparams_/session_end_info", PluginName = "hparams";

    /// <summary>TensorBoard's hparams Status enum (api.proto).</summary>
    public enum Status { Unknown = 0, Success = 1, Failure = 2, Running = 3 }

    /// <summary>
    /// Records the session's start once (a resumed run already has it): its settings by spec path, numbers as numbers,
    /// true/false as booleans; <paramref name="group"/> names the settings less the seed, so seeds form one group.
    /// </summary>
    public static void Start(string folder, IReadOnlyDictionary<string, string> settings, string group, DateTime startedUtc)
    {
        var path = Path.Combine(folder, FileName);
        if (File.Exists(path) && new FileInfo(path).Length > 0) return;
        var start = new CodedBytes();
        foreach (var (name, text) in settings.OrderBy(s => s.Key, StringComparer.Ordinal))
            start.Message(1, entry => entry.String(1, name).Message(2, value => value.Raw(ValueOf(text).ToByteArray())));
        start.String(4, group).Double(5, Seconds(startedUtc));
        Append(path, StartTag, new CodedBytes().Int32(1, 0).Message(3, s => s.Raw(start.ToArray())).ToArray(), startedUtc);
    }

    /// <summary>Records how the session ended: once, as TensorBoard keeps the first end it reads.</summary>
    public static void End(string folder, Status status, DateTime endedUtc)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return;
        var end = new CodedBytes().Int32(1, (int)status).Double(2, Seconds(endedUtc)).ToArray();
        Append(path, EndTag, new CodedBytes().Int32(1, 0).Message(4, e => e.Raw(end)).ToArray(), endedUtc);
    }

    /// <summary>A setting's text as protobuf's Value: a number, a boolean, or the text.</summary>
    public static Value ValueOf(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? Value.ForNumber(number)
        : text is "true" or "false" ? Value.ForBool(text == "true") : Value.ForString(text);

    private static double Seconds(DateTime utc) => (utc - DateTime.UnixEpoch).TotalSeconds;

    private static void Append(string path, string tag, byte[] pluginContent, DateTime utc)
    {
        var summary = new Summary();
        summary.Value.Add(new Summary.Types.Value
        {
            Tag = tag,
            Metadata = new SummaryMetadata { PluginData = new SummaryMetadata.Types.PluginData { PluginName = PluginName, Content = ByteString.CopyFrom(pluginContent) } },
            Tensor = new TensorProto { Dtype = DataType.DtFloat, FloatVal = { 0f } },
        });
        var record = new Event { WallTime = Seconds(utc), Step = 0, Summary = summary }.ToByteArray();
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        WriteRecord(file, record);
        file.Flush(flushToDisk: true);
    }

    /// <summary>One TFRecord frame: length, its masked CRC-32C, the data, its masked CRC-32C (little-endian).</summary>
    public static void WriteRecord(Stream stream, byte[] data)
    {
        var length = BitConverter.GetBytes((ulong)data.Length);
        stream.Write(length);
        stream.Write(BitConverter.GetBytes(MaskedCrc(length)));
        stream.Write(data);
        stream.Write(BitConverter.GetBytes(MaskedCrc(data)));
    }

    /// <summary>TFRecord's masked CRC-32C: rotated right by 15 bits, plus a constant (so CRCs of CRCs are not CRCs).</summary>
    public static uint MaskedCrc(byte[] data)
    {
        var crc = CRC32C.process(data);
        return unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);
    }

    /// <summary>A protobuf message being written field by field (proto3: default values left out).</summary>
    private sealed class CodedBytes
    {
        private readonly MemoryStream _buffer = new();
        private readonly CodedOutputStream _out;

        public CodedBytes() => _out = new CodedOutputStream(_buffer, leaveOpen: true);

        public CodedBytes Int32(int field, int value)
        {
            if (value == 0) return this;
            _out.WriteTag(field, WireFormat.WireType.Varint);
            _out.WriteInt32(value);
            return this;
        }

        public CodedBytes Double(int field, double value)
        {
            _out.WriteTag(field, WireFormat.WireType.Fixed64);
            _out.WriteDouble(value);
            return this;
        }

        public CodedBytes String(int field, string value)
        {
            if (value.Length == 0) return this;
            _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _out.WriteString(value);
            return this;
        }

        public CodedBytes Message(int field, Action<CodedBytes> write)
        {
            var inner = new CodedBytes();
            write(inner);
            _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _out.WriteBytes(ByteString.CopyFrom(inner.ToArray()));
            return this;
        }

        /// <summary>An already encoded message's bytes, as the body of the field being written.</summary>
        public CodedBytes Raw(byte[] bytes)
        {
            _out.Flush();
            _buffer.Write(bytes);
            return this;
        }

        public byte[] ToArray()
        {
            _out.Flush();
            return _buffer.ToArray();
        }
    }
}
