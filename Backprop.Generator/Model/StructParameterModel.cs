namespace Backprop.Generator.Model;

/// <summary>
/// A struct parameter of a differentiated method (<c>Particle p</c>), taken apart: each field is a parameter of its own
/// in the generated methods (<c>pX</c>, <c>pV</c>, their adjoints <c>dpX</c>, <c>dpV</c>), and an overload that takes
/// and gives the struct (<c>ref Particle dp</c>) calls them.
/// </summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Name">The parameter's name as declared (escaped).</param>
/// <param name="Type">Its type, global-qualified.</param>
/// <param name="Fields">Its fields in declaration order, each with the parameter that holds it (a nested struct's by their path).</param>
/// <param name="Nested">Its fields that are structs themselves (<c>Position</c>), by path, with their types.</param>
internal sealed record StructParameterModel(string Name, string Type, EquatableArray<StructFieldModel> Fields, EquatableArray<NestedStructModel> Nested);

/// <summary>A field of a struct parameter (<c>X</c>) and the generated methods' parameter that holds it (<c>pX</c>).</summary>
/// <param name="Member">The field or property name (escaped), or the path to it through nested structs (<c>Position.X</c>).</param>
/// <param name="Parameter">The parameter of the generated methods.</param>
internal sealed record StructFieldModel(string Member, string Parameter);

/// <summary>A field of a struct parameter that is a struct itself: its path (<c>Position</c>, <c>Body.Position</c>) and its type, global-qualified.</summary>
internal sealed record NestedStructModel(string Path, string Type);
