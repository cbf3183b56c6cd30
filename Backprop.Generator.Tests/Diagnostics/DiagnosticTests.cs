using System;
using System.Linq;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.Diagnostics;

/// <summary>
/// Unsupported code gets a BP error on the offending syntax (marked [| |] below), with a message that names
/// the construct — never a generator crash (CS8785) and never generated code that does not compile.
/// </summary>
public sealed class DiagnosticTests
{
    public static TheoryData<string, string, string> Cases() => new()
    {
        {
            "BP0002", "must be declared partial",
            "public static class [|Plain|] { [Differentiable] public static double F(double x) => x; }"
        },
        {
            "BP0003", "try/catch/finally is not supported",
            "public static partial class C { [Differentiable] public static double F(double x) { [|try|] { x = x * 2; } finally { } return x; } }"
        },
        {
            "BP0003", "foreach is supported over arrays and spans of double or float held in a parameter, local or field (one loop variable); take the values as an array or span",
            "public static partial class C { static readonly System.Collections.Generic.List<double> s_list = new(); [Differentiable] public static double F(double[] x) { double s = 0; [|foreach (var v in s_list)|] { s += v; } return s; } }"
        },
        {
            "BP0003", "the loop variable must have the element type 'float'",
            "public static partial class C { [Differentiable] public static double F(float[] x) { double s = 0; [|foreach (double v in x)|] { s += v; } return s; } }"
        },
        {
            "BP0003", "'continue' is only supported in for-loops that count by one",
            "public static partial class C { [Differentiable] public static double F(double x) { double s = 0; for (int i = 1; i < 9; i *= 2) { if (i == 2) { [|continue;|] } s += x; } return s; } }"
        },
        {
            "BP0003", "lambdas and delegates are not supported",
            "public static partial class C { static double Apply(System.Func<double, double> g, double v) => g(v); [Differentiable] public static double F(double x) { return NoDiff.Value(Apply([|v => v * v|], 2)) * x; } }"
        },
        {
            "BP0003", "'f' holds a lambda that is read in place where it is called, so it must hold the same one all its life",
            "public static partial class C { [Differentiable] public static double F(double x) { System.Func<double, double> [|f = v => v * v|]; f = v => v; return f(x); } }"
        },
        {
            "BP0003", "string operations are not differentiable",
            "public static partial class C { [Differentiable] public static double F(double x) { string s = [|\"a\" + x|]; return x; } }"
        },
        {
            "BP0003", "an assignment or ++/-- here runs only sometimes (in a branch of '?:', the right side of '&&' or '||', or a switch arm); write an if statement",
            "public static partial class C { [Differentiable] public static double F(double x, double y) { if (x > 0 && ([|y = x * x|]) > 1) { return y; } return x; } }"
        },
        {
            "BP0003", "an assignment or ++/-- here runs only sometimes",
            "public static partial class C { [Differentiable] public static double F(double x, int i) => i > 0 ? x * [|i++|] : x; }"
        },
        {
            "BP0003", "'x' is read earlier in the same statement, and C# gives that read the value from before this assignment; copy it into a local first",
            "public static partial class C { [Differentiable] public static double F(double x) => x * ([|x = 2 * x|]); }"
        },
        {
            "BP0003", "'i' is read earlier in the same statement",
            "public static partial class C { [Differentiable] public static double F(double x, int n) { double[] a = new double[n]; int i = 0; a[i] = a[0] + [|i++|]; return a[0] * x; } }"
        },
        {
            "BP0003", "'continue' is not supported in a do-loop whose condition assigns",
            "public static partial class C { [Differentiable] public static double F(double x, int n) { int k = 0; do { if (k == 2) { [|continue;|] } x = x * 2; } while (++k < n); return x; } }"
        },
        {
            "BP0003", "an array can only be assigned as a statement of its own",
            "public static partial class C { [Differentiable] public static double F(double x) { double[] a; double[] b = [|a = new double[2]|]; return x; } }"
        },
        {
            "BP0003", "goto is not supported",
            "public static partial class C { [Differentiable] public static double F(double x) { [|goto end;|] end: return x; } }"
        },
        {
            "BP0003", "'C.Normalize(double[])' works through its arguments or on state Backprop cannot see (an array it fills, a ref it sets), so how it changes the gradient cannot be followed: mark it [Differentiable] (a void [Differentiable] helper is read in place where it is called), or write what it does in this method",
            "public static partial class C { static void Normalize(double[] v) { } [Differentiable] public static double F(double[] x) { double[] v = new double[2]; v[0] = x[0]; [|Normalize(v)|]; return v[0]; } }"
        },
        {
            "BP0003", "the result of 'C.Square(double)' is not used: if it only computes a value, the call has no effect on the gradient and can go",
            "public static partial class C { static double Square(double v) => v * v; [Differentiable] public static double F(double x) { [|Square(x)|]; return x; } }"
        },
        {
            "BP0003", "'Fill' is read as the loop it is, but the array it writes must be a local double[] or float[] of this method",
            "public static partial class C { [Differentiable] public static double F(double[] x, double w) { [|System.Array.Fill(x, w)|]; return x[0]; } }"
        },
        {
            "BP0003", "'Fill' is read as the loop it is, but the array it writes must be a local double[] or float[] of this method",
            "public static partial class C { [Differentiable] public static double F(double[] x, double w) { double[] view = x; [|System.Array.Fill(view, w)|]; return x[0]; } }"
        },
        {
            "BP0003", "an array created inside a loop is created once before it and zeroed on every pass, so its length must be the same on every pass",
            "public static partial class C { [Differentiable] public static double F(double x, int n) { double s = 0; for (int i = 1; i < n; i++) { double[] v = [|new double[i]|]; v[0] = x; s += v[0]; } return s; } }"
        },
        {
            "BP0003", "'Copy' is read as the loop it is, but copying an array onto itself is not supported",
            "public static partial class C { [Differentiable] public static double F(double[] x) { double[] v = new double[4]; v[0] = x[0]; [|System.Array.Copy(v, 0, v, 1, 2)|]; return v[1]; } }"
        },
        {
            "BP0003", "this 'goto case' leads back to a section already run",
            "public static partial class C { [Differentiable] public static double F(double x, int m) { switch (m) { case 0: x = x * 2; goto case 1; case 1: x = x + 1; [|goto case 0;|] } return x; } }"
        },
        {
            "BP0003", "using is not supported",
            "public static partial class C { [Differentiable] public static double F(double x) { [|using var s = new System.IO.MemoryStream();|] return x; } }"
        },
        {
            "BP0003", "lock is not supported",
            "public static partial class C { static readonly object Gate = new(); [Differentiable] public static double F(double x) { [|lock (Gate)|] { x = x * 2; } return x; } }"
        },
        {
            "BP0003", "'Twice' is read in place where it is called, so its body must be one expression",
            "public static partial class C { [Differentiable] public static double F(double x) { double Twice(double v) { double t = v * 2; return t; } return [|Twice(x)|]; } }"
        },
        {
            "BP0003", "cannot be read in place: it returns before its end; a helper read in place may return only as its last statement (use if/else instead)",
            "public static partial class C { [Differentiable] public static double F(double x) { void Halve(ref double v) { if (v > 1) { v /= 2; return; } v -= 1; } double y = x; [|Halve(ref y)|]; return y; } }"
        },
        {
            "BP0003", "cannot be read in place: it calls itself, and a helper read in place cannot be recursive",
            "public static partial class C { [Differentiable] public static double F(double x) { void Down(ref double v, int n) { if (n > 0) { v *= 0.5; [|Down(ref v, n - 1)|]; } } double y = x; Down(ref y, 3); return y; } }"
        },
        {
            "BP0007", "'Scale(x, 2)' writes to the array it was given ('Scale' writes into its parameter 'v'; pass it a local array, a copy)",
            "public static partial class C { [Differentiable] public static void Scale(double[] v, double k) { for (int i = 0; i < v.Length; i++) { v[i] *= k; } } [Differentiable] public static double F(double[] x) { [|Scale(x, 2)|]; return x[0]; } }"
        },
        {
            "BP0003", "takes 'values' as List<double>; a helper read in place takes numbers, bools, arrays and spans of double or float, and ref or out numbers",
            "public static partial class C { [Differentiable] public static void Sum([NoDiff] System.Collections.Generic.List<double> values, ref double total) { total += 1; } [Differentiable] public static double F(double x) { double t = x; Sum([|new System.Collections.Generic.List<double>()|], ref t); return t; } }"
        },
        {
            "BP0003", "'i' is read earlier in the same statement, and C# gives that read the value from before 'Bump' changes it",
            "public static partial class C { [Differentiable] static double Bump(ref double v) { v += 1; return v * v; } [Differentiable] public static double F(double x) { double i = x; return i * [|Bump(ref i)|]; } }"
        },
        {
            "BP0003", "'Bump' works through its ref arguments, so it is read in place, which it can be only where it always runs",
            "public static partial class C { [Differentiable] static double Bump(ref double v) { v += 1; return v * v; } [Differentiable] public static double F(double x) { double i = x; return x > 0 ? [|Bump(ref i)|] : i; } }"
        },
        {
            "BP0009", "a void [Differentiable] method, or one with a ref or out parameter or a tuple or struct result, is a helper read in place where it is called, and must be static",
            "public partial class C { [Differentiable] public void [|Reset|](ref double v) { v = 0; } }"
        },
        {
            "BP0003", "'Fact' calls itself: a local function or lambda is read in place, which recursion cannot be",
            "public static partial class C { [Differentiable] public static double F(double x, int n) { double Fact(double v, int k) => k <= 1 ? v : v * [|Fact(v, k - 1)|]; return Fact(x, n); } }"
        },
        {
            "BP0003", "'v' is a parameter of a local function or lambda read in place, which cannot be assigned",
            "public static partial class C { [Differentiable] public static double F(double x) { double Bump(double v) => [|v|] += 1; return Bump(x); } }"
        },
        {
            "BP0003", "dynamic is not supported",
            "public static partial class C { [Differentiable] public static double F(double x) { dynamic d = [|x|]; return x; } }"
        },
        {
            "BP0003", "a ref local is supported as another name for a local or parameter number (ref double r = ref x;) or for an element of an array or span (ref double r = ref a[i];) that it refers to all its life, not for a field",
            "public static partial class C { static double s; [Differentiable] public static double F(double x) { ref double [|r = ref s|]; return r * x; } }"
        },
        {
            "BP0003", "LINQ is not supported; write a loop",
            "using System.Linq; public static partial class C { [Differentiable] public static double F(double[] x) { var q = [|from v in x select v|]; return x[0]; } }"
        },
        {
            "BP0004", "'Func<double, double>.Invoke(double)' has no derivative",
            "public static partial class C { [Differentiable] public static double F(double x, System.Func<double, double> f) => [|f(x)|]; }"
        },
        {
            "BP0005", "returns 'System.Collections.Generic.IEnumerable<double>'",
            "public static partial class C { [Differentiable] public static [|System.Collections.Generic.IEnumerable<double>|] F(double x) { yield return x; } }"
        },
        {
            "BP0007", "writes to the field 's_total'",
            "public static partial class C { static double s_total; [Differentiable] public static double F(double x) { [|s_total|] = x; return x; } }"
        },
        {
            "BP0009", "it has no body to differentiate",
            "public abstract partial class C { [Differentiable] public abstract double [|F|](double x); }"
        },
        {
            "BP0009", "unsafe code is not supported",
            "public static partial class C { [Differentiable] public static unsafe double [|F|](double x) => *&x; }"
        },
        {
            "BP0004", "'C.Helper(double)' has no derivative and an argument carries gradient: mark it [Differentiable], give it a derivative rule, or wrap the argument in NoDiff.Value(...)",
            "public static partial class C { [Differentiable] public static double F(double x) => [|Helper(x)|] * 2; static double Helper(double v) => v * v; }"
        },
        {
            "BP0004", "'Math.IEEERemainder(double, double)' has no derivative",
            "public static partial class C { [Differentiable] public static double F(double x) => [|System.Math.IEEERemainder(x, 3.0)|]; }"
        },
        {
            "BP0005", "returns 'int': a [Differentiable] method must return double or float",
            "public static partial class C { [Differentiable] public static [|int|] F(double x) => (int)x; }"
        },
        {
            "BP0007", "writes to the field 'total'",
            "public partial class C { private double total; [Differentiable] public double F(double x) { [|total|] = x; return x; } }"
        },
        {
            "BP0007", "writes to the array it was given ('view' is another name for 'x')",
            "public static partial class C { [Differentiable] public static double F(double[] x) { double[] view = x; [|view[0]|] = 2 * x[1]; return x[0]; } }"
        },
        {
            "BP0007", "writes to an array or span it was given",
            "public static partial class C { [Differentiable] public static double F(double[] x) { [|x[0]|] = 1; return x[0]; } }"
        },
        {
            "BP0008", "'FTangent' would clash with an existing member of C",
            "public static partial class C { [Differentiable] public static double [|F|](double x) => x * x; public static double FTangent(double x, double dx, out double d) { d = dx; return x; } }"
        },
        {
            "BP0008", "'FHessianVector' would clash with an existing member of C",
            "public static partial class C { [Differentiable] public static double [|F|](double x) => x * x; public static double FHessianVector(double x, double vx, out double hx) { hx = 2 * vx; return x * x; } }"
        },
        {
            "BP0008", "The generated gradient parameter of 'x' 'dx' would clash with an existing parameter",
            "public static partial class C { [Differentiable] public static double F(double x, [|double dx|]) => x * dx; }"
        },
        {
            "BP0010", "'F' has no double or float parameter (or array or span of them) without [NoDiff]",
            "public static partial class C { [Differentiable] public static double [|F|](int n, [NoDiff] double scale) => n * scale; }"
        },
        {
            "BP0004", "'Enumerable.Sum(IEnumerable<double>)' has no derivative and an argument carries gradient: it is a library method, which cannot be marked [Differentiable]",
            "using System.Linq; public static partial class C { [Differentiable] public static double F(double[] x) => [|x.Sum()|]; }"
        },
        {
            "BP0003", "reading a property is not supported, also when it is read into a local first",
            "public partial class C { public double Scale { get; set; } [Differentiable] public double F(double x) { double s = [|Scale|]; return s * x; } }"
        },
        {
            "BP0009", "'Local' cannot be differentiated: [Differentiable] does not apply to local functions (nor to top-level statements)",
            "public static partial class C { public static double F(double x) { return Local(x); [Differentiable] static double [|Local|](double v) => v * v; } }"
        },
        {
            "BP0009", "a generic method must have one type parameter, constrained to floating point (where T : IFloatingPointIeee754<T>), return T and be static",
            "public static partial class C { [Differentiable] public static double [|F|]<T>(double x) => x; }"
        },

        {
            "BP0003", "T.ScaleB has no derivative rule; the functions of generic math that differentiate are those of System.Math",
            "public static partial class C { [Differentiable] public static T F<T>(T x) where T : System.Numerics.IFloatingPointIeee754<T> => [|T.ScaleB(x, 2)|] * x; }"
        },
        {
            "BP0003", "a value that may carry gradient cannot be converted to T: keep the computation in T",
            "public static partial class C { [Differentiable] public static T F<T>(T x, double d) where T : System.Numerics.IFloatingPointIeee754<T> => [|T.CreateChecked(d)|] * x; }"
        },
        {
            "BP0014", "The derivative rule of 'C.Cube(double)' cannot be used: 'C.CubeBackward' has another signature. It must be: static void CubeBackward(double x, double result, double dResult, ref double dx).",
            "public static partial class C { [Backprop.DerivativeRule(nameof(CubeBackward))] public static double Cube(double x) => x * x * x; public static void CubeBackward(double x, double dResult, ref double dx) => dx += 3 * x * x * dResult; [Differentiable] public static double F(double x) => [|Cube(x)|] + x; }"
        },
        {
            "BP0014", "'C' has no method 'Missing'. It must be: static void Missing(Tensor a, Tensor b, Tensor result, Tensor dResult, Tensor? da, Tensor? db).",
            "public static partial class C { [Backprop.DerivativeRule(\"Missing\")] public static Backprop.Tensor Op(Backprop.Tensor a, Backprop.Tensor b) => a; [Differentiable] public static float F(Backprop.Tensor w) => Backprop.Nn.Sum([|Op(w, w)|]); }"
        },
        {
            "BP0014", "The derivative rule of 'C.Op(Tensor)' cannot be used: Forward names 'OpForward', which 'C' does not declare (a forward companion is static Tensor OpForward(Tensor a, out Tensor residual)). It must be: static void OpBackward(Tensor a, Tensor result, Tensor dResult, Tensor? da).",
            "public static partial class C { [Backprop.DerivativeRule(nameof(OpBackward), Forward = \"OpForward\")] public static Backprop.Tensor Op(Backprop.Tensor a) => a; public static void OpBackward(Backprop.Tensor a, Backprop.Tensor result, Backprop.Tensor dResult, Backprop.Tensor? da) { } [Differentiable] public static float F(Backprop.Tensor w) => Backprop.Nn.Sum([|Op(w)|]); }"
        },
        {
            "BP0014", "The derivative rule of 'C.Op(Tensor)' cannot be used: 'C.OpBackward' has another signature. It must be: static void OpBackward(Tensor a, Tensor result, Tensor mask, Tensor dResult, Tensor? da).",
            "public static partial class C { [Backprop.DerivativeRule(nameof(OpBackward), Forward = nameof(OpForward))] public static Backprop.Tensor Op(Backprop.Tensor a) => a; public static Backprop.Tensor OpForward(Backprop.Tensor a, out Backprop.Tensor mask) { mask = a; return a; } public static void OpBackward(Backprop.Tensor a, Backprop.Tensor result, Backprop.Tensor dResult, Backprop.Tensor? da) { } [Differentiable] public static float F(Backprop.Tensor w) => Backprop.Nn.Sum([|Op(w)|]); }"
        },
        {
            "BP0003", "a derivative rule that takes a residual from its forward companion (Forward = …) is supported in tensor code only",
            "public static partial class C { [Backprop.DerivativeRule(nameof(CubeBackward), Forward = nameof(CubeForward))] public static double Cube(double x) => x * x * x; public static double CubeForward(double x, out Backprop.Tensor r) { r = Backprop.Tensor.Vector(1); return x * x * x; } public static void CubeBackward(double x, double result, Backprop.Tensor r, double dResult, ref double dx) => dx += 3 * x * x * dResult; [Differentiable] public static double F(double x) => [|Cube(x)|] + x; }"
        },
        {
            "BP0003", "'C.H(Tensor, Tensor[])' cannot be read in place: pass its Tensor[] parameter 'ws' a Tensor[] field of the model or a Tensor[] parameter, whose elements' gradients the generated code knows",
            "public static partial class C { [Differentiable] public static Backprop.Tensor H(Backprop.Tensor x, Backprop.Tensor[] ws) { var h = x; foreach (var w in ws) { h = h * w; } return h; } [Differentiable] public static float F(Backprop.Tensor w) => Backprop.Nn.Sum(H(w, [|new[] { w, w }|])); }"
        },
        {
            "BP0003", "tensor code is local declarations, assignments, if/else on values that take no gradient, counted for loops, and one return at its end",
            "public static partial class C { [Differentiable] public static float F(Backprop.Tensor w) { var s = 0f; [|while (s < 3f) { s += Backprop.Nn.Sum(w); }|] return s; } }"
        },
        {
            "BP0003", "a loop of tensor code counts up or down by a constant step, for (int i = start; i < end; i++) or for (int i = start; i >= end; i -= 2), with bounds that take no gradient and that its body does not change",
            "public static partial class C { [Differentiable] public static float F(Backprop.Tensor w, int n) { var s = 0f; [|for (int i = 1; i < n; i *= 2) { s += Backprop.Nn.Sum(w); }|] return s; } }"
        },
        {
            "BP0003", "tensor code loops with foreach over a Tensor[] field or parameter, or an array field of sub-modules of the model; for anything else, count: for (int i = 0; i < n; i++)",
            "public static partial class C { [Differentiable] public static float F(Backprop.Tensor w) { var s = 0f; foreach (var v in [|new[] { w, w }|]) { s += Backprop.Nn.Sum(v); } return s; } }"
        },
        {
            "BP0003", "'k' is an int the loop changes: a loop of tensor code carries tensors and floats from one iteration to the next",
            "public static partial class C { [Differentiable] public static float F(Backprop.Tensor w, int n) { var s = 0f; var k = 0; [|for (int i = 0; i < n; i++) { s += Backprop.Nn.Sum(w); k = k + 1; }|] return s * k; } }"
        },
        {
            "BP0003", "a loop of tensor code skips the rest of an iteration with if (condition) continue; directly in its body; break, and continue anywhere else, are not supported",
            "public static partial class C { [Differentiable] public static float F(Backprop.Tensor w, int n) { var s = 0f; for (int i = 0; i < n; i++) { if (i > 2) { [|break;|] } s += Backprop.Nn.Sum(w); } return s; } }"
        },
        {
            "BP0006", "Parameter 'v' cannot be used by a [Differentiable] method: tensor code takes its arrays as Tensor",
            "public static partial class C { [Differentiable] public static float F(Backprop.Tensor w, [|float[] v|]) => Backprop.Nn.Sum(w); }"
        },
        {
            "BP0004", "'C.Helper(Tensor)' has no derivative and an argument carries gradient",
            "public static partial class C { [Differentiable] public static float F(Backprop.Tensor w) => Backprop.Nn.Sum([|Helper(w)|]); static Backprop.Tensor Helper(Backprop.Tensor t) => t; }"
        },
        {
            "BP0006", "'List<double>' cannot carry a gradient; take the values as double[] or ReadOnlySpan<double> (CollectionsMarshal.AsSpan(list) at the call site), or mark the parameter [NoDiff]",
            "public static partial class C { [Differentiable] public static double F([|System.Collections.Generic.List<double> xs|]) => xs[0] * xs[1]; }"
        },
        {
            "BP0006", "'double[,]' cannot carry a gradient, only a one-dimensional double[] or span can; flatten it into a double[] (element [i * columns + j]; row i is the slice x.AsSpan(i * columns, columns)), or mark the parameter [NoDiff]",
            "public static partial class C { [Differentiable] public static double F([|double[,] xs|]) => xs[0, 0] * xs[0, 1]; }"
        },
        {
            "BP0003", "jagged (double[][]) and multi-dimensional (double[,]) arrays are not supported: keep the values in one double[] of rows × columns, element [i * columns + j], and take row i as a slice, x.AsSpan(i * columns, columns)",
            "public static partial class C { [Differentiable] public static double F(double[] x) { double[,] m = [|new double[2, 2]|]; return x[0]; } }"
        },
        {
            "BP0003", "jagged (double[][]) and multi-dimensional (double[,]) arrays are not supported",
            "public static partial class C { [Differentiable] public static double F(double[] x, [NoDiff] double[][] m) => x[0] * [|m[0][1]|]; }"
        },
        {
            "BP0003", "jagged (double[][]) and multi-dimensional (double[,]) arrays are not supported",
            "public static partial class C { static double[,] s_m = new double[2, 2]; [Differentiable] public static double F(double[] x) { [|s_m[0, 1]|] = x[0]; return x[1]; } }"
        },
        {
            "BP0003", "a List<double> is not supported: use a local array, double[] v = new double[n], with the count it needs (or the most it can need, and an int count beside it: v[count++] = value)",
            "public static partial class C { [Differentiable] public static double F(double[] x) { var list = [|new System.Collections.Generic.List<double>()|]; return x[0]; } }"
        },
        {
            "BP0003", "a List<double> is not supported: use a local array",
            "public static partial class C { static readonly System.Collections.Generic.List<double> s_list = new(); [Differentiable] public static double F(double x) { [|s_list.Add(x)|]; return x; } }"
        },
        {
            "BP0003", "a span slice is read as the elements of the array it is a window on: index it, take its Length, loop over it with foreach, copy it, or pass it to a [Differentiable] method or helper (read in place)",
            "public static partial class C { static double Plain(System.ReadOnlySpan<double> v) => v[0]; [Differentiable] public static double F(double[] x) => Plain([|System.MemoryExtensions.AsSpan(x, 1)|]) * x[0]; }"
        },
        {
            "BP0003", "'w' is assigned another array in this method, so which elements this slice holds would change; slice an array that keeps its elements",
            "public static partial class C { [Differentiable] public static double F(double[] x) { double[] w = new double[3]; System.ReadOnlySpan<double> s = [|System.MemoryExtensions.AsSpan(w, 1)|]; w = new double[4]; return s[0] * x[0]; } }"
        },
        {
            "BP0003", "a range of an array is a copy of its elements in C#; take a slice instead, read in place (x.AsSpan(1, 2) for x[1..3])",
            "public static partial class C { [Differentiable] public static double F(double[] x) => [|x[1..3]|][0] * x[0]; }"
        },
        {
            "BP0003", "assigning through a call that returns a ref ('At') is not supported; assign the element or variable itself",
            "public static partial class C { static ref double At(double[] a, int i) => ref a[i]; [Differentiable] public static double F(double[] x) { double[] w = new double[2]; [|At(w, 0)|] = x[0]; return w[0]; } }"
        },
        {
            "BP0007", "writes to an array or span it was given",
            "public static partial class C { [Differentiable] public static double F(double[] x) { System.Span<double> s = System.MemoryExtensions.AsSpan(x, 1); [|s[0]|] = 2; return s[0] * x[0]; } }"
        },
        {
            "BP0003", "indexing a List<double> is not supported, only arrays and spans of double or float can be indexed",
            "public static partial class C { [Differentiable] public static double F([NoDiff] System.Collections.Generic.List<double> xs, double y) => [|xs[0]|] * y; }"
        },
        {
            "BP0003", "tensor code reads arrays only as Tensor[] fields of the model or Tensor[] parameters of the method itself (W[i]): hold other tensors in fields or parameters of their own",
            "public partial class M { static Backprop.Tensor[] Shared = [Backprop.Tensor.Matrix(3, 3)]; [Differentiable] public float F(Backprop.Tensor x) => Backprop.Nn.Sum(Backprop.Nn.MatMul(x, [|Shared[0]|])); }"
        },
        {
            "BP0003", "tensor code returns once, at its end: assign a local in the branches or the loop and return it after them",
            "public partial class M { Backprop.Tensor w = Backprop.Tensor.Matrix(3, 3); [Differentiable] public float F(Backprop.Tensor x, bool train) { if (train) { [|return Backprop.Nn.Sum(Backprop.Nn.MatMul(x, w));|] } return Backprop.Nn.Sum(x); } }"
        },
        {
            "BP0003", "MathF.MaxMagnitude has no derivative rule; give a float function of your own a [DerivativeRule] and call it",
            "public partial class M { Backprop.Tensor w = Backprop.Tensor.Matrix(3, 3); [Differentiable] public float F(Backprop.Tensor x) => [|System.MathF.MaxMagnitude(Backprop.Nn.Sum(Backprop.Nn.MatMul(x, w)), 1f)|]; }"
        },
        {
            "BP0004", "'Tensor.SliceRows(int, int)' has no derivative and the object it is called on carries gradient: mark that field [NoDiff] if it needs no gradient",
            "public partial class M { Backprop.Tensor e = Backprop.Tensor.Matrix(4, 3); Backprop.Tensor w = Backprop.Tensor.Matrix(3, 2); [Differentiable] public float F() => Backprop.Nn.Sum(Backprop.Nn.MatMul([|e.SliceRows(0, 2)|], w)); }"
        },
        {
            "BP0003", "a tuple is supported held in a local, written out where it is assigned (t = (x, y), (a, b) = (b, a), var (m, v) = (x, y)) and read element by element (t.Item1, s.Mean); a method's tuple result only where a deconstruction or tuple local takes it from a [Differentiable] method (var (m, v) = Stats(x)); a tuple is not passed to a method",
            "public static partial class C { static (double, double) Swap(double a, double b) => (b, a); [Differentiable] public static double F(double x, double y) { var u = [|Swap(x, y)|]; return u.Item1 * y; } }"
        },
        {
            "BP0003", "a tuple is supported held in a local",
            "public static partial class C { [Differentiable] static (double, int) Pair(double a) => (a * a, 2); [Differentiable] public static double F(double x) => [|Pair(x).Item1|] * x; }"
        },
        {
            "BP0003", "a nested tuple cannot be deconstructed; deconstruct it in a statement of its own",
            "public static partial class C { [Differentiable] public static double F(double x, double y) { var ([|(a, b)|], c) = ((x, y), x); return a * b * c; } }"
        },
        {
            "BP0003", "a local of type 'Named' is not supported: its field 'Label' is a string; a struct may hold double, float, int and bool fields, arrays of double or float",
            "public struct Named { public double X; public string Label; } public static partial class C { [Differentiable] public static double F(double x) { Named [|n = default|]; n.X = x; return n.X; } }"
        },
        {
            "BP0003", "'V' is made by a constructor of its own, whose body is not read; make it a positional record struct, or set its fields with an object initializer (new V { X = … })",
            "public struct V { public double X; public V(double x) { X = 2 * x; } } public static partial class C { [Differentiable] public static double F(double x) { var v = [|new V(x)|]; return v.X; } }"
        },
        {
            "BP0003", "its field 'Y' cannot be read and set from here",
            "public struct V { public double X; private double Y; } public static partial class C { [Differentiable] public static double F(double x) { V [|v = default|]; v.X = x; return v.X; } }"
        },
        {
            "BP0003", "'Y' has an initializer, which a constructor call runs; set it where the struct is made instead",
            "public record struct V(double X) { public double Y { get; set; } = 1; } public static partial class C { [Differentiable] public static double F(double x) { var [|v = new V(x)|]; return v.X * v.Y; } }"
        },
        {
            "BP0004", "'C.Norm(P)' has no derivative and an argument carries gradient: mark it [Differentiable]",
            "public record struct P(double X, double V); public static partial class C { static double Norm(P p) => p.X * p.X; [Differentiable] public static double F(double x) { var p = new P(x, 1); return [|Norm(p)|]; } }"
        },
        {
            "BP0003", "a struct is supported held in a local — made with a record's own constructor (new P(x, v)), an object initializer (new V { X = x }), default or with — copied to another local and read and written field by field (p.X); it is passed to and returned from [Differentiable] methods (read in place), not to other methods",
            "public record struct P(double X, double V); public static partial class C { [Differentiable] public static double F(double x) { var p = new P(x, 1); var q = [|x > 0 ? p : default|]; return q.X; } }"
        },
        {
            "BP0003", "'V.operator *(V, V)' is an operator of your own: mark it [Differentiable] and it is read in place where it is used",
            "public record struct V(double X, double Y) { public static double operator *(V a, V b) => a.X * b.X + a.Y * b.Y; } public static partial class C { [Differentiable] public static double F(double x) { var v = new V(x, 1); return [|v * v|]; } }"
        },
        {
            "BP0003", "or give the generator its definition ([assembly: Definitions(typeof(Plane), typeof(YourDefinitions))] with a static [Differentiable] New)",
            "public static partial class C { [Differentiable] public static float F(float x) { var p = [|new System.Numerics.Plane(x, 1, 2, 3)|]; return p.D; } }"
        },
        {
            "BP0004", "give the generator its definition in C# ([assembly: Definitions(typeof(Plane), typeof(YourDefinitions))], a static [Differentiable] DotNormal in it)",
            "public static partial class C { [Differentiable] public static float F(float x) { var p = new System.Numerics.Plane { D = x }; return [|System.Numerics.Plane.DotNormal(p, System.Numerics.Vector3.UnitX)|]; } }"
        },
        {
            "BP0018", "'Dott' is in a class of definitions, but it defines nothing: 'Plane' has no public method, operator, property or constructor named 'Dott'",
            "[assembly: Definitions(typeof(System.Numerics.Plane), typeof(D))] public static class D { [Differentiable] public static float [|Dott|](System.Numerics.Plane p, System.Numerics.Vector3 v) => p.D; }"
        },
        {
            "BP0018", "'Plane' has no 'DotNormal' taking (Plane) and returning float; those it has take (Plane, Vector3) and return float (an instance member's definition takes the instance first)",
            "[assembly: Definitions(typeof(System.Numerics.Plane), typeof(D))] public static class D { [Differentiable] public static float [|DotNormal|](System.Numerics.Plane p) => p.D; }"
        },
        {
            "BP0003", "a local of type 'P' is not supported: its field 'C' is an array, and a local of a struct with an array field must be given its value where it is declared and keep it",
            "public record struct P(double[] C, double S); public static partial class C { [Differentiable] public static double F(double[] w, double x) { var [|q = new P(w, x)|]; q = q with { S = 2 }; return q.S * q.C[0]; } }"
        },
        {
            "BP0003", "a local of type 'Box' is not supported: it is a class, a reference type: two names can hold the same object",
            "public sealed class Box { public double X; } public static partial class C { [Differentiable] public static double F(double x) { var [|b = new Box { X = x }|]; b.X *= 2; return b.X; } }"
        },
        {
            "BP0003", "'C.Deep(Tensor)' cannot be read in place: tensor code cannot be recursive",
            "public static partial class C { [Differentiable] public static Backprop.Tensor Deep(Backprop.Tensor x) => [|Deep(x)|]; }"
        },
    };

