using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>
/// Reads a [Differentiable] body over runtime tensors into straight-line steps: every call to a function with a
/// derivative rule (the runtime's <c>Nn</c> operations and <c>Tensor</c> operators, or the user's own), and scalar
/// arithmetic on their float results, becomes one step assigned to a fresh name; reassigning a local makes a new version.
/// A call of another [Differentiable] tensor method (a layer, a block, the model's forward pass) is read in place: its
/// steps join the caller's, with its parameters bound to the arguments, so the composed model differentiates as if it
/// were written out in one method (and runs as fast).
/// </summary>
/// <remarks>
/// Reading a callee declared in another file is safe for incremental generation: the semantic step of every
/// [Differentiable] method re-runs on each compilation change, and only its (equatable) result decides whether
/// Differentiate runs again, so editing a layer re-differentiates exactly the methods that call it.
/// </remarks>
internal sealed partial class TensorParser
{
    private readonly ParseContext _context;
    /// <summary>The nodes being read into: the method's, or an arm of a branch.</summary>
    private List<TensorNode> _block = [];

    /// <summary>Locals of the method whose own name a value has taken.</summary>
    private readonly HashSet<ISymbol> _named = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// The value each variable holds now: the locals, and the parameters the body assigns (<c>x = Relu(x)</c>), which take
    /// a new version (<c>x2</c>) as locals do.
    /// </summary>
    private readonly Dictionary<ISymbol, TensorOperand> _locals = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> _taken;
    private readonly List<TensorField> _fields = [];
    private readonly Compilation _compilation;

    /// <summary>The method being read and the methods being read in place inside it, innermost last.</summary>
    private readonly List<Frame> _frames = [];

    public TensorParser(ParseContext context, IEnumerable<string> parameterNames, Compilation compilation)
    {
        _context = context;
        _compilation = compilation;
        _taken = new HashSet<string>(context.Identifiers.Concat(parameterNames));
    }

    private Frame Current => _frames[_frames.Count - 1];

    /// <summary>The method uses tensor code: it returns a Tensor, takes one, or reads a Tensor field of this object.</summary>
    public static bool Applies(IMethodSymbol method, IOperation? body) =>
        KnownTypes.IsTensor(method.ReturnType)
        || method.Parameters.Any(p => KnownTypes.IsTensor(p.Type) || IsTensorArray(p.Type))
        || body is not null && body.Descendants().Any(o => o is IFieldReferenceOperation { Instance: IInstanceReferenceOperation } f && (KnownTypes.IsTensor(f.Type) || IsTensorArray(f.Type!))
            || o is IInvocationOperation i && i.Arguments.Any(a => KnownTypes.IsTensor(a.Value.Type)));

    public TensorProgram? Parse(IBlockOperation body, IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters.Where(p => KnownTypes.SequenceElement(p.Type) is not null && !KnownTypes.HasAttribute(p, KnownTypes.NoDiffAttribute)))
        {
            if (parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is { } node)
            {
                _context.Report(DiagnosticDescriptors.UnsupportedParameter, node, parameter.Name, "tensor code takes its arrays as Tensor (Tensor.FromArray wraps one without copying)");
            }
        }

        if (_context.HasErrors)
        {
            return null;
        }

        var top = new Frame(method, null);
        foreach (var parameter in method.Parameters.Where(p => IsTensorArray(p.Type)))
        {
            top.Elements[parameter] = new ElementReader(new VariableExpr(Identifier.Escape(parameter.Name), KnownTypes.Of(parameter.Type)), at => ParameterElement(parameter, at));
        }

        _frames.Add(top);
        var result = ParseBody(body);
        if (result is null)
        {
            return null;
        }

