using System.Collections.Generic;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation.Rules;

/// <summary>What a rule needs to write one gate's backward step: the output adjoint, and where contributions go.</summary>
internal sealed class RuleContext(Gate gate, string outputAdjoint, IEnumerable<string> outputUses, BackwardBuilder builder)
{
    private readonly List<string> _outputUses = [.. outputUses];
    private List<Code> _into = [];

    public Gate Gate { get; } = gate;

    /// <summary>The adjoint of the gate's output, e.g. "dq" or "dResult".</summary>
    public string G { get; } = outputAdjoint;

    /// <summary>The gate's output value (the target), printed.</summary>
    public string Z => ExprPrinter.Operand(Gate.Target);

    /// <summary>"global::System.Math" or "global::System.MathF", matching the gate's type.</summary>
    public string MathClass => Gate.Target.Type == "float" ? "global::System.MathF" : "global::System.Math";

    public List<Code> Code => _into;

    public Expr Operand(int index) => Gate.Operands[index];

    /// <summary>An operand printed so that it can stand inside any product or quotient.</summary>
    public string Op(int index) => ExprPrinter.Operand(Gate.Operands[index]);

    public bool IsActive(int index) => builder.IsActiveOperand(Gate.Operands[index]);

    /// <summary>Adds <paramref name="value"/> (written in terms of <see cref="G"/>) into the adjoint of operand <paramref name="index"/>.</summary>
    public void Into(int index, string value, bool subtract = false)
    {
        if (builder.Contribution(Gate.Operands[index], value, subtract, _outputUses) is { } code)
        {
            _into.Add(code);
        }
    }

    /// <summary>Writes the contributions made by <paramref name="body"/> inside <c>header { ... }</c>.</summary>
    public void Block(string header, System.Action body)
    {
        var outer = _into;
        _into = [];
        body();
        var inner = _into;
        _into = outer;
        if (inner.Count > 0)
        {
            _into.Add(new CodeBlock(header, inner));
        }
    }

    public void Line(string text, params string[] uses)
    {
        var line = new CodeLine(text, uses);
        line.Uses.AddRange(_outputUses);
        _into.Add(line);
    }
}
