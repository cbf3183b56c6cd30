using System;
using System.IO;

namespace FashionMnist;

/// <summary>Checks on the files a run writes, made before the work that would fill them.</summary>
public static class Files
{
    /// <summary>Why <paramref name="path"/> cannot be written (tried with a probe file beside it), or null when it can.</summary>
    public static string? WriteProblem(string path)
    {
        var probe = path + ".probe";
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null && !Directory.Exists(directory))
            {
                return $"the directory {directory} does not exist";
            }

            using (File.Create(probe))
            {
            }

            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return e.Message;
        }
    }
}
