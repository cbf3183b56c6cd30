using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>
/// Turns statement <see cref="IOperation"/>s into <see cref="Stmt"/>s. Lowers <c>switch</c> to if/else chains,
/// compound assignments and ++/-- to plain assignments, and for-loops without a unit step to while-loops.
/// </summary>
internal sealed partial class StatementParser(ParseContext context)
{
    private readonly ExpressionParser _expressions = new(context);
    private readonly ArrayEffects _arrays = new(context);
    private int _loopDepth;

    /// <summary>Statements that go in front of the outermost loop being parsed (arrays its body creates, created once).</summary>
    private List<Stmt>? _beforeLoop;

    private ILoopOperation? _outermostLoop;
    private IBlockOperation? _body;
    private readonly HashSet<ISwitchOperation> _loopingSwitches = [];

    public List<Stmt> ParseBody(IBlockOperation body)
    {
        _expressions.HelperReader = ReadValueHelper;
        _expressions.InLoop = () => _loopDepth > 0;
        _expressions.PartsReader = PartValues;
        _body = body;
        context.CollectLocalFunctions(body);
        var statements = new List<Stmt>();
        ParseInto(body, statements);
        return statements;
    }

    private void ParseInto(IOperation operation, List<Stmt> into)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        switch (operation)
        {
            case IBlockOperation block:
                foreach (var inner in block.Operations)
                {
                    ParseInto(inner, into);
                }

                break;
            case IVariableDeclarationGroupOperation group:
                ParseDeclarations(group, into);
                break;
            case IExpressionStatementOperation statement:
                Add(into, ParseExpressionStatement(statement.Operation, into));
                break;
            case IConditionalOperation conditional:
                Add(into, ParseIf(conditional, into));
                break;
            case IForLoopOperation forLoop:
                Loop(forLoop, into, () => ParseFor(forLoop, into));
                break;
            case IWhileLoopOperation { Condition: not null } whileLoop:
                Loop(whileLoop, into, () => ParseWhile(whileLoop, into));
                break;
            case IForEachLoopOperation forEach:
                Loop(forEach, into, () => ParseForEach(forEach, into));
                break;
            case IBranchOperation { BranchKind: BranchKind.Break } branch when IsSwitchExit(branch):
                context.Unsupported(branch.Syntax, "'break' is only supported as the last statement of a switch section");
                break;
            case IBranchOperation { BranchKind: BranchKind.Break }:
                into.Add(new BreakStmt());
                break;
            case IBranchOperation { BranchKind: BranchKind.Continue }:
                into.Add(new ContinueStmt());
                break;
            case IReturnOperation { ReturnedValue: not null } when _parsingHelper && !IsFinal(operation):
                context.Unsupported(operation.Syntax, "a helper is read in place where it is called, so it may return only as its last statement (use if/else instead)");
                break;
            case IReturnOperation { ReturnedValue: null } when _parsingHelper:
                break;
            case IReturnOperation { ReturnedValue: { Type: { } type } parts } when _parsingHelper && (type.IsTupleType || StructTypes.Fields(type, out _) is not null):
                Results = PartValues(parts, into); // a helper's tuple or struct result, checked here; the caller's local takes it
                break;
            case IReturnOperation { ReturnedValue: not null } ret:
                var value = _expressions.Staging(into, () => _expressions.Parse(ret.ReturnedValue));
                if (value is not null)
                {
                    into.Add(new ReturnStmt(value, Text(ret.Syntax)));
                }

                break;
            case IReturnOperation { ReturnedValue: null } when _parsingHelper && !IsFinal(operation):
                context.Unsupported(operation.Syntax, "a void helper is read in place where it is called, so it may return only as its last statement (use if/else instead)");
                break;
            case ISwitchOperation switchStatement:
                Add(into, ParseSwitch(switchStatement, into));
                break;
            case IEmptyOperation:
            case ILocalFunctionOperation: // read in place where it is called
                break;
            case ILabeledOperation { Operation: { } labeled }:
                ParseInto(labeled, into); // the label is harmless; a goto to it is reported where it stands
                break;
            default:
                context.Unsupported(operation.Syntax, context.CallToGeneratedMember(operation) ?? Describe(operation));
                break;
        }
    }

    /// <summary>
    /// Parses a loop; for the outermost one, what its body creates once for all passes (<see cref="_beforeLoop"/>) goes
    /// in front of it.
    /// </summary>
    private void Loop(ILoopOperation loop, List<Stmt> into, System.Action parse)
    {
        if (_loopDepth > 0)
        {
            parse();
            return;
        }

        var at = into.Count;
        (_beforeLoop, _outermostLoop) = ([], loop);
        parse();
        into.InsertRange(at, _beforeLoop);
        (_beforeLoop, _outermostLoop) = (null, null);
    }

    /// <summary>
    /// <c>double[] v = new double[n];</c> inside a loop, with n the same on every pass: the array is created once, before
    /// the outermost loop, and each pass starts it afresh by zeroing it (a fresh array is all zeros, and a local array is
    /// never seen outside the method, so no one can tell). The backward then finds every pass's values where the element
    /// writes saved them. False (reported) when n can change inside the loop.
    /// </summary>
    private bool CreateOnceBeforeLoop(ILocalSymbol local, NewArrayExpr array, IOperation initializer, bool written, List<Stmt> into, string text)
    {
        var assigned = CountedLoop.AssignedSymbols(_outermostLoop!);
        var length = initializer is IArrayCreationOperation { DimensionSizes.Length: 1 } creation ? creation.DimensionSizes[0] : initializer;
        if (IsReassigned(local) || length.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation { Local: var l } && assigned.Contains(l)
            || o is IParameterReferenceOperation { Parameter: var p } && assigned.Contains(p)))
        {
            context.Unsupported(initializer.Syntax, "an array created inside a loop is created once before it and zeroed on every pass, so its length must be the same on every pass and the local never reassigned; create it before the loop with the largest length");
            return false;
        }

        var name = context.NameOf(local);
        _beforeLoop!.Add(new AssignStmt(new VariableExpr(name, context.TypeOf(local)), array, Declares: true));
        if (!written)
        {
            // Every element of an initializer list is written just after; a new double[n] is zeroed.
            var index = context.NewLocal("i", DataType.Int, isCountedLoopVariable: true);
            var zero = new LiteralExpr(array.ElementType == DataType.Float ? "0f" : "0.0", array.ElementType);
            var clear = new Stmt[] { new AssignStmt(new ElementExpr(name, new VariableExpr(index, DataType.Int), array.ElementType), zero, Declares: false) };
            into.Add(new CountedForStmt(index, new LiteralExpr("0", DataType.Int), BinaryOp.LessThan, new LengthExpr(name), Ascending: true, clear.ToEquatableArray(), text));
        }

        return true;
    }

    /// <summary>
    /// The elements of <c>new double[] { x, y }</c> or <c>stackalloc double[] { x, y }</c> and their type; default for
    /// anything else (<c>new double[n]</c> is zeroed instead).
    /// </summary>
    private static (ImmutableArray<IOperation> Elements, DataType? ElementType) ListedElements(IOperation? initializer) => initializer switch
    {
        IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: { } list, Type: IArrayTypeSymbol { ElementType: var element } }
            when KnownTypes.IsFloating(element) => (list.ElementValues, KnownTypes.Of(element)),
        { Syntax: StackAllocArrayCreationExpressionSyntax { Initializer: not null } or ImplicitStackAllocArrayCreationExpressionSyntax }
            when ExpressionParser.StackAllocated(initializer) is { } element => ([.. initializer.ChildOperations.Skip(1)], element),
        _ => (default, null),
    };

    private static void Add(List<Stmt> into, Stmt? statement)
    {
        if (statement is not null)
        {
            into.Add(statement);
        }
    }

    /// <summary>
    /// <c>ReadOnlySpan&lt;double&gt; row = x.Slice(i * n, n);</c>: row is read as x's elements from <c>rowStart</c>, taken
    /// here (with <c>rowLength</c>) as C# takes a slice's bounds where it is made.
    /// </summary>
    private void ParseWindow(ILocalSymbol local, IVariableDeclaratorOperation declarator, IOperation? initializer, List<Stmt> into)
    {
        var reported = context.Diagnostics.Count;
        if (_expressions.Staging(into, () => _expressions.SequenceOf(initializer)) is not { } window)
        {
            if (initializer is not null && context.Diagnostics.Count == reported)
            {
                context.Unsupported(initializer.Syntax, "a span local is supported as a slice of an array or span held in a parameter, local or field");
            }

            return;
        }

        context.SetWindow(local, Fixed(window, context.NameOf(local), into));
    }

    /// <summary>
    /// A window whose bounds stay as they were here: each bound that is not a constant (or already a kept bound) is
    /// kept in a local of its own (<c>rowStart</c>, <c>rowLength</c>), as C# takes a slice's bounds where it is made.
    /// </summary>
    private Sequence Fixed(Sequence window, string name, List<Stmt> into)
    {
        return window.IsWhole ? window : window with { Start = Kept(window.Start!, "Start"), Length = Kept(window.Length, "Length") };

        Expr Kept(Expr value, string what)
        {
            if (value is LiteralExpr || value is VariableExpr { Name: var kept } && context.KeptBounds.Contains(kept))
            {
                return value;
            }

            var local = context.NewLocal(Identifier.Bare(name) + what, DataType.Int);
            context.KeptBounds.Add(local);
            into.Add(new AssignStmt(new VariableExpr(local, DataType.Int), value, Declares: true));
            return new VariableExpr(local, DataType.Int);
        }
    }

    private void ParseDeclarations(IVariableDeclarationGroupOperation group, List<Stmt> into)
    {
        foreach (var declaration in group.Declarations)
        {
            foreach (var declarator in declaration.Declarators)
            {
                var local = declarator.Symbol;
                if (local.IsConst)
                {
                    continue;
                }

                if (context.IsAlias(local) || context.RejectedStructs.Contains(local))
                {
                    continue; // double[] b = a: b is read and written as a; a struct that cannot be held is reported already
                }

                if (context.PartsOf(local) is { } tupleElements)
                {
                    if ((declarator.Initializer?.Value ?? declaration.Initializer?.Value) is { } tupleValue)
                    {
                        if (tupleElements.Any(ParseContext.IsArrayPart))
                        {
                            DeclareWithArrays(local, tupleElements, tupleValue, into);
                        }
                        else
                        {
                            AssignTuple(tupleElements, tupleElements.Select(_ => true).ToList(), tupleValue, into);
                        }
                    }

                    continue;
                }

                if (context.IsWindow(local))
                {
                    ParseWindow(local, declarator, declarator.Initializer?.Value ?? declaration.Initializer?.Value, into);
                    continue;
                }

                if (context.ElementAliasOf(local) is { } referred)
                {
                    // ref double r = ref a[i]: r is a[rIndex], the index taken here.
                    var index = _expressions.Staging(into, () => _expressions.Parse(referred.Index));
                    if (index is not null)
                    {
                        into.Add(new AssignStmt(new VariableExpr(referred.IndexLocal, DataType.Int), index, Declares: false));
                    }

                    continue;
                }

                if (Lambda(declarator.Initializer?.Value ?? declaration.Initializer?.Value) is { } lambda)
                {
                    if (IsReassigned(local))
                    {
                        context.Unsupported(declarator.Syntax, $"'{local.Name}' holds a lambda that is read in place where it is called, so it must hold the same one all its life; declare another local for the other lambda");
                    }

                    context.AddLambda(local, lambda); // also when reported: its calls and assignments then say nothing more
                    continue;
                }

                // The initializer first: a string operation or a lambda is a better thing to point at than the local's type.
                var initializer = declarator.Initializer?.Value ?? declaration.Initializer?.Value;
                if (context.IsStackArray(local))
                {
                    initializer = KnownTypes.Unwrap(initializer!); // ReadOnlySpan<double> w = stackalloc[] { … }: held as a Span<double>
                }

                var (elements, elementType) = ListedElements(initializer);
                var value = initializer is null ? null
                    : !elements.IsDefault ? new NewArrayExpr(elementType!, new LiteralExpr(elements.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), DataType.Int), OnStack: context.IsStackArray(local))
                    : _expressions.Staging(into, () => _expressions.Parse(initializer));
                if (initializer is not null && value is null)
                {
                    continue;
                }

                if (local.IsRef || !KnownTypes.IsSupportedLocal(local.Type) && !context.IsStackArray(local))
                {
                    context.Unsupported(declarator.Syntax, local.IsRef
                        ? "a ref local is supported as another name for a local or parameter number (ref double r = ref x;) or for an element of an array or span (ref double r = ref a[i];) that it refers to all its life, not for a field, an in parameter or an element counted from the end; use the variable itself"
                        : KnownTypes.SequenceElement(local.Type) is not null ? KnownTypes.SpanLocalAdvice(local.Type)
                        : KnownTypes.IsList(local.Type) ? KnownTypes.ListAdvice
                        : $"locals of type '{local.Type.ToDisplayString()}' are not supported; use double, float, int, bool, arrays of double or float, tuples or structs of numbers");
                    continue;
                }

                if (value is null || initializer is null)
                {
                    continue;
                }

                if (value is NewArrayExpr array && _loopDepth > 0 && _outermostLoop is not null)
                {
                    if (!CreateOnceBeforeLoop(local, array, initializer, written: !elements.IsDefault, into, Text(declarator.Syntax)))
                    {
                        continue;
                    }
                }
                else if (!CheckArrayValue(value, initializer.Syntax))
                {
                    continue;
                }
                else
                {
                    into.Add(new AssignStmt(new VariableExpr(context.NameOf(local), context.TypeOf(local)), value, Declares: true));
                }

                if (!elements.IsDefault)
                {
                    // double[] v = { x, y } is new double[2] and one write per element, each staged like v[i] = e.
                    for (var i = 0; i < elements.Length; i++)
                    {
                        if (_expressions.Staging(into, () => _expressions.Parse(elements[i])) is not { } element)
                        {
                            continue;
                        }

                        var index = new LiteralExpr(i.ToString(System.Globalization.CultureInfo.InvariantCulture), DataType.Int);
                        into.Add(new AssignStmt(new ElementExpr(context.NameOf(local), index, elementType!), element, Declares: false));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Why a call made as a statement cannot be differentiated. A call made for what it does to its arguments or to
    /// state (a void helper that fills an array) cannot be followed; removing it would change what the method computes,
    /// so the message never suggests that. Only a call that passes values and whose result is dropped may be removed.
    /// </summary>
    private static string UnusedCall(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var name = method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
        if (invocation.Instance?.Type is { } receiver && KnownTypes.IsList(receiver))
        {
            return KnownTypes.ListAdvice;
        }

        var throughArguments = method.Parameters.Any(p => p.RefKind != RefKind.None || p.Type is IArrayTypeSymbol || p.Type.Name is "Span" or "Memory");
        if (method.ReturnsVoid || throughArguments)
        {
            return $"'{name}' works through its arguments or on state Backprop cannot see (an array it fills, a ref it sets), so how it changes the gradient cannot be followed: "
                + (method.ReturnsVoid && method.IsStatic && method.DeclaringSyntaxReferences.Length > 0 ? "mark it [Differentiable] (a void [Differentiable] helper is read in place where it is called), or " : string.Empty)
                + "write what it does in this method (a loop over the array), or as a [Differentiable] method that returns the value you need; "
                + "Array.Fill, Array.Clear, Array.Copy and CopyTo into a local array are read as loops";
        }

        return $"the result of '{name}' is not used: if it only computes a value, the call has no effect on the gradient and can go; otherwise use its result";
    }

    private static IAnonymousFunctionOperation? Lambda(IOperation? initializer) => initializer switch
    {
        IConversionOperation { Operand: var operand } => Lambda(operand),
        IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } => lambda,
        _ => null,
    };

    private bool IsReassigned(ILocalSymbol local) =>
        _helperBodies.Prepend(_body).Any(body => body is not null
            && body.Descendants().OfType<IAssignmentOperation>().Any(a => a.Target is ILocalReferenceOperation target && SymbolEqualityComparer.Default.Equals(target.Local, local)));

    private Stmt? ParseExpressionStatement(IOperation operation, List<Stmt> into)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var local } } when context.HoldsLambda(local):
                return null; // reported at the local's declaration
            case ISimpleAssignmentOperation assignment when assignment.Target is not ITupleOperation && _expressions.PartsOf(assignment.Target) is { } elements:
                AssignTuple(elements, elements.Select(_ => false).ToList(), assignment.Value, into);
                return null;
            case IDeconstructionAssignmentOperation deconstruction:
                ParseDeconstruction(deconstruction, into);
                return null;
            case ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation:
            {
                var assignment = _expressions.Staging(into, () => _expressions.Assignment(operation));
                if (assignment is not null && assignment.Value == assignment.Target)
                {
                    return null; // x = x = e: the inner assignment, staged already, is all there is (fuzz seed 82: CS1717 otherwise)
                }

                return assignment is null || !CheckArrayValue(assignment.Value, (operation as ISimpleAssignmentOperation)?.Value.Syntax ?? operation.Syntax)
                    ? null
                    : assignment;
            }

            case IInvocationOperation invocation when IsHelperCall(invocation):
                ParseHelperCall(CallSite.Of(invocation), into, keepValue: false, out _, out _);
                return null;
            case IInvocationOperation invocation when context.InlinedBody(invocation) is not null:
                // A local function or lambda called for what it assigns (Add(v) with total += v): its effects are staged, its value unused.
                _expressions.Staging(into, () => _expressions.Parse(invocation));
                return null;
            case IInvocationOperation invocation when _arrays.TryLower(invocation, into, _expressions):
                return null;
            case IInvocationOperation invocation:
                context.Unsupported(invocation.Syntax, UnusedCall(invocation));
                return null;
            default:
                context.Unsupported(operation.Syntax, context.CallToGeneratedMember(operation) ?? Describe(operation));
                return null;
        }
    }

    /// <summary>A local array is only ever assigned a fresh 'new double[n]', outside loops, so it never aliases another.</summary>
    private bool CheckArrayValue(Expr value, SyntaxNode syntax)
    {
        if (value.Type.Kind != DataKind.Array)
        {
            return true;
        }

        if (value is not NewArrayExpr)
        {
            context.Unsupported(syntax, "a local array can only be assigned a new array ('new double[n]', or '{ x, y }' where it is declared)");
            return false;
        }

        if (_loopDepth > 0)
        {
            context.Unsupported(syntax, "an array created inside a loop must be declared there ('double[] v = new double[n];'): assigning a new array to a local inside a loop is not supported; create it before the loop and reuse it");
            return false;
        }

        return true;
    }

    private IfStmt? ParseIf(IConditionalOperation conditional, List<Stmt> into)
    {
        var condition = _expressions.Staging(into, () => _expressions.Parse(conditional.Condition));
        var then = ParseNested(conditional.WhenTrue);
        var otherwise = conditional.WhenFalse is null ? [] : ParseNested(conditional.WhenFalse);
        return condition is null ? null : new IfStmt(condition, then.ToEquatableArray(), otherwise.ToEquatableArray(), "if (" + Text(conditional.Condition.Syntax) + ")");
    }

    private List<Stmt> ParseNested(IOperation operation)
    {
        var statements = new List<Stmt>();
        ParseInto(operation, statements);
        return statements;
    }

    private List<Stmt> ParseLoopBody(IOperation body)
    {
        _loopDepth++;
        var statements = ParseNested(body);
        _loopDepth--;
        return statements;
    }

    private void ParseWhile(IWhileLoopOperation loop, List<Stmt> into)
    {
        var effects = new List<Stmt>();
        var condition = _expressions.Staging(effects, () => _expressions.Parse(loop.Condition!));
        var body = ParseLoopBody(loop.Body);
        var text = loop.ConditionIsTop ? "while (" + Text(loop.Condition!.Syntax) + ")" : "do ... while (" + Text(loop.Condition!.Syntax) + ")";
        if (condition is null)
        {
            return;
        }

        if (effects.Count == 0)
        {
            into.Add(new WhileStmt(condition, body.ToEquatableArray(), !loop.ConditionIsTop, text));
            return;
        }

        // The condition assigns (while ((r -= step) > 0)): its effects run before every test, so the test moves into the
        // body, after them: while (true) { r -= step; if (!(r > 0)) break; body }. In a do-loop they follow the body,
        // where a 'continue' would skip them.
        if (!loop.ConditionIsTop)
        {
            foreach (var continueBranch in ContinuesOf(loop))
            {
                context.Unsupported(continueBranch.Syntax, "'continue' is not supported in a do-loop whose condition assigns; do the assignment in the body, before the condition");
            }
        }

        var test = effects.Concat([Exit(condition, text)]);
        var lowered = loop.ConditionIsTop ? test.Concat(body) : body.Concat(test);
        into.Add(new WhileStmt(new LiteralExpr("true", DataType.Bool), lowered.ToEquatableArray(), IsDo: false, text));
    }

    /// <summary><c>if (!(condition)) break;</c>: a loop's test at the place it runs.</summary>
    private static IfStmt Exit(Expr condition, string text) =>
        new(new UnaryExpr(UnaryOp.Not, condition, DataType.Bool), new Stmt[] { new BreakStmt() }.ToEquatableArray(), EquatableArray<Stmt>.Empty, text);

    private static IEnumerable<IBranchOperation> ContinuesOf(ILoopOperation loop) =>
        loop.Body.DescendantsAndSelf().OfType<IBranchOperation>().Where(b => SymbolEqualityComparer.Default.Equals(b.Target, loop.ContinueLabel));

    /// <summary>
    /// <c>foreach (var v in x)</c> over an array or span of double or float is the counted loop
    /// <c>for (int vIndex = 0; vIndex &lt; x.Length; vIndex++) { var v = x[vIndex]; … }</c>.
    /// </summary>
    private void ParseForEach(IForEachLoopOperation loop, List<Stmt> into)
    {
        var collection = loop.Collection is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : loop.Collection;
        var header = loop.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.ForEachStatementSyntax statement
            ? $"foreach ({statement.Type} {statement.Identifier.Text} in {Text(statement.Expression)})"
            : "foreach";
        var owner = _expressions.Staging(into, () => _expressions.SequenceOf(collection));
        owner = owner is null ? null : Fixed(owner, loop.LoopControlVariable is IVariableDeclaratorOperation { Symbol: var named } ? named.Name : "values", into);
        var element = owner is null ? null : KnownTypes.SequenceElement(collection.Type!);
        if (owner is null || element is null || loop.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: var variable })
        {
            context.Unsupported(loop.Syntax, "foreach is supported over arrays and spans of double or float held in a parameter, local or field (one loop variable); take the values as an array or span, or use a for loop over the indices");
            return;
        }

        if (KnownTypes.Keyword(variable.Type) != element)
        {
            context.Unsupported(loop.Syntax, $"the loop variable must have the element type '{element}' (write 'var' or '{element}')");
            return;
        }

        var index = context.NewLocal(Identifier.Bare(context.NameOf(variable)) + "Index", DataType.Int, isCountedLoopVariable: true);
        var body = new List<Stmt>
        {
            new AssignStmt(new VariableExpr(context.NameOf(variable), element), owner.Element(new VariableExpr(index, DataType.Int), element), Declares: true),
        };
        body.AddRange(ParseLoopBody(loop.Body));
        into.Add(new CountedForStmt(index, new LiteralExpr("0", DataType.Int), BinaryOp.LessThan, owner.Length, Ascending: true, body.ToEquatableArray(), header));
    }

    private void ParseFor(IForLoopOperation loop, List<Stmt> into)
    {
        var header = "for (" + string.Join("; ", loop.Before.Select(b => Text(b.Syntax))) + "; "
            + (loop.Condition is null ? string.Empty : Text(loop.Condition.Syntax)) + "; "
            + string.Join(", ", loop.AtLoopBottom.Select(b => Text(b.Syntax))) + ")";

        if (CountedLoop.Match(loop) is { } counted)
        {
            var start = _expressions.Parse(counted.Start);
            var bound = _expressions.Parse(counted.Bound);
            var body = ParseLoopBody(loop.Body);
            if (start is not null && bound is not null)
            {
                into.Add(new CountedForStmt(context.NameOf(counted.Variable), start, counted.Comparison, bound, counted.Ascending, body.ToEquatableArray(), header));
            }

            return;
        }

        // A general for-loop is 'before; while (condition) { body; atLoopBottom }'; a 'continue' would skip the step.
        foreach (var continueBranch in ContinuesOf(loop))
        {
            context.Unsupported(continueBranch.Syntax, "'continue' is only supported in for-loops that count by one ('i++' or 'i--'), and in while-loops");
        }

        foreach (var before in loop.Before)
        {
            ParseInto(before, into);
        }

        var effects = new List<Stmt>();
        var condition = loop.Condition is null ? new LiteralExpr("true", DataType.Bool) : _expressions.Staging(effects, () => _expressions.Parse(loop.Condition));
        var lowered = ParseLoopBody(loop.Body);
        if (effects.Count > 0 && condition is not null)
        {
            // As for while-loops: the condition's effects and its test run at the top of every pass.
            lowered.InsertRange(0, effects.Concat([Exit(condition, header)]));
            condition = new LiteralExpr("true", DataType.Bool);
        }

        _loopDepth++;
        foreach (var step in loop.AtLoopBottom)
        {
            ParseInto(step, lowered);
        }

        _loopDepth--;
        if (condition is not null)
        {
            into.Add(new WhileStmt(condition, lowered.ToEquatableArray(), IsDo: false, header));
        }
    }

    private Stmt? ParseSwitch(ISwitchOperation switchStatement, List<Stmt> into)
    {
        var value = _expressions.Staging(into, () => _expressions.Parse(switchStatement.Value));
        if (value is null)
        {
            return null;
        }

        Stmt? evaluate = null;
        if (!IsPlain(value))
        {
            // Evaluate a computed switch value once, into a local of its own, as the switch itself does.
            var local = context.NewLocal("switchValue", value.Type);
            evaluate = new AssignStmt(new VariableExpr(local, value.Type), value, Declares: true);
            value = new VariableExpr(local, value.Type);
        }

        context.SwitchExits.Add(switchStatement.ExitLabel);
        var sections = new List<(Expr? Test, List<Stmt> Body)>();
        foreach (var section in switchStatement.Cases)
        {
            Expr? test = null;
            foreach (var clause in section.Clauses)
            {
                Expr? clauseTest;
                switch (clause)
                {
                    case IDefaultCaseClauseOperation:
                        clauseTest = null;
                        break;
                    case ISingleValueCaseClauseOperation single:
                        clauseTest = Equal(value, single.Value);
                        break;
                    case IPatternCaseClauseOperation { Guard: null, Pattern: IConstantPatternOperation constant }:
                        clauseTest = Equal(value, constant.Value);
                        break;
                    default:
                        context.Unsupported(clause.Syntax, "only constant case labels and 'default' are supported");
                        continue;
                }

                if (clauseTest is null)
                {
                    test = null;
                    break;
                }

                test = test is null ? clauseTest : new BinaryExpr(BinaryOp.ConditionalOr, test, clauseTest, DataType.Bool);
            }

            var body = new List<Stmt>();
            ParseSection(switchStatement, section, body, []);
            sections.Add((section.Clauses.Any(c => c is IDefaultCaseClauseOperation) ? null : test, body));
        }

        context.SwitchExits.RemoveAt(context.SwitchExits.Count - 1);

        // The default section, wherever it stands, becomes the final else.
        var defaultBody = sections.FirstOrDefault(s => s.Test is null).Body ?? [];
        Stmt? chain = null;
        var elseBody = defaultBody;
        foreach (var (test, body) in sections.Where(s => s.Test is not null).Reverse())
        {
            chain = new IfStmt(test!, body.ToEquatableArray(), elseBody.ToEquatableArray(), "case " + Text(switchStatement.Value.Syntax));
            elseBody = [chain];
        }

        chain ??= defaultBody.Count == 0 ? null : new IfStmt(new LiteralExpr("true", DataType.Bool), defaultBody.ToEquatableArray(), EquatableArray<Stmt>.Empty, "switch default");
        if (evaluate is not null)
        {
            into.Add(evaluate);
        }

        return chain;

        Expr? Equal(Expr left, IOperation right) =>
            _expressions.Parse(right) is { } parsed ? new BinaryExpr(BinaryOp.Equal, left, parsed, DataType.Bool) : null;
    }

    /// <summary>
    /// The statements of one switch section, without its final <c>break</c>. A final <c>goto case c;</c> or
    /// <c>goto default;</c> (C#'s fall-through) continues with the statements of that section, read again in place.
    /// </summary>
    private void ParseSection(ISwitchOperation switchStatement, ISwitchCaseOperation section, List<Stmt> into, HashSet<ISwitchCaseOperation> visited)
    {
        visited.Add(section);
        var operations = section.Body;
        var count = operations.Length;
        var last = count > 0 ? operations[count - 1] : null;
        if (last is IBranchOperation { BranchKind: BranchKind.Break } exit && IsSwitchExit(exit)
            || last is IBranchOperation { BranchKind: BranchKind.GoTo })
        {
            count--;
        }

        for (var i = 0; i < count; i++)
        {
            ParseInto(operations[i], into);
        }

        if (last is IBranchOperation { BranchKind: BranchKind.GoTo } jump)
        {
            var target = switchStatement.Cases.FirstOrDefault(c => c.Clauses.Any(clause => SymbolEqualityComparer.Default.Equals(clause.Label, jump.Target)));
            if (target is null)
            {
                context.Unsupported(jump.Syntax, "goto is only supported as 'goto case' or 'goto default' at the end of a switch section");
            }
            else if (visited.Contains(target))
            {
                // Once per switch: entering the loop at each of its sections finds the same loop.
                if (_loopingSwitches.Add(switchStatement))
                {
                    context.Unsupported(jump.Syntax, "this 'goto case' leads back to a section already run: a loop through switch sections is not supported; write the loop as a while-loop");
                }
            }
            else
            {
                ParseSection(switchStatement, target, into, visited);
            }
        }

        visited.Remove(section);
    }

    private static bool IsPlain(Expr value) => value is VariableExpr or LiteralExpr or OpaqueExpr;

    private bool IsSwitchExit(IBranchOperation branch) =>
        context.SwitchExits.Any(exit => SymbolEqualityComparer.Default.Equals(exit, branch.Target));

    public static string Text(SyntaxNode node) =>
        string.Join(" ", node.ToString().Split((char[]?)null, System.StringSplitOptions.RemoveEmptyEntries));

    private static string Describe(IOperation operation) => operation switch
    {
        ITryOperation => "try/catch/finally is not supported",
        IBranchOperation => "goto is not supported (only 'goto case' and 'goto default' as the last statement of a switch section)",
        ILockOperation => "lock is not supported",
        IUsingOperation or IUsingDeclarationOperation => "using is not supported",
        IThrowOperation => "throw is not supported",
        IReturnOperation => "a [Differentiable] method must return a value",
        IDeconstructionAssignmentOperation => ExpressionParser.TupleAdvice,
        IInvalidOperation => "the compiler cannot resolve it (see its error)",
        _ => "this kind of statement is not supported",
    };
}
