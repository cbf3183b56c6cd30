using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace Backprop.Generator.Model;

/// <summary>
/// Identifiers as the model carries them: ready to print. A name that is a C# keyword is written verbatim
/// (<c>@out</c>, <c>@do</c>), whether the user wrote it (<c>double @params</c>) or the generator made it (the adjoint of
/// a local <c>o</c> is <c>@do</c>). Names are compared and combined in their bare form (<c>d</c> + <c>@out</c> is
/// <c>dout</c>), so <c>@result</c> and <c>result</c> are one name, as they are to the compiler.
/// </summary>
internal static class Identifier
{
    /// <summary>The name as C# text: <c>@</c> + name when it is a reserved keyword, or <c>field</c> (a keyword inside property accessors since C# 14).</summary>
    public static string Escape(string name)
    {
        var bare = Bare(name);
        return SyntaxFacts.GetKeywordKind(bare) != SyntaxKind.None || bare == "field" ? "@" + bare : bare;
    }

    /// <summary>The name without its verbatim <c>@</c>: what the compiler compares.</summary>
    public static string Bare(string name) => name.Replace("@", string.Empty);

    /// <summary><paramref name="prefix"/> + the bare name, escaped: <c>d</c> + <c>o</c> = <c>@do</c>, <c>d</c> + <c>@out</c> = <c>dout</c>.</summary>
    public static string Prefixed(string prefix, string name) => Escape(prefix + Bare(name));

    /// <summary>The name of a part of <paramref name="owner"/>, unescaped: <c>s</c> and <c>Mean</c> give <c>sMean</c>, <c>p</c> and <c>x</c> give <c>pX</c>.</summary>
    /// <remarks>A nested field's path gives each of its names the same way: <c>p</c> and <c>Position.X</c> give <c>pPositionX</c>.</remarks>
    public static string Part(string owner, string member) =>
        Bare(owner) + string.Concat(Bare(member).Split('.').Select(name => char.ToUpperInvariant(name[0]) + name.Substring(1)));
}
