using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation.Rules;
namespace Backprop.Generator.Model;

/// <summary>
/// Which variables carry a derivative: a variable is active when some assignment gives it a value that
/// depends on a differentiable parameter through differentiable operations (flow-insensitive fixpoint).
/// A pure function of the model: Parse uses it to report calls and conversions that would lose a gradient,
/// Differentiate to decide what to stage.
/// </summary>
internal sealed class Activity
{
    private readonly HashSet<string> _active;

    private Activity(HashSet<string> active) => _active = active;

    public static Activity Analyze(MethodModel method)
    {
        var active = new HashSet<string>(method.Parameters.Where(p => p.HasGradient).Select(p => p.Name));
        var activity = new Activity(active);
        var assignments = new List<AssignStmt>();
        Collect(method.Body, assignments);
        bool changed;
        do
        {
            changed = false;
            foreach (var assignment in assignments)
            {
                var name = assignment.Target switch
                {
                    VariableExpr v => v.Name,
                    ElementExpr e => e.Array,
                    _ => null,
                };
                if (name is not null && !active.Contains(name) && activity.IsActive(assignment.Value))
                {
                    active.Add(name);
                    changed = true;
                }
            }
        }
        while (changed);

        return activity;
    }

    public bool IsActiveName(string name) => _active.Contains(name);

    /// <summary>True when a gradient can flow from <paramref name="expr"/> back into a differentiable parameter.</summary>
    public bool IsActive(Expr expr) => expr.IsFloating && expr switch
    {
        VariableExpr v => _active.Contains(v.Name),
        ElementExpr e => _active.Contains(e.Array),
        UnaryExpr u => u.Op is UnaryOp.Negate or UnaryOp.Plus && IsActive(u.Operand),
        BinaryExpr b => b.Op.IsArithmetic() && (IsActive(b.Left) || IsActive(b.Right)),
        ConditionalExpr c => IsActive(c.WhenTrue) || IsActive(c.WhenFalse),
        CastExpr c => IsActive(c.Operand),
        MathCallExpr m => !GateRules.HasZeroDerivative(m.Function) && m.Arguments.Any(IsActive),
        UserCallExpr call => call.Arguments.Any(a => a.Shape == ParameterShape.Scalar && IsActive(a.Value)
            || a.Shape == ParameterShape.Sequence && a.Value is VariableExpr v && _active.Contains(v.Name)),
        _ => false,
    };

    private static void Collect(IEnumerable<Stmt> statements, List<AssignStmt> into)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case AssignStmt assign:
                    into.Add(assign);
                    break;
                case IfStmt s:
                    Collect(s.Then, into);
                    Collect(s.Else, into);
                    break;
                case CountedForStmt s:
                    Collect(s.Body, into);
                    break;
                case WhileStmt s:
                    Collect(s.Body, into);
                    break;
            }
        }
    }
}
