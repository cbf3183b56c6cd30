using System.Collections.Generic;
using Backprop.Generator.Model;

namespace Backprop.Generator.Differentiation;

/// <summary>
/// What the backward sweep decided the forward sweep must keep: which branches and loops are recorded and
/// under which names, where overwritten values are saved, and the helper locals both sweeps share.
/// </summary>
internal sealed class SweepPlan(string resultName)
{
    private readonly Dictionary<(Gate, string), string> _saveLocals = [];
    private readonly Dictionary<(StagedLoop, string), string> _loopEntrySaves = [];

    public string ResultName { get; } = resultName;

    public string? TapeName { get; private set; }

    /// <summary>The local holding the id of the return taken, when a backward statement is guarded by it.</summary>
    public string? MethodStop { get; set; }

    private string? _methodStopName;

    /// <summary>Branch records of ifs whose backward is not empty: a local name (ifs outside loops) or the tape.</summary>
    public Dictionary<StagedIf, string> RecordedBranches { get; } = [];

    /// <summary>Iteration counters of loops whose backward is not empty.</summary>
    public Dictionary<StagedLoop, string> Counters { get; } = [];

    /// <summary>Per-iteration stop records of loops whose backward guards statements with them.</summary>
    public Dictionary<StagedLoop, string> LoopStops { get; } = [];

    /// <summary>Loops whose saves go into one block of the tape, with the names of its spans (<see cref="SaveBlock"/>).</summary>
    public Dictionary<StagedLoop, SaveBlock> SaveBlocks { get; } = [];

    /// <summary>Ifs in such a loop whose arms keep different numbers of values: the slots the arm keeping fewer skips.</summary>
    public Dictionary<StagedIf, (int Then, int Else)> BlockSkips { get; } = [];

    /// <summary>Throw-away adjoints for callee arguments that carry no gradient, by type.</summary>
    public Dictionary<DataType, string> Scratches { get; } = [];

    /// <summary>
    /// True when the backward sweep changes no value the forward sweep computed: nothing on the tape, no overwritten value
    /// put back, no return to find — so it can run again from the same forward sweep.
    /// </summary>
    public bool RestoresNothing => TapeName is null && _saveLocals.Count == 0 && _loopEntrySaves.Count == 0 && MethodStop is null && LoopStops.Count == 0;

    public string Tape(NameBuilder names) => TapeName ??= names.Unique("tape");

    public string MethodStopName(NameBuilder names) => _methodStopName ??= names.Unique("returnedAt");

    public string RecordBranch(StagedIf statement, NameBuilder names)
    {
        if (!RecordedBranches.TryGetValue(statement, out var name))
        {
            name = names.Unique("branch");
            RecordedBranches[statement] = name;
        }

        return name;
    }

    public string CountIterations(StagedLoop loop, NameBuilder names)
    {
        if (!Counters.TryGetValue(loop, out var name))
        {
            name = names.Unique("iterations");
            Counters[loop] = name;
        }

        return name;
    }

    public SaveBlock SaveBlock(StagedLoop loop, NameBuilder names)
    {
        if (!SaveBlocks.TryGetValue(loop, out var block))
        {
            block = new SaveBlock(names.Unique("keep"), names.Unique("keepAt"), names.Unique("kept"), names.Unique("keptAt"));
            SaveBlocks[loop] = block;
        }

        return block;
    }

    public string SaveLocal(Gate gate, string variable, NameBuilder names)
    {
        if (!_saveLocals.TryGetValue((gate, variable), out var name))
        {
            name = names.Unique(variable + "Before");
            _saveLocals[(gate, variable)] = name;
        }

        return name;
    }

    /// <summary>The local that keeps <paramref name="variable"/>'s value from before a loop outside loops (see <see cref="Analysis.SavedBeforeLoop"/>).</summary>
    public string LoopEntrySave(StagedLoop loop, string variable, NameBuilder names)
    {
        if (!_loopEntrySaves.TryGetValue((loop, variable), out var name))
        {
            name = names.Unique(variable + "BeforeLoop");
            _loopEntrySaves[(loop, variable)] = name;
        }

        return name;
    }

    private readonly Dictionary<string, string> _rows = [];

    /// <summary>The local holding the rows of an array each pass of a loop fills afresh (see <see cref="Analysis.IterationArrays"/>).</summary>
    public string Rows(string array, NameBuilder names)
    {
        if (!_rows.TryGetValue(array, out var name))
        {
            name = names.Unique(array + "Rows");
            _rows[array] = name;
        }

        return name;
    }

    public string Scratch(DataType type, NameBuilder names)
    {
        if (!Scratches.TryGetValue(type, out var name))
        {
            name = names.Unique("unusedAdjoint");
            Scratches[type] = name;
        }

        return name;
    }
}
