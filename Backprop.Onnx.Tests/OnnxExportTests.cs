using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;
using static Backprop.Nn;

namespace Backprop.Onnx.Tests;

/// <summary>Exported forward passes run in ONNX Runtime and give Backprop's outputs, to 1e-5.</summary>
public sealed class OnnxExportTests
{
    private readonly Random _random = new(7);

    [Fact]
    public void Mlp_RunsInOnnxRuntime_WithBackpropsOutputs()
    {
        var (w1, b1, w2, b2) = (Random(6, 16), Random(16), Random(16, 4), Random(4));
        Parameter[] parameters = [new("W1", w1), new("b1", b1), new("W2", w2), new("b2", b2)];
        Tensor Forward(Tensor x) => Relu(x * w1 + b1) * w2 + b2;

        AssertSameOutputs(Forward, parameters, inputColumns: 6, rows: 9);
    }

    [Fact]
    public void EveryExportableOperation_RunsInOnnxRuntime_WithBackpropsOutputs()
    {
        var (w, b, v, u) = (Random(5, 8), Random(8), Random(8, 8), Random(8));
        Parameter[] parameters = [new("W", w), new("b", b), new("V", v), new("u", u)];
        var dropout = new DropoutLayer(0.5f, new Random(1)) { Training = false };
        Tensor Forward(Tensor x)
        {
            var h = Tanh(x * w + b);
            var g = Maxout(LeakyRelu(h * v, 0.2f), Elu(h - u, 0.7f));
            var m = Multiply(Sigmoid(g), 0.5f * h);
            return Softmax(Dropout(m * v + u, dropout));
        }

        AssertSameOutputs(Forward, parameters, inputColumns: 5, rows: 3);
    }

    [Fact]
    public void ConcatAndSliceOfColumns_RunInOnnxRuntime_WithBackpropsOutputs()
    {
        // Two heads' features cut out of one product and set side by side again, the second before the first, beside the input.
        var (w, b, v) = (Random(5, 8), Random(8), Random(13, 4));
        Parameter[] parameters = [new("W", w), new("b", b), new("V", v)];
        Tensor Forward(Tensor x)
        {
            var h = Tanh(x * w + b);
            var heads = ConcatColumns(SliceColumns(h, 4, 4), SliceColumns(h, 0, 4));
            return ConcatColumns(heads, x) * v;
        }

        AssertSameOutputs(Forward, parameters, inputColumns: 5, rows: 3);
    }

    [Fact]
    public void Save_WritesAFileOnnxRuntimeOpens_WithTheParametersAsInitializers()
    {
        var (w, b) = (Random(3, 2), Random(2));
        var path = Path.Combine(Path.GetTempPath(), $"backprop-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExport.Save(path, x => x * w + b, [new Parameter("W", w), new Parameter("b", b)], inputColumns: 3);
            using var session = new InferenceSession(path);
            Assert.Equal(["input"], session.InputMetadata.Keys);
            Assert.Equal([-1, 3], session.InputMetadata["input"].Dimensions);
            Assert.Equal(["output"], session.OutputMetadata.Keys);
            Assert.Equal([-1, 2], session.OutputMetadata["output"].Dimensions);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnOperationTheExportDoesNotWrite_IsNamed_AndNothingIsWritten()
    {
        var w = Random(3, 2);
        var path = Path.Combine(Path.GetTempPath(), $"backprop-{Guid.NewGuid():N}.onnx");
        var error = Assert.Throws<NotSupportedException>(() =>
            OnnxExport.Save(path, x => RowSums(x * w) * Random(2, 2), [new Parameter("W", w)], inputColumns: 3));
        Assert.Contains("MatMul read a", error.Message, StringComparison.Ordinal);
        Assert.Contains("neither the input, one of the parameters", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));

        var unknown = Random(3, 2);
        var missing = Assert.Throws<NotSupportedException>(() => OnnxExport.ToBytes(x => x * unknown, [], inputColumns: 3));
        Assert.Contains("MatMul read a [3×2] tensor", missing.Message, StringComparison.Ordinal);
    }

    private static void AssertSameOutputs(Func<Tensor, Tensor> forward, IReadOnlyList<Parameter> parameters, int inputColumns, int rows)
    {
        var random = new Random(3);
        var x = Tensor.Matrix(rows, inputColumns);
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 4) - 2);
        }

        float[] expected;
        using (Workspace.Enter())
        {
            expected = forward(x).Span.ToArray();
        }

        using var session = new InferenceSession(OnnxExport.ToBytes(forward, parameters, inputColumns));
        var input = new DenseTensor<float>(x.Span.ToArray(), [rows, inputColumns]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        var actual = results.Single(r => r.Name == "output").AsEnumerable<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"output {i}: Backprop {expected[i]}, ONNX Runtime {actual[i]}");
        }
    }

    private Tensor Random(int rows, int columns) => Fill(Tensor.Matrix(rows, columns));

    private Tensor Random(int length) => Fill(Tensor.Vector(length));

    /// <summary>The tensor with values drawn uniformly from [-1, 1).</summary>
    private Tensor Fill(Tensor t)
    {
        for (var i = 0; i < t.Length; i++)
        {
            t[i] = (float)((_random.NextDouble() * 2) - 1);
        }

        return t;
    }
}
