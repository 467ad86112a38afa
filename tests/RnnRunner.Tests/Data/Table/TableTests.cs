using System.Text;
using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Table;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Data.Table;

/// <summary><c>dataset: table</c>: CSV, TSV and JSON Lines rows, every malformed input one located error.</summary>
public class TableTests
{
    private static DataEnvironment Environment(TempDirectory temp) => new(temp.File("data"), temp.File("cache"));

    private static TableDataSpec Text(string path) => new() { Path = path, TextColumn = "text", LabelColumn = "label", NumWords = 50, Maxlen = 20 };

    private static TableDataSpec Ids(string path) => new() { Path = path, SequenceColumn = "ids", LabelColumn = "label", NumWords = 50, Maxlen = null };

    [Fact]
    public void Csv_fields_may_hold_quotes_commas_and_line_breaks_and_a_byte_order_mark_is_fine()
    {
        using var temp = new TempDirectory();
        var path = temp.File("t.csv");
        File.WriteAllText(path, "text,label\n\"Great, \"\"really\"\" great\",pos\n\"two\nlines, bad\",neg\nfine film,pos\nawful,neg\n",
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var rows = TableReader.Read(path, TableFormat.Auto, header: true, "text", "label").ToList();

        Assert.Equal([new TableRow(2, "Great, \"really\" great", "pos"), new TableRow(3, "two\nlines, bad", "neg"),
            new TableRow(5, "fine film", "pos"), new TableRow(6, "awful", "neg")], rows);
    }

    [Fact]
    public void Tsv_without_a_header_names_columns_by_position_and_json_lines_name_them_by_key()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("t.tsv"), "good film\t1\nbad film\t0\n");
        File.WriteAllText(temp.File("t.jsonl"), "{\"ids\": [3, 4], \"label\": 1}\n\n{\"label\": \"0\", \"ids\": \"5 6 7\"}\n");

        var tsv = TableReader.Read(temp.File("t.tsv"), TableFormat.Auto, header: false, "0", "1").ToList();
        var jsonl = TableReader.Read(temp.File("t.jsonl"), TableFormat.Auto, header: true, "ids", "label").ToList();

