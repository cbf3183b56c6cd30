using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;

namespace Backprop.Runtime.Tests.Training;

/// <summary>
/// Weights in numpy's .npz and in safetensors: round trips, clear errors that change nothing in the model, and — where
/// Debian's python3-numpy is installed — numpy reading the same numbers.
/// </summary>
public sealed class WeightsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"weights-{Guid.NewGuid():N}");

    public WeightsTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("npz")]
    [InlineData("safetensors")]
    public void RoundTrip_RestoresEveryTensorByName(string format)
    {
        var saved = Model(seed: 1);
        var path = Path.Combine(_directory, "model." + format);
        Save(format, path, saved);

        var loaded = Model(seed: 2);
        Load(format, path, loaded);
        foreach (var (a, b) in saved.Zip(loaded))
        {
            Assert.Equal(a.Value.ToArray(), b.Value.ToArray());
        }
    }

    [Theory]
    [InlineData("npz")]
    [InlineData("safetensors")]
    public void MissingTensor_NamesTheFileAndTheTensor_AndChangesNothing(string format)
    {
        var path = Path.Combine(_directory, "partial." + format);
        Save(format, path, Model(seed: 1).Take(2).ToArray());

        var model = Model(seed: 2);
        var before = model.Select(p => p.Value.ToArray()).ToList();
        var error = Assert.Throws<InvalidDataException>(() => Load(format, path, model));
        Assert.StartsWith($"{path}: it has no tensor 'Input.W' (it has W1, b1)", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.Select(p => p.Value.ToArray()));
    }

    [Theory]
    [InlineData("npz")]
    [InlineData("safetensors")]
    public void WrongShape_NamesBothShapes(string format)
    {
        var path = Path.Combine(_directory, "shape." + format);
        Save(format, path, [new Parameter("W1", Tensor.Matrix(2, 3)), new Parameter("b1", Tensor.Vector(3)), new Parameter("Input.W", Tensor.Matrix(3, 3)), new Parameter("Input.b", Tensor.Vector(3))]);

        var error = Assert.Throws<InvalidDataException>(() => Load(format, path, Model(seed: 2)));
        Assert.Equal($"{path}: tensor 'W1' is (2, 3) but the model's is (3, 2).", error.Message);
    }

    [Fact]
    public void TruncatedSafetensors_SaysSo()
    {
        var path = Path.Combine(_directory, "cut.safetensors");
        Weights.SaveSafetensors(path, Model(seed: 1));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);

        var error = Assert.Throws<InvalidDataException>(() => Weights.LoadSafetensors(path, Model(seed: 2)));
        Assert.Contains("which do not hold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotAnArchive_SaysSo()
    {
        var path = Path.Combine(_directory, "text.npz");
        File.WriteAllText(path, "not a zip");
        var error = Assert.Throws<InvalidDataException>(() => Weights.LoadNpz(path, Model(seed: 1)));
        Assert.StartsWith($"{path}: it is not a readable .npz (zip) archive", error.Message, StringComparison.Ordinal);
    }

    /// <summary>numpy reads both files with the names, shapes and numbers Backprop wrote (python3-numpy from Debian).</summary>
    [SkippableFact]
    public void Numpy_ReadsTheSameNumbers()
    {
        Skip.IfNot(Python("pass") is not null, "python3 with numpy is not installed (apt-get install python3-numpy): the cross-check with numpy is skipped");
        var model = Model(seed: 3);
        var npz = Path.Combine(_directory, "model.npz");
        var safetensors = Path.Combine(_directory, "model.safetensors");
        Weights.SaveNpz(npz, model);
        Weights.SaveSafetensors(safetensors, model);

        const string Script = """
            import json, struct, sys, numpy as np
            z = np.load(sys.argv[1])
            for k in sorted(z.files): print('npz', k, z[k].shape, repr(float(z[k].astype(np.float64).sum())))
            b = open(sys.argv[2], 'rb').read(); n = struct.unpack('<Q', b[:8])[0]; h = json.loads(b[8:8 + n])
            for k in sorted(h):
                a = np.frombuffer(b[8 + n + h[k]['data_offsets'][0]:8 + n + h[k]['data_offsets'][1]], '<f4').reshape(h[k]['shape'])
                print('st', k, a.shape, repr(float(a.astype(np.float64).sum())))
            """;
        var output = Python(Script, npz, safetensors)!;
        foreach (var parameter in model)
        {
            var sum = parameter.Value.ToArray().Sum(v => (double)v).ToString("R", CultureInfo.InvariantCulture);
            var shape = parameter.Value.Rank == 1 ? $"({parameter.Value.Columns},)" : $"({parameter.Value.Rows}, {parameter.Value.Columns})";
            Assert.Contains($"npz {parameter.Name} {shape} ", output, StringComparison.Ordinal);
            Assert.Contains($"st {parameter.Name} {shape} ", output, StringComparison.Ordinal);
            var sums = output.Split('\n').Where(l => l.Split(' ').ElementAtOrDefault(1) == parameter.Name).Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
            Assert.All(sums, s => Assert.Equal(double.Parse(sum, CultureInfo.InvariantCulture), s, 9));
        }
    }

    private static Parameter[] Model(int seed)
    {
        var random = new Random(seed);
        Tensor Fill(Tensor t)
        {
            for (var i = 0; i < t.Length; i++)
            {
                t[i] = (float)((random.NextDouble() * 2) - 1);
            }

            return t;
        }

        return [new Parameter("W1", Fill(Tensor.Matrix(3, 2))), new Parameter("b1", Fill(Tensor.Vector(2))), new Parameter("Input.W", Fill(Tensor.Matrix(2, 4))), new Parameter("Input.b", Fill(Tensor.Vector(4)))];
    }

    private static void Save(string format, string path, Parameter[] parameters)
    {
        if (format == "npz")
        {
            Weights.SaveNpz(path, parameters);
        }
        else
        {
            Weights.SaveSafetensors(path, parameters);
        }
    }

    private static void Load(string format, string path, Parameter[] parameters)
    {
        if (format == "npz")
        {
            Weights.LoadNpz(path, parameters);
        }
        else
        {
            Weights.LoadSafetensors(path, parameters);
        }
    }

    /// <summary>
    /// Runs a script with the first python3 that has numpy (the one on PATH may be a pyenv shim without it; Debian's
    /// python3-numpy is for /usr/bin/python3); its output, or null when none has it.
    /// </summary>
    private static string? Python(string script, params string[] arguments) =>
        new[] { "python3", "/usr/bin/python3" }.Select(python => Run(python, script, arguments)).FirstOrDefault(output => output is not null);

    private static string? Run(string python, string script, string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("import numpy\n" + script);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
