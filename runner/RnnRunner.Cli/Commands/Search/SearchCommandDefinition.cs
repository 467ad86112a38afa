using System.CommandLine;

namespace RnnRunner.Cli.Commands.Search;

public static class SearchCommandDefinition
{
    public static Command Create()
    {
        var file = new Argument<string>("study") { Description = "The study file: a base spec and the settings to search (base: and search:)." };
        var resume = new Option<string?>("--resume") { Description = "Work on this study folder (default: the latest folder of the same study)." };
        var jobs = new Option<int>("--jobs", "-j")
        {
            Description = "Workers: this process and N - 1 more, each training one trial at a time with its share of the cores.",
            DefaultValueFactory = _ => 1,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the study and print its space, objective and rungs; run nothing." };
        var noReport = new Option<bool>("--no-report") { Description = "Do not write the report when done (a cluster's workers leave it to one report job)." };
        var reportOnly = new Option<bool>("--report-only") { Description = "Train nothing: write the report of the study's folder as its journal stands." };
        var repair = new Option<bool>("--repair") { Description = "Set journal lines that are not records (damaged or edited by hand) aside in journal.damaged.jsonl, then continue." };
        var command = new Command("search", "Search a spec's settings: sample trials (random, halton or tpe), prune the unpromising (asha or median), "
            + "and report the best. Running it again continues the study; any number of processes may work on one study at once.\n\n"
            + "Examples:\n  rnnrunner search experiments/basics/search-rnn.yaml --dry-run\n  rnnrunner search experiments/imdb/search-lstm.yaml --jobs 2")
        {
            file, resume, jobs, dryRun, noReport, reportOnly, repair, Run.RunCommandDefinition.Results,
        };
        command.SetAction(parse => SearchCommand.Execute(parse.GetValue(file)!, parse.GetValue(resume), parse.GetValue(jobs), parse.GetValue(dryRun), parse.GetValue(noReport), parse.GetValue(reportOnly), parse.GetValue(repair),
            parse.GetValue(Run.RunCommandDefinition.Results)!, parse.GetValue(SharedOptions.Json),
            new ConsoleStreams(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error), Composition.Of(parse)));
        return command;
    }
}
