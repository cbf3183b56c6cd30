using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using static Backprop.Generator.Model.Term;

namespace Backprop.Generator.Differentiation.Rules;

/// <summary>
/// Every derivative rule of the scalar gates and of the Math/MathF functions, each in one place. The parser's list of
/// supported functions, Activity's zero derivatives, what Analysis saves for the backward sweep and the companion
/// values of the stager all come from here. Routers (max, min, abs, clamp) are code with branches (MaxMinRule) and
/// calls of other methods go through their own pullbacks (CallRule); they are listed here by name.
/// </summary>
internal static class GateRules
{
    /// <summary>Math/MathF functions whose rule routes the gradient by comparing operands (MaxMinRule).</summary>
    public static readonly IReadOnlyList<string> Routers = ["Abs", "Max", "Min", "Clamp"];

    private static readonly Dictionary<(string Function, int Arity), GateRule> s_math = new()
    {
        [("Exp", 1)] = new("d/dx exp(x) = exp(x)", new Contribution(0, Z * G)),
        [("Log", 1)] = new("d/dx log(x) = 1/x", new Contribution(0, G / A(0))),
        [("Log", 2)] = new(
            "d/dx log_b(x) = 1/(x ln b), d/db log_b(x) = -log_b(x)/(b ln b)",
            new Contribution(0, G / (A(0) * Fn("Log", A(1)))),
            new Contribution(1, Z * G / (A(1) * Fn("Log", A(1))), Subtract: true)),
        [("Log10", 1)] = new("d/dx log10(x) = 1/(x ln 10)", new Contribution(0, G / (A(0) * Fn("Log", N(10))))),
        [("Log2", 1)] = new("d/dx log2(x) = 1/(x ln 2)", new Contribution(0, G / (A(0) * Fn("Log", N(2))))),
        [("Sqrt", 1)] = new("d/dx sqrt(x) = 1/(2 sqrt(x))", new Contribution(0, G / (2 * Z))),
        [("Cbrt", 1)] = new("d/dx cbrt(x) = 1/(3 cbrt(x)²)", new Contribution(0, G / (3 * Z * Z))),

        // y·x^(y−1) is 0·∞ at x = 0, y = 0; x^0 is constant, so its derivative is 0 (as in PyTorch). x^y·ln x is
        // 0·(−∞) at x = 0; its limit for y ≥ 0 is 0, which PyTorch and JAX return too.
        [("Pow", 2)] = new(
            "d/dx x^y = y·x^(y-1), d/dy x^y = x^y·ln x (0 at x = 0, y ≥ 0)",
            new Contribution(0, new ZeroWhen(new Comparison[] { new(A(1), BinaryOp.Equal, N(0)) }.ToEquatableArray(), A(1) * Fn("Pow", A(0), A(1) - 1) * G)),
            new Contribution(1, new ZeroWhen(new Comparison[] { new(A(0), BinaryOp.Equal, N(0)), new(A(1), BinaryOp.GreaterThanOrEqual, N(0)) }.ToEquatableArray(), Z * Fn("Log", A(0)) * G))),
        [("Sin", 1)] = new("d/dx sin(x) = cos(x)", new Contribution(0, C * G)) { Companion = new("cos", ResultFirst: true) },
        [("Cos", 1)] = new("d/dx cos(x) = -sin(x)", new Contribution(0, C * G, Subtract: true)) { Companion = new("sin", ResultFirst: false) },
        [("Tan", 1)] = new("d/dx tan(x) = 1 + tan²(x)", new Contribution(0, (1 + Z * Z) * G)),
        [("Sinh", 1)] = new("d/dx sinh(x) = cosh(x)", new Contribution(0, Fn("Cosh", A(0)) * G)),
        [("Cosh", 1)] = new("d/dx cosh(x) = sinh(x)", new Contribution(0, Fn("Sinh", A(0)) * G)),
        [("Tanh", 1)] = new("d/dx tanh(x) = 1 - tanh²(x)", new Contribution(0, (1 - Z * Z) * G)),
        [("Asin", 1)] = new("d/dx asin(x) = 1/sqrt(1 - x²)", new Contribution(0, G / Fn("Sqrt", 1 - A(0) * A(0)))),
        [("Acos", 1)] = new("d/dx acos(x) = -1/sqrt(1 - x²)", new Contribution(0, G / Fn("Sqrt", 1 - A(0) * A(0)), Subtract: true)),
        [("Atan", 1)] = new("d/dx atan(x) = 1/(1 + x²)", new Contribution(0, G / (1 + A(0) * A(0)))),
        [("Atan2", 2)] = new(
            "d atan2(y, x) = (x·dy - y·dx)/(x² + y²)",
            new Contribution(0, A(1) * G / (A(1) * A(1) + A(0) * A(0))),
            new Contribution(1, A(0) * G / (A(1) * A(1) + A(0) * A(0)), Subtract: true)),

        // The rest of the math library (and the numeric types' static math: double.Exp, float.Hypot, double.ExpM1).
        [("FusedMultiplyAdd", 3)] = new("fused a·b + c: da = b, db = a, dc = 1", new(0, A(1) * G), new(1, A(0) * G), new(2, G)),
        [("ScaleB", 2)] = new("d/dx x·2ⁿ = 2ⁿ", new Contribution(0, Fn("ScaleB", G, A(1)))),
        [("CopySign", 2)] = new("d/dx copysign(x, y) = sign(x)·sign(y) (0 for y)", new Contribution(0, Fn("CopySign", N(1), A(0)) * Fn("CopySign", N(1), A(1)) * G)),
        [("BitIncrement", 1)] = new("next representable value: the gradient passes through", new Contribution(0, G)),
        [("BitDecrement", 1)] = new("previous representable value: the gradient passes through", new Contribution(0, G)),
        [("Hypot", 2)] = new("d hypot(x, y) = (x·dx + y·dy)/hypot(x, y)", new(0, A(0) * G / Z), new(1, A(1) * G / Z)),
        [("ExpM1", 1)] = new("d/dx (eˣ - 1) = eˣ", new Contribution(0, (Z + N(1)) * G)),
        [("LogP1", 1)] = new("d/dx log(1 + x) = 1/(1 + x)", new Contribution(0, G / (1 + A(0)))),
        [("Exp2", 1)] = new("d/dx 2ˣ = 2ˣ ln 2", new Contribution(0, Z * Fn("Log", N(2)) * G)),
        [("Exp10", 1)] = new("d/dx 10ˣ = 10ˣ ln 10", new Contribution(0, Z * Fn("Log", N(10)) * G)),

        // Step functions: the derivative is zero wherever it exists; no gradient flows through them.
        [("Sign", 1)] = new("step function: no gradient"),
        [("Floor", 1)] = new("step function: no gradient"),
        [("Ceiling", 1)] = new("step function: no gradient"),
        [("Round", 1)] = new("step function: no gradient"),
        [("Truncate", 1)] = new("step function: no gradient"),
    };

