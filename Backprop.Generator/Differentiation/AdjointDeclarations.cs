using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// The last pass over the sweeps: the first contribution to a local adjoint at the top level of its home block (the
/// method, or a loop body for an iteration-local variable) declares it (<c>double dq = z * dResult;</c>), so "gradients
/// add at branches" shows as the later <c>+=</c>; an adjoint first touched deeper inside, or read before any
/// contribution, is declared as zero at the start of its home block. An adjoint that only one arm of an if touches has
/// that arm for its home (no loop between them: the arm runs at most once while the adjoint lives), so it is declared
/// there, by its first contribution where it can be — <c>double dproduct = e;</c>, not <c>double dproduct = 0.0;</c> at
/// the top and <c>dproduct += e;</c> in the arm, an addition of zero the JIT must keep (0.0 + -0.0 is 0.0).
/// </summary>
/// <param name="types">The local adjoints the pass declares, and their types.</param>
/// <param name="sweeps">Every sweep the pass will be given: how many steps touch each adjoint, all told.</param>
internal sealed class AdjointDeclarations(IReadOnlyDictionary<string, DataType> types, IEnumerable<List<Code>> sweeps)
{
    private readonly HashSet<string> _declared = [];
    private readonly Dictionary<string, Home> _homes = [];
    private readonly Home _method = new(0);
    private readonly Dictionary<string, int> _touches = Touches(sweeps);

    /// <summary>The depth of the body of the innermost loop the pass is in (0: none).</summary>
    private int _loopBody;

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

        var isArm = block.Header is IfHeader or ElseHeader;
        if (isArm)
        {
            foreach (var adjoint in OnlyInside(block))
            {
                _homes[adjoint] = home;
            }
        }

        var outerLoop = _loopBody;
        _loopBody = isArm ? _loopBody : depth + 1;
        var body = Declare(block.Body, depth + 1);
        _loopBody = outerLoop;
        return new SweepBlock(block.Header, body.ToEquatableArray(), home.UpFront.ToEquatableArray(), block.DoWhile);
    }

    /// <summary>
    /// The local adjoints not declared yet that only <paramref name="arm"/> touches and whose home holds no loop around
    /// the arm: the arm can be their home.
    /// </summary>
    private IEnumerable<string> OnlyInside(CodeBlock arm)
    {
        var inside = Touches([arm.Body]);
        return inside.Where(p => types.ContainsKey(p.Key) && !_declared.Contains(p.Key) && p.Value == _touches[p.Key] && HomeOf(p.Key).Depth >= _loopBody)
            .Select(p => p.Key).ToList();
    }

    /// <summary>How many steps of <paramref name="sweeps"/> touch each adjoint.</summary>
    private static Dictionary<string, int> Touches(IEnumerable<List<Code>> sweeps)
    {
        var touches = new Dictionary<string, int>();
        foreach (var sweep in sweeps)
        {
            Count(sweep);
        }

        return touches;

        void Count(List<Code> code)
        {
            foreach (var item in code)
            {
                if (item is CodeBlock block)
                {
                    Count(block.Body);
                    continue;
                }

                var names = item is CodeContribution contribution ? item.Uses.Append(contribution.Adjoint) : item.Uses;
                foreach (var name in names.Distinct())
                {
                    touches[name] = touches.TryGetValue(name, out var count) ? count + 1 : 1;
                }
            }
        }
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
