using System.Collections.Generic;
using System.Linq;

namespace Backprop.Generator.Differentiation;

/// <summary>Questions about break, continue and return in staged code.</summary>
internal static class Exits
{
    /// <summary>Ids of the exits inside <paramref name="statement"/> that leave it (a loop keeps its own breaks and continues).</summary>
    public static IEnumerable<int> Escaping(Staged statement) => statement switch
    {
        StagedExit exit => [exit.Id],
        StagedIf s => s.Then.Concat(s.Else).SelectMany(Escaping),
        StagedLoop loop => loop.Body.SelectMany(ReturnsInside),
        _ => [],
    };

    /// <summary>True when control cannot flow past the end of <paramref name="statements"/> (C# would call what follows unreachable).</summary>
    public static bool EndsWithExit(List<Staged> statements) => statements.Count > 0 && statements[statements.Count - 1] switch
    {
        StagedExit => true,
        StagedIf s => s.Else.Count > 0 && EndsWithExit(s.Then) && EndsWithExit(s.Else),
        StagedLoop loop => NeverCompletes(loop),
        _ => false,
    };

    /// <summary>A <c>while (true)</c> loop without a break of its own never completes normally.</summary>
    public static bool NeverCompletes(StagedLoop loop) =>
        loop.Counted is null && loop.Condition is Model.LiteralExpr { Text: "true" } && !loop.Body.Any(HasOwnBreak);

    private static IEnumerable<int> ReturnsInside(Staged statement) => statement switch
    {
        StagedExit { Kind: ExitKind.Return } exit => [exit.Id],
        StagedIf s => s.Then.Concat(s.Else).SelectMany(ReturnsInside),
        StagedLoop loop => loop.Body.SelectMany(ReturnsInside),
        _ => [],
    };

    private static bool HasOwnBreak(Staged statement) => statement switch
    {
        StagedExit { Kind: ExitKind.Break } => true,
        StagedIf s => s.Then.Concat(s.Else).Any(HasOwnBreak),
        _ => false,
    };
}
