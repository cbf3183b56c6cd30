using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Second order starts here. From a scalar method F this builds another method model, <c>FDirectional(params…, v…)</c>,
/// whose body is F's staged forward pass with each gate's tangent beside it as an ordinary statement (<c>vq = vx * y +
/// x * vy</c>) and which returns the directional derivative ∇F·v. It is a model like any parsed method, so reverse mode
/// differentiates it as it is: the pullback of ∇F·v with respect to F's parameters is H·v (reverse over forward), and
/// with respect to v it is ∇F. Each tangent comes from the gate's rule, the same data forward and reverse mode read.
/// </summary>
internal sealed class DirectionalModel
{
    private readonly MethodModel _method;
    private readonly NameBuilder _names;
    private readonly Dictionary<string, DataType> _types;
    private readonly HashSet<string> _active;
    private readonly string _resultName;

    /// <summary>The tangent of each active name (<c>x</c> → <c>vx</c>) and the tangent's type.</summary>
    private readonly Dictionary<string, (string Name, DataType Type)> _tangents = [];
    private readonly Dictionary<string, DataType> _newLocals = [];
    private string? _problem;

    private DirectionalModel(MethodModel method, StagedBody staged)
    {
        _method = method;
        _names = staged.Names;
        _types = staged.Types;
        _active = StagedBody.ActiveNames(method, staged.Body);
        _resultName = staged.ResultName;
    }

    /// <summary>
    /// The model of <c>FDirectional</c>, and when F's second derivative cannot be written, why not (a call through a
    /// [DerivativeRule], which gives first derivatives only).
    /// </summary>
    public static DirectionalResult Of(MethodModel method)
    {
        var staged = StagedBody.Of(method);
        var builder = new DirectionalModel(method, staged);
        var model = builder.Build(staged);
        return new DirectionalResult(model, builder._problem);
    }

    /// <summary>
    /// As <see cref="Of"/>, but a failure of second order (a generator bug) costs only the second-order members, which
    /// then say so: F's gradient and tangent are written all the same.
    /// </summary>
    public static DirectionalResult OfSafely(MethodModel method)
    {
        try
        {
            return Of(method);
        }
        catch (System.Exception e) when (e is not System.OperationCanceledException)
        {
            var model = new DirectionalModel(method, StagedBody.Of(method)).Build(staged: null);
            return new DirectionalResult(model, Failure(e));
        }
    }

    private string Advice => $"Give that function a [Differentiable] body instead of the rule, or difference {_method.Name}Gradient along v";

    /// <summary>Why F has no second-order members when writing them failed.</summary>
    public static string Failure(System.Exception e) =>
        $"the generator failed to write it ({e.GetType().Name}: {e.Message}); please report this with the method";

    /// <summary>The model; with no <paramref name="staged"/> body, only its signature (for members that say why they are missing).</summary>
    private MethodModel Build(StagedBody? staged)
    {
        var parameters = new List<ParameterModel>();
        var directions = new List<ParameterModel>();
        foreach (var p in _method.Parameters)
        {
            if (!p.HasGradient)
            {
                parameters.Add(p);
                continue;
            }

            // In FDirectional the adjoint of x is the Hessian-vector product hx, and the adjoint of vx is ∂F/∂x (dx).
            var vector = _names.Unique("v" + Identifier.Bare(p.Name));
            var type = p.Shape == ParameterShape.Scalar ? p.ElementType! : DataType.ReadOnlySpanOf(p.ElementType!);
            _tangents[p.Name] = (vector, type);
            parameters.Add(p with { GradientName = _names.Unique("h" + Identifier.Bare(p.Name)) });
            directions.Add(new ParameterModel(vector, type, p.Shape, p.ElementType, p.GradientName));
        }

        var body = new List<Stmt>();
        if (staged is not null)
        {
            var resultTangent = Tangent(_resultName).Name;
            body = Block(staged.Body);
            if (!Exits.EndsWithExit(staged.Body))
            {
                body.Add(new ReturnStmt(new VariableExpr(resultTangent, _method.ReturnType), $"return {resultTangent}"));
            }
        }

        var counters = new HashSet<string>(_method.Locals.Where(l => l.IsCountedLoopVariable).Select(l => l.Name));
        var locals = _types
            .Where(t => !_method.Parameters.Any(p => p.Name == t.Key))
            .Concat(_newLocals)
            .Select(t => new LocalModel(t.Key, t.Value, counters.Contains(t.Key)))
            .ToList();
        var reserved = _method.ReservedNames
            .Concat(locals.Select(l => l.Name))
            .Concat(parameters.Concat(directions).SelectMany(p => new[] { p.Name, p.GradientName }).OfType<string>())
            .Distinct()
            .OrderBy(n => n, System.StringComparer.Ordinal);
        return _method with
        {
            Name = _method.Name + SecondOrderPlan.Suffix,
            Parameters = parameters.Concat(directions).ToEquatableArray(),
            AddedToSignature = directions.Select(d => d.Type).ToEquatableArray(),
            Body = body.ToEquatableArray(),
            Locals = locals.ToEquatableArray(),
            ReservedNames = reserved.ToEquatableArray(),
        };
    }

