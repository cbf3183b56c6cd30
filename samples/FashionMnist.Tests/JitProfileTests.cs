using System;
using System.IO;
using Xunit;

namespace FashionMnist.Tests;

/// <summary>The samples' multi-core JIT profile: recorded by a first run, replayed by the next, recorded again after a rebuild.</summary>
public sealed class JitProfileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"jit-{Guid.NewGuid():N}");

    public JitProfileTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [SkippableFact]
    public void FirstRun_Records_AndKeepsItsBuildBesideTheProfile()
    {
        SkipOnOneCore();
        var (state, description) = JitProfile.Start("first", directory: _directory);
        Assert.Equal("recorded", state);
        Assert.StartsWith("recording what this run compiles", description, StringComparison.Ordinal);
        var build = Assert.Single(Directory.GetFiles(_directory, "first-*.jitprofile.build"));
        Assert.Contains(typeof(Backprop.Tensor).Assembly.ManifestModule.ModuleVersionId.ToString(), File.ReadAllText(build), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void ProfileOfThisBuild_IsReplayed()
    {
        SkipOnOneCore();
        JitProfile.Start("again", directory: _directory);
        var profile = ProfileBeside(Assert.Single(Directory.GetFiles(_directory, "again-*.jitprofile.build")));
        File.WriteAllBytes(profile, new byte[64]); // stands for the profile the runtime writes when the first run exits

        Assert.Equal("replayed", JitProfile.Start("again", directory: _directory).State);
        Assert.True(File.Exists(profile));
    }

    [SkippableFact]
    public void ProfileOfAnotherBuild_IsDeleted_AndRecordedAgain()
    {
        SkipOnOneCore();
        JitProfile.Start("rebuilt", directory: _directory);
        var build = Assert.Single(Directory.GetFiles(_directory, "rebuilt-*.jitprofile.build"));
        var profile = ProfileBeside(build);
        File.WriteAllBytes(profile, new byte[64]);
        File.WriteAllText(build, "an earlier build");

        var (state, description) = JitProfile.Start("rebuilt", directory: _directory);
        Assert.Equal("recorded", state);
        Assert.StartsWith("the program was rebuilt since the last profile", description, StringComparison.Ordinal);
        Assert.False(File.Exists(profile));
        Assert.NotEqual("an earlier build", File.ReadAllText(build));
    }

    [Fact]
    public void Off_WhenTheEnvironmentSaysSo()
    {
        var before = Environment.GetEnvironmentVariable("BACKPROP_JIT_PROFILE");
        Environment.SetEnvironmentVariable("BACKPROP_JIT_PROFILE", "0");
        try
        {
            Assert.Equal("off", JitProfile.Start("off", directory: _directory).State);
            Assert.Empty(Directory.GetFiles(_directory));
        }
        finally
        {
            Environment.SetEnvironmentVariable("BACKPROP_JIT_PROFILE", before);
        }
    }

    private static string ProfileBeside(string build) => build[..^".build".Length];

    private static void SkipOnOneCore() => Skip.If(Environment.ProcessorCount < 2, "one core: the multi-core JIT has no spare core, so the profile is off");
}
