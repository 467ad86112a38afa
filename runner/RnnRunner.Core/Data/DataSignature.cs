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
}

/// <summary>
/// What a dataset feeds the model and expects back, known from the spec alone (before any data is loaded), so
/// that shape inference and validation can run first.
/// </summary>
/// <param name="InputWidth">Vocabulary size (number of token ids) for tokens, feature count for features.</param>
/// <param name="TargetWidth">Classes for classification (2 for binary), values per step for regression.</param>
public sealed record DataSignature(InputKind Input, int InputWidth, int Steps, TargetKind Target, int TargetWidth)
{
    public bool TargetIsSequence => Target is TargetKind.ClassesPerStep or TargetKind.RegressionPerStep;
    public bool IsClassification => Target is not TargetKind.RegressionPerStep;

    /// <summary>Target values per example: 1 label, one label per step, or a vector per step.</summary>
    public int TargetsPerExample => Target switch
    {
        TargetKind.BinaryPerSequence or TargetKind.ClassesPerSequence => 1,
        TargetKind.ClassesPerStep => Steps,
        _ => Steps * TargetWidth,
    };

    /// <summary>Input values per example: one token id per step, or a feature vector per step.</summary>
    public int InputsPerExample => Input == InputKind.Tokens ? Steps : Steps * InputWidth;
}