    private static readonly GateRule s_add = new("add gate (distributor)", new(0, G), new(1, G));
    private static readonly GateRule s_accumulate = new("accumulate (add gate: distributor)", new Contribution(1, G));
    private static readonly GateRule s_subtract = new("subtract gate (distributor, negated for the right input)", new(0, G), new(1, G, Subtract: true));
    private static readonly GateRule s_accumulateNegated = new("accumulate (subtract gate: distributor, negated)", new Contribution(1, G, Subtract: true));
    private static readonly GateRule s_copy = new("copy (the gradient passes through)", new Contribution(0, G));
    private static readonly GateRule s_negate = new("negate gate (the gradient flips sign)", new Contribution(0, G, Subtract: true));
    private static readonly GateRule s_multiply = new("multiply gate (switcher)", new(0, A(1) * G), new(1, A(0) * G));
    private static readonly GateRule s_divide = new("divide gate: d(a/b) = da/b - (a/b)·db/b", new(0, G / A(1)), new(1, Z * G / A(1), Subtract: true));

    // z = 1/b: dz/db = -1/b² = -z², which spares the backward sweep a division.
    private static readonly GateRule s_reciprocal = new("reciprocal: d(1/b) = -(1/b)²·db", new Contribution(1, Z * Z * G, Subtract: true));
    private static readonly GateRule s_remainder = new("remainder: d(a%b) = da - trunc(a/b)·db", new(0, G), new(1, Fn("Truncate", A(0) / A(1)) * G, Subtract: true));
    private static readonly GateRule s_convert = new("conversion (the gradient converts back)", new Contribution(0, new CastToOperandType(G)));
    private static readonly GateRule s_sigmoid = new("sigmoid gate: dσ/ds = σ(1 - σ)", new Contribution(0, Z * (1 - Z) * G));

    /// <summary>
    /// True when Math.<paramref name="function"/> with <paramref name="arity"/> arguments differentiates: it has a rule
    /// of that arity, is a router, or is a step function (any overload: Round(x, digits) has no gradient either).
    /// </summary>
    public static bool Supports(string function, int arity) =>
        s_math.ContainsKey((function, arity)) || Routers.Contains(function) || HasZeroDerivative(function);

    /// <summary>The (function, arity) pairs that have a rule as data.</summary>
    public static IEnumerable<(string Function, int Arity)> MathRules => s_math.Keys;

    /// <summary>The rule of Math.<paramref name="function"/> with <paramref name="arity"/> arguments; null for routers and unknown functions.</summary>
    public static GateRule? ForMath(string function, int arity) => s_math.TryGetValue((function, arity), out var rule) ? rule : null;

    /// <summary>True when no gradient flows through Math.<paramref name="function"/> (a step function).</summary>
    public static bool HasZeroDerivative(string function) =>
        s_math.Where(k => k.Key.Function == function).Select(k => k.Value).FirstOrDefault() is { IsZero: true };

    /// <summary>
    /// The rule of <paramref name="gate"/> as data, or null for the gates whose rule is code: routers (MaxMinRule),
    /// calls (CallRule) and inactive gates.
    /// </summary>
    public static GateRule? For(Gate gate) => gate.Kind == GateKind.Math
        ? ForMath(gate.Math!.Function, gate.Operands.Count)
        : ForKind(gate.Kind, gate.IsAccumulation, reciprocal: gate.Kind == GateKind.Divide && gate.Operands[0].IsOne);

    /// <summary>
    /// The rule of an operator gate: <paramref name="accumulation"/> for <c>s = s ± e</c> (only the right operand takes
    /// the gradient), <paramref name="reciprocal"/> for <c>1 / b</c>. Tensor code's float arithmetic uses these too.
    /// </summary>
    public static GateRule? ForKind(GateKind kind, bool accumulation = false, bool reciprocal = false) => kind switch
    {
        GateKind.Add => accumulation ? s_accumulate : s_add,
        GateKind.Subtract => accumulation ? s_accumulateNegated : s_subtract,
        GateKind.Copy => s_copy,
        GateKind.Negate => s_negate,
        GateKind.Multiply => s_multiply,
        GateKind.Divide => reciprocal ? s_reciprocal : s_divide,
        GateKind.Remainder => s_remainder,
        GateKind.Convert => s_convert,
        GateKind.Sigmoid => s_sigmoid,
        _ => null,
    };
}
