using System;
using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Diagnostics;

/// <summary>Every diagnostic Backprop reports; ids are never reused (see AnalyzerReleases.*.md and docs/diagnostics.md).</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Backprop";

    public static readonly DiagnosticDescriptor InternalError = new(
        id: "BP0001",
        title: "Backprop generator internal error",
        messageFormat: "Backprop could not generate the derivative of '{0}': {1}. Please report this with the method's source.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0001"));

    public static readonly DiagnosticDescriptor TypeNotPartial = new(
        id: "BP0002",
        title: "Containing type must be partial",
        messageFormat: "'{0}' contains the [Differentiable] method '{1}' and must be declared partial so the generated gradient methods can be added to it",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0002"));

    public static readonly DiagnosticDescriptor UnsupportedConstruct = new(
        id: "BP0003",
        title: "Construct cannot be differentiated",
        messageFormat: "'{0}' cannot be differentiated: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0003"));

    public static readonly DiagnosticDescriptor CallWithoutDerivative = new(
        id: "BP0004",
        title: "Called method has no derivative",
        messageFormat: "'{0}' has no derivative and {1} carries gradient: {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0004"));

    public static readonly DiagnosticDescriptor UnsupportedReturnType = new(
        id: "BP0005",
        title: "Return type cannot be differentiated",
        messageFormat: "'{0}' returns '{1}': a [Differentiable] method must return double or float (or, over tensors, Tensor)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0005"));

    public static readonly DiagnosticDescriptor UnsupportedParameter = new(
        id: "BP0006",
        title: "Parameter cannot be differentiated",
        messageFormat: "Parameter '{0}' cannot be used by a [Differentiable] method: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0006"));

    public static readonly DiagnosticDescriptor WriteOutsideMethod = new(
        id: "BP0007",
        title: "Differentiable method writes state it does not own",
        messageFormat: "'{0}' writes to {1}: a [Differentiable] method may only assign its own locals and local arrays",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0007"));

    public static readonly DiagnosticDescriptor GeneratedNameClash = new(
        id: "BP0008",
        title: "Generated name clashes with an existing name",
        messageFormat: "The generated {0} '{1}' would clash with an existing {2}; rename it",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0008"));

    public static readonly DiagnosticDescriptor UnsupportedMethodShape = new(
        id: "BP0009",
        title: "Method cannot be differentiated",
        messageFormat: "'{0}' cannot be differentiated: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0009"));

    public static readonly DiagnosticDescriptor NoDifferentiableParameter = new(
        id: "BP0010",
        title: "Nothing to differentiate with respect to",
        messageFormat: "'{0}' has no double or float parameter (or array or span of them) without [NoDiff]: there is no gradient to generate",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0010"));

    public static readonly DiagnosticDescriptor GradientLostInConversion = new(
        id: "BP0011",
        title: "Conversion to an integer has a zero gradient",
        messageFormat: "'{0}' converts a value that carries gradient to '{1}': the gradient through it is zero. Keep the value floating-point, or write NoDiff.Value(...) around it to say so.",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0011"));

    public static readonly DiagnosticDescriptor ResultIndependentOfParameters = new(
        id: "BP0012",
        title: "Result does not depend on any differentiable parameter",
        messageFormat: "The result of '{0}' does not depend on any differentiable parameter: its gradient is always zero",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0012"));

    public static readonly DiagnosticDescriptor NoDiffHasNoEffect = new(
        id: "BP0013",
        title: "[NoDiff] has no effect",
        messageFormat: "[NoDiff] on '{0}' has no effect: a parameter of type '{1}' gets no gradient anyway",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0013"));

    public static readonly DiagnosticDescriptor DerivativeRuleMismatch = new(
        id: "BP0014",
        title: "Derivative rule not found or has the wrong signature",
        messageFormat: "The derivative rule of '{0}' cannot be used: {1}. It must be: {2}.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0014"));

    public static readonly DiagnosticDescriptor HelperReadInPlace = new(
        id: "BP0015",
        title: "Helper read in place: no gradient of its own",
        messageFormat: "'{0}' {1}, so it is a helper read in place where a [Differentiable] method calls it: nothing is generated for it (no {0}Gradient); to differentiate it on its own, {2}",
        Category, DiagnosticSeverity.Info, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0015"));

    public static readonly DiagnosticDescriptor DefinitionMismatch = new(
        id: "BP0018",
        title: "A definition stands for no function of its type",
        messageFormat: "'{0}' is in a class of definitions, but it defines nothing: {1}. Nothing calls it in place of the function it was meant for, so that function still has no derivative.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0018"));

    public static readonly DiagnosticDescriptor OutputReadBeforeWritten = new(
        id: "BP0017",
        title: "An output is read before it is written",
        messageFormat: "'{0}' is an output of '{1}' (a Span<{2}> parameter of a void [Differentiable] method), and '{3}' reads it before anything is written into it: the caller's old values are not an input of the function. Write it first (start a sum at 0 in a local, or assign {0}[i] before reading it back); to update values in place, take them as {2}[].",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("BP0017"));

    private static readonly DiagnosticDescriptor[] s_all =
    [
        InternalError, TypeNotPartial, UnsupportedConstruct, CallWithoutDerivative, UnsupportedReturnType,
        UnsupportedParameter, WriteOutsideMethod, GeneratedNameClash, UnsupportedMethodShape,
        NoDifferentiableParameter, GradientLostInConversion, ResultIndependentOfParameters, NoDiffHasNoEffect, DerivativeRuleMismatch,
        HelperReadInPlace, OutputReadBeforeWritten, DefinitionMismatch,
    ];

    public static DiagnosticDescriptor ById(string id) =>
        Array.Find(s_all, d => d.Id == id) ?? InternalError;

    /// <summary>Where docs/diagnostics.md is published: help links must be absolute so an IDE can open them from the package.</summary>
    public const string DocsUrl = "https://github.com/backprop-dotnet/backprop/blob/main/docs/diagnostics.md";

    private static string HelpLink(string id) => DocsUrl + "#" + id.ToLowerInvariant();
}
