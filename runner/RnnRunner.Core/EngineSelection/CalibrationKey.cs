using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Settings;

namespace RnnRunner.Core.EngineSelection;

/// <summary>
/// What a calibration holds for: this machine (CPU model and vector extensions, cores, threads, OS, runtime, the
/// exact build of RnnRunner and TorchSharp, and the environment switches that change kernels) and the spec's shape
/// (layers with their shapes, data signature, batch size, optimizer, loss, clipping, batching, device, and the engine
/// asked for: auto or a pinned one, whose candidates differ). Anything
/// else — name, seed, epochs, learning rate, data files of the same shape — does not change an engine's speed, so
/// runs that differ only there share one calibration.
/// </summary>
public static class CalibrationKey
{
    private static readonly Lazy<string> Build = new(BuildIdentity);

    public static string Of(LoadedSpec loaded, int? threads, Switchboard switches) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Machine(threads, switches) + "\n" + Shape(loaded))))[..20];

    /// <summary>The machine's part; the switches are every one the switchboard marks as changing kernels or their threads.</summary>
    public static string Machine(int? threads, Switchboard switches) => string.Join("\n",
        $"cpu: {Cpu.Current}", $"cores: {Environment.ProcessorCount}", $"threads: {threads?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all"}",
        $"os: {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
        $"runtime: {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}", $"build: {Build.Value}",
        $"switches: {switches.KernelFingerprint}");

    public static string Shape(LoadedSpec loaded)
    {
        var (spec, training) = (loaded.Spec, loaded.Spec.Training);
        var layers = loaded.Plan.Layers.Select(l => $"{l.Spec} {l.Input} -> {l.Output}");
        return string.Join("\n", [.. layers, $"data: {loaded.Plan.Data}", $"batch: {training.BatchSize}",
            $"optimizer: {training.Optimizer.GetType().Name}", $"loss: {training.Loss}", $"clip: {training.ClipGradNorm is not null}",
            $"batching: {training.Batching}", $"device: {spec.Device}",
            $"engine: {spec.Engine}"]); // auto times every engine's variants, a pinned engine its own
    }

    /// <summary>The module version ids of RnnRunner's and TorchSharp's assemblies beside this one: they change with every build.</summary>
    private static string BuildIdentity()
    {
        var folder = Path.GetDirectoryName(typeof(CalibrationKey).Assembly.Location) is { Length: > 0 } f ? f : AppContext.BaseDirectory;
        var ids = Directory.EnumerateFiles(folder, "*.dll")
            .Where(p => Path.GetFileName(p) is var n && (n.StartsWith("RnnRunner.", StringComparison.Ordinal) || n == "TorchSharp.dll"))
            .Order(StringComparer.Ordinal)
            .Select(p => $"{Path.GetFileName(p)}:{ModuleVersionId(p)}");
        return string.Join(",", ids);
    }

    private static string ModuleVersionId(string assembly)
    {
        try
        {
            using var pe = new PEReader(File.OpenRead(assembly));
            var metadata = pe.GetMetadataReader();
            return metadata.GetGuid(metadata.GetModuleDefinition().Mvid).ToString("N");
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or InvalidOperationException)
        {
            return "?";
        }
    }
}
