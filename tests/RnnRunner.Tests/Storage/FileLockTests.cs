using RnnRunner.Core.Storage;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Storage;

/// <summary>The short cross-process lock a study's journal and folder choice take: one holder at a time, waited for.</summary>
public class FileLockTests
{
    [Fact]
    public void A_held_lock_keeps_a_second_taker_waiting_until_it_is_released()
    {
        using var temp = new TempDirectory();
        var path = temp.File(".journal.lock");
        var held = FileLock.Wait(path);

        // flock locks belong to the open file, so a second open in this very process is refused as another process's would be.
        Assert.Throws<TimeoutException>(() => FileLock.Wait(path, TimeSpan.FromMilliseconds(200)));
        held.Dispose();
        using var taken = FileLock.Wait(path, TimeSpan.FromMilliseconds(200));

        Assert.True(File.Exists(path));
    }
}
