using System.Collections.Generic;
using Backprop.Generator.Emit;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// The last pass over the backward sweep: the first contribution to a local adjoint at the top level of its
/// home block (the method, or a loop body for an iteration-local variable) declares it
/// (<c>double dq = z * dResult;</c>), so "gradients add at branches" shows as the later <c>+=</c>; an adjoint first
/// touched deeper inside, or read before any contribution, is declared as zero at the start of its home block.
/// </summary>
internal sealed class AdjointDeclarations(IReadOnlyDictionary<string, string> types)
{
    private readonly HashSet<string> _declared = [];
    private readonly Dictionary<string, Home> _homes = [];
    private readonly Home _method = new(0);

    /// <summary>Declarations (as zero) for the start of the backward pass.</summary>
    public List<string> UpFront => _method.UpFront;

    public void Write(List<Code> code, SourceWriter writer) => Write(code, writer, depth: 0);

    private void Write(List<Code> code, SourceWriter writer, int depth)
    {
        foreach (var item in code)
        {
            switch (item)
            {
                case CodeContribution contribution:
                    NeedAll(contribution.Uses, except: contribution.Adjoint);
                    if (depth == HomeOf(contribution.Adjoint).Depth && _declared.Add(contribution.Adjoint))
                    {
                        var value = contribution.Subtract ? Negated(contribution.Value) : contribution.Value;
                        writer.Line($"{types[contribution.Adjoint]} {contribution.Adjoint} = {value};");
                    }
                    else
                    {
                        Need(contribution.Adjoint);
                        writer.Line($"{contribution.Adjoint} {(contribution.Subtract ? "-=" : "+=")} {contribution.Value};");
                    }

                    break;
                case CodeReset reset:
                    if (depth == HomeOf(reset.Adjoint).Depth && !_declared.Contains(reset.Adjoint))
                    {
                        break; // never touched yet: it is zero already
                    }

                    Need(reset.Adjoint);
                    writer.Line($"{reset.Adjoint} = {Literals.PlainZero(types[reset.Adjoint])};");
                    break;
                case CodeLine line:
                    NeedAll(line.Uses, except: null);
                    writer.Line(line.Text);
                    break;
                case CodeBlock block:
                    WriteBlock(block, writer, depth);
                    break;
            }
        }
    }

    private void WriteBlock(CodeBlock block, SourceWriter writer, int depth)
    {
        var home = new Home(depth + 1);
        foreach (var adjoint in block.HomeAdjoints)
        {
            _homes[adjoint] = home;
            _declared.Remove(adjoint);
        }

        var body = new SourceWriter();
        Write(block.Body, body, depth + 1);
        writer.Open(block.Header);
        foreach (var line in home.UpFront)
        {
            writer.Line(line);
        }

        writer.Append(body);
        writer.Close(block.Footer);
    }

    private Home HomeOf(string adjoint) => _homes.TryGetValue(adjoint, out var home) ? home : _method;

    private void NeedAll(List<string> uses, string? except)
    {
        foreach (var use in uses)
        {
            if (use != except)
            {
                Need(use);
            }
        }
    }

    private void Need(string adjoint)
    {
        if (types.ContainsKey(adjoint) && _declared.Add(adjoint))
        {
            HomeOf(adjoint).UpFront.Add($"{types[adjoint]} {adjoint} = {Literals.Zero(types[adjoint])};");
        }
    }

    private static string Negated(string value) => value.IndexOf(' ') < 0 ? "-" + value : $"-({value})";

    private sealed class Home(int depth)
    {
        public int Depth { get; } = depth;

        public List<string> UpFront { get; } = [];
    }
}
