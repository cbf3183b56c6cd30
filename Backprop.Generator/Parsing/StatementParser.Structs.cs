using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Backprop.Generator.Parsing;

/// <summary>
/// Struct values: where a struct local is assigned, the value is read as one value per field — a positional record's
/// constructor sets the fields its parameters name, an object initializer or <c>with</c> the fields it lists, and
/// every other field is zero (<c>default</c>, <c>new V()</c>) or the copied struct's.
/// </summary>
internal sealed partial class StatementParser
{
    /// <summary>The value of each field of <paramref name="made"/>, in the order of <paramref name="fields"/>; null after reporting.</summary>
    private List<Expr>? StructValues(IOperation made, IReadOnlyList<(string Name, ITypeSymbol Type)> fields, List<Stmt> into)
    {
        switch (made)
        {
            case IDefaultValueOperation:
                return fields.Select(f => Zero(f.Type)).ToList();
            case IObjectCreationOperation creation when CallSite.Defined(creation, context.Compilation) is { } defined:
                return ParseHelperCall(defined, into, keepValue: true, out var constructed, out _) ? Initialize([.. constructed], fields, creation.Initializer, into) : null; // new Vector3(x, y, z)
            case IObjectCreationOperation { Constructor: { } constructor } creation:
            {
                if (constructor.Parameters.Length > 0 && !StructTypes.IsPositional(constructor) || constructor.Parameters.Length == 0 && !constructor.IsImplicitlyDeclared)
                {
                    context.Unsupported(creation.Syntax, $"'{constructor.ContainingType.Name}' is made by a constructor of its own, whose body is not read; make it a positional record struct, or set its fields with an object initializer (new {constructor.ContainingType.Name} {{ {fields[0].Name} = … }})"
                        + (constructor.DeclaringSyntaxReferences.Length == 0 ? $", or give the generator its definition ([assembly: Definitions(typeof({constructor.ContainingType.Name}), typeof(YourDefinitions))] with a static [Differentiable] New)" : string.Empty));
                    return null;
                }

                var values = fields.Select(f => Zero(f.Type)).ToList();
                foreach (var argument in creation.Arguments)
                {
                    if (!SetField(values, fields, StructTypes.FieldSetBy(argument.Parameter!), argument.Value, into))
                    {
                        return null;
                    }
                }

                return Initialize(values, fields, creation.Initializer, into);
            }

            case IWithOperation with when PartValues(with.Operand, into) is { } values:
                return Initialize(values, fields, with.Initializer, into);
            case IWithOperation:
                return null;
            default:
                context.Unsupported(made.Syntax, StructTypes.Advice);
                return null;
        }
    }

    /// <summary>True when the local or parameter <paramref name="reference"/> reads is assigned anywhere in the body it stands in.</summary>
    private static bool IsReassigned(IOperation reference)
    {
        var symbol = reference switch
        {
            ILocalReferenceOperation local => (ISymbol)local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };
        var root = reference;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        return symbol is not null && root.Descendants().OfType<IAssignmentOperation>().Any(a => KnownTypes.Unwrap(a.Target) switch
        {
            ILocalReferenceOperation target => SymbolEqualityComparer.Default.Equals(target.Local, symbol),
            IParameterReferenceOperation target => SymbolEqualityComparer.Default.Equals(target.Parameter, symbol),
            _ => false,
        });
    }

    /// <summary>
    /// <c>var q = new Polynomial(c, s);</c>, a struct local with an array field: its other fields are assigned, its array
    /// field becomes another name for the array it is given (the local keeps it: see <see cref="MethodParser.KeepsItsArrays"/>).
    /// </summary>
    private void DeclareWithArrays(ILocalSymbol local, IReadOnlyList<VariableExpr> parts, IOperation value, List<Stmt> into)
    {
        if (PartValues(value, into) is not { } values)
        {
            return;
        }

        for (var i = 0; i < parts.Count; i++)
        {
            if (!ParseContext.IsArrayPart(parts[i]))
            {
                into.Add(new AssignStmt(parts[i], values[i], Declares: true));
            }
            else if (values[i] is VariableExpr array)
            {
                context.BindArrayPart(local, i, array);
            }
            else
            {
                context.Unsupported(value.Syntax, StructTypes.Advice);
                return;
            }
        }
    }

