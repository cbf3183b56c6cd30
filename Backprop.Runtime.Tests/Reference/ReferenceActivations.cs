using System;

namespace Backprop.Runtime.Tests.Reference;

/// <summary>Plain loops the activation kernels are checked against.</summary>
internal static class ReferenceActivations
{
    public static float Relu(float x) => Math.Max(0f, x);

    public static float ReluGradient(float x, float dy) => x > 0 ? dy : 0f;

    public static float Sigmoid(float x) => (float)(1 / (1 + Math.Exp(-x)));

    public static float SigmoidGradient(float y, float dy) => dy * y * (1 - y);

    public static float Tanh(float x) => (float)Math.Tanh(x);

    public static float TanhGradient(float y, float dy) => dy * (1 - (y * y));

    public static float LeakyRelu(float x) => x > 0 ? x : 0.1f * x;

    public static float LeakyReluGradient(float x, float dy) => x > 0 ? dy : 0.1f * dy;

    public static float Elu(float x) => x > 0 ? x : (float)(Math.Exp(x) - 1);

    public static float EluGradient(float y, float dy) => y > 0 ? dy : dy * (y + 1);
}
