using Backprop.Samples.ComputationGraph;

System.Console.WriteLine("hi " + LectureExamples.AddMultiplyGradient(-2, 5, -4, out var dx, out var dy, out var dz) + $" {dx} {dy} {dz}");
