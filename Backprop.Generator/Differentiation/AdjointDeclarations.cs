using System.Collections.Generic;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// The last pass over the sweeps: the first contribution to a local adjoint at the top level of its home block (the
/// method, or a loop body for an iteration-local variable) declares it (<c>double dq = z * dResult;</c>), so "gradients
/// add at branches" shows as the later <c>+=</c>; an adjoint first touched deeper inside, or read before any
/// contribution, is declared as zero at the start of its home block.
/// </summary>
internal sealed class AdjointDeclarations(IReadOnlyDictionary<string, DataType> types)
{
    private readonly HashSet<string> _declared = [];
    private readonly Dictionary<string, Home> _homes = [];
    private readonly Home _method = new(0);

    /// <summary>Declarations (as zero) for the start of the backward pass.</summary>
    public List<SweepStep> UpFront => _method.UpFront;

    /// <summary>The steps of <paramref name="code"/>, each adjoint declared where it is first contributed to, or up front.</summary>
    public List<SweepStep> Declare(List<Code> code) => Declare(code, depth: 0);

    private List<SweepStep> Declare(List<Code> code, int depth)
    {
        var steps = new List<SweepStep>();
        foreach (var item in code)
        {
            switch (item)
            {
                case CodeContribution contribution:
                    NeedAll(contribution.Uses, except: contribution.Adjoint);
                    var declare = depth == HomeOf(contribution.Adjoint).Depth && _declared.Add(contribution.Adjoint);
                    if (!declare)
                    {
                        Need(contribution.Adjoint);
                    }

                    var adjoint = new VariableExpr(contribution.Adjoint, types[contribution.Adjoint]);
                    steps.Add(new SweepContribute(adjoint, declare, contribution.Terms, contribution.Gate));
                    break;
                case CodeReset reset:
                    if (depth == HomeOf(reset.Adjoint).Depth && !_declared.Contains(reset.Adjoint))
                    {
                        break; // never touched yet: it is zero already
                    }

                    Need(reset.Adjoint);
                    steps.Add(new SweepZero(new VariableExpr(reset.Adjoint, types[reset.Adjoint])));
                    break;
                case CodeStep step:
                    NeedAll(step.Uses, except: null);
                    steps.Add(step.Step);
                    break;
                case CodeBlock block:
                    steps.Add(DeclareBlock(block, depth));
                    break;
            }
        }

        return steps;
    }

    private SweepBlock DeclareBlock(CodeBlock block, int depth)
    {
        var home = new Home(depth + 1);
        foreach (var adjoint in block.HomeAdjoints)
        {
            _homes[adjoint] = home;
            _declared.Remove(adjoint);
        }

        var body = Declare(block.Body, depth + 1);
        return new SweepBlock(block.Header, body.ToEquatableArray(), home.UpFront.ToEquatableArray(), block.DoWhile);
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
            HomeOf(adjoint).UpFront.Add(new SweepDeclareZero(adjoint, types[adjoint]));
        }
    }

    private sealed class Home(int depth)
    {
        public int Depth { get; } = depth;

        public List<SweepStep> UpFront { get; } = [];
    }
}
