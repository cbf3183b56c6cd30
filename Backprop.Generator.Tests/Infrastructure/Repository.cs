using System;
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
}
