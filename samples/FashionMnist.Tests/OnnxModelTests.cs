using System;
using System.IO;
using System.Linq;
using Backprop;
using Backprop.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace FashionMnist.Tests;

/// <summary>
/// The sample's network exported to ONNX (the generated Parameters as initializers) classifies the bundled test images
/// in ONNX Runtime with Backprop's scores, and passes the ONNX project's own checker where Debian's python3-onnx is.
/// </summary>
public sealed class OnnxModelTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"mlp-{Guid.NewGuid():N}.onnx");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void ExportedMlp_GivesBackpropsScores_InOnnxRuntime()
    {
        var data = Dataset.Load(Path.Combine(AppContext.BaseDirectory, "data"));
        var model = new Mlp(new Random(3));
        var images = data.TestImages.SliceRows(0, 100);
        float[] expected;
        using (Workspace.Enter())
        {
            expected = model.Scores(images).Span.ToArray();
        }

        OnnxExport.Save(_path, model.Scores, model.Parameters, inputColumns: 784);
        using var session = new InferenceSession(_path);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(images.Span.ToArray(), [100, 784]))]);
        var actual = results.Single().AsEnumerable<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        Assert.All(Enumerable.Range(0, expected.Length), i => Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1, Math.Abs(expected[i])), $"score {i}: {expected[i]} vs {actual[i]}"));
    }

    [SkippableFact]
    public void ExportedMlp_PassesOnnxChecker()
    {
        var model = new Mlp(new Random(3));
        OnnxExport.Save(_path, model.Scores, model.Parameters, inputColumns: 784);
        var check = Processes.Run("/usr/bin/python3", "-c", "import sys, onnx; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print('ok')", _path);
        Skip.If(check is null || check.Value.Errors.Contains("No module named 'onnx'", StringComparison.Ordinal), "/usr/bin/python3 with onnx is not installed (apt-get install python3-onnx): onnx.checker is skipped");
        Assert.True(check.Value.Exit == 0, check.Value.Errors);
    }
}
