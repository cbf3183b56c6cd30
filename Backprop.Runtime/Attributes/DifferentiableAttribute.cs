namespace Backprop;

/// <summary>
/// Marks a method whose reverse-mode derivative the Backprop source generator writes at build time.
/// </summary>
/// <remarks>
/// For <c>double F(double x, double y)</c> in a partial type the generator adds
/// <c>double FGradient(double x, double y, out double dx, out double dy)</c> (value and gradient) and
/// <c>double FBackward(double x, double y, double dResult, ref double dx, ref double dy)</c>
/// (pullback: returns F and adds <c>dResult · ∂F/∂parameter</c> into each adjoint).
/// </remarks>
[System.AttributeUsage(System.AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : System.Attribute
{
}
