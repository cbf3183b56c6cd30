using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace Backprop.Benchmarks.Training;

/// <summary>
/// Debian's PyTorch 1.13 training the same MLP in a process of its own (<c>../shared/bench/mlp_train.py</c>): its own
/// initialisation and order, the same optimizer, batch and thread count.
/// </summary>
internal static class PyTorchPeer
{
    private const string Blas = "/usr/lib/x86_64-linux-gnu/libblas.so.3";

    /// <summary>
    /// Why the peer cannot give a fair figure here, or null. Without OpenBLAS, Debian's numpy and PyTorch fall back to the
    /// reference BLAS and run 10–30× slower: a ratio against that would say nothing.
    /// </summary>
    public static string? Unfit(string script)
    {
        if (!File.Exists(script))
        {
            return $"{script} not found (pass --peer PATH)";
        }

        if (!File.Exists("/usr/bin/python3"))
        {
            return "/usr/bin/python3 not found (apt-get install python3-torch)";
        }

        var blas = File.Exists(Blas) ? new FileInfo(Blas).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Blas : null;
        return blas is null || !blas.Contains("openblas", StringComparison.Ordinal)
            ? $"the BLAS PyTorch would use is {blas ?? "missing"}, not OpenBLAS (apt-get install libopenblas0-pthread)"
            : null;
    }

    public static Result Train(string script, Settings settings)
    {
        if (ChildProcess.Run(StartInfo(script, settings.Threads, "--opt", settings.Optimizer, "--batch", $"{settings.Batch}", "--epochs", $"{settings.Epochs}"), "PyTorch 1.13") is not var (json, _))
        {
            return Result.Missing;
        }

        using var result = json;
        var root = result.RootElement;
        var epochs = root.GetProperty("epoch_s").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var samples = (int)Math.Round(root.GetProperty("samples_per_s_median_epoch").GetDouble() * root.GetProperty("epoch_s_median").GetDouble());
        return new Result(samples, epochs, root.GetProperty("test_acc").GetDouble());
    }

    /// <summary><c>/usr/bin/python3 script --threads N arguments…</c>, its output read by the caller.</summary>
    public static ProcessStartInfo StartInfo(string script, int threads, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", [script, "--threads", $"{threads}", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // OpenBLAS at its best kernel for the machine (this environment pins it to Haswell) unless --isa chose one,
        // PyTorch's threads kept from spinning, and none of Debian 13's libraries this process may run on (NewerRuntime).
        if (VectorWidthLimit.Current is null)
        {
            start.Environment.Remove("OPENBLAS_CORETYPE");
        }

        start.Environment.Remove("LD_LIBRARY_PATH");
        start.Environment["OPENBLAS_NUM_THREADS"] = $"{threads}";
        start.Environment["OMP_NUM_THREADS"] = $"{threads}";
        start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        return start;
    }
}