    public static TheoryData<string, string, string> WarningCases() => new()
    {
        {
            "BP0011", "'(int)(x * 10)' converts a value that carries gradient to 'int': the gradient through it is zero",
            "public static partial class C { [Differentiable] public static double F(double x) => [|(int)(x * 10)|] * x; }"
        },
        {
            "BP0012", "The result of 'F' does not depend on any differentiable parameter: its gradient is always zero",
            "public static partial class C { [Differentiable] public static double [|F|](double x, int n) => n * 2.0; }"
        },
        {
            "BP0013", "[NoDiff] on 'n' has no effect: a parameter of type 'int' gets no gradient anyway",
            "public static partial class C { [Differentiable] public static double F(double x, [[|NoDiff|]] int n) => n * x; }"
        },
    };

    [Theory]
    [MemberData(nameof(WarningCases))]
    public void DoubtfulCode_WarnsAtTheOffendingSyntax_AndStillGenerates(string id, string message, string markup)
    {
        var (source, expectedSpan) = Unmark(markup);
        var (result, output) = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(expectedSpan, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Contains(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.NotEmpty(GeneratorHarness.MethodTrees(result));
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output));
    }

    /// <summary>
    /// A rule gives first derivatives only. A call of FHessianVector or FHessian of a method that reaches one — here
    /// through another [Differentiable] method — is error BP0016 naming the rule; the method itself and its first
    /// derivatives are fine, and so is the Hessian of a method that does not reach the rule.
    /// </summary>
    /// <summary>
    /// A one-expression helper is read in place where it is called — unless its body has an error: then the call stays a
    /// call, and the errors are those of a helper of two statements: the helper's own at the helper, and at the call that
    /// it has errors of its own.
    /// </summary>
    [Theory]
    [InlineData("=> Math.IEEERemainder(x, 3) * x;")]
    [InlineData("{ double p = Math.IEEERemainder(x, 3); return p * x; }")]
    public void HelperWithAnError_IsReportedAtItsDeclaration_NotWhereItIsReadInPlace(string body)
    {
        var (result, _) = GeneratorHarness.Run($$"""
            using System;
            using Backprop;
            public static partial class C
            {
                [Differentiable] public static double Helper(double x) {{body}}
                [Differentiable] public static double Caller(double x, double y) => Helper(x * y) + y;
            }
            """);
        Assert.Collection(
            result.Diagnostics.OrderBy(d => d.Location.SourceSpan.Start),
            atHelper =>
            {
                Assert.Equal("BP0004", atHelper.Id);
                Assert.Equal("Math.IEEERemainder(x, 3)", Spanned(atHelper));
            },
            atCall =>
            {
                Assert.Equal("BP0003", atCall.Id);
                Assert.Equal("Helper(x * y)", Spanned(atCall));
                Assert.Contains("'Helper' has errors of its own (see them at its declaration)", atCall.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            });

        static string Spanned(Microsoft.CodeAnalysis.Diagnostic d) => d.Location.SourceTree!.ToString().Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length);
    }

