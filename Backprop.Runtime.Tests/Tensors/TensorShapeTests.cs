using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Backprop.Runtime.Tests.Tensors;

/// <summary>Shapes of rank 1 to 4 as values, reshape views, and every place a shape is kept (workspace, checkpoint, weights, batches).</summary>
public sealed class TensorShapeTests
{
    [Fact]
    public void Shape_IsAValue_ComparedPrintedAndIndexed()
    {
        var images = new TensorShape(64, 1, 28, 28);

        Assert.Equal("[64×1×28×28]", images.ToString());
        Assert.Equal("[256]", TensorShape.Vector(256).ToString());
        Assert.Equal("[128×784]", Tensor.Matrix(128, 784).Shape.ToString());
        Assert.True(images == new TensorShape(64, 1, 28, 28));
        Assert.True(new TensorShape(2, 3, 4) != new TensorShape(2, 12));
        Assert.Equal((4, 64, 784, 50176, 28), (images.Rank, images.Rows, images.Columns, images.Length, images[-1]));
        Assert.Equal([64, 1, 28, 28], images.ToArray());
        Assert.Equal(new TensorShape(32, 1, 28, 28), images.WithLength(0, 32));
        Assert.True(images is { Rank: 4 } && images[1] == 1);
        Assert.Equal((1, 256), (TensorShape.Vector(256).Rows, TensorShape.Vector(256).Columns));
    }

