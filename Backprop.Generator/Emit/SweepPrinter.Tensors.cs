using System.Linq;
using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>Spells the kinds of step only tensor code makes (<see cref="TensorPlan"/>).</summary>
internal static partial class SweepPrinter
{
    /// <summary>The kinds of step only tensor code makes (<c>Model/TensorSteps.cs</c>).</summary>
    private static void PrintTensorStep(SourceWriter writer, SweepStep step)
    {
        switch (step)
        {
            case TensorGateComment gate:
                writer.Line($"// {gate.Target} = {Display(gate.Gate)}: {gate.Description}");
                break;
            case TensorBranchComment branch:
                writer.Line($"// if ({ExprPrinter.Print(branch.Condition)}): back through the arm the forward pass took");
                break;
            case TensorLoopComment loop:
                writer.Line($"// {Header(loop.Loop)}: back through the iterations, the last first");
                break;
            case TensorTakesGradient takes:
                var taken = ExprPrinter.Print(takes.Value);
                writer.Line($"// {takes.Target} = {taken}: the gradient of {taken} is {takes.Gradient}");
                break;
            case TensorCopyComment copy:
                writer.Line($"// {copy.Target} = {ExprPrinter.Print(copy.Value)}: a copy passes {copy.Gradient} on");
                break;
            case TensorCompute compute:
                var declared = !compute.Declare ? string.Empty : DataTypes.Declared(compute.Type) + " ";
                writer.Line($"{declared}{compute.Target} = {ExprPrinter.Print(compute.Expression)};{(compute.Function is { } function ? $" // {function}" : string.Empty)}");
                break;
            case TensorMergeDeclaration merge:
                writer.Line($"{Spell(merge.Type)} {merge.Name};");
                break;
            case TensorMadeInBranch made:
                writer.Line($"{Spell(made.Type)} {made.Name} = {(made.Type.IsTensor ? "null!" : Literals.Zero(made.Type))}; // made in a branch below");
                break;
            case TensorCarriedBefore carried:
                writer.Line($"{(carried.Declare ? DataTypes.Declared(carried.Type) + " " : string.Empty)}{carried.Name} = {ExprPrinter.Print(carried.Before)}; // carried through the loop over {carried.Counter}");
                break;
            case TensorKeepStack keep:
                writer.Line($"var {keep.Stack} = workspace.Keep<{Spell(keep.Type)}>();{(keep.First ? " // each iteration's values, kept for the backward pass (which takes them back the last first)" : string.Empty)}");
                break;
            case TensorZeros { Fresh: true } fresh:
                writer.Line($"var {fresh.Adjoint} = global::Backprop.Workspace.Fresh({fresh.Value}); // the rule below writes it first: no zeroing pass");
                break;
            case TensorZeros zeros:
                writer.Line($"var {zeros.Adjoint} = global::Backprop.Workspace.ZerosLike({zeros.Value});");
                break;
            case TensorShared shared:
                writer.Line($"var {shared.Adjoint} = global::Backprop.Workspace.PassedThrough({shared.Value}, {shared.Gradient}); // the add gate passes {shared.Gradient} on unchanged: the same tensor");
                break;
            case TensorAddFrom add:
                writer.Line($"{ExprPrinter.Operand(add.Adjoint)}.AddFrom({add.Gradient});");
                break;
            case TensorPassBack { Start: { } start } passBack when start == passBack.Gradient:
                writer.Line($"// {start} is already the gradient of {passBack.Carried} as this iteration started, for the one before");
                break;
            case TensorPassBack { Start: { } start } passBack:
                writer.Line($"{passBack.Gradient} = {start}; // the gradient of {passBack.Carried} as this iteration started, for the one before");
                break;
            case TensorPassBack passBack:
                var zeroOf = passBack.Type.IsTensor ? $"global::Backprop.Workspace.ZerosLike({passBack.Carried})" : Literals.Zero(passBack.Type);
                writer.Line($"{passBack.Gradient} = {zeroOf}; // this iteration did not read {passBack.Carried}");
                break;
            default:
                throw new System.InvalidOperationException($"no spelling for the sweep step {step.GetType().Name}");
        }
    }

    /// <summary>A gate as the user wrote it, for its comment: <c>Relu(sum)</c>, <c>Sqrt(loss)</c>, <c>X * W1</c>.</summary>
    private static string Display(Expr gate) => gate switch
    {
        OpaqueCallExpr { Instance: null } call => $"{call.Callee.Substring(call.Callee.LastIndexOf('.') + 1)}({string.Join(", ", call.Arguments.Select(ExprPrinter.Print))})",
        MathCallExpr math => $"{math.Function}({string.Join(", ", math.Arguments.Select(ExprPrinter.Print))})",
        _ => ExprPrinter.Print(gate),
    };
}
