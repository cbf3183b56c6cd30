using System;

namespace Backprop.Generator.Tests.GradientChecks.Functions;

/// <summary>
/// Identifiers that once broke the generated code: locals whose adjoint would be a keyword (o → do), verbatim
/// identifiers (@out, @params), and user names equal to the generator's own (dResult, result, tape, dx for a local).
/// The test project only compiles if every generated file does; the catalog then checks each gradient.
/// </summary>
public static partial class Names
{
    [Differentiable, Sample(-2, 2)]
    public static double KeywordAdjoints(double x, double y)
    {
        double o = x * y;
        double ouble = o + x;
        double ecimal = ouble * y;
        double efault = Math.Sin(ecimal);
        double elegate = efault * x;
        double ynamic = elegate + 1;
        double ynamics = ynamic * ynamic;
        double ar = ynamics - o;
        return ar * 0.5;
    }

    [Differentiable, Sample(-2, 2)]
    public static double OneLetterKeywordParameter(double o, double x) => o * x + o;

    [Differentiable, Sample(-2, 2)]
    public static double VerbatimIdentifiers(double @out, double @params)
    {
        double @in = @out * @params;
        double @double = @in + @out;
        return @double * @double;
    }

    [Differentiable, Sample(-2, 2)]
    public static double GeneratorNames(double x, double w)
    {
        double dResult = x * w;
        double result = dResult * x;
        double tape = result + x;
        double product = tape * x;
        double sum = product + w;
        double dx = sum * 2;
        double ddx = dx * x;
        return ddx + result;
    }

    [Differentiable, Sample(-2, 2, Ints = [3])]
    public static double LoopWithGeneratorNames(double x, double y, int n)
    {
        double iterations = x;
        double stoppedAt = y;
        for (int @do = 0; @do < n; @do++)
        {
            double o = iterations * stoppedAt;
            iterations = Math.Sin(o) + x;
            stoppedAt = stoppedAt * 0.5 + iterations;
        }

        return iterations + stoppedAt;
    }
}
