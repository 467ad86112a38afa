using System.Globalization;
using System.Text;

namespace RnnRunner.Core.Settings;

/// <summary>What a switch is about, as docs/ENVIRONMENT.md groups them.</summary>
public enum SwitchGroup { Paths, Engines, Kernels, Threads, Cluster, Testing }

/// <summary>One environment variable RnnRunner reads or relies on.</summary>
/// <param name="Values">What it may be set to, as a user would write it.</param>
/// <param name="Effect">What it does, in a sentence.</param>
/// <param name="ChangesKernels">
/// Whether it changes which kernels run or how their threads behave: an engine's speed measured under one value says
/// nothing about another, so it is part of the calibration key.
/// </param>
/// <param name="ReadBy">Who reads it: RnnRunner itself, or a library RnnRunner loads (and relies on being left alone or set).</param>
public sealed record SwitchInfo(string Name, SwitchGroup Group, string Values, string Effect, bool ChangesKernels = false, string ReadBy = "RnnRunner");

/// <summary>Which kernels the torch engine runs LSTMs on ($RNNRUNNER_LSTM_KERNELS).</summary>
public enum LstmKernelSwitch { Aten, OneDnn, OneDnnTraining }

/// <summary>How the torch engine skips padding in masked recurrent layers ($RNNRUNNER_MASKED_RNN).</summary>
public enum MaskedRnnPath { Gathers, Packed }

/// <summary>Where a test asks the process to kill itself ($RNNRUNNER_KILL_AT): the Nth time it reaches Point for File (or *).</summary>
public sealed record FaultTarget(string Point, string File, int Nth);

/// <summary>
/// Every environment variable RnnRunner reads or relies on, read once at start-up into typed values that are then
/// passed to whoever needs them — never read again deep inside. <see cref="Known"/> is the list docs/ENVIRONMENT.md is
/// generated from (<c>rnnrunner env --markdown</c>, checked by a test), and the calibration key takes every switch that
/// <see cref="SwitchInfo.ChangesKernels"/> from here, so a new kernel switch cannot be forgotten there.
/// </summary>
public sealed record Switchboard
{
    public const string ParentProcessVariable = "RNNRUNNER_PARENT_PID";

    public static IReadOnlyList<SwitchInfo> Known { get; } =
    [
        new("RNNRUNNER_DATA", SwitchGroup.Paths, "a folder", "Where local dataset copies are looked for (default: ./data)."),
        new("RNNRUNNER_CACHE", SwitchGroup.Paths, "a folder",
            "Where downloads, tokenised data, series and calibrations are cached (default: $XDG_CACHE_HOME/rnnrunner, else ~/.cache/rnnrunner)."),
        new("XDG_CACHE_HOME", SwitchGroup.Paths, "a folder", "The cache's parent when $RNNRUNNER_CACHE is not set."),
        new("RNNRUNNER_LSTM_KERNELS", SwitchGroup.Engines, "aten (default), onednn, onednn-training",
            "The torch engine's LSTM kernels: ATen's cells, oneDNN's primitives throughout, or oneDNN in training steps only (for diagnosis and `make bench-kernels`; summary.json records the path).",
            ChangesKernels: true),
        new("RNNRUNNER_MASKED_RNN", SwitchGroup.Engines, "gathers (default), packed",
            "How the torch engine skips padding: gathers of the real steps, or pack_padded_sequence (for `make bench-masking`)."),
        new("RNNRUNNER_MALLOC", SwitchGroup.Engines, "kept (default), system",
            "`system` leaves glibc's allocator defaults instead of keeping freed memory for reuse, to measure the difference.", ChangesKernels: true),
        new("DOTNET_EnableAVX512", SwitchGroup.Kernels, "0", "Turns .NET's AVX-512 paths off (the scratch engine falls back to AVX2); `make test` reruns numeric tests with it.", ChangesKernels: true, ReadBy: ".NET"),
        new("DOTNET_EnableAVX512F", SwitchGroup.Kernels, "0", "The same on .NET 8 and older; no effect on .NET 10, kept in the key for older runtimes.", ChangesKernels: true, ReadBy: ".NET"),
        new("DOTNET_EnableAVX2", SwitchGroup.Kernels, "0", "Turns .NET's AVX2 paths off.", ChangesKernels: true, ReadBy: ".NET"),
        new("DOTNET_EnableHWIntrinsic", SwitchGroup.Kernels, "0", "Turns every .NET vector path off (the scratch engine's scalar kernels).", ChangesKernels: true, ReadBy: ".NET"),
        new("ATEN_CPU_CAPABILITY", SwitchGroup.Kernels, "default, avx2, avx512", "libtorch's kernel set; `make test` reruns numeric tests on avx2 and default.", ChangesKernels: true, ReadBy: "libtorch"),
        new("MKL_ENABLE_INSTRUCTIONS", SwitchGroup.Kernels, "AVX2, AVX512, …", "oneMKL's instruction set for libtorch's matrix products.", ChangesKernels: true, ReadBy: "oneMKL"),
        new("MKL_CBWR", SwitchGroup.Kernels, "COMPATIBLE, AVX2, …", "oneMKL's reproducible code path.", ChangesKernels: true, ReadBy: "oneMKL"),
        new("ONEDNN_MAX_CPU_ISA", SwitchGroup.Kernels, "AVX2, AVX512_CORE, …", "oneDNN's instruction set.", ChangesKernels: true, ReadBy: "oneDNN"),
        new("GLIBC_TUNABLES", SwitchGroup.Kernels, "glibc.malloc.…", "glibc's allocator settings, which move libtorch's speed.", ChangesKernels: true, ReadBy: "glibc"),
        new("OMP_NUM_THREADS", SwitchGroup.Threads, "a number", "libtorch's default thread count (RnnRunner's thread rule and --threads decide per run).", ChangesKernels: true, ReadBy: "libgomp"),
        new("OMP_WAIT_POLICY", SwitchGroup.Threads, "PASSIVE (RnnRunner's default), ACTIVE",
            "How libtorch's idle threads wait. RnnRunner sets PASSIVE before libtorch loads unless this or $GOMP_SPINCOUNT is set (docs/CONTENTION.md).", ChangesKernels: true, ReadBy: "libgomp"),
        new("GOMP_SPINCOUNT", SwitchGroup.Threads, "a number of rounds", "How long libtorch's idle threads spin before sleeping; setting it leaves the waits to libgomp.", ChangesKernels: true, ReadBy: "libgomp"),
        new("SLURM_CPUS_PER_TASK", SwitchGroup.Cluster, "a number (set by Slurm)", "A run inside a Slurm job uses at most this many cores.", ChangesKernels: true),
        new("SLURM_JOB_ID", SwitchGroup.Cluster, "a job id (set by Slurm)", "Named in the message an interrupted run prints, so the user knows which job to requeue."),
        new("CI", SwitchGroup.Cluster, "any value", "No live progress display, as on a terminal that is not one."),
        new(ParentProcessVariable, SwitchGroup.Testing, "a process id (set by RnnRunner)",
            "Marks a grid's or study's child trial: it may train under its parent's claim on the trial folder, and stops (keeping its checkpoint) if the parent dies."),
        new("RNNRUNNER_KILL_AT", SwitchGroup.Testing, "point:file[:n], e.g. before-rename:summary.json",
            "Kills the process with SIGKILL the n-th time it reaches a write's fault point for that file: the reliability tests' and soak script's deterministic crashes."),
    ];