    [Fact]
    public void HessianThroughAFirstOrderRule_IsBP0016NamingTheRule_WhereItIsCalled()
    {
        var (result, output) = GeneratorHarness.Run("""
            using System;
            using Backprop;
            public static partial class C
            {
                [DerivativeRule(nameof(SoftplusBackward))]
                public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
                public static void SoftplusBackward(double x, double result, double dResult, ref double dx) => dx += dResult / (1 + Math.Exp(-x));

                [Differentiable] public static double Inner(double x) { double s = Softplus(x); return s * x; } // two statements: a call, not read in place
                [Differentiable] public static double Outer(double x, double y) => Inner(x * y) + y;
                [Differentiable] public static double Plain(double x, double y) => x * x * y;

                public static double Use(double x, double y)
                {
                    OuterGradient(x, y, out var dx, out _);
                    PlainHessianVector(x, y, 1, 0, out var hx, out _);
                    return dx + hx + OuterHessianVector(x, y, 1, 0, out _, out _);
                }
            }
            """);
        Assert.Empty(result.Diagnostics);
        var error = Assert.Single(GeneratorHarness.ErrorsAndWarnings(output));
        Assert.Equal("BP0016", error.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, error.Severity);
        var message = error.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("Outer has no second derivative: it calls Inner, which reaches Softplus, whose [DerivativeRule] SoftplusBackward", message, StringComparison.Ordinal);
        Assert.Contains("OuterHessianVector", error.Location.SourceTree!.ToString().Substring(error.Location.SourceSpan.Start, error.Location.SourceSpan.Length), StringComparison.Ordinal);
    }

