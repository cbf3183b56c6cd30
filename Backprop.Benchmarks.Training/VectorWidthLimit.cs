using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Benchmarks.Training;

/// <summary>
/// <c>--isa avx2|128</c>: every engine held to one vector width, so that one machine stands in for the machines our users
/// have (most without AVX-512; Arm with 128-bit vectors). Each engine has its own switch, read when it starts, so the
/// program sets them all and runs itself again: .NET (<c>DOTNET_EnableAVX512</c>; <c>DOTNET_EnableAVX2=0</c> leaves
/// 128-bit vectors), LibTorch's kernels (<c>ATEN_CPU_CAPABILITY</c>), its oneDNN and MKL (<c>ONEDNN_MAX_CPU_ISA</c>;
/// <c>MKL_ENABLE_INSTRUCTIONS</c> for AVX2, <c>MKL_CBWR=COMPATIBLE</c> for 128 bits), and PyTorch 1.13's OpenBLAS
/// (<c>OPENBLAS_CORETYPE</c>: Haswell is its AVX2 kernel, Nehalem its SSE one).
/// On AMD processors MKL ignores <c>MKL_ENABLE_INSTRUCTIONS=SSE4_2</c>: LibTorch's products still ran
/// <c>mkl_blas_def_sgemm_kernel_0_zen</c> on 256-bit registers with FMA (perf, Zen 3), 54,000 samples/s at batch 512
/// on one core, above the core's 128-bit peak; MKL's compatible mode runs SSE kernels (<c>mulps</c>, <c>addps</c>).
/// </summary>
internal static class VectorWidthLimit
{
    private const string Marker = "BACKPROP_BENCH_ISA";

    /// <summary>The width this process was started under by <see cref="RunAgain"/>, or null.</summary>
    public static string? Current => Environment.GetEnvironmentVariable(Marker) is { Length: > 0 } isa ? isa : null;

    /// <summary>Why <paramref name="isa"/> cannot be imitated here, or null.</summary>
    public static string? Unfit(string isa) => isa switch
    {
        "avx2" when !Avx2.IsSupported => "--isa avx2 needs a machine with AVX2",
        "avx2" or "128" => null,
        _ => $"--isa {isa}: avx2 or 128",
    };

    /// <summary>Runs this program again with every engine held to <paramref name="isa"/>; returns its exit code.</summary>
    public static int RunAgain(string[] args, string isa)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(VectorWidthLimit).Assembly.Location);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in EnvironmentFor(isa))
        {
            start.Environment[name] = value;
        }

        start.Environment[Marker] = isa;
        Console.WriteLine($"Every engine held to {isa}: {string.Join(' ', EnvironmentFor(isa).Keys)} set; running again");
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private static Dictionary<string, string> EnvironmentFor(string isa) => isa == "avx2"
        ? new()
        {
            ["DOTNET_EnableAVX512"] = "0",
            ["ATEN_CPU_CAPABILITY"] = "avx2",
            ["ONEDNN_MAX_CPU_ISA"] = "AVX2",
            ["MKL_ENABLE_INSTRUCTIONS"] = "AVX2",
            ["OPENBLAS_CORETYPE"] = "Haswell",
        }
        : new()
        {
            ["DOTNET_EnableAVX2"] = "0",
            ["ATEN_CPU_CAPABILITY"] = "default",
            ["ONEDNN_MAX_CPU_ISA"] = "SSE41",
            ["MKL_CBWR"] = "COMPATIBLE",
            ["OPENBLAS_CORETYPE"] = "Nehalem",
        };
}
