using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit.Sdk;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>
/// Our snapshot helper (Verify is not available here): compares text with the committed
/// <c>Snapshots/&lt;TestClass&gt;.&lt;TestMethod&gt;.verified.cs</c>; on a mismatch it writes <c>*.received.cs</c>
/// beside it and fails with a line diff. <c>BACKPROP_ACCEPT_SNAPSHOTS=1</c> accepts the new text.
/// </summary>
public static partial class Snapshot
{
    public const string AcceptVariable = "BACKPROP_ACCEPT_SNAPSHOTS";

    public static void Match(string actual, string testClass, [CallerMemberName] string testMethod = "", [CallerFilePath] string callerPath = "")
    {
        actual = Scrub(actual);
        var directory = Path.Combine(Path.GetDirectoryName(callerPath)!, "Snapshots");
        var verified = Path.Combine(directory, $"{testClass}.{testMethod}.verified.cs");
        var received = Path.ChangeExtension(verified, null).Replace(".verified", ".received", StringComparison.Ordinal) + ".cs";
        var expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n", StringComparison.Ordinal) : null;

        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        throw new XunitException(expected is null
            ? $"No snapshot yet: wrote {received}. Review it, then run with {AcceptVariable}=1 to accept."
            : $"Snapshot {Path.GetFileName(verified)} differs (wrote {Path.GetFileName(received)}; {AcceptVariable}=1 accepts):\n{Diff(expected, actual)}");
    }

    private static string Scrub(string text) =>
        VersionPattern().Replace(text.Replace("\r\n", "\n", StringComparison.Ordinal), "GeneratedCode(\"Backprop.Generator\", \"{version}\")");

    private static string Diff(string expected, string actual)
    {
        var diff = new InlineDiffBuilder(new DiffPlex.Differ()).BuildDiffModel(expected, actual);
        var text = new StringBuilder();
        foreach (var line in diff.Lines)
        {
            var prefix = line.Type switch
            {
                ChangeType.Inserted => "+ ",
                ChangeType.Deleted => "- ",
                _ => "  ",
            };
            if (line.Type != ChangeType.Unchanged)
            {
                text.Append(prefix).Append(line.Text).Append('\n');
            }
        }

        return text.ToString();
    }

    [GeneratedRegex("GeneratedCode\\(\"Backprop.Generator\", \"[^\"]*\"\\)")]
    private static partial Regex VersionPattern();
}
