using System.Globalization;
using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Results;

namespace RnnRunner.Core.Running;

/// <summary>
/// A trained classifier's classes in label order, as predict prints them and evaluate matches other data against
/// them: a text dataset's names (from the run's verified preprocessing.json), else the label numbers.
/// </summary>
/// <param name="Named">Whether the names came from the data (text classes) rather than being label numbers.</param>
public sealed record TrainedClasses(IReadOnlyList<string> Names, bool Named)
{
    /// <summary>The run's classes, or null for a model that does not classify.</summary>
    public static TrainedClasses? Of(RunFolder folder, DataSignature signature)
    {
        if (!signature.IsClassification) return null;
        var numbers = new TrainedClasses(Enumerable.Range(0, signature.TargetWidth).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList(), false);
        // A text dataset's report names its classes; other reports (a series', arrays') do not.
        if (!File.Exists(folder.Preprocessing)) return numbers;
        try
        {
            var names = PreprocessingReport.FromJson(folder.ReadDataFile(folder.Preprocessing)).Splits.GetValueOrDefault(TextPreprocessor.Train)?.Classes.Keys.ToList();
            return names is { } n && n.Count == signature.TargetWidth ? new TrainedClasses(n, true) : numbers;
        }
        catch (System.Text.Json.JsonException)
        {
            return numbers;
        }
    }

    /// <summary>
    /// Why other data's classes (in their label order) cannot be scored against these, or null when they match by name
    /// and order: renamed classes matched by position would score a perfect model as a perfectly wrong one.
    /// </summary>
    public string? MismatchWith(IReadOnlyList<string> others)
    {
        if (!Named || Names.SequenceEqual(others, StringComparer.Ordinal)) return null;
        var list = string.Join(", ", Names);
        if (Names.Order(StringComparer.Ordinal).SequenceEqual(others.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            return $"has the model's classes in another order ({string.Join(", ", others)}); give them in the model's order with data.classes: [{list}]";
        return $"has classes {string.Join(", ", others)}; the model was trained on {list}: classes are matched by name, so rename the data's classes (folders or labels) to the model's";
    }
}
