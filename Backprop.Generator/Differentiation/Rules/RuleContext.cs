using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation.Rules;

/// <summary>
/// What a rule needs to write one gate's backward step: the output adjoint, and where contributions go.
/// Contributions of one step to the same operand are added in one statement (<c>dx += x * dq + x * dq</c>
/// for <c>q = x * x</c>): the gradients still visibly add, and the adjoint is written once.
/// </summary>
internal sealed class RuleContext(Gate gate, Expr outputAdjoint, IEnumerable<string> outputUses, BackwardBuilder builder) : IRouterContext
{
    private readonly List<string> _outputUses = [.. outputUses];
    private List<Pending> _into = [];
    private GateNames? _names;

    public Gate Gate { get; } = gate;

    /// <summary>The adjoint of the gate's output, e.g. <c>dq</c> or <c>dResult</c>.</summary>
    public Expr G { get; } = outputAdjoint;

    /// <summary>What the rule's terms stand for at this gate.</summary>
    public GateNames Names { get; } = new(outputAdjoint, gate.Target, gate.Operands.ToEquatableArray(), gate.Companion is { } companion ? new VariableExpr(companion, gate.Target.Type) : null);

    /// <summary>The code the rule wrote.</summary>
    public List<Code> Code => Build(_into);

    public DataType ResultType => Gate.Target.Type;

    public Expr Operand(int index) => Gate.Operands[index];

    public bool IsActive(int index) => builder.IsActiveOperand(Gate.Operands[index]);

    /// <summary>Adds <paramref name="term"/> (linear in the output adjoint) into the adjoint of operand <paramref name="index"/>.</summary>
    public void Into(int index, Term term, bool subtract = false)
    {
        var operand = Gate.Operands[index];
        if (!builder.TakesContribution(Gate, index))
        {
            return;
        }

        _names ??= Names;
        var same = _into.FirstOrDefault(p => p.Operand == operand && p.Names == _names);
        if (same is null)
        {
            _into.Add(same = new Pending(operand, _names));
        }

        same.Terms.Add(new RuleTerm(subtract, term));
    }

    /// <summary>
    /// Makes the contributions of <paramref name="body"/> with <paramref name="gradient"/> standing for the output adjoint
    /// in their terms: a local a step before them worked out from it (the divide gate's dz/b).
    /// </summary>
    public void WithGradient(Expr gradient, System.Action body)
    {
        _names = Names with { Gradient = gradient };
        body();
        _names = Names;
    }

    /// <summary>Writes the contributions made by <paramref name="body"/> inside <c>header { ... }</c>.</summary>
    public void Block(SweepHeader header, System.Action body)
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

    public void Step(SweepStep step, params string[] uses)
    {
        var code = new CodeStep(step, uses);
        code.Uses.AddRange(_outputUses);
        _into.Add(new Pending(null) { Done = code });
    }

    private List<Code> Build(List<Pending> pending)
    {
        var code = new List<Code>();
        foreach (var item in pending)
        {
            if (item.Done is not null)
            {
                code.Add(item.Done);
            }
            else if (builder.Contribution(item.Operand!, item.Terms, item.Names!, _outputUses) is { } contribution)
            {
                code.Add(contribution);
            }
        }

        return code;
    }

    private sealed class Pending(Expr? operand, GateNames? names = null)
    {
        public Expr? Operand { get; } = operand;

        /// <summary>What the terms stand for (the gate's names, or with a local for the output adjoint).</summary>
        public GateNames? Names { get; } = names;

        public List<RuleTerm> Terms { get; } = [];

        public Code? Done { get; init; }
    }
}