    /// <summary>This process's switches, read the first time anything asks.</summary>
    public static Switchboard Current => CurrentBoard.Value;

    private static readonly Lazy<Switchboard> CurrentBoard = new(() => Read(Environment.GetEnvironmentVariable));

    /// <summary>The value of every known switch that is set (empty ones count as unset).</summary>
    public IReadOnlyDictionary<string, string> Set { get; private init; } = new Dictionary<string, string>();

    /// <summary>Switches set to something they cannot mean, each as one line naming the variable and its value.</summary>
    public IReadOnlyList<string> Problems { get; private init; } = [];

    public string? DataRoot => Value("RNNRUNNER_DATA");

    /// <summary>$RNNRUNNER_CACHE, else $XDG_CACHE_HOME/rnnrunner, else ~/.cache/rnnrunner.</summary>
    public string CacheRoot => Value("RNNRUNNER_CACHE") ?? Path.Combine(
        Value("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "rnnrunner");

    public LstmKernelSwitch LstmKernels { get; private init; }
    public MaskedRnnPath MaskedRnn { get; private init; }

    /// <summary>Whether glibc keeps freed memory for reuse (false with RNNRUNNER_MALLOC=system).</summary>
    public bool KeepFreedMemory { get; private init; } = true;

    public FaultTarget? KillAt { get; private init; }
    public int? ParentProcessId { get; private init; }
    public int? SlurmCpusPerTask { get; private init; }
    public string? SlurmJobId => Value("SLURM_JOB_ID");
    public bool ContinuousIntegration => Set.ContainsKey("CI");
    public string? OmpWaitPolicy => Value("OMP_WAIT_POLICY");
    public string? GompSpinCount => Value("GOMP_SPINCOUNT");

    /// <summary>Every switch that changes kernels or their threads, as NAME=value (empty when unset): the calibration key's part.</summary>
    public string KernelFingerprint => string.Join(' ', Known.Where(s => s.ChangesKernels).Select(s => $"{s.Name}={Value(s.Name)}"));

    /// <summary>Reads every known switch through <paramref name="variable"/> (the process environment, or a test's dictionary).</summary>
    public static Switchboard Read(Func<string, string?> variable)
    {
        var set = Known.Select(s => (s.Name, Value: variable(s.Name))).Where(v => !string.IsNullOrEmpty(v.Value))
            .ToDictionary(v => v.Name, v => v.Value!, StringComparer.Ordinal);
        var problems = new List<string>();
        return new Switchboard
        {
            Set = set,
            LstmKernels = Choice(set, "RNNRUNNER_LSTM_KERNELS", problems, LstmKernelSwitch.Aten,
                ("aten", LstmKernelSwitch.Aten), ("onednn", LstmKernelSwitch.OneDnn), ("onednn-training", LstmKernelSwitch.OneDnnTraining)),
            MaskedRnn = Choice(set, "RNNRUNNER_MASKED_RNN", problems, MaskedRnnPath.Gathers, ("gathers", MaskedRnnPath.Gathers), ("packed", MaskedRnnPath.Packed)),
            KeepFreedMemory = Choice(set, "RNNRUNNER_MALLOC", problems, true, ("kept", true), ("system", false)),
            KillAt = set.TryGetValue("RNNRUNNER_KILL_AT", out var kill) ? ParseFault(kill, problems) : null,
            ParentProcessId = Count(set, ParentProcessVariable, problems),
            SlurmCpusPerTask = Count(set, "SLURM_CPUS_PER_TASK", problems),
            Problems = problems,
        };
    }

    /// <summary>A board from exactly these values, as a child process or a test would see them.</summary>
    public static Switchboard Of(IReadOnlyDictionary<string, string> values) => Read(name => values.GetValueOrDefault(name));

    /// <summary>This board with one variable changed (null: unset).</summary>
    public Switchboard With(string name, string? value)
    {
        var values = new Dictionary<string, string>(Set, StringComparer.Ordinal);
        if (value is null) values.Remove(name);
        else values[name] = value;
        return Of(values);
    }

    private string? Value(string name) => Set.GetValueOrDefault(name);

    private static T Choice<T>(IReadOnlyDictionary<string, string> set, string name, List<string> problems, T fallback, params (string Text, T Value)[] choices)
    {
        if (!set.TryGetValue(name, out var text)) return fallback;
        foreach (var (option, value) in choices)
            if (string.Equals(option, text, StringComparison.OrdinalIgnoreCase)) return value;
        problems.Add($"${name}={text}: expected {string.Join(", ", choices.Select(c => c.Text))}");
        return fallback;
    }

    private static int? Count(IReadOnlyDictionary<string, string> set, string name, List<string> problems)
    {
        if (!set.TryGetValue(name, out var text)) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0) return n;
        problems.Add($"${name}={text}: expected a positive whole number");
        return null;
    }

    private static FaultTarget? ParseFault(string text, List<string> problems)
    {
        var parts = text.Split(':');
        var nth = 1;
        if (parts.Length is 2 or 3 && parts[0].Length > 0 && parts[1].Length > 0
            && (parts.Length == 2 || int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out nth) && nth > 0))
            return new FaultTarget(parts[0], parts[1], nth);
        problems.Add($"$RNNRUNNER_KILL_AT={text}: expected point:file[:n], e.g. before-rename:summary.json:2");
        return null;
    }

