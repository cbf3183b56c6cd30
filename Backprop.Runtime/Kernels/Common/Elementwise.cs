using System;

namespace Backprop.Kernels.Common;

/// <summary>Argument checks shared by the element-wise entry points.</summary>
internal static class Elementwise
{
    /// <summary>Throws unless source and destination have the same length; false when there is nothing to do.</summary>
    public static bool CheckLengths(string operation, int sourceLength, int destinationLength)
    {
        if (sourceLength != destinationLength)
        {
            throw new ArgumentException($"{operation}: x has {sourceLength} elements but y has {destinationLength}; they must match.");
        }

        return sourceLength > 0;
    }
}
