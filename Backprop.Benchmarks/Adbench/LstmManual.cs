using System;

namespace Backprop.Benchmarks.Adbench;

/// <summary>
/// The LSTM gradient derived by hand, organised as ADBench's "Manual" derivative (<c>src/cpp/modules/manual/lstm_d.cpp</c>):
/// a forward pass that keeps, for every step, layer and unit, the eight values its derivative is made of (the input,
/// the previous hidden and cell values, the four gates and tanh of the new cell), then one pass back through time that
/// carries each layer's hidden and cell adjoints from step to step — no tape. The yardstick for the generated
/// <see cref="Lstm.ObjectiveGradient"/>.
/// </summary>
public static class LstmManual
{
    private const int Kept = 8;

    /// <summary>The loss, with its gradient written into (not added to) <paramref name="dMain"/> and <paramref name="dExtra"/>.</summary>
    public static double Gradient(double[] mainParams, double[] extraParams, double[] initialState, double[] sequence, int l, int c, int b, Span<double> dMain, Span<double> dExtra)
    {
        int steps = c - 1;
        var state = (double[])initialState.Clone();
        var kept = new double[steps * l * b * Kept];
        var predictions = new double[steps * b];
        var sums = new double[steps];
        var scaled = new double[b];
        double total = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < b; i++)
            {
                scaled[i] = sequence[(t * b) + i] * extraParams[i];
            }

            for (int layer = 0; layer < l; layer++)
            {
                int w = 8 * b * layer, hidden = 2 * b * layer, cell = hidden + b;
                for (int i = 0; i < b; i++)
                {
                    double x = layer == 0 ? scaled[i] : state[hidden - (2 * b) + i];
                    double h = state[hidden + i], cPrevious = state[cell + i];
                    double forget = Lstm.Sigmoid((x * mainParams[w + i]) + mainParams[w + (4 * b) + i]);
                    double ingate = Lstm.Sigmoid((h * mainParams[w + b + i]) + mainParams[w + (5 * b) + i]);
                    double outgate = Lstm.Sigmoid((x * mainParams[w + (2 * b) + i]) + mainParams[w + (6 * b) + i]);
                    double change = Math.Tanh((h * mainParams[w + (3 * b) + i]) + mainParams[w + (7 * b) + i]);
                    double cNew = (cPrevious * forget) + (ingate * change);
                    double tanhC = Math.Tanh(cNew);
                    state[cell + i] = cNew;
                    state[hidden + i] = outgate * tanhC;
                    var k = kept.AsSpan((((t * l) + layer) * b + i) * Kept, Kept);
                    (k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7]) = (x, h, cPrevious, forget, ingate, outgate, change, tanhC);
                }
            }

            int top = 2 * b * (l - 1);
            double sum = 0;
            for (int i = 0; i < b; i++)
            {
                double prediction = (state[top + i] * extraParams[b + i]) + extraParams[(2 * b) + i];
                predictions[(t * b) + i] = prediction;
                sum += Math.Exp(prediction);
            }

            sums[t] = sum + 2;
            double lse = Math.Log(sum + 2);
            for (int i = 0; i < b; i++)
            {
                total += sequence[((t + 1) * b) + i] * (predictions[(t * b) + i] - lse);
            }
        }

        int count = steps * b;
        dMain.Clear();
        dExtra.Clear();
        var dHidden = new double[l * b]; // each layer's hidden and cell adjoints, carried back from the next step
        var dCell = new double[l * b];
        var dInput = new double[b];      // the adjoint of the input of the layer being gone through
        double dTotal = -1.0 / count;
        for (int t = steps - 1; t >= 0; t--)
        {
            double goldSum = 0;
            for (int i = 0; i < b; i++)
            {
                goldSum += sequence[((t + 1) * b) + i];
            }

            for (int i = 0; i < b; i++)
            {
                // ∂/∂predictionᵢ of Σⱼ goldⱼ (predictionⱼ − lse) = goldᵢ − Σⱼ goldⱼ · exp(predictionᵢ) / (Σ exp + 2)
                double dPrediction = dTotal * (sequence[((t + 1) * b) + i] - (goldSum * Math.Exp(predictions[(t * b) + i]) / sums[t]));
                var top = kept.AsSpan((((t * l) + l - 1) * b + i) * Kept, Kept);
                dExtra[b + i] += dPrediction * top[5] * top[7];
                dExtra[(2 * b) + i] += dPrediction;
                dInput[i] = dPrediction * extraParams[b + i];
            }

            for (int layer = l - 1; layer >= 0; layer--)
            {
                int w = 8 * b * layer;
                for (int i = 0; i < b; i++)
                {
                    var k = kept.AsSpan((((t * l) + layer) * b + i) * Kept, Kept);
                    var (x, h, cPrevious, forget, ingate, outgate, change, tanhC) = (k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7]);
                    int u = (layer * b) + i;
                    double dHiddenNew = dInput[i] + dHidden[u];
                    double dCellNew = dCell[u] + (dHiddenNew * outgate * (1 - (tanhC * tanhC)));
                    double dForget = dCellNew * cPrevious * forget * (1 - forget);
                    double dIngate = dCellNew * change * ingate * (1 - ingate);
                    double dOutgate = dHiddenNew * tanhC * outgate * (1 - outgate);
                    double dChange = dCellNew * ingate * (1 - (change * change));
                    dMain[w + i] += dForget * x;
                    dMain[w + (4 * b) + i] += dForget;
                    dMain[w + b + i] += dIngate * h;
                    dMain[w + (5 * b) + i] += dIngate;
                    dMain[w + (2 * b) + i] += dOutgate * x;
                    dMain[w + (6 * b) + i] += dOutgate;
                    dMain[w + (3 * b) + i] += dChange * h;
                    dMain[w + (7 * b) + i] += dChange;
                    dCell[u] = dCellNew * forget;
                    dHidden[u] = (dIngate * mainParams[w + b + i]) + (dChange * mainParams[w + (3 * b) + i]);
                    dInput[i] = (dForget * mainParams[w + i]) + (dOutgate * mainParams[w + (2 * b) + i]);
                }
            }

            for (int i = 0; i < b; i++)
            {
                dExtra[i] += dInput[i] * sequence[(t * b) + i];
            }
        }

        return -total / count;
    }
}
