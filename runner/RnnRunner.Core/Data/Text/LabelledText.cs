namespace RnnRunner.Core.Data.Text;

/// <summary>One labelled text of a text dataset, before tokenising.</summary>
/// <param name="Split">"train" or "test".</param>
/// <param name="Label">The class index (classes in their sorted order; IMDB: 0 negative, 1 positive).</param>
/// <param name="Id">Orders texts within a class: IMDB's review id, a folder's sorted file index.</param>
public sealed record LabelledText(string Split, int Label, int Id, string Text);
