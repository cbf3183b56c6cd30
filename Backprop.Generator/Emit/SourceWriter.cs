using System.Text;

namespace Backprop.Generator.Emit;

/// <summary>A small indented writer over a StringBuilder (the Roslyn cookbook's approach; no syntax trees).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
    }

    public void Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
    }

    public void Close(string? footer = null)
    {
        _indent--;
        Line(footer is null ? "}" : "} " + footer);
    }

    /// <summary>Appends what another writer wrote, indented by this writer's current level.</summary>
    public void Append(SourceWriter other)
    {
        foreach (var line in other.ToString().TrimEnd('\n').Split('\n'))
        {
            if (line.Length > 0 || other._text.Length > 0)
            {
                Line(line);
            }
        }
    }

    public override string ToString() => _text.ToString();
}
