using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>
/// A compilation emitted (it must have no error) and loaded into a collectible context of its own, so thousands of
/// them can be run in one test process; disposing unloads it.
/// </summary>
public sealed class LoadedAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context;

    private LoadedAssembly(AssemblyLoadContext context, Assembly assembly, ImmutableArray<Diagnostic> diagnostics)
    {
        _context = context;
        Assembly = assembly;
        Diagnostics = diagnostics;
    }

    public Assembly Assembly { get; }

    /// <summary>What the compiler said while emitting (warnings included).</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    public static LoadedAssembly Emit(Compilation compilation, string name)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        stream.Position = 0;
        var context = new AssemblyLoadContext(name, isCollectible: true);
        return new LoadedAssembly(context, context.LoadFromStream(stream), emit.Diagnostics);
    }

    public void Dispose() => _context.Unload();
}
