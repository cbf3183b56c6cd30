using System.Linq;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>A gate as the forward statement it stands for: <c>q = x + y</c>, <c>s += product</c> (Emit spells it: <c>SweepPrinter.Gate</c>).</summary>
internal static class GateStatements
{
    /// <summary>The gate's forward statement: an accumulation, a SinCos pair, or its target assigned its value.</summary>
    public static GateStatement Of(Gate gate)
    {
        if (gate.IsAccumulation)
        {
            return new GateStatement(gate.Kind == GateKind.Add ? GateForm.AddInto : GateForm.SubtractFrom, gate.Target, gate.Operands[1]);
        }

        if (gate.Companion is not null)
        {
            var form = GateRules.For(gate)!.Companion!.ResultFirst ? GateForm.SinCosOfSin : GateForm.SinCosOfCos;
            return new GateStatement(form, gate.Target, ValueOf(gate), gate.Companion);
        }

        return new GateStatement(GateForm.Assign, gate.Target, ValueOf(gate));
    }

    /// <summary>The right-hand side of the gate as an expression (a SinCos gate gives the sin or cos alone).</summary>
    public static Expr ValueOf(Gate gate)
    {
        var type = gate.Target.Type;
        return gate.Kind switch
        {
            GateKind.Copy => gate.Operands[0],
            GateKind.Add => new BinaryExpr(BinaryOp.Add, gate.Operands[0], gate.Operands[1], type),
            GateKind.Subtract => new BinaryExpr(BinaryOp.Subtract, gate.Operands[0], gate.Operands[1], type),
            GateKind.Multiply => new BinaryExpr(BinaryOp.Multiply, gate.Operands[0], gate.Operands[1], type),
            GateKind.Divide => new BinaryExpr(BinaryOp.Divide, gate.Operands[0], gate.Operands[1], type),
            GateKind.Remainder => new BinaryExpr(BinaryOp.Remainder, gate.Operands[0], gate.Operands[1], type),
            GateKind.Negate => new UnaryExpr(UnaryOp.Negate, gate.Operands[0], type),
            GateKind.Convert => new CastExpr(gate.Operands[0], type, IsImplicit: false),
            GateKind.Math => gate.Math! with { Arguments = gate.Operands.ToEquatableArray() },
            GateKind.Sigmoid => WithSigmoidInput((BinaryExpr)gate.Value!, gate.Operands[0]),
            GateKind.Call => gate.Call! with
            {
                Arguments = gate.Call.Arguments.Select((a, i) => a with { Value = gate.Operands[i] }).ToEquatableArray(),
            },
            _ => gate.Value!,
        };
    }

    /// <summary>The user's <c>1 / (1 + exp(-s))</c> with the staged input in place of s.</summary>
    private static Expr WithSigmoidInput(BinaryExpr division, Expr input)
    {
        var sum = (BinaryExpr)division.Right;
        var exp = (MathCallExpr)sum.Right;
        var negation = (UnaryExpr)exp.Arguments[0];
        return division with { Right = sum with { Right = exp with { Arguments = new[] { (Expr)(negation with { Operand = input }) }.ToEquatableArray() } } };
    }
}
