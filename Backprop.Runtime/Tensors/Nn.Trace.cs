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

    /// <summary>Tells an open <see cref="GraphTrace"/> that <paramref name="operation"/> made <paramref name="result"/> from columns <paramref name="start"/> on of <paramref name="x"/>, <paramref name="count"/> of them.</summary>
    private static void TraceIfActive(string operation, Tensor result, Tensor x, int start, int count)
    {
        if (GraphTrace.Active)
        {
            GraphTrace.Record(operation, result, x, start, count);
        }
    }

    private static Tensor Traced(string operation, Tensor result, Tensor a, Tensor b)
    {
        TraceIfActive(operation, result, a, b);
        return result;
    }
}
