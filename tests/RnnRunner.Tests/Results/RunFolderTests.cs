using RnnRunner.Core.Results;
using RnnRunner.Core.Storage;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Results;

public class RunFolderTests
{
    private static readonly DateTime Noon = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Folders_are_numbered_and_stamped_and_never_reused()
    {
        using var temp = new TempDirectory();

        var first = RunFolder.Allocate(temp.Path, Noon);
        var second = RunFolder.Allocate(temp.Path, Noon);

        Assert.Equal("001-20261124T120000Z", first.Id);
        Assert.Equal("002-20261124T120000Z", second.Id);
        Assert.True(Directory.Exists(first.Path) && Directory.Exists(second.Path));
    }

    [Fact]
    public void Numbering_continues_after_the_highest_existing_folder_even_if_earlier_ones_were_deleted()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, "007-20250101T000000Z"));

        Assert.Equal(8, RunFolder.Allocate(temp.Path, Noon).Number);
        Directory.Delete(Path.Combine(temp.Path, "008-20261124T120000Z"));
        Assert.Equal(9, RunFolder.Allocate(temp.Path, Noon).Number);
    }

    [Fact]
    public void Runs_started_at_the_same_moment_get_distinct_folders()
    {
        using var temp = new TempDirectory();
        using var start = new Barrier(16);
        var folders = new RunFolder[16];
        // Threads of their own: sixteen pool tasks blocked on one barrier would wait for the pool to grow (seconds).
        var threads = Enumerable.Range(0, 16).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            folders[i] = RunFolder.Allocate(temp.Path, Noon);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(16, folders.Select(f => f.Path).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 16), folders.Select(f => f.Number).Order());
    }

    [Fact]
    public void Atomic_writes_replace_the_whole_file_and_leave_no_temporary_files()
    {
        using var temp = new TempDirectory();
        var path = temp.File("summary.json");

        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second");

        Assert.Equal("second", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void A_failed_write_keeps_the_previous_file()
    {
        using var temp = new TempDirectory();
        var path = temp.File("metrics.csv");
        AtomicFile.WriteAllText(path, "complete");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half"u8);
            throw new InvalidOperationException("disk full");
        }));

        Assert.Equal("complete", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(temp.Path));
    }
}
