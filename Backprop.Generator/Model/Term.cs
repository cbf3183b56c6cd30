using System.Collections.Generic;
using System.Linq;

namespace Backprop.Generator.Model;

/// <summary>
/// A term of a derivative rule, as data: built from the gate's operands, its result, the companion value the forward
/// pass kept (the cos of Math.SinCos), the output adjoint and numbers. Every adjoint term is linear in
/// <see cref="Gradient"/>, so the same tree gives the reverse contribution (adjoint · ∂z/∂a) and, with the tangent
/// of the operand in its place, the forward one. Analysis asks a term what it reads; nothing else lists functions.
/// </summary>
internal abstract record Term
{
    public static readonly Term G = new Gradient();
    public static readonly Term Z = new Result();
    public static readonly Term C = new Companion();

    public static Term A(int index) => new Operand(index);

    public static Term N(double value) => new Number(value);

    public static Term operator +(Term left, Term right) => new Binary(BinaryOp.Add, left, right);

    public static Term operator -(Term left, Term right) => new Binary(BinaryOp.Subtract, left, right);

    public static Term operator *(Term left, Term right) => new Binary(BinaryOp.Multiply, left, right);

    public static Term operator /(Term left, Term right) => new Binary(BinaryOp.Divide, left, right);

    public static Term operator *(double left, Term right) => new Binary(BinaryOp.Multiply, N(left), right);

    public static Term operator +(double left, Term right) => new Binary(BinaryOp.Add, N(left), right);

    public static Term operator -(double left, Term right) => new Binary(BinaryOp.Subtract, N(left), right);

    public static Term operator -(Term left, double right) => new Binary(BinaryOp.Subtract, left, N(right));

    /// <summary>A call of the gate's Math/MathF class (<c>Math.Log(b)</c>).</summary>
    public static Term Fn(string function, params Term[] arguments) => new MathCall(function, arguments.ToEquatableArray());

    /// <summary>Every term inside this one, itself included.</summary>
    public IEnumerable<Term> Walk()
    {
        yield return this;
        var children = this switch
        {
            Binary b => [b.Left, b.Right],
            MathCall m => m.Arguments,
            ZeroWhen z => z.Conditions.SelectMany(c => new[] { c.Left, c.Right }).Append(z.Value),
            CastToOperandType c => [c.Value],
            _ => Enumerable.Empty<Term>(),
        };
        foreach (var child in children.SelectMany(c => c.Walk()))
        {
            yield return child;
        }
    }
}

/// <summary>The adjoint of the gate's output (<c>dq</c>); the tangent of the operand in forward mode.</summary>
internal sealed record Gradient : Term;

/// <summary>The gate's output value z.</summary>
internal sealed record Result : Term;

/// <summary>The second value the forward pass computed with z (the cos of sin(x), from Math.SinCos).</summary>
internal sealed record Companion : Term;

/// <summary>Operand <see cref="Index"/> of the gate.</summary>
internal sealed record Operand(int Index) : Term;

internal sealed record Number(double Value) : Term;

/// <summary>Left Op Right, for an arithmetic <see cref="Op"/>: + − · /.</summary>
internal sealed record Binary(BinaryOp Op, Term Left, Term Right) : Term;

internal sealed record MathCall(string Function, EquatableArray<Term> Arguments) : Term;

/// <summary>A comparison in a guard: <c>Left == Right</c>, <c>Left &gt;= Right</c>.</summary>
internal sealed record Comparison(Term Left, BinaryOp Op, Term Right);

/// <summary>
/// <c>(c1 &amp;&amp; c2 ? 0 : Value)</c>: the derivative is 0 where the formula is 0·∞ but the function is differentiable
/// with derivative 0 (d/dx x^y at y = 0).
/// </summary>
internal sealed record ZeroWhen(EquatableArray<Comparison> Conditions, Term Value) : Term;

/// <summary>The value converted to the type of operand 0 (the gradient of a float→double conversion goes back as float).</summary>
internal sealed record CastToOperandType(Term Value) : Term;
