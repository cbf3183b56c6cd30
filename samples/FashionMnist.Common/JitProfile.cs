using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime;
using System.Runtime.Intrinsics;

namespace FashionMnist;

/// <summary>
/// .NET's multi-core JIT (<see cref="ProfileOptimization"/>) for the samples and the training benchmark: a run records
/// which methods it compiled, and the next run compiles them on a spare core from its start, while the data loads,
/// rather than on the training thread when the first step calls them. The MLP's first step took 60–62 ms without it
/// and 10–11 ms with it (AMD EPYC Zen 5, AVX-512, batch 32, one thread); its first epoch ran at 85–87 % of the steady
/// epochs' speed without and 93–96 % with. Any .NET program can do the same with the two calls in <see cref="Start"/>.
/// </summary>
/// <remarks>
/// Profiles live in <c>$XDG_CACHE_HOME/backprop/jit</c> (else <c>~/.cache/backprop/jit</c>), one per program, vector
/// width and process rank, so a run held to AVX2 or a data-parallel job's ranks do not replay or overwrite another's.
/// A rebuilt program records a new profile (its build is kept beside the profile). <c>BACKPROP_JIT_PROFILE=0</c> turns
/// it off. Results are the same either way: only when methods compile changes.
/// </remarks>
public static class JitProfile
{
    /// <summary>Replays <paramref name="program"/>'s profile if an earlier run left one, and records this run's.</summary>
    /// <param name="program">The profile's name; null for the program's (its entry assembly's, e.g. "FashionMnist").</param>
    /// <param name="rank">The process's rank in a data-parallel job, or null.</param>
    /// <param name="directory">Where profiles live; null for the user's cache (above).</param>
    /// <returns>"replayed", "recorded" or "off", and a sentence for the log.</returns>
    public static (string State, string Description) Start(string? program = null, int? rank = null, string? directory = null)
    {
        if (Environment.GetEnvironmentVariable("BACKPROP_JIT_PROFILE") == "0")
        {
            return ("off", "off (BACKPROP_JIT_PROFILE=0): each method compiles when first called");
        }

        if (Environment.ProcessorCount < 2)
        {
            return ("off", "off (one core: no spare core to compile on)");
        }

        directory ??= Path.Combine(
            Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? cache
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "backprop", "jit");
        program ??= Assembly.GetEntryAssembly()?.GetName().Name ?? "program";
        var name = $"{program}-{Width}{(rank is { } r ? $"-rank{r}" : "")}.jitprofile";
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ("off", $"off ({directory} cannot be created: {e.Message})");
        }

        var path = Path.Combine(directory, name);
        var stampPath = path + ".build";
        var stamp = Build;
        string? changed = null;
        try
        {
            // A profile names methods of the build that wrote it: one run of a rebuilt benchmark replaying its old
            // profile had its first epoch at 77 % of the steady ones, against 86 % with no profile at all.
            if (File.Exists(path) && (!File.Exists(stampPath) || File.ReadAllText(stampPath) != stamp))
            {
                File.Delete(path);
                changed = "the program was rebuilt since the last profile; ";
            }

            File.WriteAllText(stampPath, stamp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ("off", $"off ({path} cannot be replaced: {e.Message})");
        }

        var replays = File.Exists(path);
        ProfileOptimization.SetProfileRoot(directory);
        ProfileOptimization.StartProfile(name);
        return replays
            ? ("replayed", $"what the last run compiled is compiled ahead on a spare core ({path})")
            : ("recorded", $"{changed}recording what this run compiles ({path}); the next run compiles it ahead on a spare core");
    }

    /// <summary>The builds a profile belongs to: the module version ids of the program, these samples' library and Backprop's runtime.</summary>
    private static string Build => string.Join(" ", new[] { Assembly.GetEntryAssembly(), typeof(JitProfile).Assembly, typeof(Backprop.Tensor).Assembly }
        .Select(assembly => assembly?.ManifestModule.ModuleVersionId.ToString() ?? "-"));

    private static string Width =>
        Vector512.IsHardwareAccelerated ? "512" : Vector256.IsHardwareAccelerated ? "256" : Vector128.IsHardwareAccelerated ? "128" : "scalar";
}
