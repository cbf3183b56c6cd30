namespace Backprop;

public static partial class Nn
{
    /// <summary>Tells an open <see cref="GraphTrace"/> that <paramref name="operation"/> made <paramref name="result"/> from <paramref name="x"/>.</summary>
    private static void TraceIfActive(string operation, Tensor result, Tensor x, float? argument = null)
    {
        if (GraphTrace.Active)
        {
            GraphTrace.Record(operation, result, x, argument);
        }
    }

    /// <summary>Tells an open <see cref="GraphTrace"/> that <paramref name="operation"/> made <paramref name="result"/> from <paramref name="a"/> and <paramref name="b"/>.</summary>
    private static void TraceIfActive(string operation, Tensor result, Tensor a, Tensor b)
    {
        if (GraphTrace.Active)
        {
            GraphTrace.Record(operation, result, a, b);
        }
    }

    private static Tensor Traced(string operation, Tensor result, Tensor a, Tensor b)
    {
        TraceIfActive(operation, result, a, b);
        return result;
    }
}
