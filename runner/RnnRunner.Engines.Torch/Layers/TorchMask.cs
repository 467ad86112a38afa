using RnnRunner.Core.Engines;
using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch.Layers;

/// <summary>
/// A batch's padding mask as tensors: which steps are real, and the <see cref="SequenceMask"/> index maps as
/// (B, steps) gathers along time — autograd takes their adjoints on the way back.
/// </summary>
internal sealed class TorchMask
{
    public TorchMask(SequenceMask mask, Device device)
    {
        Mask = mask;
        // Everything a layer compares or divides by is built here from C# values, not with scalar arguments:
        // TorchSharp's implicit double → Scalar conversions can be finalised while libtorch still reads them
        // (seen here as "Unknown scalar type" crashes under allocation pressure; TorchSharp PR #1496).
        Real = tensor(mask.Real, [mask.Steps, mask.Batch], device: device).t().unsqueeze(-1).to(ScalarType.Float32); // (B, T, 1)
        Padding = tensor(mask.Real.Select(r => !r).ToArray(), [mask.Steps, mask.Batch], device: device).t().unsqueeze(-1);
        Divisors = tensor(mask.Lengths.Select(l => (float)Math.Max(1, l)).ToArray(), [mask.Batch, 1], device: device);
        HasRealStep = tensor(mask.Lengths.Select(l => l > 0).ToArray(), [mask.Batch, 1], device: device);
        Compact = Map(mask.Compact, mask.CompactSteps, device);
        Reverse = Map(mask.Reverse, mask.CompactSteps, device);
        Carry = Map(mask.Carry, mask.Steps, device);
        Zero = Map(mask.Zero, mask.Steps, device);
        Last = Map(mask.Lengths.Select(l => l - 1).ToArray(), 1, device);
    }

    public SequenceMask Mask { get; }

    /// <summary>(B, T, 1): 1 at real steps, 0 at padding.</summary>
    public Tensor Real { get; }

    /// <summary>(B, T, 1): true at padding.</summary>
    public Tensor Padding { get; }

    /// <summary>(B, 1): real steps per row, at least 1 (what a mean divides by).</summary>
    public Tensor Divisors { get; }

    /// <summary>(B, 1): whether a row has any real step.</summary>
    public Tensor HasRealStep { get; }

    public TimeMap Compact { get; }
    public TimeMap Reverse { get; }
    public TimeMap Carry { get; }
    public TimeMap Zero { get; }

    /// <summary>Each row's last real compact step (a one-step map).</summary>
    public TimeMap Last { get; }

    /// <summary>A time-major (steps, B) map with −1 for "zero" as a (B, steps) index and a (B, steps, 1) 0/1 factor.</summary>
    public sealed record TimeMap(Tensor Index, Tensor Valid)
    {
        /// <summary>out[b, t] = x[b, map[t, b]], zeros where the map has none: (B, S, F) → (B, steps, F).</summary>
        public Tensor Gather(Tensor x) =>
            x.gather(1, Index.unsqueeze(-1).expand(Index.shape[0], Index.shape[1], x.shape[2])) * Valid;
    }

    private static TimeMap Map(int[] timeMajor, int steps, Device device)
    {
        var batch = timeMajor.Length / steps;
        var index = tensor(timeMajor.Select(i => (long)Math.Max(i, 0)).ToArray(), [steps, batch], device: device).t().contiguous();
        var valid = tensor(timeMajor.Select(i => i >= 0 ? 1f : 0f).ToArray(), [steps, batch], device: device).t().unsqueeze(-1);
        return new TimeMap(index, valid);
    }
}