    [Fact]
    public void CallWithoutDerivative_IsAllowedWhenNoArgumentCarriesGradient()
    {
        var (result, output) = GeneratorHarness.Run("""
            using Backprop;
            public static partial class C
            {
                [Differentiable]
                public static double F(double x, int n) => x * Scale(n) + Helper(NoDiff.Value(x));

                static double Scale(int n) => n * 0.5;

                static double Helper(double v) => v * v;
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output));
    }

    /// <summary>
    /// A diagnostic located in the syntax tree (not merely at a file path) is what lets <c>#pragma warning disable</c>
    /// suppress it in a build and the IDE offer code fixes on it.
    /// </summary>
    [Fact]
    public void Diagnostics_AreLocatedInTheSyntaxTree()
    {
        var compilation = GeneratorHarness.CreateCompilation("""
            using Backprop;
            public static partial class C
            {
                [Differentiable]
                public static double F(double x) => (int)(x * 10) * x + x;
            }
            """);
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics);

        var warning = Assert.Single(diagnostics);
        Assert.Equal("BP0011", warning.Id);
        Assert.True(warning.Location.IsInSource);
        Assert.Same(compilation.SyntaxTrees.Single(), warning.Location.SourceTree);
    }

    private static (string Source, string Span) Unmark(string markup)
    {
        var start = markup.IndexOf("[|", StringComparison.Ordinal);
        var end = markup.IndexOf("|]", StringComparison.Ordinal) - 2;
        var source = "using Backprop;\n" + markup.Replace("[|", string.Empty, StringComparison.Ordinal).Replace("|]", string.Empty, StringComparison.Ordinal);
        return (source, source.Substring(start + 16, end - start));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void UnsupportedCode_ReportsOneErrorAtTheOffendingSyntax(string id, string message, string markup)
    {
        var (source, expectedSpan) = Unmark(markup);
        var (result, output) = GeneratorHarness.Run(source);

        // One error; a note beside it (BP0015 on a helper the method calls) is not a second error.
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Severity != Microsoft.CodeAnalysis.DiagnosticSeverity.Info);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(expectedSpan, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Contains(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal($"https://github.com/backprop-dotnet/backprop/blob/main/docs/diagnostics.md#{id.ToLowerInvariant()}", diagnostic.Descriptor.HelpLinkUri);
        Assert.True(Uri.TryCreate(diagnostic.Descriptor.HelpLinkUri, UriKind.Absolute, out _), "help links must be absolute: an IDE opens them from the package");
        Assert.Empty(GeneratorHarness.MethodTrees(result));
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Id == "CS8785");
    }

    /// <summary>
    /// A name for a model stands for one sub-module or model: a local made with new is reported where it is made, and
    /// assigning such a name another is reported where it is assigned.
    /// </summary>
    [Theory]
    [InlineData("var layer = [|new L()|]; return Backprop.Nn.Sum(layer.Forward(x));", "a local of the model type 'L' names one of the model's sub-modules (a field, an element of an array field): the parameters of any other object are not the model's")]
    [InlineData("var layer = First; [|layer = Second;|] return Backprop.Nn.Sum(layer.Forward(x));", "'layer' names a model: tensor code does not assign it again")]
    [InlineData("[|net = this;|] return Backprop.Nn.Sum(net.First.Forward(x));", "'net' names a model: tensor code does not assign it again")]
    public void ANameForAModel_StandsForOne(string body, string message)
    {
        var (source, expectedSpan) = Unmark($$"""
            public sealed partial class L { public Backprop.Tensor W = Backprop.Tensor.Matrix(2, 2); [Differentiable] public Backprop.Tensor Forward(Backprop.Tensor x) => x * W; }
            public sealed partial class C { public L First = new(), Second = new(); [Differentiable] public float F(Backprop.Tensor x, C net) { {{body}} } }
            """);
        var (result, _) = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("BP0003", diagnostic.Id);
        Assert.Equal(expectedSpan, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Contains(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>Tensor code computes in float: a float passed to a scalar helper that takes a double is a conversion, reported at the argument.</summary>
    [Fact]
    public void AScalarHelperTakingDouble_CalledWithAFloat_SaysWhatToPass()
    {
        var (source, expectedSpan) = Unmark("""
            public static partial class S { [Differentiable] public static double Square(double x) => x * x; }
            public static partial class C { [Differentiable] public static float F(Backprop.Tensor w) => (float)S.Square([|Backprop.Nn.Sum(w)|]); }
            """);
        var (result, _) = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Equal(expectedSpan, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Contains("tensor code computes in float: keep values that carry gradient float", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>A span local assigned after its declaration is not a slice Backprop can follow: the assignment and the read say what to write.</summary>
    [Fact]
    public void SpanLocalAssignedLater_SaysToDeclareItWithTheSlice()
    {
        var (result, _) = GeneratorHarness.Run("using Backprop; public static partial class C { [Differentiable] public static double F(double[] x) { System.ReadOnlySpan<double> s; s = System.MemoryExtensions.AsSpan(x, 1); return s[0]; } }");
        Assert.NotEmpty(result.Diagnostics);
        Assert.All(result.Diagnostics, d => Assert.Contains("a span local must be a slice, given where it is declared and never reassigned (ReadOnlySpan<double> row = x.AsSpan(start, length);), or a stackalloc", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    /// <summary>A stackalloc is a local array where a span local is declared with it; anywhere else it says so.</summary>
    [Fact]
    public void StackallocPassedStraightToACall_SaysToDeclareASpanLocal()
    {
        const string Source = "using Backprop; public static partial class C { [Differentiable] public static double F(double x) => Sum(stackalloc double[] { x, x * x }); [Differentiable] public static double Sum(System.ReadOnlySpan<double> v) => v[0] + v[1]; }";
        var (result, _) = GeneratorHarness.Run(Source);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("BP0003", diagnostic.Id);
        Assert.Equal("stackalloc double[] { x, x * x }", Source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Contains("stackalloc is supported where a span local of double or float is declared, never reassigned (Span<double> t = stackalloc double[3];)", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>A stack span assigned another stackalloc later is not one local array: the declaration and the assignment say so.</summary>
    [Fact]
    public void StackallocLocalReassigned_SaysToKeepTheOneItIsMadeWith()
    {
        var (result, _) = GeneratorHarness.Run("using Backprop; public static partial class C { [Differentiable] public static double F(double x) { System.Span<double> t = stackalloc double[2]; t = stackalloc double[3]; t[0] = x * x; return t[0]; } }");
        Assert.Equal(2, result.Diagnostics.Length);
        Assert.All(result.Diagnostics, d => Assert.Contains("or a stackalloc, made where it is declared and never reassigned (Span<double> t = stackalloc double[3];)", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    /// <summary>A [Differentiable] method passed a span slice is read in place, which needs a place where it always runs.</summary>
    [Fact]
    public void SliceArgument_InABranchOfAConditional_SaysTheCallIsReadInPlace()
    {
        var (source, expectedSpan) = Unmark("public static partial class C { [Differentiable] static double Dot(System.ReadOnlySpan<double> a, System.ReadOnlySpan<double> b) => a[0] * b[0]; [Differentiable] public static double F(double[] x) => x[0] > 0 ? [|Dot(System.MemoryExtensions.AsSpan(x, 1), x)|] : x[1]; }");
        var (result, _) = GeneratorHarness.Run(source);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("BP0003", diagnostic.Id);
        Assert.Equal(expectedSpan, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Contains("'Dot' is passed a span slice, so it is read in place, which it can be only where it always runs", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>Differentiating a generated derivative (a second derivative) says so, names the member, and F itself still gets its code.</summary>
    [Theory]
    [InlineData("double dx = 0; [|FBackward(x, 1.0, ref dx)|]; return dx;", "'FBackward' is a derivative Backprop generates, and derivatives are not differentiated again yet (no second derivatives or Hessians: reverse mode only)")]
    [InlineData("var g = [|FGradient(x, out var dx)|]; return dx;", "'FGradient' is a derivative Backprop generates")]
    [InlineData("var g = [|Other.HGradient(x, out var dx)|]; return dx;", "'HGradient' is a derivative Backprop generates")]
    public void DifferentiatingAGeneratedDerivative_SaysSecondDerivativesAreNotSupported(string body, string message)
    {
        var (source, expectedSpan) = Unmark(
            "public static partial class Other { [Differentiable] public static double H(double x) => x * x; }\n" +
            "public static partial class C { [Differentiable] public static double F(double x) => x * x * x; [Differentiable] public static double G(double x) { " + body + " } }");
        var (result, output) = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("BP0003", diagnostic.Id);
        Assert.Equal(expectedSpan, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Contains(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(["F", "H"], GeneratorHarness.MethodTrees(result).Select(t => System.IO.Path.GetFileName(t.FilePath).Split('.')[1]).Order());
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output).Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
    }

    /// <summary>A layer with an error of its own gets it at its declaration; the model that calls it is told why it has no gradient.</summary>
    [Fact]
    public void CalledLayerWithAnError_IsReportedThereOnce_AndAtTheCall()
    {
        var (source, _) = Unmark("""
            public static partial class Layers { [Differentiable] public static Backprop.Tensor Bad(Backprop.Tensor x) { var y = x; while (y.Rows > 2) { y = y + y; } return y; } }
            public static partial class C { [Differentiable] public static float F(Backprop.Tensor x) => Backprop.Nn.Sum([|Layers.Bad(x)|]); }
            """);
        var (result, _) = GeneratorHarness.Run(source);

        // At the declaration, the loop; at the call, why the call has no gradient, naming the first error read in it.
        Assert.Equal(2, result.Diagnostics.Length);
        Assert.Single(result.Diagnostics, d => d.Location.GetLineSpan().StartLinePosition.Line == 1 && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("'while (y.Rows > 2) { y = y + y; }' cannot be differentiated: tensor code is local declarations", StringComparison.Ordinal));
        Assert.Single(result.Diagnostics, d => d.Location.GetLineSpan().StartLinePosition.Line == 2 && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("'Layers.Bad(Tensor)' cannot be read in place: in it, 'while (y.Rows > 2) { y = y + y; }' cannot be differentiated", StringComparison.Ordinal));
    }

    /// <summary>A void helper with an error of its own gets it at its declaration; a method that calls it is told where, once.</summary>
    [Fact]
    public void CalledHelperWithAnError_IsReportedThereOnce_AndAtTheCall()
    {
        var source = """
            using Backprop;
            public static partial class Helpers { [Differentiable] public static void Bad(double[] v) { string s = "n" + v[0]; v[0] = 1; } }
            public static partial class C { [Differentiable] public static double F(double x) { double[] v = new double[1]; v[0] = x; Helpers.Bad(v); return v[0]; } }
            """;
        var (result, _) = GeneratorHarness.Run(source);

        Assert.Equal(2, result.Diagnostics.Length);
        Assert.Single(result.Diagnostics, d => d.Location.GetLineSpan().StartLinePosition.Line == 1 && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("string operations are not differentiable", StringComparison.Ordinal));
        Assert.Single(result.Diagnostics, d => d.Location.GetLineSpan().StartLinePosition.Line == 2 && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("'Helpers.Bad(double[])' cannot be read in place here: its body has an error (Input0.cs, line 2): ", StringComparison.Ordinal));
    }

    /// <summary>
    /// A [Differentiable] method with errors of its own has no generated derivative: a method that calls it is told so at
    /// the call, and the code generated for the rest still compiles (Clad's FunctionCalls.C fn2 and fn5, ported).
    /// </summary>
    [Fact]
    public void CalledMethodWithAnError_IsReportedThere_AndTheCallSaysWhy()
    {
        var source = """
            using Backprop;
            public static partial class C
            {
                [Differentiable] static double Modify2(double[] a) { a[0] = 5 * a[0]; return 1; }
                [Differentiable] static double Stringly(double x) => "s".Length * x;
                [Differentiable] public static double F(double x) => Stringly(x) * x;
                [Differentiable] public static double G(double[] a) { double u = Modify2(a); return a[0] * u; }
                [Differentiable] public static double H(double x) => x * x;
            }
            """;
        var (result, output) = GeneratorHarness.Run(source);

        Assert.Single(result.Diagnostics, d => d.Id == "BP0007" && d.Location.GetLineSpan().StartLinePosition.Line == 3);
        Assert.Single(result.Diagnostics, d => d.Id == "BP0003" && d.Location.GetLineSpan().StartLinePosition.Line == 4);
        Assert.Single(result.Diagnostics, d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("'Stringly' has errors of its own (see them at its declaration)", StringComparison.Ordinal));
        Assert.Single(result.Diagnostics, d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("'Modify2' has errors of its own", StringComparison.Ordinal));
        Assert.Equal(4, result.Diagnostics.Length);
        Assert.Equal(["H"], GeneratorHarness.MethodTrees(result).Select(t => System.IO.Path.GetFileName(t.FilePath).Split('.')[1]));
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output).Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
    }

    /// <summary>A method with a ref parameter that returns a value is a helper read in place: it is told so (BP0015, info) and gets no code of its own.</summary>
    [Fact]
    public void ValueHelperWithARef_IsToldItIsReadInPlace_AndGetsNoCodeOfItsOwn()
    {
        var source = """
            using Backprop;
            public static partial class C
            {
                [Differentiable] public static double Step(ref double x, double k) { x *= k; return x * x; }
                [Differentiable] public static double F(double x) { double y = x; double e = Step(ref y, 3); return e + y; }
            }
            """;
        var (result, output) = GeneratorHarness.Run(source);

        var info = Assert.Single(result.Diagnostics);
        Assert.Equal("BP0015", info.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Info, info.Severity);
        Assert.Contains("'Step' takes a ref or out parameter, so it is a helper read in place", info.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(["F"], GeneratorHarness.MethodTrees(result).Select(t => System.IO.Path.GetFileName(t.FilePath).Split('.')[1]));
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output));
    }

    /// <summary>A method that returns a struct of numbers is a helper read in place (BP0015 says so and what to write to differentiate it on its own).</summary>
    [Fact]
    public void StructResult_IsToldItIsReadInPlace()
    {
        var source = """
            using Backprop;
            public record struct P(double X, double V);
            public static partial class C
            {
                [Differentiable] public static P Energy(double x) => new P(x, x * x);
            }
            """;
        var (result, output) = GeneratorHarness.Run(source);

        var info = Assert.Single(result.Diagnostics);
        Assert.Equal("BP0015", info.Id);
        Assert.Contains("'Energy' returns a struct, so it is a helper read in place", info.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains("return one number", info.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(GeneratorHarness.MethodTrees(result));
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output));
    }

    [Fact]
    public void CallingAMethodOfAnObjectThatIsNotASubModule_SaysWhatCanBeCalled()
    {
        var (source, expectedSpan) = Unmark("""
            public sealed partial class Layer { public Backprop.Tensor W = Backprop.Tensor.Matrix(3, 3); [Differentiable] public Backprop.Tensor Forward(Backprop.Tensor x) => x * W; }
            public static partial class M { static readonly Layer Shared = new(); [Differentiable] public static float Loss(Backprop.Tensor x) => Backprop.Nn.Sum([|Shared.Forward(x)|]); }
            """);
        var (result, _) = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(expectedSpan, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Contains("'Layer.Forward(Tensor)' cannot be read in place: a method of another object can be called only on a sub-module (a field of this model whose type is a model, with tensor fields and a [Differentiable] method of its own) or on a model the method takes as a parameter",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>
    /// A vector function's output read before anything is written into it — the classic <c>y[i] += …</c> into a span the
    /// caller may not have cleared, or a sum over it — is BP0017 at the read; reading back what was written is fine.
    /// </summary>
    [Theory]
    [InlineData("y[i] += x[i];", "y[i]")]
    [InlineData("double s = y[0]; y[i] = x[i] * s;", "y[0]")]
    [InlineData("y[i] = x[i] + y[i];", "y[i]")]
    public void OutputReadBeforeWritten_IsBP0017AtTheRead(string statement, string read)
    {
        var (result, _) = GeneratorHarness.Run($$"""
            using System;
            using Backprop;
            public static partial class C
            {
                [Differentiable]
                public static void G(ReadOnlySpan<double> x, Span<double> y)
                {
                    for (int i = 0; i < x.Length; i++)
                    {
                        {{statement}}
                    }
                }
            }
            """);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("BP0017", error.Id);
        Assert.Equal(read, error.Location.SourceTree!.ToString().Substring(error.Location.SourceSpan.Start, error.Location.SourceSpan.Length));
        Assert.Contains("'y' is an output of 'G'", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.DoesNotContain(GeneratorHarness.MethodTrees(result), t => t.FilePath.Contains(".G.", StringComparison.Ordinal));
    }

    /// <summary>
    /// What a vector function may do with its outputs besides writing them: read back what it wrote, take their Length;
    /// a return before its end is BP0003 (its derivative must see every write); a parameter named like a generated
    /// derivative (dy beside an output y) is BP0008.
    /// </summary>
    [Fact]
    public void VectorFunction_ReadsAfterWrites_EarlyReturnAndNameClash()
    {
        var (result, output) = GeneratorHarness.Run("""
            using System;
            using Backprop;
            public static partial class C
            {
                [Differentiable]
                public static void Prefix(ReadOnlySpan<double> x, Span<double> y)
                {
                    y[0] = x[0];
                    for (int i = 1; i < y.Length; i++) { y[i] = y[i - 1] + x[i]; }
                }

                [Differentiable]
                public static void Early(ReadOnlySpan<double> x, Span<double> y)
                {
                    y[0] = x[0];
                    if (x[0] > 0) { return; }
                    y[1] = x[1];
                }

                [Differentiable]
                public static void Clash(ReadOnlySpan<double> x, Span<double> y, double dy) => y[0] = x[0] * dy;

                public static void Use(double[] x, double[] y, double[] j) => PrefixJacobian(x, y, j);
            }
            """);
        Assert.Collection(result.Diagnostics.OrderBy(d => d.Location.SourceSpan.Start),
            early => Assert.Equal(("BP0003", "return;"), (early.Id, Text(early))),
            clash => Assert.Equal(("BP0008", "double dy"), (clash.Id, Text(clash))));
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(output));

        static string Text(Microsoft.CodeAnalysis.Diagnostic d) => d.Location.SourceTree!.ToString().Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length);
    }

    /// <summary>
    /// A ref local to an element of an array the method was given is read freely, but a write through it is BP0007 at
    /// the write, like a[i] = …; a ref to an element counted from the end is BP0003 saying what is supported.
    /// </summary>
    [Fact]
    public void RefLocalToAGivenArraysElement_IsReadOnly_AndFromTheEndIsBP0003()
    {
        var (result, _) = GeneratorHarness.Run("""
            using System;
            using Backprop;
            public static partial class C
            {
                [Differentiable]
                public static double Writes(double[] a)
                {
                    ref double r = ref a[0];
                    r = r * 2;
                    return a[0];
                }

                [Differentiable]
                public static double FromTheEnd(double[] a)
                {
                    ref double r = ref a[^1];
                    return r * r;
                }
            }
            """);
        Assert.Collection(result.Diagnostics.OrderBy(d => d.Location.SourceSpan.Start),
            write => Assert.Equal(("BP0007", "r"), (write.Id, Text(write))),
            end =>
            {
                Assert.Equal(("BP0003", "r = ref a[^1]"), (end.Id, Text(end)));
                Assert.Contains("(ref double r = ref a[i];)", end.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            });

        static string Text(Microsoft.CodeAnalysis.Diagnostic d) => d.Location.SourceTree!.ToString().Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length);
    }
}
