using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation.Rules;

/// <summary>
/// What a rule needs to write one gate's backward step: the output adjoint, and where contributions go.
/// Contributions of one step to the same operand are added in one statement (<c>dx += x * dq + x * dq</c>
/// for <c>q = x * x</c>): the gradients still visibly add, and the adjoint is written once.
/// </summary>
internal sealed class RuleContext(Gate gate, string outputAdjoint, IEnumerable<string> outputUses, BackwardBuilder builder) : ITermSpelling
{
    private readonly List<string> _outputUses = [.. outputUses];
    private List<Pending> _into = [];

    public Gate Gate { get; } = gate;

    /// <summary>The adjoint of the gate's output, e.g. "dq" or "dResult".</summary>
    public string G { get; } = outputAdjoint;

    /// <summary>The gate's output value (the target), printed.</summary>
    public string Z => ExprPrinter.Operand(Gate.Target);

    /// <summary>"global::System.Math", "global::System.MathF", or a generic type parameter (<c>T.Cos</c>), matching the gate's type.</summary>
    public string MathClass => Literals.MathClass(Gate.Target.Type);

    string ITermSpelling.Number(double value) => Literals.Number(value, Gate.Target.Type);

    string ITermSpelling.Gradient => G;

    string ITermSpelling.Result => Z;

    string ITermSpelling.Companion => Gate.Companion!;

    string? ITermSpelling.ConvertedFrom => Operand(0).Type == Gate.Target.Type ? null : Operand(0).Type;

    string ITermSpelling.Operand(int index) => Op(index);

    /// <summary>The code the rule wrote.</summary>
    public List<Code> Code => Build(_into);

    public Expr Operand(int index) => Gate.Operands[index];

    /// <summary>An operand printed so that it can stand inside any product or quotient.</summary>
    public string Op(int index) => ExprPrinter.Operand(Gate.Operands[index]);

    public bool IsActive(int index) => builder.IsActiveOperand(Gate.Operands[index]);

    /// <summary>Adds <paramref name="value"/> (written in terms of <see cref="G"/>) into the adjoint of operand <paramref name="index"/>.</summary>
    public void Into(int index, string value, bool subtract = false)
    {
        var operand = Gate.Operands[index];
        if (!builder.TakesContribution(Gate, index))
        {
            return;
        }

        var same = _into.FirstOrDefault(p => p.Operand == operand);
        if (same is null)
        {
            _into.Add(same = new Pending(operand));
        }

        same.Terms.Add((value, subtract));
    }

    /// <summary>Writes the contributions made by <paramref name="body"/> inside <c>header { ... }</c>.</summary>
    public void Block(string header, System.Action body)
    {
        var outer = _into;
        _into = [];
        body();
        var inner = Build(_into);
        _into = outer;
        if (inner.Count > 0)
        {
            _into.Add(new Pending(null) { Done = new CodeBlock(header, inner) });
        }
    }

    public void Line(string text, params string[] uses)
    {
        var line = new CodeLine(text, uses);
        line.Uses.AddRange(_outputUses);
        _into.Add(new Pending(null) { Done = line });
    }

    private List<Code> Build(List<Pending> pending)
    {
        var code = new List<Code>();
        foreach (var item in pending)
        {
            if (item.Done is not null)
            {
                code.Add(item.Done);
                continue;
            }

            var added = item.Terms.Where(t => !t.Subtract).Select(t => t.Value).ToList();
            var taken = item.Terms.Where(t => t.Subtract).Select(t => t.Value).ToList();
            var (value, subtract) = added.Count == 0
                ? (string.Join(" + ", taken), true)
                : (string.Join(" + ", added) + string.Concat(taken.Select(t => " - " + (t.IndexOf('+') >= 0 || t.IndexOf(" - ", System.StringComparison.Ordinal) >= 0 ? $"({t})" : t))), false);
            if (builder.Contribution(item.Operand!, value, subtract, _outputUses) is { } contribution)
            {
                code.Add(contribution);
            }
        }

        return code;
    }

    private sealed class Pending(Expr? operand)
    {
        public Expr? Operand { get; } = operand;

        public List<(string Value, bool Subtract)> Terms { get; } = [];

        public Code? Done { get; init; }
    }
}