        var modelFields = method.IsStatic ? [] : ModelFields(method.ContainingType).ToList();
        return new TensorProgram(_block.ToEquatableArray(), result, _fields.ToEquatableArray(), modelFields.ToEquatableArray());
    }

    /// <summary>The statements of the current frame's body up to its return; the value returned, or null after an error.</summary>
    private TensorOperand? ParseBody(IBlockOperation body)
    {
        BindAssignedParameters(body);
        foreach (var statement in body.Operations)
        {
            if (Current.Result is not null)
            {
                _context.Unsupported(statement.Syntax, "tensor code ends at its return");
                return null;
            }

            if (!ParseStatement(statement))
            {
                return null;
            }
        }

        if (Current.Result is null)
        {
            _context.Unsupported(body.Syntax, "tensor code must end in a return of its result");
        }

        return Current.Result;
    }

    /// <summary>
    /// The fields of a model type that hold its parameters, in declaration order: instance Tensor fields and sub-modules
    /// (fields whose type is itself a model), except those marked [NoDiff].
    /// </summary>
    public static IEnumerable<ModelField> ModelFields(INamedTypeSymbol type) => ModelFields(type, []);

    /// <summary>
    /// A sub-module type: a class with parameters of its own and an instance [Differentiable] method, so that the
    /// generator writes its <c>Parameters</c> and its <c>d</c>+field gradients.
    /// </summary>
    public static bool IsModule(ITypeSymbol type) => IsModule(type, []);

    private static IEnumerable<ModelField> ModelFields(INamedTypeSymbol type, HashSet<ITypeSymbol> visiting) => type.GetMembers().OfType<IFieldSymbol>()
        .Where(f => !f.IsStatic && !f.IsImplicitlyDeclared && !KnownTypes.HasAttribute(f, KnownTypes.NoDiffAttribute))
        .Where(f => KnownTypes.IsTensor(f.Type) || IsTensorArray(f.Type) || IsModule(f.Type, visiting) || f.Type is IArrayTypeSymbol { Rank: 1 } modules && IsModule(modules.ElementType, visiting))
        .Select(f => new ModelField(Identifier.Escape(f.Name), IsModule: !KnownTypes.IsTensor(f.Type) && !IsTensorArray(f.Type), IsArray: f.Type is IArrayTypeSymbol));

    private static bool IsTensorArray(ITypeSymbol type) => type is IArrayTypeSymbol { Rank: 1 } array && KnownTypes.IsTensor(array.ElementType);

    private static bool IsModule(ITypeSymbol type, HashSet<ITypeSymbol> visiting)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class } named || !visiting.Add(named.OriginalDefinition))
        {
            return false; // a model that contains itself is not a tree of parameters
        }

        var result = named.DeclaringSyntaxReferences.Length > 0
            && named.GetMembers().OfType<IMethodSymbol>().Any(m => !m.IsStatic && KnownTypes.HasAttribute(m, KnownTypes.DifferentiableAttribute))
            && ModelFields(named, visiting).Any();
        visiting.Remove(named.OriginalDefinition);
        return result;
    }

    private bool ParseStatement(IOperation statement)
    {
        switch (statement)
        {
            case IVariableDeclarationGroupOperation group:
                foreach (var declarator in group.Declarations.SelectMany(d => d.Declarators))
                {
                    if (declarator.GetVariableInitializer() is not { } initializer)
                    {
                        _context.Unsupported(declarator.Syntax, "give each local of tensor code its value where it is declared");
                        return false;
                    }

                    if (IsModule(declarator.Symbol.Type))
                    {
                        // var block = Blocks[i]; — another name for a sub-module, whose calls are read in place as the field's.
                        if (ReceiverOf(KnownTypes.Unwrap(initializer.Value)) is not { } module)
                        {
                            _context.Unsupported(initializer.Value.Syntax, $"a local of the model type '{declarator.Symbol.Type.Name}' names one of the model's sub-modules (a field, an element of an array field): the parameters of any other object are not the model's, and their gradients would go nowhere");
                            return false;
                        }

                        _modules[declarator.Symbol] = module;
                        continue;
                    }

                    if (ParseValue(initializer.Value) is not { } value)
                    {
                        return false;
                    }

                    Bind(declarator.Symbol, value);
                }

                return true;
            case IExpressionStatementOperation { Operation: IAssignmentOperation { Target: var target } } when Variable(target) is { } model && IsModule(TypeOfVariable(model)):
                _context.Unsupported(statement.Syntax, $"'{model.Name}' names a model: tensor code does not assign it again (each name stands for one sub-module or model, where its calls' gradients go)");
                return false;
            case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: var target } assignment } when Variable(target) is { } variable:
                if (ParseValue(assignment.Value) is not { } assigned)
                {
                    return false;
                }

                Bind(variable, assigned);
                return true;
            case IExpressionStatementOperation { Operation: ICompoundAssignmentOperation { Target: var target } compound } when Variable(target) is { } variable:
                if (ParseBinary(compound, compound.OperatorKind, compound.OperatorMethod, compound.Target, compound.Value) is not { } combined)
                {
                    return false;
                }

                Bind(variable, combined);
                return true;
            case IReturnOperation when Current.Arms > 0 || Current.Loops > 0:
                _context.Unsupported(statement.Syntax, "tensor code returns once, at its end: assign a local in the branches or the loop and return it after them");
                return false;
            case IReturnOperation { ReturnedValue: { } returned }:
                // The method's own result is "result"; an inlined method's takes its name (Scores(x) → scores), or on a
                // sub-module the module's (Input.Forward(x) → input).
                // (A model passed as a parameter, net.Forward(x), names its result by the method: net is the parameter's name.)
                var resultName = _frames.Count == 1 ? "result"
                    : Current.Self.Value is not VariableExpr && Current.Self.Path.Count > _frames[_frames.Count - 2].Self.Path.Count ? Camel(Current.Self.ElementOf ?? Current.Self.Path[Current.Self.Path.Count - 1])
                    : Camel(Current.Method.Name);
                Current.Result = ParseValue(returned) is { } returnedValue ? Rename(returnedValue, () => Fresh(resultName)) : null;
                return Current.Result is not null;
            case IConditionalOperation branch:
                return ParseIf(branch);
            case IForLoopOperation loop:
                return ParseFor(loop);
            case IForEachLoopOperation forEach:
                return ParseForEach(forEach);
            case IBlockOperation block:
                return block.Operations.All(ParseStatement);
            case IBranchOperation { BranchKind: BranchKind.Continue or BranchKind.Break }:
                _context.Unsupported(statement.Syntax, "a loop of tensor code skips the rest of an iteration with if (condition) continue; directly in its body; break, and continue anywhere else, are not supported");
                return false;
            default:
                _context.Unsupported(statement.Syntax, "tensor code is local declarations, assignments, if/else on values that take no gradient, counted for loops, and one return at its end");
                return false;
        }
    }

    /// <summary>
    /// Names a local's new value: the first takes the user's name, later ones are new versions (loss2, h1_2); a local of
    /// an inlined method takes its name unless the caller uses it (h → h2).
    /// </summary>
    private void Bind(ISymbol local, TensorOperand value) =>
        _locals[local] = Rename(value, () => _locals.ContainsKey(local) ? Fresh(local.Name) : OwnName(local));

    /// <summary>
    /// The local's own name the first time it names a value of the method itself (h), a new version after that (h2); a
    /// parameter's name stays the parameter's, so its new values are new versions from the first (x → x2).
    /// </summary>
    private string OwnName(ISymbol local) => local is ILocalSymbol && _frames.Count == 1 && _named.Add(local) ? Identifier.Escape(local.Name) : Fresh(local.Name);

    private static ITypeSymbol TypeOfVariable(ISymbol variable) => variable is ILocalSymbol local ? local.Type : ((IParameterSymbol)variable).Type;

    /// <summary>The local, or the by-value parameter, an assignment writes; null for anything else (a field, an element).</summary>
    private static ISymbol? Variable(IOperation target) => target switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation { Parameter.RefKind: RefKind.None } parameter => parameter.Parameter,
        _ => null,
    };

    /// <summary>
    /// Parameters of the current frame that its body assigns start as variables holding their values (the argument, for a
    /// method read in place), so that assignments, branches and loops give them new versions as they do locals.
    /// </summary>
    private void BindAssignedParameters(IBlockOperation body)
    {
        var assigned = CountedLoop.AssignedSymbols(body);
        foreach (var parameter in Current.Method.Parameters.Where(assigned.Contains))
        {
            _locals.Remove(parameter);
            if (Current.Arguments?.TryGetValue(parameter, out var argument) == true)
            {
                _locals[parameter] = argument;
            }
            else
            {
                _locals[parameter] = TensorOperand.Named(Identifier.Escape(parameter.Name), KnownTypes.Of(parameter.Type), ParameterDescriber.Describe(parameter, out _).HasGradient);
            }
        }
    }

    /// <summary>When <paramref name="value"/> is the temporary the last step just made, that step takes the name instead.</summary>
    private TensorOperand Rename(TensorOperand value, System.Func<string> name)
    {
        if (_block.Count == 0 || _locals.Values.Contains(value))
        {
            return value;
        }

        switch (_block[_block.Count - 1])
        {
            case TensorStep last when last.Target == value.Name:
                _taken.Remove(Identifier.Bare(last.Target));
                var chosen = name();
                _block[_block.Count - 1] = last with { Target = chosen };
                return value with { Value = TensorOperand.Variable(chosen, value.Type) };
            case TensorBranch branch when branch.Merges.Count == 1 && branch.Merges[0].Target == value.Name:
                _taken.Remove(Identifier.Bare(branch.Merges[0].Target));
                var merged = name();
                _block[_block.Count - 1] = branch with { Merges = new[] { branch.Merges[0] with { Target = merged } }.ToEquatableArray() };
                return value with { Value = TensorOperand.Variable(merged, value.Type) };
            default:
                return value;
        }
    }

    private TensorOperand? ParseValue(IOperation operation)
    {
        if (operation.ConstantValue.HasValue && operation.Type is { } constantType)
        {
            var constant = KnownTypes.Of(constantType);
            return new TensorOperand(new LiteralExpr(Literals.Format(operation.ConstantValue.Value), constant), constant, Active: false);
        }

        switch (operation)
        {
            case IConversionOperation conversion when conversion.OperatorMethod is not null
                || conversion.IsImplicit && (!KnownTypes.IsFloating(conversion.Type) || SymbolEqualityComparer.Default.Equals(conversion.Type, conversion.Operand.Type)):
                // int[] → ReadOnlySpan<int> and other implicit conversions that are not numeric: the callee sees the same value.
                return ParseValue(conversion.Operand);
            case IConversionOperation conversion:
                return Inactive(conversion, conversion.Operand, operand => new CastExpr(operand, KnownTypes.Of(conversion.Type!), IsImplicit: false), "conversion");
            case IParameterReferenceOperation parameter when _locals.TryGetValue(parameter.Parameter, out var current):
                return current;
            case IParameterReferenceOperation parameter when Current.Arguments?.TryGetValue(parameter.Parameter, out var argument) == true:
                return argument;
            case IParameterReferenceOperation parameter:
                var describe = ParameterDescriber.Describe(parameter.Parameter, out _);
                return TensorOperand.Named(Identifier.Escape(parameter.Parameter.Name), KnownTypes.Of(parameter.Type!), describe.HasGradient);
            case ILocalReferenceOperation local when _locals.TryGetValue(local.Local, out var bound):
                return bound;
            case IFieldReferenceOperation { Field.IsStatic: false } field when ReceiverOf(field.Instance) is { } holder:
                return ReadField(field.Field, holder);
            case IFieldReferenceOperation { Field.IsStatic: true } field:
                var staticType = KnownTypes.Of(field.Type!);
                return new TensorOperand(new OpaqueExpr(KnownTypes.Qualified(field.Field.ContainingType) + "." + Identifier.Escape(field.Field.Name), staticType), staticType, Active: false);
            case IPropertyReferenceOperation { Instance: { } instance, Arguments.Length: 0 } property
                when !KnownTypes.IsTensor(property.Type) && !KnownTypes.IsFloating(property.Type):
                // X.Rows, labels.Length: integers, no gradient.
                var propertyType = KnownTypes.Of(property.Type!);
                return ParseValue(instance) is { } owner ? new TensorOperand(new MemberExpr(owner.Value, Identifier.Escape(property.Property.Name), propertyType), propertyType, Active: false) : null;
            case IInvocationOperation invocation:
                return ParseCall(invocation);
            case IBinaryOperation binary:
                return ParseBinary(binary, binary.OperatorKind, binary.OperatorMethod, binary.LeftOperand, binary.RightOperand);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus, OperatorMethod: null } negation when KnownTypes.IsFloating(negation.Type):
                if (ParseValue(negation.Operand) is not { } operand)
                {
                    return null;
                }

                var negated = new UnaryExpr(UnaryOp.Negate, operand.Value, KnownTypes.Of(negation.Type!));
                return operand.Active
                    ? Step(TensorStepKind.Arithmetic, "negation", KnownTypes.Of(negation.Type!), negated, string.Empty, null, [new TensorArgument(operand, AdjointSlot.Scalar)], active: true, BinaryOp.Subtract)
                    : new TensorOperand(negated, operand.Type, Active: false);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Plus } plus:
                return ParseValue(plus.Operand);
            case IConditionalOperation { WhenFalse: { } whenFalse } choice:
                return ParseChoice(choice, whenFalse);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null } not:
                return ParseValue(not.Operand) is { } condition ? new TensorOperand(new UnaryExpr(UnaryOp.Not, condition.Value, condition.Type), condition.Type, Active: false) : null;
            case IArrayElementReferenceOperation { ArrayReference: IFieldReferenceOperation { Field.IsStatic: false } array, Indices.Length: 1 } element
                when IsTensorArray(array.Type!) && ReceiverOf(array.Instance) is { } arrayHolder:
                return ParseValue(element.Indices[0]) is { } at ? ReadElement(array.Field, arrayHolder, at) : null;
            case IArrayElementReferenceOperation { ArrayReference: IParameterReferenceOperation array, Indices.Length: 1 } element
                when Current.Elements.TryGetValue(array.Parameter, out var reader):
                return ParseValue(element.Indices[0]) is { } position ? reader.Read(position) : null;
            case IArrayElementReferenceOperation:
                _context.Unsupported(operation.Syntax, "tensor code reads arrays only as Tensor[] fields of the model or Tensor[] parameters of the method itself (W[i]): hold other tensors in fields or parameters of their own");
                return null;
            default:
                _context.Unsupported(operation.Syntax, "tensor code can call functions with a derivative rule (Backprop.Nn, Tensor operators, [DerivativeRule] methods) and do float arithmetic on their results");
                return null;
        }
    }

    /// <summary>
    /// A field of the object the current frame runs on (this model, or a sub-module of it): a trainable tensor unless it
    /// or the sub-module holding it is [NoDiff]; its gradient is the d+field property of the object that declares it.
    /// </summary>
    private TensorOperand ReadField(IFieldSymbol field, Receiver owner)
    {
        var type = KnownTypes.Of(field.Type);
        var value = FieldOf(field, owner);
        var trainable = KnownTypes.IsTensor(field.Type) && !owner.Frozen && !KnownTypes.HasAttribute(field, KnownTypes.NoDiffAttribute);
        if (trainable && !_fields.Any(f => f.Value.Equals(value)) && owner.Elements is { } elements)
        {
            // A sub-module reached through an array element (Blocks[i].W): its gradient is read where it is used.
            _fields.Add(new TensorField(string.Join(".", owner.Path.Append(Identifier.Bare(field.Name))), value, GradientName: null, GradientOf(field, owner)) { EveryElementOf = elements });
        }
        else if (trainable && !_fields.Any(f => f.Value.Equals(value)))
        {
            _fields.Add(NewField(field, owner, value, isArray: false));
        }

        return new TensorOperand(value, type, trainable);
    }

    /// <summary>
    /// A trainable field read as <paramref name="value"/>: named for comments by its path (<c>W1</c>, <c>Input.W</c>), its
    /// gradient held in a local (<c>dW1</c>, <c>dInput_W</c>) taken from the d+field property of the object that declares it.
    /// </summary>
    private TensorField NewField(IFieldSymbol field, Receiver owner, Expr value, bool isArray)
    {
        var fieldName = Identifier.Escape(field.Name);
        var (name, gradient) = owner.Path.Count == 0
            ? (fieldName, Identifier.Prefixed("d", fieldName))
            : (string.Join(".", owner.Path.Append(Identifier.Bare(field.Name))), Fresh("d" + string.Join("_", owner.Path.Append(Identifier.Bare(field.Name)))));
        return new TensorField(name, value, gradient, GradientOf(field, owner), isArray);
    }

    /// <summary>How the generated code reads a field of <paramref name="owner"/>: <c>this.W1</c>, <c>this.Input.W</c> (<c>!</c> when declared nullable).</summary>
    private static MemberExpr FieldOf(IFieldSymbol field, Receiver owner) =>
        new(owner.Value, Identifier.Escape(field.Name), KnownTypes.Of(field.Type), Forgiving(field));

    /// <summary>The generated property that holds a field's gradient: <c>this.dW1</c>, <c>this.Input.dW</c>.</summary>
    private static MemberExpr GradientOf(IFieldSymbol field, Receiver owner) =>
        new(owner.Value, Identifier.Prefixed("d", field.Name), KnownTypes.Of(field.Type));

    /// <summary>
    /// An element of a <c>Tensor[]</c> field (<c>W[i]</c>): every element is a parameter of the model, and the element's
    /// gradient is the same element of the field's d+field array.
    /// </summary>
    /// <remarks>
    /// For a sub-module held in an array (<c>this.Stages[i].Ws[j]</c>), the element's gradient is read where it is used
    /// (<c>this.Stages[i].dWs[j]</c>), and every element's is cleared.
    /// </remarks>
    private TensorOperand ReadElement(IFieldSymbol field, Receiver owner, TensorOperand at)
    {
        var array = FieldOf(field, owner);
        var trainable = !owner.Frozen && !KnownTypes.HasAttribute(field, KnownTypes.NoDiffAttribute);
        if (trainable && !_fields.Any(f => f.Value.Equals(array)))
        {
            _fields.Add(owner.Elements is { } elements
                ? new TensorField(string.Join(".", owner.Path.Append(Identifier.Bare(field.Name))), array, GradientName: null, GradientOf(field, owner), IsArray: true) { EveryElementOf = elements }
                : NewField(field, owner, array, isArray: true));
        }

        return new TensorOperand(new IndexerExpr(array, at.Value, DataType.Tensor), DataType.Tensor, trainable, new TensorElement(array, at.Value));
    }

    /// <summary>An element of a <c>Tensor[]</c> parameter (<c>ws[i]</c>): its gradient is the same element of <c>dws</c>.</summary>
    private static TensorOperand ParameterElement(IParameterSymbol array, TensorOperand at)
    {
        var name = new VariableExpr(Identifier.Escape(array.Name), KnownTypes.Of(array.Type));
        var active = ParameterDescriber.Describe(array, out _).HasGradient;
        return new TensorOperand(new IndexerExpr(name, at.Value, DataType.Tensor), DataType.Tensor, active, new TensorElement(name, at.Value));
    }

    /// <summary>
    /// The object <paramref name="instance"/> denotes when it is this frame's object or a sub-module reached from it
    /// through fields (<c>this.Encoder.Input</c>); null for anything else.
    /// </summary>
    private Receiver? ReceiverOf(IOperation? instance) => instance switch
    {
        IInstanceReferenceOperation => Current.Self,
        IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } model } when _frames.Count == 1 && IsModule(model.Type) =>
            // Loss(Net net, …) outside the model: net's parameters are trained as this model's are, their gradients in net.dW.
            new Receiver(new VariableExpr(Identifier.Escape(model.Name), KnownTypes.Of(model.Type)), [Identifier.Bare(model.Name)], KnownTypes.HasAttribute(model, KnownTypes.NoDiffAttribute)),
        IFieldReferenceOperation { Field: { IsStatic: false } module } field when IsModule(module.Type) && ReceiverOf(field.Instance) is { } outer =>
            new Receiver(new MemberExpr(outer.Value, Identifier.Escape(module.Name), KnownTypes.Of(module.Type), Forgiving(module)), [.. outer.Path, Identifier.Bare(module.Name)], outer.Frozen || KnownTypes.HasAttribute(module, KnownTypes.NoDiffAttribute))
            {
                Elements = outer.Elements,
            },
        IArrayElementReferenceOperation { ArrayReference: IFieldReferenceOperation { Field: { IsStatic: false } modules } array, Indices.Length: 1 } element
            when modules.Type is IArrayTypeSymbol { Rank: 1 } arrayType && IsModule(arrayType.ElementType) && ReceiverOf(array.Instance) is { Elements: null } outer
                && ParseValue(element.Indices[0]) is { Active: false } index =>
            ElementOf(modules, outer, index),
        ILocalReferenceOperation local when _modules.TryGetValue(local.Local, out var module) => module,
        _ => null,
    };

    /// <summary>The sub-module <c>this.Blocks[i]</c>: element <paramref name="index"/> of an array field of sub-modules.</summary>
    private static Receiver ElementOf(IFieldSymbol modules, Receiver outer, TensorOperand index)
    {
        var array = new MemberExpr(outer.Value, Identifier.Escape(modules.Name), KnownTypes.Of(modules.Type), Forgiving(modules));
        var element = new IndexerExpr(array, index.Value, KnownTypes.Of(((IArrayTypeSymbol)modules.Type).ElementType));
        return new(element, [.. outer.Path, $"{Identifier.Bare(modules.Name)}[{ExprPrinter.Print(index.Value)}]"], outer.Frozen || KnownTypes.HasAttribute(modules, KnownTypes.NoDiffAttribute))
        {
            Elements = array,
            ElementOf = Identifier.Bare(modules.Name),
        };
    }

    /// <summary>
    /// How the elements of a Tensor[] are read, for a foreach over it or a helper read in place that is passed it: the
    /// elements of a Tensor[] field of the model (or of a sub-module), of the differentiated method's own Tensor[]
    /// parameter, or of the array passed to the method read in place; null for any other array (its elements' gradients
    /// would go nowhere).
    /// </summary>
    private ElementReader? ElementsOf(IOperation argument, bool frozen)
    {
        argument = KnownTypes.Unwrap(argument);
        var reader = argument switch
        {
            IFieldReferenceOperation { Field.IsStatic: false } field when IsTensorArray(field.Type!) && ReceiverOf(field.Instance) is { } holder =>
                new ElementReader(FieldOf(field.Field, holder), at => ReadElement(field.Field, holder, at)),
            IParameterReferenceOperation parameter when Current.Elements.TryGetValue(parameter.Parameter, out var outer) => outer,
            _ => null,
        };
        return frozen && reader is not null ? reader with { Read = at => reader.Read(at) is { } element ? element with { Active = false } : null } : reader;
    }

    /// <summary>The foreach variables that stand for an element of an array of sub-modules (<c>block</c> for <c>this.Blocks[i]</c>).</summary>
    private readonly Dictionary<ILocalSymbol, Receiver> _modules = new(SymbolEqualityComparer.Default);

    /// <summary>True for a field declared nullable: the generated code reads it with <c>!</c>.</summary>
    private static bool Forgiving(IFieldSymbol field) => field.Type.NullableAnnotation == NullableAnnotation.Annotated;

    private TensorOperand? ParseCall(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).ToList();
        if (method.ContainingType?.ToDisplayString() == KnownTypes.NoDiffClass && method.Name == "Value" && arguments.Count == 1)
        {
            return ParseValue(arguments[0].Value) is { } stopped ? stopped with { Active = false } : null;
        }

        if (DerivativeRules.HasRule(method))
        {
            if (method.IsGenericMethod || !method.IsStatic)
            {
                _context.Unsupported(invocation.Syntax, "a function with a derivative rule must be static and not generic");
                return null;
            }

            if (DerivativeRules.Find(method, invocation.Syntax, _context) is not { } rule)
            {
                return null;
            }

            var operands = ParseArguments(arguments.Select(a => a.Value));
            if (operands is null)
            {
                return null;
            }

            var callee = KnownTypes.Qualified(method.ContainingType!) + "." + method.Name;
            return RuleStep(method, rule, operands, new OpaqueCallExpr(callee, operands.Select(o => o.Value).ToEquatableArray(), KnownTypes.Of(method.ReturnType)));
        }

        if (KnownTypes.HasAttribute(method, KnownTypes.DifferentiableAttribute))
        {
            return Inline(invocation, method, arguments);
        }

        var values = ParseArguments(arguments.Select(a => a.Value));
        var receiver = method.IsStatic || invocation.Instance is null ? null : ParseValue(invocation.Instance);
        if (values is null || (!method.IsStatic && receiver is null))
        {
            return null;
        }

        if (values.Any(v => v.Active) && KnownTypes.MathClass(method.ContainingType) is not null && KnownTypes.IsFloating(method.ReturnType))
        {
            return MathStep(invocation, method, values);
        }

        if (values.Any(v => v.Active) || method.IsGenericMethod)
        {
            _context.ReportCallWithoutDerivative(invocation.Syntax.GetLocation(), method);
            return null;
        }

        if (receiver is { Active: true })
        {
            _context.ReportCallWithoutDerivative(invocation.Syntax.GetLocation(), method, throughReceiver: true);
            return null;
        }

        // No gradient flows in: the call is a constant of the backward pass (x.SliceRows(…) of a [NoDiff] tensor, ArgMax).
        var function = receiver is null ? KnownTypes.Qualified(method.ContainingType!) + "." + method.Name : method.Name;
        var call = new OpaqueCallExpr(function, values.Select(v => v.Value).ToEquatableArray(), KnownTypes.Of(method.ReturnType)) { Instance = receiver?.Value };
        return Step(TensorStepKind.Inactive, Camel(method.Name), KnownTypes.Of(method.ReturnType), call, method.Name, null, [], active: false);
    }

    private TensorOperand? ParseBinary(IOperation node, BinaryOperatorKind kind, IMethodSymbol? operatorMethod, IOperation left, IOperation right)
    {
        var op = RoslynOperators.From(kind);
        if (op is { } comparison && (comparison.IsComparison() || comparison is BinaryOp.ConditionalAnd or BinaryOp.ConditionalOr) && operatorMethod is null)
        {
            // A comparison passes no gradient: its operands are read as values (loss > 1f, depth == 0, training && !frozen).
            return ParseValue(left) is { } first && ParseValue(right) is { } second
                ? new TensorOperand(new BinaryExpr(comparison, first.Value, second.Value, KnownTypes.Of(node.Type!)), KnownTypes.Of(node.Type!), Active: false)
                : null;
        }

        if (op is not { } arithmetic || !arithmetic.IsArithmetic())
        {
            _context.Unsupported(node.Syntax, "tensor code supports + - * / on tensors and floats");
            return null;
        }

        if (ParseValue(left) is not { } l || ParseValue(right) is not { } r)
        {
            return null;
        }

        if (arithmetic == BinaryOp.Remainder && (l.Active || r.Active || operatorMethod is not null))
        {
            // i % 2 of counts and indices is a value like any other; of a value that carries gradient it has no rule here.
            _context.Unsupported(node.Syntax, "tensor code supports + - * / on tensors and floats (% only of values that take no gradient)");
            return null;
        }

        if (operatorMethod is not null)
        {
            if (!DerivativeRules.HasRule(operatorMethod))
            {
                _context.ReportCallWithoutDerivative(node.Syntax.GetLocation(), operatorMethod);
                return null;
            }

            return DerivativeRules.Find(operatorMethod, node.Syntax, _context) is { } rule
                ? RuleStep(operatorMethod, rule, [l, r], new BinaryExpr(arithmetic, l.Value, r.Value, KnownTypes.Of(operatorMethod.ReturnType)))
                : null;
        }

        var type = KnownTypes.Of(node.Type!);
        var computed = new BinaryExpr(arithmetic, l.Value, r.Value, type);
        if (!l.Active && !r.Active)
        {
            return new TensorOperand(computed, type, Active: false);
        }

        return Step(TensorStepKind.Arithmetic, arithmetic.ResultName()!, type, computed, string.Empty, null,
            [new TensorArgument(l, AdjointSlot.Scalar), new TensorArgument(r, AdjointSlot.Scalar)], active: true, arithmetic);
    }

    /// <summary>
    /// Reads a call of another [Differentiable] method in place: its body's steps join this method's, its parameters
    /// bound to the arguments ([NoDiff] ones to a value that takes no gradient) and its locals renamed where the caller
    /// uses the name. Its own errors are reported at its own declaration; here the call says it cannot be read.
    /// </summary>
    private TensorOperand? Inline(IInvocationOperation invocation, IMethodSymbol callee, List<IArgumentOperation> arguments)
    {
        var name = callee.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
        var receiver = callee.IsStatic ? null : ReceiverOf(invocation.Instance);
        var problem = callee switch
        {
            _ when !callee.IsStatic && receiver is null =>
                "a method of another object can be called only on a sub-module (a field of this model whose type is a model, with tensor fields and a [Differentiable] method of its own) or on a model the method takes as a parameter",
            _ when _frames.Any(f => SymbolEqualityComparer.Default.Equals(f.Method, callee)) => "tensor code cannot be recursive",
            { IsGenericMethod: true } => "generic methods are not supported",
            _ when arguments.Any(a => a.ArgumentKind != ArgumentKind.Explicit) => "pass every argument explicitly (no defaults or params)",
            _ => null,
        };
        var block = problem is null ? BodyOf(callee) : null;
        if (problem is null && block is null && IsScalarFunction(callee))
        {
            return ScalarPullbackStep(invocation, callee, receiver, arguments, name);
        }

        if (problem is null && block is null)
        {
            problem = "its source must be in this project and its body tensor code (a Tensor parameter, result or field); for a method of another assembly, give it a [DerivativeRule]";
        }

        if (problem is not null || block is null)
        {
            _context.Unsupported(invocation.Syntax, $"'{name}' cannot be read in place: {problem}");
            return null;
        }

        var bound = new Dictionary<IParameterSymbol, TensorOperand>(SymbolEqualityComparer.Default);
        var frame = new Frame(callee, bound) { Self = receiver ?? Receiver.This };
        foreach (var argument in arguments.Where(a => IsTensorArray(a.Parameter!.Type)))
        {
            var parameter = argument.Parameter!;
            if (ElementsOf(argument.Value, frozen: KnownTypes.HasAttribute(parameter, KnownTypes.NoDiffAttribute)) is not { } reader)
            {
                _context.Unsupported(argument.Value.Syntax, $"'{name}' cannot be read in place: pass its Tensor[] parameter '{parameter.Name}' a Tensor[] field of the model or a Tensor[] parameter, whose elements' gradients the generated code knows");
                return null;
            }

            frame.Elements[parameter] = reader;
        }

        var values = ParseArguments(arguments.Select(a => a.Value));
        if (values is null)
        {
            return null;
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            var parameter = arguments[i].Parameter!;
            bound[parameter] = KnownTypes.HasAttribute(parameter, KnownTypes.NoDiffAttribute) ? values[i] with { Active = false } : values[i];
        }

        var reported = _context.Diagnostics.Count;
        _frames.Add(frame);
        var result = ParseBody(block);
        _frames.RemoveAt(_frames.Count - 1);
        foreach (var parameter in callee.Parameters)
        {
            _locals.Remove(parameter);
        }

        if (_context.Diagnostics.Count > reported)
        {
            // The callee reports its own errors where they are, but read here (with these arguments, inside this loop) it
            // may meet others: one message here says why this call has no gradient, naming the first.
            var first = _context.Diagnostics[reported];
            _context.Diagnostics.RemoveRange(reported, _context.Diagnostics.Count - reported);
            var inside = first is { Id: "BP0003", Arguments.Count: 2 } ? $": in it, '{first.Arguments[0]}' cannot be differentiated: {first.Arguments[1]}" : ": it has errors of its own (see them at its declaration)";
            _context.Unsupported(invocation.Syntax, $"'{name}' cannot be read in place{inside}");
            return null;
        }

        return result;
    }

    /// <summary>
    /// A Math/MathF function of values that carry gradient (<c>MathF.Sqrt(loss)</c>): a step differentiated by the same rule
    /// as in scalar code; a step function (Floor, Sign) passes no gradient; the routers Max, Min (of two), Abs and Clamp
    /// route the gradient to the input that won.
    /// </summary>
    private TensorOperand? MathStep(IInvocationOperation invocation, IMethodSymbol method, List<TensorOperand> values)
    {
        var type = KnownTypes.Of(method.ReturnType);
        var call = new MathCallExpr(method.ContainingType!.Name, method.Name, values.Select(v => v.Value).ToEquatableArray(), type);
        if (GateRules.HasZeroDerivative(method.Name))
        {
            return Step(TensorStepKind.Inactive, Camel(method.Name), type, call, method.Name, null, [], active: false);
        }

        if ((method.Name, values.Count) is ("Max", 2) or ("Min", 2) or ("Abs", 1) or ("Clamp", 3))
        {
            return Step(TensorStepKind.Router, Camel(method.Name), type, call, method.Name, null, values.Select(v => new TensorArgument(v, AdjointSlot.Scalar)).ToList(), active: true);
        }

        if (GateRules.ForMath(method.Name, values.Count) is null)
        {
            _context.Unsupported(invocation.Syntax, $"{method.ContainingType!.Name}.{method.Name} has no derivative rule; give a float function of your own a [DerivativeRule] and call it");
            return null;
        }

        var arguments = values.Select(v => new TensorArgument(v, AdjointSlot.Scalar)).ToList();
        return Step(TensorStepKind.Math, Camel(method.Name), type, call, method.Name, null, arguments, active: true);
    }

    /// <summary>The body of <paramref name="method"/> when its source is in this compilation and it is tensor code.</summary>
    private IBlockOperation? BodyOf(IMethodSymbol method) =>
        MethodParser.BodyOf(method, _compilation, _context.CancellationToken) is { } block && Applies(method, block) ? block : null;

    /// <summary>
    /// True for a function scalar code differentiates and tensor code calls through its pullback: a float or double
    /// result, and by-value parameters that are floats or doubles or take no gradient (an int, a [NoDiff] value).
    /// </summary>
    private static bool IsScalarFunction(IMethodSymbol callee) =>
        KnownTypes.IsFloating(callee.ReturnType)
        && callee.Parameters.All(p => p.RefKind == RefKind.None && ParameterDescriber.Describe(p, out var problem) is { Shape: ParameterShape.Scalar or ParameterShape.NoGradient } && problem is null);

    /// <summary>
    /// A [Differentiable] method of scalar code (<see cref="IsScalarFunction"/>: <c>static float Huber(float x)</c>, or an
    /// instance method of the model or of a sub-module, <paramref name="receiver"/>) called on float values: a step whose
    /// rule is the method's own generated pullback, <c>HuberBackward(x, dhuber, ref dx)</c> (<c>this.Input.HuberBackward</c>
    /// on a sub-module), as scalar code calls it; null after an error.
    /// </summary>
    private TensorOperand? ScalarPullbackStep(IInvocationOperation invocation, IMethodSymbol callee, Receiver? receiver, List<IArgumentOperation> arguments, string name)
    {
        if (MethodParser.FactsOf(callee, _compilation, _context.CancellationToken).HasErrors)
        {
            _context.Unsupported(invocation.Syntax, $"'{name}' has errors of its own (see them at its declaration), so it has no derivative to call yet");
            return null;
        }

        // A float passed where the helper takes a double is a conversion, which ParseValue reports (tensor code computes in float).
        if (ParseArguments(arguments.Select(a => a.Value)) is not { } values)
        {
            return null;
        }

        var slots = values.Select((v, i) => new TensorArgument(v, ParameterDescriber.Describe(callee.Parameters[i], out _).HasGradient ? AdjointSlot.Scalar : AdjointSlot.None)).ToList();
        // The model's own method is called on this; a sub-module's on the sub-module (this.Input, this.Blocks[i]).
        var onSubModule = receiver is not null && !ReferenceEquals(receiver, Receiver.This) ? receiver.Value : null;
        var callName = onSubModule is not null ? Identifier.Escape(callee.Name)
            : (callee.IsStatic ? KnownTypes.Qualified(callee.ContainingType!) : "this") + "." + Identifier.Escape(callee.Name);
        var forward = new OpaqueCallExpr(callName, values.Select(v => v.Value).ToEquatableArray(), KnownTypes.Of(callee.ReturnType)) { Instance = onSubModule };
        var function = FunctionName(callee);
        var active = slots.Any(a => a.Slot != AdjointSlot.None && a.Value.Active);
        return Step(TensorStepKind.Rule, TempName(function), KnownTypes.Of(callee.ReturnType), forward, function, callName + "Backward", slots, active, pullback: true, ruleInstance: onSubModule);
    }

    private TensorOperand RuleStep(IMethodSymbol function, RuleMatch rule, List<TensorOperand> operands, Expr forward)
    {
        var arguments = operands.Select((o, i) => i < rule.Slots.Length ? new TensorArgument(o, rule.Slots[i], rule.Shares[i], rule.Writes[i]) : new TensorArgument(o, AdjointSlot.None)).ToList();
        var active = arguments.Any(a => a.Slot != AdjointSlot.None && a.Value.Active);
        var name = FunctionName(function);
        return Step(TensorStepKind.Rule, TempName(name), KnownTypes.Of(function.ReturnType), forward, name, rule.Callee, arguments, active, residual: rule.Residual);
    }

    private TensorOperand Step(TensorStepKind kind, string hint, DataType type, Expr forward, string function, string? rule, List<TensorArgument> arguments, bool active, BinaryOp? arithmetic = null, ResidualForward? residual = null, bool pullback = false, Expr? ruleInstance = null)
    {
        var target = Fresh(hint);
        _block.Add(new TensorStep(target, type, kind, forward, function, rule, arguments.ToEquatableArray(), active)
        {
            Operator = arithmetic,
            Residual = residual is null ? null : new TensorResidual(Fresh(residual.Name), residual.Callee),
            Pullback = pullback,
            RuleInstance = ruleInstance,
        });
        return TensorOperand.Named(target, type, active);
    }

    private List<TensorOperand>? ParseArguments(IEnumerable<IOperation> values)
    {
        var operands = new List<TensorOperand>();
        foreach (var value in values)
        {
            if (ParseValue(value) is not { } operand)
            {
                return null;
            }

            operands.Add(operand);
        }

        return operands;
    }

    private TensorOperand? Inactive(IOperation node, IOperation inner, System.Func<Expr, Expr> make, string what)
    {
        if (ParseValue(inner) is not { } operand)
        {
            return null;
        }

        if (operand.Active)
        {
            _context.Unsupported(node.Syntax, $"tensor code computes in float: keep values that carry gradient float (a [Differentiable] method over tensors returns float); this {what} would not");
            return null;
        }

        return new TensorOperand(make(operand.Value), KnownTypes.Of(node.Type!), Active: false);
    }

    /// <summary>Operators read as what they do: <c>X * W1</c> is a MatMul.</summary>
    private static string FunctionName(IMethodSymbol function) => function.Name switch
    {
        "op_Multiply" => function.Parameters.All(p => KnownTypes.IsTensor(p.Type)) ? "MatMul" : "Scale",
        "op_Addition" => "Add",
        "op_Subtraction" => "Subtract",
        _ => function.Name,
    };

    private static string TempName(string function) => function switch
    {
        "MatMul" => "product",
        "Add" => "sum",
        "Subtract" => "difference",
        "Scale" => "scaled",
        _ => Camel(function),
    };

    private static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

    private string Fresh(string hint) => Identifier.Escape(NameBuilder.Take(Identifier.Bare(hint), _taken));

    /// <summary>A method being read: the [Differentiable] method itself, or one read in place with its parameters bound.</summary>
    private sealed class Frame(IMethodSymbol method, Dictionary<IParameterSymbol, TensorOperand>? arguments)
    {
        public IMethodSymbol Method { get; } = method;

        /// <summary>The argument bound to each parameter; null for the method being differentiated (its parameters are its own).</summary>
        public Dictionary<IParameterSymbol, TensorOperand>? Arguments { get; } = arguments;

        /// <summary>How each of its Tensor[] parameters' elements are read (<c>ws[i]</c> is the caller's <c>this.Ws[i]</c>).</summary>
        public Dictionary<IParameterSymbol, ElementReader> Elements { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>The object the method runs on: this model, or a sub-module of it (<c>this.Input</c>); static methods have none.</summary>
        public Receiver Self { get; init; } = Receiver.This;

        public TensorOperand? Result { get; set; }

        /// <summary>How many arms of branches of this method are being read (a return there is not its end).</summary>
        public int Arms { get; set; }

        /// <summary>How many loop bodies of this method are being read.</summary>
        public int Loops { get; set; }
    }
}

