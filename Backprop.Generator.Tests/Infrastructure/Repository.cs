using System;
using System.Collections.Generic;
using System.IO;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>Files of this repository, for tests that check the docs against the code.</summary>
public static class Repository
{
    /// <summary>The folder holding Backprop.sln, found above the test's binaries.</summary>
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Backprop.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Backprop.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The path (from the root) of <paramref name="file"/> of the gradient catalog, <c>GradientChecks/Functions/</c>.</summary>
    public static string CatalogFile(string file) => Path.Combine("Backprop.Generator.Tests", "GradientChecks", "Functions", file);

    /// <summary>
    /// The <c>```csharp</c> blocks of a markdown file of this repository: each block's first line (its index in the
    /// file, counting from 0) and its lines.
    /// </summary>
    public static IEnumerable<(int Start, string[] Lines)> CsharpBlocks(string relativePath)
    {
        var lines = File.ReadAllLines(Path.Combine(Root(), relativePath));
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i] != "```csharp")
            {
                continue;
            }

            var end = Array.IndexOf(lines, "```", i + 1);
            yield return (i + 1, lines[(i + 1)..end]);
            i = end;
        }
    }
}
