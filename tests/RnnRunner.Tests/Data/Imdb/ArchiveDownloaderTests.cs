using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Data.Text;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Data.Imdb;

/// <summary>The download path, against a server on the loopback interface (no outside network is used).</summary>
public class ArchiveDownloaderTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();

    private static (HttpListener Server, string Url) Serve(byte[] body)
    {
        var port = FreePort();
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); } catch { return; }
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });
        return (listener, $"http://127.0.0.1:{port}/aclImdb_v1.tar.gz");
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private sealed class Recorder : IProgress<RnnRunner.Core.Data.DataProgress>
    {
        public List<RnnRunner.Core.Data.DataProgress> Reports { get; } = [];
        public void Report(RnnRunner.Core.Data.DataProgress value) => Reports.Add(value);
    }

    [Fact]
    public void A_download_with_the_right_checksum_lands_under_its_final_name_with_progress()
    {
        using var temp = new TempDirectory();
        var (server, url) = Serve(Payload);
        using var _ = server;
        var progress = new Recorder();

        var path = ArchiveDownloader.Download(url, Convert.ToHexStringLower(SHA256.HashData(Payload)), temp.File("a.tar.gz"), progress);

        Assert.Equal(Payload, File.ReadAllBytes(path));
        Assert.Equal(new RnnRunner.Core.Data.DataProgress("downloading a.tar.gz", Payload.Length, Payload.Length, "bytes"), progress.Reports[^1]);
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void A_download_with_the_wrong_checksum_is_discarded()
    {
        using var temp = new TempDirectory();
        var (server, url) = Serve(Payload);
        using var _ = server;

        var e = Assert.Throws<DatasetException>(() => ArchiveDownloader.Download(url, new string('0', 64), temp.File("a.tar.gz"), null));

        Assert.Contains("expected 0000", e.Message);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void When_the_server_cannot_be_reached_the_error_says_how_to_use_a_local_copy()
    {
        using var temp = new TempDirectory();

        var e = Assert.Throws<DatasetException>(() =>
            ArchiveDownloader.Download($"http://127.0.0.1:{FreePort()}/x.tar.gz", new string('0', 64), temp.File("a.tar.gz"), null));

        Assert.Contains("could not download the IMDB dataset", e.Message);
        Assert.Contains("set data.path in the spec", e.Message);
    }
}
