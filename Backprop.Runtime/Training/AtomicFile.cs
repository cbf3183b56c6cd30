using System;
using System.IO;

namespace Backprop;

/// <summary>
/// Writes a file so that it is either the old one or the complete new one: into <c>path.tmp</c>, flushed to disk,
/// then moved over <c>path</c>. An interrupted save never destroys the previous file.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            write(file);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
