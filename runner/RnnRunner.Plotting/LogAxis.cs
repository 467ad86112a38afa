using System.Globalization;

namespace RnnRunner.Plotting;

/// <summary>
/// An axis for values that were sampled or decayed by factors (a learning rate): the chart plots log10 of the value,
/// and these ticks label it with the values themselves, so 1e-4 and 1e-7 are as far apart as 1e-1 and 1e-4.
/// </summary>
public static class LogAxis
{
    /// <summary>Ticks at 1, 2 and 5 times each power of ten the values span, labelled with the values themselves.</summary>
    public static ScottPlot.TickGenerators.NumericManual Ticks(IReadOnlyList<double> values)
    {
        var positive = values.Where(v => v > 0).ToList();
        var (low, high) = (Math.Floor(Math.Log10(positive.Min())), Math.Ceiling(Math.Log10(positive.Max())));
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var power = low; power <= high; power++)
            foreach (var m in new[] { 1.0, 2, 5 })
            {
                var value = m * Math.Pow(10, power);
                ticks.AddMajor(Math.Log10(value), Label(m, (int)power));
            }
        return ticks;
    }

    /// <summary>m·10^power as people write it: 0.0002 down to a ten-thousandth, 5e-7 below, 5,000 up to millions, 5e7 above.</summary>
    public static string Label(double m, int power) => power switch
    {
        >= 0 and < 7 => (m * Math.Pow(10, power)).ToString("#,0", CultureInfo.InvariantCulture),
        >= -4 and < 0 => (m * Math.Pow(10, power)).ToString("G3", CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"{m}e{power}"),
    };
}
