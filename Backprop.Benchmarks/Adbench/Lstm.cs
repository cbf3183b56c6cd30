using System;

namespace Backprop.Benchmarks.Adbench;

/// <summary>
/// ADBench's LSTM objective (Šrajer, Kukelova, Fitzgibbon 2018, §4.4; microsoft/ADBench, <c>src/cpp/shared/lstm.h</c>),
/// written in C# as a user would: flat arrays indexed by layer and unit, loops over the time steps and layers, and a
/// [Differentiable] sigmoid. The generator writes its gradient with respect to the main and extra parameters.
/// </summary>
/// <remarks>
/// l layers of b units read a sequence of c characters of b bits each. Layer k has 8b main parameters: the weights of its
/// forget, input, output and change gates (b each), then their biases. The 3b extra parameters scale the input, and
/// scale and shift the output. The state holds each layer's hidden values, then its cell values (2b per layer); each
/// step updates it in place. The loss is the mean, over the steps and bits, of minus the next character's bits times
/// the prediction's log-probabilities, log-normalized as ADBench does (log(Σ exp + 2)).
/// </remarks>
public static partial class Lstm
{
    [Differentiable]
    public static double Objective(double[] mainParams, double[] extraParams, [NoDiff] double[] initialState, [NoDiff] double[] sequence, int l, int c, int b)
    {
        double[] state = new double[2 * l * b];
        for (int i = 0; i < state.Length; i++)
        {
            state[i] = initialState[i];
        }

        double[] prediction = new double[b];
        double total = 0;
        int count = 0;
        for (int t = 0; t < c - 1; t++)
        {
            for (int i = 0; i < b; i++)
            {
                prediction[i] = sequence[(t * b) + i] * extraParams[i];
            }

            for (int layer = 0; layer < l; layer++)
            {
                int w = 8 * b * layer;
                int hidden = 2 * b * layer;
                int cell = hidden + b;
                for (int i = 0; i < b; i++)
                {
                    // the layer's input: the scaled character for the first layer, the layer below's new hidden values above it
                    double input = layer == 0 ? prediction[i] : state[hidden - (2 * b) + i];
                    double forget = Sigmoid((input * mainParams[w + i]) + mainParams[w + (4 * b) + i]);
                    double ingate = Sigmoid((state[hidden + i] * mainParams[w + b + i]) + mainParams[w + (5 * b) + i]);
                    double outgate = Sigmoid((input * mainParams[w + (2 * b) + i]) + mainParams[w + (6 * b) + i]);
                    double change = Math.Tanh((state[hidden + i] * mainParams[w + (3 * b) + i]) + mainParams[w + (7 * b) + i]);
                    state[cell + i] = (state[cell + i] * forget) + (ingate * change);
                    state[hidden + i] = outgate * Math.Tanh(state[cell + i]);
                }
            }

            int top = 2 * b * (l - 1);
            for (int i = 0; i < b; i++)
            {
                prediction[i] = (state[top + i] * extraParams[b + i]) + extraParams[(2 * b) + i];
            }

            double lse = LogSumExpPlusTwo(prediction);
            for (int i = 0; i < b; i++)
            {
                total += sequence[((t + 1) * b) + i] * (prediction[i] - lse);
            }

            count += b;
        }

        return -total / count;
    }

    [Differentiable]
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>log(Σ exp(vᵢ) + 2), ADBench's normalizer.</summary>
    [Differentiable]
    public static double LogSumExpPlusTwo(double[] v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += Math.Exp(v[i]);
        }

        return Math.Log(s + 2);
    }
}
