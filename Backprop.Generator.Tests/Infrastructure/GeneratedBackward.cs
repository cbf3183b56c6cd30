using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>The <c>…Backward</c> method the generator writes for a method of a source file in the repository (what it keeps: <see cref="ScalarSweeps"/>).</summary>
public static class GeneratedBackward
{
    /// <summary>
    /// The text of <paramref name="method"/>'s <c>…Backward</c>, generated from the file at <paramref name="path"/> (relative
    /// to the repository's root; the catalog's <c>Sample</c> attributes are dropped, the harness does not know them).
    /// </summary>
    public static string Of(string path, string method)
    {
        var text = GeneratedFile(path, method);
        var start = text.IndexOf($"{method}Backward(", StringComparison.Ordinal);
        return text.Substring(start, text.IndexOf($"{method}Gradient(", StringComparison.Ordinal) - start);
    }

    /// <summary>The text of <paramref name="method"/>'s forward mode, <c>…Tangent</c>, up to the next member's summary.</summary>
    public static string TangentOfCatalog(string file, string method)
    {
        var text = GeneratedFile(Repository.CatalogFile(file), method);
        var start = text.IndexOf($" {method}Tangent(", StringComparison.Ordinal);
        var end = text.IndexOf("/// <summary>", start, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }

    /// <summary>The text of a vector function's <c>…JacobianRows</c> (its reverse-mode Jacobian), generated from the file at <paramref name="path"/>.</summary>
    public static string JacobianRowsOf(string path, string method)
    {
        var text = GeneratedFile(path, method);
        return text.Substring(text.IndexOf($"private static void {method}JacobianRows(", StringComparison.Ordinal));
    }

    /// <summary>The lines of a <c>…JacobianRows</c>' loop over the rows, from its header to the end of the method.</summary>
    public static string PerRow(string rows) => rows.Substring(rows.IndexOf("for (int row = 0;", StringComparison.Ordinal));

    /// <summary>Every member the generator writes for <paramref name="method"/> of the file at <paramref name="path"/>.</summary>
    public static string FileOf(string path, string method) => GeneratedFile(path, method);

    private static string GeneratedFile(string path, string method)
    {
        var source = File.ReadAllText(Path.Combine(Repository.Root(), path));
        var (result, _) = GeneratorHarness.Run(Regex.Replace(source, @", Sample\([^\]]*\)\]", "]"));
        return GeneratorHarness.GeneratedFor(result, method);
    }

    /// <summary>The catalog function <paramref name="method"/> of <c>GradientChecks/Functions/<paramref name="file"/></c>.</summary>
    public static string OfCatalog(string file, string method) =>
        Of(Repository.CatalogFile(file), method);
}
