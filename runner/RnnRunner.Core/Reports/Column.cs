namespace RnnRunner.Core.Reports;

/// <summary>One column of a table: its snake_case name (a CSV header, a JSON key), its heading, its text and, for sorting, its number.</summary>
public sealed record Column<T>(string Name, string Heading, Func<T, string> Text, Func<T, double?>? Number = null);
