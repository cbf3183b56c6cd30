using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// Which inputs of an add gate in tensor code may take the gate's output adjoint as their own (the same tensor, no
/// zeroed copy), and which must not. Adjoints that share one tensor form a group; a member of the group is live until the
/// backward sweep reaches the step that made its value (that step reads it). Sharing is safe only when no gradient is
/// added into one live member while another live member has still to be read:
/// <list type="bullet">
/// <item>the output adjoint's group must have no other live member (a gradient added into the new member would reach it);</item>
/// <item>of two inputs of the same gate, a and b, no step from where b is made up to the gate may add into a (the backward
/// sweep would run it before b's maker reads b's adjoint, the same tensor), and the other way round.</item>
/// </list>
/// </summary>
/// <remarks>
/// <c>a = X·W; b = X·V; c = Tanh(a); s = a + b</c>: sharing ds with both a and b would let Tanh's rule add into da — the
/// tensor db is — before b's MatMul rule reads db. Only a shares; b gets a zeroed adjoint of its own.
/// </remarks>
internal sealed class AdjointSharing(IReadOnlyList<TensorStep> steps)
{
    private readonly Dictionary<string, Group> _groups = [];

    /// <summary>The backward sweep has reached the step that made <paramref name="value"/>, whose adjoint is <paramref name="adjoint"/>.</summary>
    public void Consumed(string value, string adjoint)
    {
        if (_groups.TryGetValue(adjoint, out var group))
        {
            group.Live.Remove(value);
        }
    }

    /// <summary>The adjoint <paramref name="adjoint"/> of <paramref name="value"/> is (or may be) the tensor <paramref name="shared"/> is.</summary>
    public void Shares(string adjoint, string shared, string value)
    {
        if (!_groups.TryGetValue(shared, out var group))
        {
            group = new Group();
            _groups[shared] = group;
        }

        group.Live.Add(value);
        _groups[adjoint] = group;
    }

    /// <summary>True when a value may take <paramref name="adjoint"/> as its own: no other value sharing that tensor is still to be read.</summary>
    public bool MayShare(string adjoint) => !_groups.TryGetValue(adjoint, out var group) || group.Live.Count == 0;

    /// <summary>Of the operands of <paramref name="step"/> that could take its output adjoint <paramref name="adjoint"/>, those that may.</summary>
    public HashSet<int> Choose(TensorStep step, string adjoint, IEnumerable<int> candidates)
    {
        var chosen = new HashSet<int>();
        if (!MayShare(adjoint))
        {
            return chosen;
        }

        var gate = IndexOf(step.Target);
        foreach (var candidate in candidates)
        {
            var value = step.Arguments[candidate].Value.Name!;
            if (chosen.All(other => !AddsBetween(value, step.Arguments[other].Value.Name!, gate) && !AddsBetween(step.Arguments[other].Value.Name!, value, gate)))
            {
                chosen.Add(candidate);
            }
        }

        return chosen;
    }

    /// <summary>True when a step from where <paramref name="other"/> is made up to (not including) <paramref name="gate"/> adds a gradient into <paramref name="value"/>.</summary>
    private bool AddsBetween(string value, string other, int gate)
    {
        for (var i = IndexOf(other); i >= 0 && i < gate; i++)
        {
            if (steps[i].Active && steps[i].Arguments.Any(a => a.Slot != AdjointSlot.None && a.Value.Name == value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <paramref name="value"/> is made where step <paramref name="first"/> is (a loop's carried variable as an iteration
    /// starts, made just before the body's first step), so gates in the body may share their adjoint with it.
    /// </summary>
    public void MadeAt(string value, string first) => _madeAt[value] = IndexOf(first);

    private readonly Dictionary<string, int> _madeAt = [];

    private int IndexOf(string target)
    {
        if (_madeAt.TryGetValue(target, out var made))
        {
            return made;
        }

        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Target == target)
            {
                return i;
            }
        }

        return -1;
    }

    private sealed class Group
    {
        public HashSet<string> Live { get; } = [];
    }
}