    /// <summary>docs/ENVIRONMENT.md: every switch, grouped, with what it does (<c>rnnrunner env --markdown</c>).</summary>
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine("# Environment switches");
        text.AppendLine();
        text.AppendLine("Generated by `./rnnrunner env --markdown > docs/ENVIRONMENT.md` from `Core/Settings/Switchboard.cs`; a test keeps it current.");
        text.AppendLine("RnnRunner reads each of these once, at start-up, into one typed record that is passed to whoever needs it.");
        text.AppendLine("`./rnnrunner env` shows what this shell has set. \"In the calibration key\": an engine speed measured under one value");
        text.AppendLine("is not reused under another (`engine: auto`). A value RnnRunner cannot read is refused at start-up with the");
        text.AppendLine("variable named, never ignored.");
        foreach (var group in Known.GroupBy(s => s.Group))
        {
            text.AppendLine();
            text.AppendLine($"## {GroupTitle(group.Key)}");
            text.AppendLine();
            text.AppendLine("| variable | values | read by | in the calibration key | what it does |");
            text.AppendLine("|---|---|---|---|---|");
            foreach (var s in group)
                text.AppendLine($"| `{s.Name}` | {s.Values} | {s.ReadBy} | {(s.ChangesKernels ? "yes" : "no")} | {s.Effect} |");
        }
        return text.ToString();
    }

    private static string GroupTitle(SwitchGroup group) => group switch
    {
        SwitchGroup.Paths => "Where data and caches live",
        SwitchGroup.Engines => "Engine paths (for diagnosis and benchmarks)",
        SwitchGroup.Kernels => "Kernel code paths (.NET, libtorch, oneMKL, oneDNN, glibc)",
        SwitchGroup.Threads => "Threads and how they wait",
        SwitchGroup.Cluster => "Clusters and CI",
        SwitchGroup.Testing => "Between RnnRunner's own processes, and for its tests",
        _ => group.ToString(),
    };
}
