using System.Collections.Generic;

namespace Backprop.Generator.Emit;

/// <summary>
/// How a vector function's pullback is framed: its doc and declaration, what runs before the forward pass (checks, the
/// outputs' adjoints copied from dy), between the passes (the results kept) and after the backward pass (the results put
/// back, buffers given back); it returns nothing. Text the vector function's writer wrote, until it writes steps too.
/// </summary>
internal sealed record BackwardFrame(IReadOnlyList<string> Doc, string Header, SourceWriter Preamble, IReadOnlyList<string> AfterForward, IReadOnlyList<string> Epilogue)
{
    /// <summary>Set for a Jacobian's rows: the backward pass runs once per row, inside this loop, after these lines.</summary>
    public RowSweeps? Rows { get; init; }
}

/// <summary>
/// The loop that runs a vector function's backward pass once per output after one forward pass (a Jacobian's rows), and
/// the lines that start each pass: its output's adjoint seeded, the inputs' adjoints pointed at its row.
/// </summary>
internal sealed record RowSweeps(string Loop, IReadOnlyList<string> Start);
