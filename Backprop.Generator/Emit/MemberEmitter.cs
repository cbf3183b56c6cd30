using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Backprop.Generator.Emit;

/// <summary>Emit: writes one file per [Differentiable] method, its members inside the same partial type chain.</summary>
internal static class MemberEmitter
{
    public static void Emit(SourceProductionContext context, DifferentiateResult result)
    {
        if (result.Member is not { } member)
        {
            return; // the internal error is reported, at the method, by DiagnosticReporter.ReportInternalError
        }

        string text;
        try
        {
            text = Write(member);
        }
        catch (System.Exception e) when (e is not System.OperationCanceledException)
        {
            // Emit runs outside Differentiate's guard: a plan it cannot spell is an internal error, not a failed generator.
            var name = member.Scalar?.Method.Name ?? member.Vector?.Method.Name ?? member.Tensor?.Method.Name ?? member.HintName;
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, name, $"{e.GetType().Name} while writing the generated code: {e.Message}"));
            return;
        }

        context.AddSource(member.HintName + ".g.cs", SourceText.From(text, System.Text.Encoding.UTF8));
    }

    private static string Write(GeneratedMember member) => GeneratedFile.Write(member.Containing, writer =>
    {
        if (member.Tensor is { } tensor)
        {
            TensorMemberEmitter.Write(writer, tensor);
        }
        else if (member.Scalar is { } scalar)
        {
            ScalarMemberPrinter.Write(writer, scalar);
        }
        else if (member.Vector is { } vector)
        {
            ScalarMemberPrinter.WritePragmas(writer, vector.Warnings);
            VectorFunctionPrinter.Write(writer, vector);
        }
    });
}
