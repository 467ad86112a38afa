namespace RnnRunner.Core.Storage;

/// <summary>
/// The next free NNN&lt;extension&gt; in a folder (001.json, 002.json, …), claimed by creating it empty, so two commands
/// writing at once never take the same number: evaluate's evaluations/, explain's explanations/.
/// </summary>
public static class NumberedFile
{
    /// <summary>Creates <paramref name="directory"/> if need be and claims its next number; returns the claimed (empty) file's path.</summary>
    public static string Claim(string directory, string extension)
    {
        Directory.CreateDirectory(directory);
        for (var n = 1; ; n++)
        {
            var path = Path.Combine(directory, $"{n:D3}{extension}");
            try
            {
                using (new FileStream(path, FileMode.CreateNew, FileAccess.Write)) { }
                return path;
            }
            catch (IOException) when (File.Exists(path))
            {
                // taken: try the next number
            }
        }
    }
}