    /// <summary>Sets the fields an object initializer or <c>with</c> lists (<c>{ X = x, V = v }</c>), in the order written.</summary>
    private List<Expr>? Initialize(List<Expr> values, IReadOnlyList<(string Name, ITypeSymbol Type)> fields, IObjectOrCollectionInitializerOperation? initializer, List<Stmt> into)
    {
        foreach (var set in initializer?.Initializers ?? [])
        {
            if (set is not ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Member: var member } } assignment)
            {
                context.Unsupported(set.Syntax, StructTypes.Advice);
                return null;
            }

            if (!SetField(values, fields, member.Name, assignment.Value, into))
            {
                return null;
            }
        }

        return values;
    }

    private bool SetField(List<Expr> values, IReadOnlyList<(string Name, ITypeSymbol Type)> fields, string name, IOperation value, List<Stmt> into)
    {
        // A struct field (Position = new Vec2(x, y)): each of its own fields.
        if (StructTypes.Under(fields, name) is { Count: > 0 } under)
        {
            if (PartValues(value, into) is not { } inner)
            {
                return false;
            }

            for (var i = 0; i < under.Count; i++)
            {
                values[under[i]] = inner[i];
            }

            return true;
        }

        var index = fields.Select(f => f.Name).ToList().IndexOf(name);
        if (index < 0)
        {
            context.Unsupported(value.Syntax, StructTypes.Advice);
            return false;
        }

        if (StructTypes.IsArray(fields[index].Type))
        {
            // An array field holds the array it is given: another name for it.
            if (_expressions.SequenceOf(KnownTypes.Unwrap(value)) is not { IsWhole: true } array)
            {
                context.Unsupported(value.Syntax, "an array field of a struct made here is given an array parameter or local, whole (not a slice or a new array)");
                return false;
            }

            if (IsReassigned(KnownTypes.Unwrap(value)))
            {
                context.Unsupported(value.Syntax, "the array given to a struct's array field is assigned another array in this method, and the struct would keep the old one; give it an array that keeps its elements' place");
                return false;
            }

            values[index] = new VariableExpr(array.Array, KnownTypes.Of(fields[index].Type));
            return true;
        }

        if (_expressions.Staging(into, () => _expressions.Parse(value)) is not { } parsed)
        {
            return false;
        }

        values[index] = parsed;
        return true;
    }

    /// <summary>
    /// What a struct parameter of a helper read in place stands for: the locals of the struct passed — the caller's own
    /// (or the locals and constants a struct made here is made of) when the helper never writes the parameter, else a
    /// copy made here (a struct is passed by value); null after reporting.
    /// </summary>
    private IReadOnlyList<Expr>? StructArgument(IParameterSymbol parameter, IReadOnlyList<(string Name, ITypeSymbol Type)> fields, IOperation value, bool keepCopy, List<Stmt> into)
    {
        if (!keepCopy && _expressions.PartsOf(value) is { } passed)
        {
            return passed;
        }

        if (PartValues(value, into) is not { } values)
        {
            return null;
        }

        if (!keepCopy && values.All(v => v is VariableExpr or LiteralExpr))
        {
            return values; // a struct made here of locals and constants: they are its fields
        }

        return CopiedIntoFieldLocals(parameter.Name, fields, values, into);
    }

    /// <summary>A new local for each field of a struct held under <paramref name="owner"/> (<c>pX</c>, <c>pV</c>; <c>thisX</c>).</summary>
    private List<Expr> FieldLocals(string owner, IReadOnlyList<(string Name, ITypeSymbol Type)> fields) =>
        fields.Select(f => (Expr)new VariableExpr(context.NewLocal(Identifier.Part(owner, f.Name), KnownTypes.Of(f.Type)), KnownTypes.Of(f.Type))).ToList();

    /// <summary>New field locals (<see cref="FieldLocals"/>), each assigned its value in <paramref name="into"/>.</summary>
    private List<Expr> CopiedIntoFieldLocals(string owner, IReadOnlyList<(string Name, ITypeSymbol Type)> fields, IReadOnlyList<Expr> values, List<Stmt> into)
    {
        var locals = FieldLocals(owner, fields);
        for (var i = 0; i < locals.Count; i++)
        {
            into.Add(new AssignStmt(locals[i], values[i], Declares: true));
        }

        return locals;
    }

    private static Expr Zero(ITypeSymbol type) => KnownTypes.Keyword(type) switch
    {
        { Kind: DataKind.Double } => new LiteralExpr("0.0", DataType.Double),
        { Kind: DataKind.Float } => new LiteralExpr("0f", DataType.Float),
        { Kind: DataKind.Bool } => new LiteralExpr("false", DataType.Bool),
        var keyword => new LiteralExpr("0", keyword!),
    };
}
