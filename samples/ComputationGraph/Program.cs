using System;
using System.Globalization;
using System.IO;
using Backprop.Samples.ComputationGraph;

// The lecture notes' computational graphs, differentiated by the Backprop source generator at build time.
// Each example prints the forward value and every gradient the generated ...Gradient method returns.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Console.WriteLine("Backprop: the lecture notes' computational graphs, differentiated at compile time");
Console.WriteLine();

var f = LectureExamples.AddMultiplyGradient(-2, 5, -4, out var dx, out var dy, out var dz);
Example("f(x, y, z) = (x + y)·z at x = -2, y = 5, z = -4", f,
    ("df/dx", dx, "-4"), ("df/dy", dy, "-4"), ("df/dz", dz, "3"));

f = LectureExamples.SigmoidNeuronGradient(2, -3, -3, -1, -2, out var dw0, out var dw1, out var dw2, out var dx0, out var dx1);
Example("sigmoid neuron 1/(1 + exp(-(w0·x0 + w1·x1 + w2))) at w = (2, -3, -3), x = (-1, -2)", f,
    ("df/dw0", dw0, "-0.20"), ("df/dw1", dw1, "-0.39"), ("df/dw2", dw2, "0.20"), ("df/dx0", dx0, "0.39"), ("df/dx1", dx1, "-0.59"));

f = LectureExamples.WeightedEdgesGradient(1.5, 0.3, 2, -0.7, 4, out var dx1e, out var dw3, out var dx3, out var dw4, out var dx4);
Example("f = x1 - (w3·x3 + w4·x4) at x1 = 1.5, w3 = 0.3, x3 = 2, w4 = -0.7, x4 = 4", f,
    ("df/dx1", dx1e, "1"), ("df/dw3", dw3, "-x3 = -2"), ("df/dx3", dx3, "-w3 = -0.3"), ("df/dw4", dw4, "-x4 = -4"), ("df/dx4", dx4, "-w4 = 0.7"));

var sigma = 1 / (1 + Math.Exp(-((1.7 * 0.8) + (-0.4 * 2.5))));
f = LectureExamples.MultiplePathsGradient(0.8, -1.2, 1.7, -0.4, 2.5, out var dx3m, out var dx5, out var dw3m, out var dw4m, out var dx4m);
Example("f = (x3 + x5) - σ(w3·x3 + w4·x4) at x3 = 0.8, x5 = -1.2, w3 = 1.7, w4 = -0.4, x4 = 2.5", f,
    ("df/dx3", dx3m, $"1 - σ'·w3 = {1 - (sigma * (1 - sigma) * 1.7):0.######}"), ("df/dx5", dx5, "1"), ("df/dw3", dw3m, "-σ'·x3"),
    ("df/dw4", dw4m, "-σ'·x4"), ("df/dx4", dx4m, "-σ'·w4"));

f = LectureExamples.RegularizedLossGradient(0.6, -0.2, 1.5, 1.0, 0.1, out var dw, out var db);
Example("L(w, b) = ½(y - σ(w·x + b))² + λw² at w = 0.6, b = -0.2, x = 1.5, y = 1, λ = 0.1", f,
    ("dL/dw", dw, "-(y - σ)σ'x + 2λw"), ("dL/db", db, "-(y - σ)σ'"));

var generated = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "obj", "Generated");
Console.WriteLine("The backward code the generator wrote for each example is plain C# you can read and step through:");
Console.WriteLine($"  {Path.GetFullPath(generated)}");
Console.WriteLine("  (samples/ComputationGraph/obj/Generated/Backprop.Generator/..., one file per [Differentiable] method;");
Console.WriteLine("   EmitCompilerGeneratedFiles in ComputationGraph.csproj writes them there. In an IDE, F12 on AddMultiplyGradient.)");

static void Example(string title, double value, params (string Name, double Value, string Notes)[] gradients)
{
    Console.WriteLine(title);
    Console.WriteLine($"  forward: f = {value:0.######}");
    foreach (var (name, gradient, notes) in gradients)
    {
        Console.WriteLine($"  {name,-7} = {gradient,10:0.######}    lecture notes: {notes}");
    }

    Console.WriteLine();
}
