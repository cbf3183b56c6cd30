namespace Backprop;

/// <summary>
/// Gives the generator the definitions of functions it cannot read — methods, operators and constructors of a type
/// you do not own (a library's, the BCL's) — as C# it can: a static class of <see cref="DifferentiableAttribute"/>
/// methods, one per function, which the generator reads in place wherever a differentiated method calls the function.
/// </summary>
/// <remarks>
/// <para>A definition has the function's name and its parameters, an instance member's instance first: for
/// <c>float Vector3.Dot(Vector3, Vector3)</c> a <c>static float Dot(Vector3 a, Vector3 b)</c>; for the instance method
/// <c>v.Length()</c> a <c>static float Length(Vector3 v)</c>; for an operator its metadata name
/// (<c>op_Addition</c>, <c>op_Multiply</c>, <c>op_UnaryNegation</c>); for a constructor the name <c>New</c>
/// (<c>static Vector3 New(float x, float y, float z)</c>); for a property's getter or a static readonly field its name
/// (<c>static Vector3 Translation(Matrix4x4 m)</c>, <c>static Complex Zero()</c>). Its body is what the generator
/// differentiates, so it must compute what the function computes. A definition that matches none of the type's
/// functions is error BP0018.</para>
/// <para><c>[assembly: Definitions(typeof(Plane), typeof(MyPlaneDefinitions))]</c>. Backprop brings definitions for
/// System.Numerics' <c>Vector2</c>, <c>Vector3</c>, <c>Vector4</c>, <c>Quaternion</c>, <c>Matrix4x4</c> and
/// <c>Complex</c> itself; where you define a function it defines too, yours is read.</para>
/// </remarks>
[System.AttributeUsage(System.AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class DefinitionsAttribute : System.Attribute
{
    /// <summary>The functions of <paramref name="type"/> are defined by the methods of <paramref name="definitions"/>.</summary>
    public DefinitionsAttribute(System.Type type, System.Type definitions)
    {
        Type = type;
        DefinitionsType = definitions;
    }

    /// <summary>The type whose functions are defined.</summary>
    public System.Type Type { get; }

    /// <summary>The static class that defines them.</summary>
    public System.Type DefinitionsType { get; }
}
