using RnnRunner.Core.Settings;
namespace RnnRunner.Core.Engines;

/// <summary>
/// How many CPU threads a model's training is worth, decided from the work and the cores this process may use — never
/// by timing. A choice by timing follows the machine's load at that moment (a busy neighbour made one thread look
/// faster, and the cached choice outlived the neighbour), and thread counts can change a run's last digits; a rule makes
/// the same spec on the same machine always compute the same way. summary.json's versions record the threads a run used.
/// </summary>
public static class ThreadChoice
{
    /// <summary>
    /// The multiply-adds of one time step of the largest recurrent layer (gates × units × (inputs + units) × batch) from
    /// which a second thread pays on the torch engine, whose waiting threads sleep (docs/CONTENTION.md). Below it the
    /// hand-offs between threads cost more than a core gains: with sleeping waits one thread was faster for LSTM(128) on
    /// IMDB reviews at batch 128 (10.5 M), two for LSTM(256) (37.7 M).
    /// </summary>
    public const double ParallelFromMultiplyAdds = 20e6;

    /// <summary>The largest recurrent layer's multiply-adds for one time step of a batch (0 for a model without one).</summary>
    public static double StepMultiplyAdds(ModelPlan plan, int batchSize) =>
        plan.Layers.Select(l => (l.Spec switch
        {
            Specs.RecurrentLayerSpec r => (Layer: r, Directions: 1),
            Specs.BidirectionalLayerSpec b => (Layer: b.Layer, Directions: 2),
            _ => (Layer: (Specs.RecurrentLayerSpec?)null, Directions: 0),
        }, l.Input.Features))
            .Where(x => x.Item1.Layer is not null)
            .Select(x => (double)x.Item1.Layer!.Gates * x.Item1.Layer.Units * (x.Features + x.Item1.Layer.Units) * x.Item1.Directions * batchSize)
            .DefaultIfEmpty(0).Max();

    /// <summary>One thread for a model too small to split, else every core this process may use.</summary>
    public static int For(ModelPlan plan, int batchSize, int available) =>
        StepMultiplyAdds(plan, batchSize) >= ParallelFromMultiplyAdds ? available : 1;

    /// <summary>
    /// The cores this process may use: those .NET counts (its affinity mask and cgroup quota), and within a Slurm job no
    /// more than it was allocated ($SLURM_CPUS_PER_TASK) — so array tasks sharing a node never ask for more threads in
    /// all than it has. Grids' and studies' workers are given their share with --threads.
    /// </summary>
    public static int Available(Switchboard switches) =>
        switches.SlurmCpusPerTask is { } allocated ? Math.Min(allocated, Environment.ProcessorCount) : Environment.ProcessorCount;
}