        Assert.Equal([new TableRow(1, "good film", "1"), new TableRow(2, "bad film", "0")], tsv);
        Assert.Equal([new TableRow(1, "3 4", "1"), new TableRow(3, "5 6 7", "0")], jsonl);
    }

    [Fact]
    public void Class_ids_are_ordered_as_numbers_and_class_names_in_ordinal_order()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("ids.csv"), "text,label\na,10\nb,2\nc,1\n");
        File.WriteAllText(temp.File("names.csv"), "text,label\na,sport\nb,arts\nc,news\n");

        Assert.Equal(["1", "2", "10"], TableSource.Inspect(Text(temp.File("ids.csv"))).Classes);
        Assert.Equal(["arts", "news", "sport"], TableSource.Inspect(Text(temp.File("names.csv"))).Classes);
    }

    [Fact]
    public void Text_rows_are_tokenised_as_imdb_texts_and_a_test_file_gives_the_test_split()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("train.csv"), "text,label\ngreat great film,pos\nawful film,neg\ngreat acting,pos\nawful awful,neg\n");
        File.WriteAllText(temp.File("test.csv"), "text,label\ngreat,pos\nawful plot,neg\n");

        var data = new TableSource(Text(temp.File("train.csv")) with { TestPath = temp.File("test.csv") }, Environment(temp)).Load(1, default);

        Assert.Equal((4, 2), (data.Train.Count, data.Test.Count));
        Assert.Equal(["awful", "great", "film", "acting"], data.Vocabulary!.WordsByRank); // counts 3, 3, 2, 1; ties ordinal
        Assert.Equal([1, 5], data.Test.TokensOf(0).ToArray()); // start, "great" (rank 2 → id 2 + index_from 3)
        Assert.Equal([1, 4, 2], data.Test.TokensOf(1).ToArray()); // start, "awful", "plot" out of vocabulary
        Assert.Equal(1.0 / 3, data.Report!.Splits["test"].OovRate, 10);
    }

    [Fact]
    public void Sequence_rows_keep_their_ids_cut_to_maxlen_at_the_truncating_end()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("s.jsonl"), "{\"ids\": [5, 6, 7, 8], \"label\": \"up\"}\n{\"ids\": [9], \"label\": \"down\"}\n");

        var data = new TableSource(Ids(temp.File("s.jsonl")) with { Maxlen = 3, TestPath = temp.File("s.jsonl") }, Environment(temp)).Load(1, default);

        Assert.Equal([6, 7, 8], data.Train.TokensOf(0).ToArray()); // truncating: pre keeps the end, as Keras' pad_sequences
        Assert.Equal([9], data.Train.TokensOf(1).ToArray());
        Assert.Equal([1, 0], data.Train.Labels!); // down, up
        Assert.Null(data.Vocabulary);
    }

    [Theory]
    [InlineData("ragged.csv", "text,label\ngood,pos\nno label here\n", "ragged.csv:3: has 1 field(s); column 'label' is field 2")]
    [InlineData("column.csv", "review,label\ngood,pos\n", "column.csv:1: has no column 'text' (its columns: review, label)")]
    [InlineData("empty-label.csv", "text,label\ngood,\nbad,neg\n", "empty-label.csv:2: column 'label' is empty")]
    [InlineData("one-class.csv", "text,label\ngood,pos\nfine,pos\n", "one-class.csv: column 'label' has one label (pos)")]
    [InlineData("json.jsonl", "{\"text\": \"good\", \"label\": \"pos\"}\n{\"text\": \"bad\" \"label\": \"neg\"}\n", "json.jsonl:2:16: is not valid JSON")]
    [InlineData("key.jsonl", "{\"text\": \"good\", \"label\": \"pos\"}\n{\"txt\": \"bad\", \"label\": \"neg\"}\n", "key.jsonl:2: has no 'text' (its keys: txt, label)")]
    [InlineData("quote.csv", "text,label\ngood \"film\" here,pos\nbad,neg\n", "quote.csv:2: a quote is out of place")]
    public void A_malformed_table_is_one_error_naming_the_file_and_line(string name, string content, string message)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File(name), content);

        var error = Assert.Throws<DatasetException>(() => TableSource.Inspect(Text(temp.File(name))));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_an_id_that_is_not_one_and_a_test_label_unseen_in_training_are_refused()
    {
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("latin1.csv"), [.. "text,label\ncaf"u8, 0xE9, .. ",pos\nbad,neg\n"u8]);
        File.WriteAllText(temp.File("ids.jsonl"), "{\"ids\": [1, 2], \"label\": \"a\"}\n{\"ids\": [3, 99], \"label\": \"b\"}\n");
        File.WriteAllText(temp.File("train.csv"), "text,label\ngood,pos\nbad,neg\n");
        File.WriteAllText(temp.File("test.csv"), "text,label\nmeh,neutral\n");

        Assert.Contains("latin1.csv: is not UTF-8 text", Assert.Throws<DatasetException>(() => TableSource.Inspect(Text(temp.File("latin1.csv")))).Message);
        Assert.Contains("ids.jsonl:2: column 'ids': id 99 is outside 0..49 (num_words 50)",
            Assert.Throws<DatasetException>(() => TableSource.Inspect(Ids(temp.File("ids.jsonl")))).Message);
        Assert.Contains("test.csv:2: label 'neutral' is not one of the classes (neg, pos); the training rows never have it",
            Assert.Throws<DatasetException>(() => TableSource.Inspect(Text(temp.File("train.csv")) with { TestPath = temp.File("test.csv") })).Message);
    }

    [Fact]
    public void Validation_reports_a_table_problem_at_the_data_path_and_a_missing_column_choice_at_text_column()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("t.csv"), "text,label\ngood,pos\nbad\n");
        var spec = $$"""
            name: t
            data: {dataset: table, path: {{temp.File("t.csv")}}, text_column: text, label_column: label, num_words: 50, maxlen: 10}
            model: [{type: embedding, input_dim: 50, output_dim: 4}, {type: lstm, units: 4}, {type: dense, units: 1, activation: sigmoid}]
            training: {epochs: 1, loss: binary_crossentropy}
            """;

        var ragged = Assert.Throws<SpecException>(() => SpecLoader.LoadText(spec, "t.yaml"));
        var neither = Assert.Throws<SpecException>(() => SpecLoader.LoadText(spec.Replace("text_column: text, ", ""), "t.yaml"));

        Assert.Equal("data.path", Assert.Single(ragged.Errors).Path);
        Assert.Contains("t.csv:3: has 1 field(s)", ragged.Errors[0].Message);
        Assert.Equal("data.text_column", Assert.Single(neither.Errors).Path);
    }
}
