using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>Tuple and struct locals: each element or field is a local of its own, read and written as <c>t.Item1</c>, <c>s.Mean</c> or <c>p.X</c>.</summary>
internal sealed partial class ExpressionParser
{
    /// <summary>The struct parameters of the helpers being read in place, with the locals that hold their fields.</summary>
    private readonly Dictionary<IParameterSymbol, IReadOnlyList<Expr>> _boundParts = new(SymbolEqualityComparer.Default);

    /// <summary>What a tuple may be used for, said wherever it is used otherwise.</summary>
    public const string TupleAdvice = "a tuple is supported held in a local, written out where it is assigned (t = (x, y), (a, b) = (b, a), var (m, v) = (x, y)) and read element by element (t.Item1, s.Mean); a method's tuple result only where a deconstruction or tuple local takes it from a [Differentiable] method (var (m, v) = Stats(x)); a tuple is not passed to a method";

    /// <summary>
    /// The local that <c>t.Item1</c>, <c>s.Mean</c> (an element of a tuple local) or <c>p.X</c> (a field of a struct local)
    /// names; null when <paramref name="operation"/> is neither.
    /// </summary>
    public Expr? PartOf(IOperation operation)
    {
        if (operation is not IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol { IsIndexer: false }, Instance: { } instance, Member: var member }
            || PartsOf(instance) is not { } elements)
        {
            return null;
        }

        if (member is IFieldSymbol { CorrespondingTupleField: var tupleField } element && instance.Type!.IsTupleType)
        {
            var item = (tupleField ?? element).Name; // Item1, Item2, …
            return item.StartsWith("Item", System.StringComparison.Ordinal) && int.TryParse(item.Substring(4), out var n) && n >= 1 && n <= elements.Count
                ? elements[n - 1]
                : null;
        }

