using System;
using Xunit;

namespace FashionMnist.Tests;

/// <summary>The command line: values, the options that start from other weights, and errors that say what to write.</summary>
public sealed class OptionsTests
{
    [Fact]
    public void WeightsAndEvaluate_AreRead()
    {
        var options = Options.Parse(["--weights", "torch.npz", "--evaluate", "--epochs", "3", "--onnx", "mlp.onnx"])!;
        Assert.Equal("torch.npz", options.Weights);
        Assert.True(options.Evaluate);
        Assert.Equal(3, options.Epochs);
        Assert.Equal("mlp.onnx", options.Onnx);
        Assert.Contains("--onnx FILE", Options.Usage, StringComparison.Ordinal);
        Assert.Contains("--weights FILE", Options.Usage, StringComparison.Ordinal);
        Assert.Contains("--evaluate", Options.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void ResumeWithWeights_IsRefused_SayingWhy()
    {
        var error = Assert.Throws<ArgumentException>(() => Options.Parse(["--resume", "--weights", "torch.npz"]));
        Assert.Contains("give one of them", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--weights", "--weights needs a value.")]
    [InlineData("--epochs", "--epochs needs a value.")]
    [InlineData("--frobnicate", "Unknown option '--frobnicate'. Try --help.")]
    public void BadCommandLines_SayWhatIsWrong(string argument, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Options.Parse([argument])).Message);
}
