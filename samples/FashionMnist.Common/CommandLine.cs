using System;
using System.Globalization;

namespace FashionMnist;

/// <summary>
/// Reads a sample's command line option by option, with the errors every sample gives: a missing value, a number that
/// is not one, an unknown option. <c>--name value</c> pairs, in any order.
/// </summary>
public sealed class CommandLine(string[] args)
{
    private int _next;

    /// <summary>The option just read by <see cref="Next"/>.</summary>
    public string Option { get; private set; } = "";

    /// <summary>Moves to the next option; false after the last.</summary>
    public bool Next()
    {
        if (_next >= args.Length)
        {
            return false;
        }

        Option = args[_next++];
        return true;
    }

    /// <summary>The value after the current option.</summary>
    /// <exception cref="ArgumentException">The command line ends there.</exception>
    public string Value() => _next < args.Length ? args[_next++] : throw new ArgumentException($"{Option} needs a value.");

    /// <summary>The value after the current option as a positive integer.</summary>
    public int Positive()
    {
        var value = Value();
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{Option} needs a positive integer, not '{value}'.");
    }

    /// <summary>The value after the current option as an integer.</summary>
    public int Integer()
    {
        var value = Value();
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{Option} needs an integer, not '{value}'.");
    }

    /// <summary>The value after the current option as a positive finite number.</summary>
    public float PositiveNumber()
    {
        var value = Value();
        return float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x > 0 && float.IsFinite(x) ? x : throw new ArgumentException($"{Option} needs a positive number, not '{value}'.");
    }

    /// <summary>The value after the current option as a number in [0, 1).</summary>
    public float Fraction()
    {
        var value = Value();
        return float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x >= 0 && x < 1 ? x : throw new ArgumentException($"{Option} needs a number from 0 up to (not including) 1, not '{value}'.");
    }

    /// <summary>The error for an option this sample does not have.</summary>
    public ArgumentException Unknown() => new($"Unknown option '{Option}'. Try --help.");
}