        var index = StructTypes.Fields(instance.Type!, out _)?.Select(f => f.Name).ToList().IndexOf(member.Name) ?? -1;
        return index >= 0 ? elements[index] : null;
    }

    /// <summary>
    /// <c>camera.F</c> (also <c>camera.Lens.F</c>) where <c>camera</c> is a [NoDiff] struct parameter of the method: a
    /// value no gradient flows through, read as written; null for anything else.
    /// </summary>
    public Expr? FieldOfGivenStruct(IOperation operation) =>
        operation is IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol { IsIndexer: false } } member
        && GivenStruct(member.Instance) is var (text, _) && KnownTypes.Keyword(member.Type) is { } type
            ? new OpaqueExpr($"{text}.{Identifier.Escape(member.Member.Name)}", type)
            : null;

    /// <summary>The fields of a [NoDiff] struct parameter (or a struct field of one), each read as written; else null.</summary>
    public List<Expr>? GivenParts(IOperation operation) =>
        GivenStruct(operation) is var (text, type) && StructTypes.Fields(type, out _) is { } fields
            ? fields.Select(f => (Expr)new OpaqueExpr($"{text}.{StructTypes.EscapedPath(f.Name)}", KnownTypes.Of(f.Type))).ToList()
            : null;

    /// <summary>A [NoDiff] struct parameter of the method, or a struct field of one: how it is written and its type.</summary>
    private (string Text, ITypeSymbol Type)? GivenStruct(IOperation? operation) => KnownTypes.Unwrap(operation!) switch
    {
        IParameterReferenceOperation { Parameter: var parameter } when !_arguments.ContainsKey(parameter) && !_boundParts.ContainsKey(parameter)
            && KnownTypes.HasAttribute(parameter, KnownTypes.NoDiffAttribute) && StructTypes.Fields(parameter.Type, out _) is not null
            => (Identifier.Escape(parameter.Name), parameter.Type),
        IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol { IsIndexer: false } } member when member.Type is { TypeKind: TypeKind.Struct } type
            && GivenStruct(member.Instance) is var (text, _)
            => ($"{text}.{Identifier.Escape(member.Member.Name)}", type),
        _ => null,
    };

    /// <summary>The element or field locals of a tuple or struct local, or of a helper's struct parameter read in place; else null.</summary>
    public IReadOnlyList<Expr>? PartsOf(IOperation instance) => KnownTypes.Unwrap(instance) switch
    {
        ILocalReferenceOperation { Local: var local } => context.PartsOf(local),
        IInstanceReferenceOperation => ThisParts,
        IParameterReferenceOperation { Parameter: var parameter } => _boundParts.TryGetValue(parameter, out var parts) ? parts
            : context.StructParameters.TryGetValue(parameter, out var fields) ? fields
            : null,

        // p.Position, a struct field of a struct: the locals of its own fields.
        IMemberReferenceOperation { Instance: { Type: { IsTupleType: false } owner } whole, Member: var member }
            when member is IFieldSymbol or IPropertySymbol { IsIndexer: false } && PartsOf(whole) is { } all && StructTypes.Fields(owner, out _) is { } fields
            && StructTypes.Under(fields, member.Name) is { Count: > 0 } under => under.Select(i => all[i]).ToList(),
        _ => null,
    };

    /// <summary>
    /// The values of a struct made where it is read (a call, an operator, a constructor), its statements staged ahead of
    /// this one; null after reporting. Set by the statement parser.
    /// </summary>
    public System.Func<IOperation, List<Stmt>, List<Expr>?>? PartsReader { get; set; }

    /// <summary><c>Vector3.Normalize(b).Y</c>, <c>(a + b).X</c>, <c>m.Translation.X</c>: a field of a struct made where it is read.</summary>
    private bool IsFieldOfMadeStruct(IOperation operation) =>
        operation is IMemberReferenceOperation { Member: var member, Instance: { Type: { } type } instance }
        && member is IFieldSymbol or IPropertySymbol { IsIndexer: false }
        && KnownTypes.Unwrap(instance) switch
        {
            IInvocationOperation or IBinaryOperation or IUnaryOperation or IObjectCreationOperation or IWithOperation => true,
            IPropertyReferenceOperation property => CallSite.Defined(property, context.Compilation) is not null, // m.Translation.X: a library type's property, read through its definition
            _ => false,
        }
        && StructTypes.Fields(type, out _) is { } fields && fields.Any(f => f.Name == member.Name);

    /// <summary>The value of the field <see cref="IsFieldOfMadeStruct"/> found, the struct's statements staged ahead; null after reporting.</summary>
    private Expr? FieldOfMadeStruct(IOperation operation)
    {
        var member = (IMemberReferenceOperation)operation;
        if (_effects is null || _sometimes > 0 || PartsReader is null)
        {
            context.Unsupported(operation.Syntax, "a field of a struct made where it is read can be read only where it always runs (not in a branch of '?:' or the right side of '&&' or '||'): make the struct in a statement of its own (var v = …;) and read v's field");
            return null;
        }

        var index = StructTypes.Fields(member.Instance!.Type!, out _)!.Select(f => f.Name).ToList().IndexOf(member.Member.Name);
        return PartsReader(KnownTypes.Unwrap(member.Instance), _effects) is { } values ? values[index] : null;
    }

    /// <summary>A struct local whose type cannot be held (reported where it is declared), a field of one, or an element of its array.</summary>
    private bool OfRejectedStruct(IOperation operation) => operation switch
    {
        ILocalReferenceOperation { Local: var local } => context.RejectedStructs.Contains(local),
        IMemberReferenceOperation { Instance: { } owner } => OfRejectedStruct(owner), // q.C, q.C.Length
        IArrayElementReferenceOperation { ArrayReference: var array } => OfRejectedStruct(array), // q.C[0]
        _ => false,
    };

    /// <summary>While an instance method of a struct is read in place: what holds the fields of <c>this</c>; else null.</summary>
    public IReadOnlyList<Expr>? ThisParts { get; set; }

    /// <summary>Binds a struct parameter of a helper read in place to what holds its fields: locals, or constants (a helper that never writes it).</summary>
    public void BindParts(IParameterSymbol parameter, IReadOnlyList<Expr> parts) => _boundParts[parameter] = parts;

    /// <summary>What a tuple or struct local may be used for, said where it is used otherwise.</summary>
    public static string PartsAdvice(ILocalSymbol local) => local.Type.IsTupleType ? TupleAdvice : StructTypes.Advice;
}
