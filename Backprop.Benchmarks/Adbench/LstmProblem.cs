using System;

namespace Backprop.Benchmarks.Adbench;

/// <summary>
/// One LSTM problem of ADBench's sizes: l layers, c characters, b = 14 bits per character. Parameters and the initial
/// state are drawn uniformly from [−1, 1) and the characters' bits are 0 or 1, from a seeded generator.
/// </summary>
public sealed class LstmProblem
{
    public LstmProblem(int l, int c, int b = 14, int seed = 20261202)
    {
        (L, C, B) = (l, c, b);
        var random = new Random(seed);
        MainParams = Uniform(random, 8 * l * b);
        ExtraParams = Uniform(random, 3 * b);
        State = Uniform(random, 2 * l * b);
        Sequence = new double[c * b];
        for (var i = 0; i < Sequence.Length; i++)
        {
            Sequence[i] = random.Next(2);
        }
    }

    /// <summary>The number of layers.</summary>
    public int L { get; }

    /// <summary>The number of characters in the sequence.</summary>
    public int C { get; }

    /// <summary>The bits per character: the units of each layer.</summary>
    public int B { get; }

    /// <summary>Each layer's gate weights (4b) then biases (4b).</summary>
    public double[] MainParams { get; }

    /// <summary>The input weights, the output weights and the output biases (b each).</summary>
    public double[] ExtraParams { get; }

    /// <summary>Each layer's hidden values then cell values (b each), before the first step.</summary>
    public double[] State { get; }

    /// <summary>The characters' bits, b per character.</summary>
    public double[] Sequence { get; }

    public override string ToString() => $"l={L}, c={C}, b={B}";

    private static double[] Uniform(Random random, int count)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (2 * random.NextDouble()) - 1;
        }

        return values;
    }
}
