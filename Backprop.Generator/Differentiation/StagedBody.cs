using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// A scalar method's body staged into gates, with what every transformation of it needs: the name builder (the
/// method's identifiers reserved), the result's name, and the type of every variable (parameters, locals, the stager's
/// temporaries). Reverse mode and forward mode each stage the method this way.
/// </summary>
internal sealed class StagedBody
{
    private StagedBody(Activity activity, NameBuilder names, string resultName, Stager stager, List<Staged> body, Dictionary<string, DataType> types)
    {
        Activity = activity;
        Names = names;
        ResultName = resultName;
        Stager = stager;
        Body = body;
        Types = types;
    }

    /// <summary>Which values depend on a differentiable parameter.</summary>
    public Activity Activity { get; }

    public NameBuilder Names { get; }

    public string ResultName { get; }

    public Stager Stager { get; }

    public List<Staged> Body { get; }

    /// <summary>The type of every variable: the result, parameters, locals and the stager's temporaries.</summary>
    public Dictionary<string, DataType> Types { get; }

    public static StagedBody Of(MethodModel method)
    {
        var names = new NameBuilder(method.ReservedNames
            .Concat(method.Parameters.Select(p => p.Name))
            .Concat(method.Parameters.Where(p => p.HasGradient).Select(p => p.GradientName!))
            .Append("dResult"));
        var resultName = names.Unique("result");
        var activity = Activity.Analyze(method);
        var stager = new Stager(activity, names, resultName);
        var body = stager.Stage(method.Body);
        var types = new Dictionary<string, DataType> { [resultName] = method.ReturnType };
        foreach (var parameter in method.Parameters)
        {
            types[parameter.Name] = parameter.Type;
        }

        foreach (var local in method.Locals)
        {
            types[local.Name] = local.Type;
        }

        foreach (var temp in stager.Temps)
        {
            types[temp.Key] = temp.Value;
        }

        return new StagedBody(activity, names, resultName, stager, body, types);
    }

    /// <summary>Names that carry a derivative: the differentiable parameters and every target of a gate that is not inactive.</summary>
    public static HashSet<string> ActiveNames(MethodModel method, List<Staged> body)
    {
        var active = new HashSet<string>(method.Parameters.Where(p => p.HasGradient).Select(p => p.Name));
        Collect(body, active);
        return active;
    }

    private static void Collect(List<Staged> statements, HashSet<string> active)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Gate { Kind: not GateKind.Inactive } gate:
                    active.Add(gate.TargetName);
                    break;
                case StagedIf s:
                    Collect(s.Then, active);
                    Collect(s.Else, active);
                    break;
                case StagedLoop loop:
                    Collect(loop.Body, active);
                    break;
            }
        }
    }

    /// <summary>What the gates of <paramref name="statements"/> write, nested ones too; null when one of them is a call.</summary>
    public static HashSet<string>? WrittenIn(List<Staged> statements)
    {
        var written = new HashSet<string>();
        foreach (var statement in statements)
        {
            var inner = statement switch
            {
                Gate { Kind: GateKind.Call } => null,
                Gate gate => new HashSet<string>(gate.Written),
                StagedIf s => WrittenIn(s.Then) is { } then && WrittenIn(s.Else) is { } otherwise ? [.. then, .. otherwise] : null,
                StagedLoop loop => WrittenIn(loop.Body),
                _ => [],
            };
            if (inner is null)
            {
                return null;
            }

            written.UnionWith(inner);
        }

        return written;
    }
}
