namespace Backprop;

/// <summary>
/// Gives the generator the definitions of functions it cannot read — methods, operators and constructors of a type
/// you do not own (a library's, the BCL's) — as C# it can: a static class of <see cref="DifferentiableAttribute"/>
/// methods, one per function, which the generator reads in place wherever a differentiated method calls the function.
/// </summary>
/// <remarks>
/// <para>A definition has the function's name and its parameters, an instance method's instance first: for
/// <c>float Vector3.Dot(Vector3, Vector3)</c> a <c>static float Dot(Vector3 a, Vector3 b)</c>; for the instance method
/// <c>v.Length()</c> a <c>static float Length(Vector3 v)</c>; for an operator its metadata name
/// (<c>op_Addition</c>, <c>op_Multiply</c>, <c>op_UnaryNegation</c>); for a constructor the name <c>New</c>
/// (<c>static Vector3 New(float x, float y, float z)</c>). Its body is what the generator differentiates, so it must
/// compute what the function computes.</para>
/// <para><c>[assembly: Definitions(typeof(Vector3), typeof(MyVector3Definitions))]</c>. Backprop brings definitions for
/// <c>System.Numerics.Vector2</c> and <c>Vector3</c> itself.</para>
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
