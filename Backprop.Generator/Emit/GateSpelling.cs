using Backprop.Generator.Model;
using static Backprop.Generator.Emit.DataTypes;

namespace Backprop.Generator.Emit;

/// <summary>How a gate names what its rule's terms stand for: its operands and result as the sweep holds them, the companion value.</summary>
internal sealed class GateSpelling(GateNames gate) : ITermSpelling
{
    public string Gradient => ExprPrinter.Print(gate.Gradient);

    public string Result => ExprPrinter.Operand(gate.Result);

    public string Companion => gate.Companion is { } companion ? ExprPrinter.Print(companion) : throw new System.InvalidOperationException("the gate has no companion value");

    public string MathClass => Literals.MathClass(gate.Result.Type);

    public string? ConvertedFrom => gate.Operands[0].Type == gate.Result.Type ? null : Spell(gate.Operands[0].Type);

    public string Number(double value) => Literals.Number(value, gate.Result.Type);

    public string Operand(int index) => ExprPrinter.Operand(gate.Operands[index]);
}