    [Fact]
    public void Shape_OutsideRanksOneToFour_OrNegative_OrTooLarge_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new TensorShape(Array.Empty<int>()));
        Assert.Throws<ArgumentException>(() => new TensorShape(1, 2, 3, 4, 5));
        Assert.Contains("[2×-1]", Assert.Throws<ArgumentOutOfRangeException>(() => new TensorShape(2, -1)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new TensorShape(1 << 16, 1 << 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TensorShape(2, 3)[2]);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(default(TensorShape)));
    }

    [Fact]
    public void RankFourTensor_IndexesRowMajor_AndSeesItsBatchAsRows()
    {
        var x = Tensor.Zeros(2, 3, 4, 5);
        x[1, 2, 3, 4] = 7f;
        x[0, 1, 0, 2] = -1f;

        Assert.Equal(7f, x.Span[(((1 * 3) + 2) * 4 * 5) + (3 * 5) + 4]);
        Assert.Equal(-1f, x[0, 22]);
        Assert.Equal((2, 60, 120), (x.Rows, x.Columns, x.Length));
        Assert.Equal(7f, x.Row(1)[59]);
        Assert.Throws<ArgumentOutOfRangeException>(() => x[0, 3, 0, 0]);
        Assert.Throws<InvalidOperationException>(() => x[0, 0, 0]);
        var cube = Tensor.Zeros(2, 3, 4);
        cube[1, 2, 3] = 5f;
        Assert.Equal(5f, cube.Span[23]);
    }

    [Fact]
    public void Reshape_IsAViewOfTheSameElements_InfersOneLength_AndRefusesAnotherCount()
    {
        var flat = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 2, 12);
        var images = flat.Reshape(-1, 3, 2, 2);

        Assert.Equal(new TensorShape(2, 3, 2, 2), images.Shape);
        Assert.Equal(23f, images[1, 2, 1, 1]);
        images[0, 0, 0, 1] = 100f;
        Assert.Equal(100f, flat[0, 1]);
        Assert.Equal(new TensorShape(2, 12), images.Flatten().Shape);
        Assert.Equal(new TensorShape(24), flat.Reshape(24).Shape);
        var second = images.SliceRows(1, 1);
        Assert.Equal(new TensorShape(1, 3, 2, 2), second.Shape);
        Assert.Equal(23f, second[0, 2, 1, 1]);

        var error = Assert.Throws<ArgumentException>(() => flat.Reshape(5, -1));
        Assert.Contains("[2×12] has 24 elements", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => flat.Reshape(-1, -1));
        Assert.Throws<ArgumentException>(() => flat.Reshape(2, 3, 4, 1, 1));
    }

    [Fact]
    public void ElementwiseOperations_AndTheWorkspace_KeepTheFullShape()
    {
        var x = Tensor.Zeros(2, 3, 2, 2);
        x.Fill(-1f);
        x[1, 1, 1, 1] = 2f;
        using (Workspace.Enter())
        {
            var y = Nn.Relu(x);
            Assert.Equal(x.Shape, y.Shape);
            Assert.Equal(2f, y[1, 1, 1, 1]);
            Assert.Equal(x.Shape, Workspace.ZerosLike(x).Shape);
        }

        Assert.False(Tensor.Zeros(2, 3, 4).HasShapeOf(Tensor.Matrix(2, 12)));
        var scores = Tensor.Zeros(2, 3, 4);
        scores[1, 2, 3] = 5f;
        var weights = Nn.Softmax(scores);
        Assert.Equal(0.25f, weights[0, 1, 2], 6); // over the last axis: four keys per query
        Assert.Equal(1f, weights[1, 2, 0] + weights[1, 2, 1] + weights[1, 2, 2] + weights[1, 2, 3], 6);
        Assert.Contains("Flatten a batch of images", Assert.Throws<ArgumentException>(() => Nn.MatMul(Tensor.Zeros(2, 1, 2, 2), Tensor.Matrix(4, 3))).Message, StringComparison.Ordinal);
        Assert.Contains("must be [batch × classes]", Assert.Throws<ArgumentException>(() => Nn.SoftmaxCrossEntropy(Tensor.Zeros(2, 1, 2, 2), [0, 1])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Nn.Add(Tensor.Zeros(2, 3, 4), Tensor.Matrix(2, 12)));
    }

    [Fact]
    public void MiniBatches_OfImages_KeepTheImageShape()
    {
        var images = Tensor.Zeros(5, 1, 2, 2);
        for (var n = 0; n < 5; n++)
        {
            images[n, 0, 1, 1] = n;
        }

        var batches = new MiniBatches(images, [0, 1, 2, 3, 4], 2, new Random(1));
        batches.Shuffle();
        var (batch, labels) = batches.Batch(0);
        Assert.Equal(new TensorShape(2, 1, 2, 2), batch.Shape);
        Assert.Equal(labels[1], (int)batch[1, 0, 1, 1]);
        Assert.Equal(new TensorShape(1, 1, 2, 2), batches.Batch(2).Features.Shape);
    }

    [Fact]
    public void Checkpoint_AndWeights_KeepRankFourShapes_AndRejectAnotherArrangementOfTheSameCount()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bp-{Guid.NewGuid():N}");
        try
        {
            var kernel = new Parameter("Conv.W", Tensor.Zeros(8, 1, 3, 3));
            var bias = new Parameter("Conv.b", Tensor.Vector(8));
            for (var i = 0; i < kernel.Value.Length; i++)
            {
                kernel.Value[i] = i * 0.5f;
            }

            Checkpoint.Save(path + ".ckpt", [kernel, bias], new Adam(), epoch: 2);
            Weights.SaveNpz(path + ".npz", [kernel, bias]);
            Weights.SaveSafetensors(path + ".safetensors", [kernel, bias]);

            foreach (var load in new Action<Parameter[]>[]
            {
                p => Checkpoint.Load(path + ".ckpt", p, new Adam()),
                p => Weights.LoadNpz(path + ".npz", p),
                p => Weights.LoadSafetensors(path + ".safetensors", p),
            })
            {
                var fresh = new[] { new Parameter("Conv.W", Tensor.Zeros(8, 1, 3, 3)), new Parameter("Conv.b", Tensor.Vector(8)) };
                load(fresh);
                Assert.Equal(kernel.Value.ToArray(), fresh[0].Value.ToArray());

                var rearranged = new[] { new Parameter("Conv.W", Tensor.Zeros(8, 9, 1, 1)), new Parameter("Conv.b", Tensor.Vector(8)) };
                var error = Assert.Throws<InvalidDataException>(() => load(rearranged));
                Assert.True(error.Message.Contains("[8×1×3×3]", StringComparison.Ordinal) || error.Message.Contains("(8, 1, 3, 3)", StringComparison.Ordinal), error.Message);
                Assert.All(rearranged[0].Value.ToArray(), v => Assert.Equal(0f, v));
            }
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + ".*"))
            {
                File.Delete(file);
            }
        }
    }
}
