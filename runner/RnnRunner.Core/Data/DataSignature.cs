namespace RnnRunner.Core.Data;

public enum InputKind { Tokens, Features }

public enum TargetKind
{
    /// <summary>One 0/1 label per sequence (sigmoid output, binary cross-entropy).</summary>
    BinaryPerSequence,
    /// <summary>One class index per sequence (softmax output).</summary>
    ClassesPerSequence,
    /// <summary>One class index per time step.</summary>
    ClassesPerStep,
    /// <summary>A vector of real values per time step.</summary>
    RegressionPerStep,
    /// <summary>A vector of real values per sequence (a table's number, a time series' value at the horizon).</summary>
    RegressionPerSequence,
}

/// <summary>
/// What a dataset feeds the model and expects back, known from the spec alone (before any data is loaded), so
/// that shape inference and validation can run first.
/// </summary>
/// <param name="InputWidth">Vocabulary size (number of token ids) for tokens, feature count for features.</param>
/// <param name="Steps">Time steps per example; for variable-length data, the most an example can have.</param>
/// <param name="TargetWidth">Classes for classification (2 for binary), values per step for regression.</param>
public sealed record DataSignature(InputKind Input, int InputWidth, int Steps, TargetKind Target, int TargetWidth)
{
    /// <summary>Examples have their own lengths (up to <see cref="Steps"/>); batches are padded with id 0.</summary>
    public bool VariableLength { get; init; }

    /// <summary>Token id 0 only ever pads (no word has it), so an embedding may mask it (mask_zero).</summary>
    public bool ZeroIsPadding { get; init; }

    public bool TargetIsSequence => Target is TargetKind.ClassesPerStep or TargetKind.RegressionPerStep;
    public bool IsClassification => Target is not (TargetKind.RegressionPerStep or TargetKind.RegressionPerSequence);

    /// <summary>Target values per example: 1 label, one label per step, or a vector per step.</summary>
    public int TargetsPerExample => Target switch
    {
        TargetKind.BinaryPerSequence or TargetKind.ClassesPerSequence => 1,
        TargetKind.ClassesPerStep => Steps,
        TargetKind.RegressionPerSequence => TargetWidth,
        _ => Steps * TargetWidth,
    };

    /// <summary>Input values per example: one token id per step, or a feature vector per step.</summary>
    public int InputsPerExample => Input == InputKind.Tokens ? Steps : Steps * InputWidth;
}