    private List<Stmt> Block(List<Staged> statements)
    {
        var into = new List<Stmt>();
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Gate gate:
                    AddGate(into, gate);
                    break;
                case StagedIf s:
                    into.Add(new IfStmt(s.Condition, Block(s.Then).ToEquatableArray(), Block(s.Else).ToEquatableArray(), s.Text));
                    break;
                case StagedLoop { Counted: { } counted } loop:
                    into.Add(counted with { Bound = loop.Condition, Body = Block(loop.Body).ToEquatableArray() });
                    break;
                case StagedLoop loop:
                    into.Add(new WhileStmt(loop.Condition, Block(loop.Body).ToEquatableArray(), loop.IsDo, loop.Text));
                    break;
                case StagedExit { Kind: ExitKind.Break }:
                    into.Add(new BreakStmt());
                    break;
                case StagedExit { Kind: ExitKind.Continue }:
                    into.Add(new ContinueStmt());
                    break;
                case StagedExit:
                    var tangent = Tangent(_resultName).Name;
                    into.Add(new ReturnStmt(new VariableExpr(tangent, _method.ReturnType), $"return {tangent}"));
                    break;
            }
        }

        return into;
    }

    /// <summary>The gate's statement and its tangent's: <c>q = x * y; vq = vx * y + x * vy;</c>.</summary>
    private void AddGate(List<Stmt> into, Gate gate)
    {
        var value = GateStatements.ValueOf(gate);
        var active = gate.Kind != GateKind.Inactive && gate.Operands.Any(IsActiveOperand);
        if (!active)
        {
            Assign(into, gate.Target, value);
            if (gate.Value is NewArrayExpr array && _active.Contains(gate.TargetName))
            {
                Assign(into, new VariableExpr(Tangent(gate.TargetName).Name, array.Type), array);
            }
            else if (HasTangent(gate.TargetName))
            {
                Assign(into, TangentOf(gate.Target), Zero(gate.Target.Type));
            }

            return;
        }

        if (gate.Kind == GateKind.Call)
        {
            // The callee's tangent reads the arguments only, so it goes first: z = G(z) then reads the old z.
            Assign(into, TangentOf(gate.Target), CallTangent(gate, into));
            Assign(into, gate.Target, value);
            return;
        }

        if (gate.Operands.Any(o => Stager.Reads(o).Contains(gate.TargetName)))
        {
            // The gate overwrites one of its operands (x = x * y): the tangent reads the old values, so the new value
            // waits in a local until the tangent is computed.
            var next = new VariableExpr(NewLocal(Identifier.Bare(gate.TargetName) + "Next", gate.Target.Type), gate.Target.Type);
            Assign(into, next, value);
            Assign(into, TangentOf(gate.Target), TangentValue(gate, next));
            Assign(into, gate.Target, next);
            return;
        }

        Assign(into, gate.Target, value);
        Assign(into, TangentOf(gate.Target), TangentValue(gate, gate.Target));
    }

    private static void Assign(List<Stmt> into, Expr target, Expr value) =>
        into.Add(new AssignStmt(target, value, Declares: false));

    /// <summary>Σ over the rule's contributions of its term with the operand's tangent in place of the output adjoint.</summary>
    private Expr TangentValue(Gate gate, Expr result)
    {
        var type = gate.Target.Type;
        if (gate.Kind == GateKind.Convert)
        {
            return new CastExpr(TangentOf(gate.Operands[0]), type, IsImplicit: false);
        }

        if (gate.Kind == GateKind.Multiply && gate.Operands[0] == gate.Operands[1])
        {
            // q = a * a: dq = 2·a·da, one term where the multiply gate's rule gives two equal ones.
            return new BinaryExpr(BinaryOp.Multiply, new BinaryExpr(BinaryOp.Multiply, new NumberExpr(2, type), gate.Operands[0], type), TangentOf(gate.Operands[0]), type);
        }

        if (gate.Kind == GateKind.Divide && gate.Operands.All(IsActiveOperand))
        {
            // q = a / b: dq = (da - q·db)/b, one division where the divide gate's rule gives two.
            var numerator = new BinaryExpr(BinaryOp.Subtract, TangentOf(gate.Operands[0]), new BinaryExpr(BinaryOp.Multiply, result, TangentOf(gate.Operands[1]), type), type);
            return new BinaryExpr(BinaryOp.Divide, numerator, gate.Operands[1], type);
        }

        var rule = gate.IsAccumulation ? GateRules.ForKind(gate.Kind) : GateRules.For(gate);
        if (rule is null)
        {
            return RouterTangent(gate);
        }

        Expr? sum = null;
        foreach (var contribution in rule.Contributions.Where(c => IsActiveOperand(gate.Operands[c.Operand])))
        {
            var term = ToExpr(contribution.Value, gate, result, TangentOf(gate.Operands[contribution.Operand]));
            sum = sum is null
                ? contribution.Subtract ? new UnaryExpr(UnaryOp.Negate, term, type) : term
                : new BinaryExpr(contribution.Subtract ? BinaryOp.Subtract : BinaryOp.Add, sum, term, type);
        }

        return sum ?? Zero(type);
    }

    /// <summary>A rule's term as an expression of the gate's operands, its result and the tangent.</summary>
    private static Expr ToExpr(Term term, Gate gate, Expr result, Expr tangent)
    {
        var type = gate.Target.Type;
        var math = type.Kind switch { DataKind.Float => "MathF", DataKind.TypeParameter => type.Name!, _ => "Math" };
        Expr Recurse(Term t) => ToExpr(t, gate, result, tangent);
        return term switch
        {
            Gradient => tangent,
            Result => result,
            Companion => new MathCallExpr(math, GateRules.For(gate)!.Companion!.Name == "cos" ? "Cos" : "Sin", new[] { gate.Operands[0] }.ToEquatableArray(), type),
            Operand o => gate.Operands[o.Index],
            Number n => new NumberExpr(n.Value, type),
            Binary b => new BinaryExpr(b.Op, Recurse(b.Left), Recurse(b.Right), type),
            MathCall m => new MathCallExpr(math, m.Function, m.Arguments.Select(Recurse).ToEquatableArray(), type),
            ZeroWhen z => new ConditionalExpr(
                z.Conditions.Select(c => (Expr)new BinaryExpr(c.Op, Recurse(c.Left), Recurse(c.Right), DataType.Bool)).Aggregate((a, b) => new BinaryExpr(BinaryOp.ConditionalAnd, a, b, DataType.Bool)),
                Zero(type),
                Recurse(z.Value),
                type),
            CastToOperandType c => Recurse(c.Value),
            _ => throw new System.InvalidOperationException($"no expression for the term {term}"),
        };
    }

    /// <summary>max, min, abs, clamp: the tangent of the input the router sends the gradient to (the ties of reverse mode).</summary>
    private Expr RouterTangent(Gate gate)
    {
        var type = gate.Target.Type;
        var o = gate.Operands;
        var t = o.Select(x => IsActiveOperand(x) ? TangentOf(x) : Zero(type)).ToList();
        Expr When(Expr a, BinaryOp op, Expr b, Expr then, Expr otherwise) =>
            a == b && op is BinaryOp.LessThanOrEqual or BinaryOp.GreaterThanOrEqual ? then : a == b ? otherwise : new ConditionalExpr(new BinaryExpr(op, a, b, DataType.Bool), then, otherwise, type);
        return gate.Math!.Function switch
        {
            "Max" => When(o[0], BinaryOp.GreaterThanOrEqual, o[1], t[0], t[1]),
            "Min" => When(o[0], BinaryOp.LessThanOrEqual, o[1], t[0], t[1]),
            "Abs" => new ConditionalExpr(new BinaryExpr(BinaryOp.GreaterThanOrEqual, o[0], Zero(type), DataType.Bool), t[0], new UnaryExpr(UnaryOp.Negate, t[0], type), type),
            _ => When(o[0], BinaryOp.LessThan, o[1], t[1], When(o[0], BinaryOp.GreaterThan, o[2], t[2], t[0])),
        };
    }

    /// <summary>z = G(args): G's directional derivative along the arguments' tangents, <c>GDirectional(args…, v…)</c>.</summary>
    private Expr CallTangent(Gate gate, List<Stmt> into)
    {
        var call = gate.Call!;
        if (call.Rule is { } rule)
        {
            _problem ??= $"it calls {call.Name}, whose [DerivativeRule] {rule.Substring(rule.LastIndexOf('.') + 1)} gives first derivatives only. {Advice}";
            return Zero(gate.Target.Type);
        }

        if (call.FirstOrderRule is { } reached)
        {
            _problem ??= $"it calls {call.Name}, which reaches {reached}: a rule gives first derivatives only. {Advice}";
            return Zero(gate.Target.Type);
        }

        var arguments = call.Arguments.Select((a, i) => a with { Value = gate.Operands[i] }).ToList();
        foreach (var (argument, i) in call.Arguments.Select((a, i) => (a, i)).Where(p => p.a.Shape != ParameterShape.NoGradient).ToList())
        {
            var operand = gate.Operands[i];
            var tangent = argument.Shape == ParameterShape.Scalar
                ? IsActiveOperand(operand) ? TangentOf(operand) : Zero(operand.Type)
                : operand is VariableExpr v && _active.Contains(v.Name) ? TangentOf(v) : ZeroArray(operand, into);
            arguments.Add(new CallArgument(tangent, argument.Shape));
        }

        return call with { Name = call.Name + SecondOrderPlan.Suffix, Arguments = arguments.ToEquatableArray() };
    }

    /// <summary>An array of zeros as long as <paramref name="array"/>: the tangent of an array that carries none.</summary>
    private Expr ZeroArray(Expr array, List<Stmt> into)
    {
        var element = TangentBuilder.ElementOf(array.Type);
        var zeros = NewLocal("zeros", DataType.ArrayOf(element));
        var variable = new VariableExpr(zeros, DataType.ArrayOf(element));
        Assign(into, variable, new NewArrayExpr(element, new MemberExpr(array, "Length", DataType.Int)));
        return variable;
    }

    private bool IsActiveOperand(Expr operand) => operand switch
    {
        VariableExpr v => _active.Contains(v.Name),
        ElementExpr e => _active.Contains(e.Array),
        _ => false,
    };

    private bool HasTangent(string name) => _tangents.ContainsKey(name) || _active.Contains(name);

    /// <summary>The tangent of a variable or array (<c>vq</c>), named on first use.</summary>
    private (string Name, DataType Type) Tangent(string name)
    {
        if (!_tangents.TryGetValue(name, out var tangent))
        {
            tangent = (NewLocal("v" + Identifier.Bare(name), _types[name]), _types[name]);
            _tangents[name] = tangent;
        }

        return tangent;
    }

    /// <summary>The tangent of a gate's target or operand: <c>vq</c>, or <c>va[i]</c> for an element.</summary>
    private Expr TangentOf(Expr operand) => operand switch
    {
        VariableExpr v => new VariableExpr(Tangent(v.Name).Name, Tangent(v.Name).Type),
        ElementExpr e => e with { Array = Tangent(e.Array).Name },
        _ => Zero(operand.Type),
    };

    private string NewLocal(string name, DataType type)
    {
        var unique = _names.Unique(name);
        _newLocals[unique] = type;
        return unique;
    }

    private static NumberExpr Zero(DataType type) => new(0, type);
}

/// <summary>The model of <c>FDirectional</c> and, when F has no second derivative, why (then only its signature is used).</summary>
internal sealed record DirectionalResult(MethodModel Model, string? Problem);
