using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>
/// The branches and loops of tensor code: if/else and ?: on values that take no gradient, counted for loops, and the
/// comparisons their conditions are made of.
/// </summary>
internal sealed partial class TensorParser
{
    /// <summary>
    /// <c>if (condition) … else …</c>: each arm's statements read into steps of their own; a local either arm assigns
    /// leaves the branch as a new version (h → h2), assigned at the end of both arms.
    /// </summary>
    private bool ParseIf(IConditionalOperation branch) =>
        ParseBranch(branch.Condition, () => ParseStatement(branch.WhenTrue), branch.WhenFalse is { } otherwise ? () => ParseStatement(otherwise) : null);

    /// <summary>
    /// A loop body's statements from <paramref name="first"/> on, where <c>if (condition) continue;</c> directly in the body
    /// is the branch <c>if (condition) { } else { the rest of the body }</c>.
    /// </summary>
    private bool ParseLoopBody(IOperation body, int first = 0)
    {
        if (body is not IBlockOperation block)
        {
            return ParseStatement(body);
        }

        for (var i = first; i < block.Operations.Length; i++)
        {
            if (block.Operations[i] is IConditionalOperation { WhenFalse: null } skip && IsContinue(skip.WhenTrue))
            {
                var rest = i + 1;
                return ParseBranch(skip.Condition, () => true, () => ParseLoopBody(body, rest));
            }

            if (!ParseStatement(block.Operations[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>continue;</c>, alone or in a block of its own.</summary>
    private static bool IsContinue(IOperation operation) => operation switch
    {
        IBranchOperation { BranchKind: BranchKind.Continue } => true,
        IBlockOperation { Operations.Length: 1 } block => IsContinue(block.Operations[0]),
        _ => false,
    };

    /// <summary>A branch on <paramref name="conditionOperation"/> whose arms <paramref name="readThen"/> and <paramref name="readElse"/> read (no else arm when null).</summary>
    private bool ParseBranch(IOperation conditionOperation, System.Func<bool> readThen, System.Func<bool>? readElse)
    {
        if (Condition(conditionOperation) is not { } condition)
        {
            return false;
        }

        if (Constant(condition) is { } taken)
        {
            // A helper read in place with a literal argument (Blocks(x, w, 1, false)): only the arm taken is code.
            Current.Arms++;
            var read = taken ? readThen() : readElse is null || readElse();
            Current.Arms--;
            return read;
        }

        var before = new Dictionary<ISymbol, TensorOperand>(_locals, SymbolEqualityComparer.Default);
        if (Arm(readThen) is not { } then)
        {
            return false;
        }

        var afterThen = new Dictionary<ISymbol, TensorOperand>(_locals, SymbolEqualityComparer.Default);
        _locals.Clear();
        foreach (var pair in before)
        {
            _locals[pair.Key] = pair.Value;
        }

        if ((readElse is null ? [] : Arm(readElse)) is not { } otherwise)
        {
            return false;
        }

        var merges = new List<TensorMerge>();
        var changed = before.Keys.Where(local => !Equals(afterThen[local], before[local]) || !Equals(_locals[local], before[local])).ToList();
        var afterElse = new Dictionary<ISymbol, TensorOperand>(_locals, SymbolEqualityComparer.Default);
        foreach (var local in changed)
        {
            var merge = new TensorMerge(Fresh(local.Name), afterThen[local].Type, afterThen[local], afterElse[local]);
            merges.Add(merge);
            _locals[local] = TensorOperand.Named(merge.Target, merge.Type, merge.Active);
        }

        _block.Add(new TensorBranch(condition, then.ToEquatableArray(), otherwise.ToEquatableArray(), merges.ToEquatableArray()));
        return true;
    }

    /// <summary><c>condition ? a : b</c>: each operand read into an arm of its own, the value chosen merged into one name.</summary>
    private TensorOperand? ParseChoice(IConditionalOperation choice, IOperation whenFalse)
    {
        if (Condition(choice.Condition) is not { } condition)
        {
            return null;
        }

        if (Constant(condition) is { } taken)
        {
            return ParseValue(taken ? choice.WhenTrue : whenFalse);
        }

        TensorOperand? then = null, otherwise = null;
        var thenSteps = Arm(() => (then = ParseValue(choice.WhenTrue)) is not null);
        var elseSteps = thenSteps is null ? null : Arm(() => (otherwise = ParseValue(whenFalse)) is not null);
        if (thenSteps is null || elseSteps is null || then is null || otherwise is null)
        {
            return null;
        }

        var type = KnownTypes.Of(choice.Type!);
        if (thenSteps.Count == 0 && elseSteps.Count == 0 && !then.Active && !otherwise.Active)
        {
            return new TensorOperand(new ConditionalExpr(condition, then.Value, otherwise.Value, type), type, Active: false);
        }

        var merge = new TensorMerge(Fresh("chosen"), type, then, otherwise);
        _block.Add(new TensorBranch(condition, thenSteps.ToEquatableArray(), elseSteps.ToEquatableArray(), new[] { merge }.ToEquatableArray()));
        return TensorOperand.Named(merge.Target, type, merge.Active);
    }

    /// <summary>The value of a condition that is a constant (<c>true</c>, <c>false</c>), as a literal argument makes it.</summary>
    private static bool? Constant(Expr condition) => condition is LiteralExpr { Text: "true" or "false" } literal ? literal.Text == "true" : null;

    /// <summary>A branch's condition: a value that takes no gradient (a comparison of floats that do is fine: it passes none).</summary>
    private Expr? Condition(IOperation condition)
    {
        if (ParseValue(condition) is not { } value)
        {
            return null;
        }

        if (value.Active)
        {
            _context.Unsupported(condition.Syntax, "a branch of tensor code chooses on a value that takes no gradient (a bool, an int, a comparison)");
            return null;
        }

        return value.Value;
    }

    /// <summary>
    /// <c>for (int i = start; i &lt; end; i++)</c> (or <c>&lt;=</c>, or counting down; or by a constant step, <c>i += 2</c>),
    /// bounds that take no gradient and that the body does not change.
    /// </summary>
    private bool ParseFor(IForLoopOperation loop)
    {
        const string Counted = "a loop of tensor code counts up or down by a constant step, for (int i = start; i < end; i++) or for (int i = start; i >= end; i -= 2), with bounds that take no gradient and that its body does not change";
        if (CountedLoop.Match(loop, anyStep: true) is not { } counted)
        {
            _context.Unsupported(loop.Syntax, Counted);
            return false;
        }

        var assigned = CountedLoop.AssignedSymbols(loop.Body);
        if (counted.Bound.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation local && assigned.Contains(local.Local)))
        {
            _context.Unsupported(counted.Bound.Syntax, Counted);
            return false;
        }

        if (ParseValue(counted.Start) is not { } start || ParseValue(counted.Bound) is not { } bound)
        {
            return false;
        }

        if (start.Active || bound.Active)
        {
            _context.Unsupported(loop.Syntax, Counted);
            return false;
        }

        var counter = _frames.Count == 1 ? Identifier.Escape(counted.Variable.Name) : Fresh(counted.Variable.Name);
        return ReadLoop(loop, loop.Body, counter, start.Value, counted.Comparison, bound.Value, counted.Step, () =>
        {
            _locals[counted.Variable] = TensorOperand.Named(counter, DataType.Int, active: false);
            return true;
        });
    }

    /// <summary>
    /// <c>foreach (var w in Ws)</c> over a <c>Tensor[]</c> field, or <c>foreach (var block in Blocks)</c> over an array of
    /// sub-modules: the loop over its indices, <c>w</c> standing for <c>this.Ws[i]</c> and <c>block</c> for
    /// <c>this.Blocks[i]</c>.
    /// </summary>
    private bool ParseForEach(IForEachLoopOperation loop)
    {
        var collection = loop.Collection;
        while (collection is IConversionOperation conversion)
        {
            collection = conversion.Operand;
        }

        if (ElementsOf(collection, frozen: false) is { } reader && loop.LoopControlVariable is IVariableDeclaratorOperation { Symbol: { } element })
        {
            var at = Fresh("i");
            return ReadLoop(loop, loop.Body, at, Zero, BinaryOp.LessThan, new MemberExpr(reader.Array, "Length", DataType.Int), step: 1, () =>
            {
                if (reader.Read(TensorOperand.Named(at, DataType.Int, active: false)) is not { } value)
                {
                    return false;
                }

                _locals[element] = value;
                return true;
            });
        }

        if (collection is not IFieldReferenceOperation { Field.IsStatic: false } array
            || array.Type is not IArrayTypeSymbol { Rank: 1 } arrayType
            || !IsModule(arrayType.ElementType)
            || ReceiverOf(array.Instance) is not { } holder
            || loop.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: { } variable })
        {
            _context.Unsupported(loop.Collection.Syntax, "tensor code loops with foreach over a Tensor[] field or parameter, or an array field of sub-modules of the model; for anything else, count: for (int i = 0; i < n; i++)");
            return false;
        }

        var counter = Fresh("i");
        var index = TensorOperand.Named(counter, DataType.Int, active: false);
        return ReadLoop(loop, loop.Body, counter, Zero, BinaryOp.LessThan, new MemberExpr(FieldOf(array.Field, holder), "Length", DataType.Int), step: 1, () =>
        {
            _modules[variable] = ElementOf(array.Field, holder, index);
            return true;
        });
    }

    /// <summary>
    /// The loop over <paramref name="counter"/> from <paramref name="start"/> while <c>counter comparison bound</c> holds
    /// (up by <paramref name="step"/>, or down by it for &gt; and &gt;=): the locals the body assigns are carried through
    /// the loop in variables of their own (h → h2), which hold their values after it.
    /// </summary>
    private bool ReadLoop(IOperation loop, IOperation body, string counter, Expr start, BinaryOp comparison, Expr bound, int step, System.Func<bool> bindVariable)
    {
        var carried = new List<(ISymbol Local, TensorCarried Value)>();
        foreach (var local in CountedLoop.AssignedSymbols(body).Where(_locals.ContainsKey).OrderBy(l => l.Name, System.StringComparer.Ordinal))
        {
            var before = _locals[local];
            if (!before.Type.IsTensor && !before.Type.IsFloating)
            {
                _context.Unsupported(loop.Syntax, $"'{local.Name}' is {(before.Type.ToString()[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a")} {before.Type} the loop changes: a loop of tensor code carries tensors and floats from one iteration to the next");
                return false;
            }

            var name = OwnName(local);
            var value = TensorOperand.Named(name, before.Type, active: true);
            carried.Add((local, new TensorCarried(name, before.Type, before, value)));
            _locals[local] = value;
        }

        var outer = _block;
        _block = [];
        Current.Loops++;
        var read = bindVariable() && ParseLoopBody(body);
        Current.Loops--;
        var nodes = _block;
        _block = outer;
        if (!read)
        {
            return false;
        }

        var values = carried.Select(c => c.Value with { End = _locals[c.Local] }).ToList();
        foreach (var (local, value) in carried)
        {
            _locals[local] = TensorOperand.Named(value.Name, value.Type, active: true);
        }

        _block.Add(new TensorLoop(counter, start, comparison, bound, values.ToEquatableArray(), nodes.ToEquatableArray()) { Step = step });
        return true;
    }

    private static readonly LiteralExpr Zero = new("0", DataType.Int);

    /// <summary>The statements of an arm of a branch, read into a block of their own; null after an error.</summary>
    private List<TensorNode>? Arm(System.Func<bool> read)
    {
        var outer = _block;
        _block = [];
        Current.Arms++;
        var ok = read();
        Current.Arms--;
        var arm = _block;
        _block = outer;
        return ok ? arm : null;
    }
}
