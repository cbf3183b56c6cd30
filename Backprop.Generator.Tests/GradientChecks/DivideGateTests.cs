using System;
using System.Text.RegularExpressions;
using Backprop.Generator.Tests.Infrastructure;
using Xunit;

namespace Backprop.Generator.Tests.GradientChecks;

/// <summary>
/// The divide gate with both inputs taking the gradient (issue 14, ADBench BA): the backward sweep divides once per gate,
/// into a local both contributions read, and forward mode once per gate too, dq = (da − q·db)/b. The derivatives
/// themselves are checked against central differences with the catalog (Arithmetic.Divide, SelfDivide, ValueOverItself;
/// ScalarGradientTests checks every catalog function's tangent).
/// </summary>
public sealed class DivideGateTests
{
    [Theory]
    [InlineData("Divide", 1)] // a / b shares dz/b; 1 / (a * b) is the reciprocal's rule, which multiplies
    [InlineData("SelfDivide", 1)] // x / t, t a function of x
    [InlineData("ValueOverItself", 2)] // t / t, and t / (x * x + 1)
    public void BackwardSweep_DividesOncePerDivideGate(string method, int gates)
    {
        var code = GeneratedBackward.OfCatalog("Arithmetic.cs", method);
        var backward = Regex.Replace(code[code.IndexOf("// backward pass", StringComparison.Ordinal)..], "//.*", ""); // the comments name the gates

        Assert.Equal(gates, Regex.Count(backward, @"OverDivisor = [^;]+ / "));
        Assert.Equal(gates, Regex.Count(backward, @" / "));
    }

    [Theory]
    [InlineData("Divide", 3)] // a / b and 1 / (a * b), then a / b's tangent (the reciprocal's rule multiplies)
    [InlineData("SelfDivide", 2)] // x / t, then its tangent
    [InlineData("ValueOverItself", 4)] // t / t and t / (x * x + 1), then their tangents
    public void Tangent_DividesOncePerDivideGate(string method, int divisions)
    {
        var tangent = Regex.Replace(GeneratedBackward.TangentOfCatalog("Arithmetic.cs", method), "//.*", "");

        Assert.Equal(divisions, Regex.Count(tangent, @" / "));
    }

    [Fact]
    public void SameValueOverItself_HasItsContributionsMetInOneAdjoint()
    {
        var code = GeneratedBackward.OfCatalog("Arithmetic.cs", "ValueOverItself");

        Assert.Matches(@"dt \+?= dquotientOverDivisor - quotient \* dquotientOverDivisor;", code);
    }
}
