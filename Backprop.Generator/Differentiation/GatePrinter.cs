using System.Linq;
using Backprop.Generator.Differentiation.Rules;
using Backprop.Generator.Emit;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>Prints a gate as the forward statement it stands for: <c>q = x + y</c>, <c>s += product</c>.</summary>
internal static class GatePrinter
{
    public static string Print(Gate gate)
    {
        var target = ExprPrinter.Print(gate.Target);
        if (gate.IsAccumulation)
        {
            return $"{target} {(gate.Kind == GateKind.Add ? "+=" : "-=")} {ExprPrinter.Print(gate.Operands[1])}";
        }

        if (gate.Companion is not null)
        {
            var (sin, cos) = GateRules.For(gate)!.Companion!.ResultFirst ? (target, gate.Companion) : (gate.Companion, target);
            return $"({sin}, {cos}) = {ExprPrinter.ClassOf(gate.Math!)}.SinCos({ExprPrinter.Print(gate.Operands[0])})";
        }

        return $"{target} = {Value(gate)}";
    }

    /// <summary>The right-hand side of the gate.</summary>
    public static string Value(Gate gate) => ExprPrinter.Print(ValueOf(gate));

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
