using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// The C# compiler's reachability rules (ECMA-334 §13.2), as far as the generator needs them to know when the code it
/// writes will warn about code that never runs (CS0162). Where the compiler folds a constant the generator cannot
/// evaluate, the answer leans towards "may not complete": that only costs a pragma.
/// </summary>
internal static class Reachability
{
    /// <summary>True for an expression the C# compiler folds to a constant: literals combined by operators, casts and <c>?:</c>.</summary>
    public static bool IsConstant(Expr expr) => expr switch
    {
        LiteralExpr or NumberExpr => true,
        UnaryExpr u => IsConstant(u.Operand),
        BinaryExpr b => IsConstant(b.Left) && IsConstant(b.Right),
        CastExpr c => IsConstant(c.Operand),

        // Fuzz seed 1574, batch 77, method 19: 'g(q) => -0.71' read in place twice made '(true ? -0.71 : -0.71) < 0.13'.
        ConditionalExpr c => IsConstant(c.Condition) && IsConstant(c.WhenTrue) && IsConstant(c.WhenFalse),
        _ => false,
    };

    /// <summary>True when the end of <paramref name="statements"/> is surely reachable: control can fall out of it.</summary>
    public static bool CompletesNormally(IEnumerable<Stmt> statements) => statements.All(CompletesNormally);

    /// <summary>True when a <c>continue</c> in <paramref name="body"/> goes to the next pass of the loop that holds it.</summary>
    public static bool Continues(IEnumerable<Stmt> body) => Holds<ContinueStmt>(body);

    /// <summary>True when the end of <paramref name="statement"/> is surely reachable.</summary>
    public static bool CompletesNormally(Stmt statement) => statement switch
    {
        BreakStmt or ContinueStmt or ReturnStmt => false,
        IfStmt { Condition: LiteralExpr { Text: "true" } } i => CompletesNormally(i.Then),
        IfStmt { Condition: LiteralExpr { Text: "false" } } i => CompletesNormally(i.Else),
        IfStmt i when IsConstant(i.Condition) => CompletesNormally(i.Then) && CompletesNormally(i.Else),
        IfStmt i => CompletesNormally(i.Then) || CompletesNormally(i.Else),
        WhileStmt w when IsConstant(w.Condition) => Holds<BreakStmt>(w.Body),
        WhileStmt { IsDo: true } w => CompletesNormally(w.Body) || Continues(w.Body) || Holds<BreakStmt>(w.Body),
        _ => true,
    };

    /// <summary>True when <paramref name="body"/> holds a <typeparamref name="T"/> (a break or continue) of its own loop: not inside a nested one.</summary>
    private static bool Holds<T>(IEnumerable<Stmt> body) where T : Stmt =>
        body.Any(s => s is T || s is IfStmt i && (Holds<T>(i.Then) || Holds<T>(i.Else)));
}
