namespace Backprop.Generator.Differentiation.Rules;

/// <summary>z = (T)a between float and double: da += (type of a)dz.</summary>
internal static class ConvertRule
{
    public static string? TryApply(RuleContext c)
    {
        if (c.Gate.Kind != GateKind.Convert)
        {
            return null;
        }

        var from = c.Operand(0).Type;
        c.Into(0, from == c.Gate.Target.Type ? c.G : $"({from}){c.G}");
        return "conversion (the gradient converts back)";
    }
}
