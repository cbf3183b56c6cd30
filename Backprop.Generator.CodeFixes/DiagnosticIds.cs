namespace Backprop.Generator.CodeFixes;

/// <summary>The ids of Backprop.Generator's diagnostics these fixes answer (see docs/diagnostics.md).</summary>
internal static class DiagnosticIds
{
    public const string CallWithoutDerivative = "BP0004";
    public const string GradientLostInConversion = "BP0011";
}
