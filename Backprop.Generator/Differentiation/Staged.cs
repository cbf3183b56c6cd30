using System.Collections.Generic;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// The staged form of a body, private to Differentiate: every differentiable expression is broken into
/// gates (one operation each, operands that are variables, elements or inactive values), the way the
/// lecture notes stage a forward pass. Reference identity matters here; nothing of this is cached.
/// </summary>
internal abstract class Staged
{
    /// <summary>True inside a loop body: saves and records go on the tape rather than in locals.</summary>
    public bool InLoop { get; set; }

    /// <summary>True when not nested in any if or loop: a declaration here dominates the rest of the method.</summary>
    public bool AtTop { get; set; }
}

internal enum GateKind
{
    /// <summary>z = a: the gradient passes through.</summary>
    Copy,
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Negate,

    /// <summary>z = (T)a between float and double.</summary>
    Convert,

    /// <summary>z = Math.F(a, ...).</summary>
    Math,

    /// <summary>z = G(a, ...) for another [Differentiable] method G.</summary>
    Call,

    /// <summary>z = 1 / (1 + exp(-a)), recognised as one gate as the lecture notes group it: dz/da = z(1 - z).</summary>
    Sigmoid,

    /// <summary>z = a value no gradient flows through (integers, constants, stop-gradients, new arrays).</summary>
    Inactive,
}

/// <summary>The gates of operators: scalar code's and tensor code's arithmetic map onto them here.</summary>
internal static class GateKinds
{
    /// <summary>The gate of an arithmetic operator (+ − · / %).</summary>
    public static GateKind Of(BinaryOp op) => op switch
    {
        BinaryOp.Add => GateKind.Add,
        BinaryOp.Subtract => GateKind.Subtract,
        BinaryOp.Multiply => GateKind.Multiply,
        BinaryOp.Divide => GateKind.Divide,
        _ => GateKind.Remainder,
    };
}

/// <summary>One assignment of one operation: <c>Target = Kind(Operands)</c>.</summary>
internal sealed class Gate(GateKind kind, Expr target, List<Expr> operands) : Staged
{
    public GateKind Kind { get; } = kind;

    /// <summary>A <see cref="VariableExpr"/> or an <see cref="ElementExpr"/>.</summary>
    public Expr Target { get; } = target;

    public List<Expr> Operands { get; } = operands;

    public MathCallExpr? Math { get; init; }

    public UserCallExpr? Call { get; init; }

    /// <summary>For Inactive gates: the value.</summary>
    public Expr? Value { get; init; }

    /// <summary>For sin and cos: the variable that receives the other half of Math.SinCos, kept for the backward sweep.</summary>
    public string? Companion { get; set; }

    /// <summary><c>s = s + e</c> or <c>s = s - e</c>: the target's adjoint is unchanged by the step.</summary>
    public bool IsAccumulation =>
        Kind is GateKind.Add or GateKind.Subtract && Operands[0] == Target;

    public string TargetName => Target switch
    {
        VariableExpr v => v.Name,
        ElementExpr e => e.Array,
        _ => string.Empty,
    };

    /// <summary>What the gate writes: its target (an element's array) and its companion.</summary>
    public IEnumerable<string> Written => Companion is null ? [TargetName] : [TargetName, Companion];
}

/// <summary>An if, or a conditional expression (<c>c ? a : b</c>) staged as one (then <see cref="Text"/> is null).</summary>
internal sealed class StagedIf(Expr condition, List<Staged> then, List<Staged> otherwise, string? text) : Staged
{
    public Expr Condition { get; } = condition;

    public List<Staged> Then { get; } = then;

    public List<Staged> Else { get; } = otherwise;

    /// <summary>The if as the user wrote it, for comments; null for a conditional expression.</summary>
    public string? Text { get; } = text;
}

/// <summary>A for- or while-loop; <see cref="Counted"/> is set for loops whose variable the backward sweep rebuilds.</summary>
internal sealed class StagedLoop(Expr condition, List<Staged> body, string text) : Staged
{
    public Expr Condition { get; } = condition;

    public List<Staged> Body { get; } = body;

    public string Text { get; } = text;

    public CountedForStmt? Counted { get; init; }

    public bool IsDo { get; init; }
}

internal enum ExitKind
{
    Break,
    Continue,
    Return,
}

/// <summary>break, continue or return; <see cref="Id"/> numbers exits in textual order, from 1.</summary>
internal sealed class StagedExit(ExitKind kind) : Staged
{
    public ExitKind Kind { get; } = kind;

    public int Id { get; set; }
}
