using System.Text.Json;
using System.Text.Json.Nodes;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Export;

/// <summary>
/// tokenizer.json: how a text becomes the model's input ids, complete enough to reproduce the training encoding
/// anywhere — Keras' Tokenizer settings (lower-case, filters, split on spaces, HTML line breaks removed), imdb.load_data's
/// ids (pad 0, start, oov, index_from, num_words, skip_top), pad_sequences' maxlen, padding and truncating, and
/// word_index (word → id) for every word that has its own id. Read back, it gives the same <see cref="TextEncoding"/>.
/// </summary>
public static class TokenizerFile
{
    public const string Name = "tokenizer.json";
    public const string Format = "rnnrunner-tokenizer/1";

    public static JsonObject Of(TextDataSpec spec, Vocabulary vocabulary)
    {
        var index = new JsonObject();
        for (var rank = spec.SkipTop + 1; rank <= vocabulary.WordsByRank.Count && rank + spec.IndexFrom < spec.NumWords; rank++)
            index[vocabulary.WordsByRank[rank - 1]] = rank + spec.IndexFrom;
        return new JsonObject
        {
            ["format"] = Format,
            ["tokenizer"] = new JsonObject
            {
                ["lower"] = true,
                ["filters"] = KerasTextTokenizer.DefaultFilters,
                ["split"] = " ",
                ["removes"] = "<br />",
                ["note"] = "Keras' Tokenizer defaults: '<br />' becomes a space, the text is lower-cased, each filter character becomes a space, words are split on spaces",
            },
            ["ids"] = new JsonObject
            {
                ["pad"] = 0,
                ["start"] = spec.StartChar,
                ["oov"] = spec.OovChar,
                ["index_from"] = spec.IndexFrom,
                ["num_words"] = spec.NumWords,
                ["skip_top"] = spec.SkipTop,
                ["note"] = "a text is [start] + each word's id from word_index, or oov (dropped when oov is null); then cut and padded",
            },
            ["sequence"] = new JsonObject
            {
                ["maxlen"] = spec.Maxlen,
                ["padding"] = SpecNames.Of(spec.Padding),
                ["truncating"] = SpecNames.Of(spec.Truncating),
            },
            ["word_index"] = index,
        };
    }

    /// <summary>The encoding a tokenizer.json describes (<paramref name="path"/> is named in errors).</summary>
    public static TextEncoding Read(string path, out TextDataSpec settings)
    {
        JsonNode root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not JSON ({e.Message.Split('.')[0]})");
        }
        if ((string?)root["format"] != Format) throw new InvalidDataException($"{path}: not an RnnRunner tokenizer ({Format})");
        var ids = root["ids"]!;
        var sequence = root["sequence"]!;
        // Any text data spec carries these shared settings; which dataset trained the model does not matter here.
        settings = new ImdbDataSpec
        {
            StartChar = (int?)ids["start"],
            OovChar = (int?)ids["oov"],
            IndexFrom = (int)ids["index_from"]!,
            NumWords = (int)ids["num_words"]!,
            SkipTop = (int)ids["skip_top"]!,
            Maxlen = (int?)sequence["maxlen"],
            Padding = Side((string?)sequence["padding"], path),
            Truncating = Side((string?)sequence["truncating"], path),
        };
        return new TextEncoding(settings, Vocabulary(root["word_index"]!.AsObject(), settings));
    }

    /// <summary>Ranks back from ids (rank = id − index_from); a skipped top word's rank holds a word no text can contain (it has a space).</summary>
    private static Vocabulary Vocabulary(JsonObject index, TextDataSpec settings)
    {
        var words = new string[index.Count + settings.SkipTop];
        for (var r = 0; r < settings.SkipTop; r++) words[r] = $" skipped {r + 1}";
        foreach (var (word, id) in index) words[(int)id! - settings.IndexFrom - 1] = word;
        return new Vocabulary(words, words.Length);
    }

    private static SequenceSide Side(string? value, string path) => value switch
    {
        "pre" => SequenceSide.Pre,
        "post" => SequenceSide.Post,
        _ => throw new InvalidDataException($"{path}: padding and truncating are pre or post, not {value}"),
    };
}