/// <summary>The elements of a Tensor[] a frame reads: the array as the generated code reaches it, and how one element is read.</summary>
/// <param name="Array">The array (<c>this.Ws</c>, <c>ws</c>).</param>
/// <param name="Read">The element at an index, with its gradient; null after reporting an error.</param>
internal sealed record ElementReader(Expr Array, System.Func<TensorOperand, TensorOperand?> Read);

/// <summary>An object tensor code reads fields of: this model, or a sub-module reached through fields.</summary>
/// <param name="Value">How code reaches it: <c>this</c>, <c>this.Input</c>.</param>
/// <param name="Path">The sub-module fields from this model to it, for names (<c>Input.W</c>, <c>dInput_W</c>).</param>
/// <param name="Frozen">True when it, or a sub-module on the way, is [NoDiff]: its tensors are constants.</param>
internal sealed record Receiver(Expr Value, IReadOnlyList<string> Path, bool Frozen)
{
    public static readonly Receiver This = new(new VariableExpr("this", DataType.Named("object")), [], Frozen: false);

    /// <summary>For a sub-module held in an array field (<c>this.Blocks[i]</c>), the array (<c>this.Blocks</c>).</summary>
    public Expr? Elements { get; init; }

    /// <summary>For a sub-module held in an array field, the field's name (<c>Blocks</c>): what its results are named after (its path ends <c>Blocks[i]</c>).</summary>
    public string? ElementOf { get; init; }
}
