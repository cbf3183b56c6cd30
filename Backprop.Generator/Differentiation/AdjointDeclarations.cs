using System.Collections.Generic;
using Backprop.Generator.Emit;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// The last pass over the backward sweep: the first contribution to a local adjoint at the method's top level
/// declares it (<c>double dq = z * dResult;</c>), so "gradients add at branches" shows as the later <c>+=</c>;
/// an adjoint first touched inside a block, or read before any contribution, is declared as zero up front.
/// </summary>
internal sealed class AdjointDeclarations(IReadOnlyDictionary<string, string> types)
{
    private readonly HashSet<string> _declared = [];

    public List<string> UpFront { get; } = [];

    public void Write(List<Code> code, SourceWriter writer) => Write(code, writer, depth: 0);

    private void Write(List<Code> code, SourceWriter writer, int depth)
    {
        foreach (var item in code)
        {
            switch (item)
            {
                case CodeContribution contribution:
                    NeedAll(contribution.Uses, except: contribution.Adjoint);
                    if (depth == 0 && _declared.Add(contribution.Adjoint))
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
                    if (depth == 0 && !_declared.Contains(reset.Adjoint))
                    {
                        break; // never touched yet: it is zero already
                    }

                    Need(reset.Adjoint);
                    writer.Line($"{reset.Adjoint} = 0;");
                    break;
                case CodeLine line:
                    NeedAll(line.Uses, except: null);
                    writer.Line(line.Text);
                    break;
                case CodeBlock block:
                    writer.Open(block.Header);
                    Write(block.Body, writer, depth + 1);
                    writer.Close(block.Footer);
                    break;
            }
        }
    }

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
            UpFront.Add($"{types[adjoint]} {adjoint} = {Literals.Zero(types[adjoint])};");
        }
    }

    private static string Negated(string value) => value.IndexOf(' ') < 0 ? "-" + value : $"-({value})";
}
