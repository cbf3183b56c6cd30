using System.Collections.Generic;
using System.Linq;

namespace Backprop.Generator.Model;

/// <summary>A statement of a [Differentiable] body after Parse lowered switch and for-loops with general steps.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal abstract record Stmt;

/// <summary><c>target = value</c>; declarations with an initializer and compound assignments arrive in this form.</summary>
/// <param name="Target">A <see cref="VariableExpr"/> or <see cref="ElementExpr"/>.</param>
/// <param name="Value">The value assigned.</param>
/// <param name="Declares">A local declaration with an initializer (<c>double q = x + y;</c>).</param>
internal sealed record AssignStmt(Expr Target, Expr Value, bool Declares) : Stmt;

/// <summary><c>if (condition) then else otherwise</c>; <paramref name="Text"/> is the if as the user wrote it, null for a conditional expression (<c>c ? a : b</c>) made into one.</summary>
internal sealed record IfStmt(Expr Condition, EquatableArray<Stmt> Then, EquatableArray<Stmt> Else, string? Text) : Stmt;

/// <summary>
/// <c>for (int Variable = Start; Variable &lt; Bound; Variable++)</c> (or <c>&lt;=</c>, or counting down with
/// <c>&gt;</c>/<c>&gt;=</c> and <c>--</c>) where the body never assigns the variable and leaves Start's inputs alone:
/// the backward sweep rebuilds the variable from the iteration count instead of saving it.
/// </summary>
internal sealed record CountedForStmt(string Variable, Expr Start, BinaryOp Comparison, Expr Bound, bool Ascending, EquatableArray<Stmt> Body, string Text) : Stmt;

/// <summary><c>while (condition) body</c> or, with <see cref="IsDo"/>, <c>do body while (condition)</c>.</summary>
internal sealed record WhileStmt(Expr Condition, EquatableArray<Stmt> Body, bool IsDo, string Text) : Stmt;

/// <summary><c>break</c> of the innermost loop.</summary>
internal sealed record BreakStmt : Stmt;

/// <summary><c>continue</c> of the innermost loop.</summary>
internal sealed record ContinueStmt : Stmt;

/// <summary><c>return value</c>.</summary>
internal sealed record ReturnStmt(Expr Value, string Text) : Stmt;

/// <summary>Walks a body's statements.</summary>
internal static class Stmts
{
    /// <summary>Every statement of <paramref name="body"/>, an if or loop before the statements it holds.</summary>
    public static IEnumerable<Stmt> All(IEnumerable<Stmt> body) => body.SelectMany(s => s switch
    {
        IfStmt i => All(i.Then).Concat(All(i.Else)).Prepend(s),
        CountedForStmt f => All(f.Body).Prepend(s),
        WhileStmt w => All(w.Body).Prepend(s),
        _ => [s],
    });

    /// <summary>The expressions <paramref name="statement"/> itself holds (an assignment's target and value, a condition, a loop's bounds, a result), not those of the statements inside it.</summary>
    public static IEnumerable<Expr> ExpressionsOf(Stmt statement) => statement switch
    {
        AssignStmt a => [a.Target, a.Value],
        IfStmt i => [i.Condition],
        CountedForStmt f => [f.Start, f.Bound],
        WhileStmt w => [w.Condition],
        ReturnStmt r => [r.Value],
        _ => [],
    };
}
