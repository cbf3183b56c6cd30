using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Backprop.Generator.Tests.Robustness;

/// <summary>
/// Writes random [Differentiable] methods from a small grammar of the supported constructs (locals, compound
/// assignment, if/else, ?:, for/while loops with break/continue, early return, Math calls, array reads,
/// casts, assignments and ++/-- inside expressions and loop conditions, foreach over arrays, local functions and
/// lambdas, goto case, Array.Fill/Clear/Copy and CopyTo into a local array, void helpers read in place (through ref
/// numbers, sometimes aliased, and a local array), an alias of the array parameter, local arrays declared inside
/// loops, refs to elements, span slices held in locals, iterated and passed to a [Differentiable] method, tuple
/// deconstructions, struct locals made, replaced with 'with', by a helper that takes and returns one or by an operator
/// of their own, and written field by field; a struct with an array field; System.Numerics.Complex) and, in some methods, one unsupported construct the generator must reject with a BP error.
/// Values stay bounded (denominators 1 + e², exp of a sine, tanh) so gradients can be checked numerically.
/// </summary>
/// <param name="seed">The seed of the random stream: the same seed draws the same methods.</param>
/// <param name="libraryStructs">
/// Whether the grammar draws a struct with an array field and System.Numerics.Complex (added 2026-12-03); a replay of
/// an earlier campaign's seed draws without them, so that its stream is the one that campaign drew.
/// </param>
internal sealed class RandomMethodGenerator(int seed, bool libraryStructs = true)
{
    private static readonly string[] s_unsupported =
    [
        "try { {0} = {0} * 2; } finally { }",
        "foreach (var v in System.Linq.Enumerable.Reverse(a)) { {0} += v; }",
        "System.Func<double, double> f = v => v * 2; f = v => v; {0} = f({0});",
        "string text = \"value \" + {0};",
        "{0} = Helper({0} + x);",
        "a[0] = {0};",
        "s_field = {0};",
        "lock (s_gate) { {0} += 1; }",
        "{0} = (double)(object){0};",
        "{0} = {0} * ({0} = 2);",
        "{0} = {0} > 0 && ({0} = 1) > 0 ? 1 : 2;",
    ];

    /// <summary>
    /// Local names that once broke generated code or could: one and two letters, names whose d-, v- or h-prefixed form
    /// is a keyword (o → do, ouble → double, oid → void), verbatim keywords, and the generator's own temporaries.
    /// </summary>
    private static readonly string[] s_namePool =
    [
        "b", "c", "d", "e", "g", "h", "j", "m", "o", "p", "q", "r", "t", "u", "z", "dd", "dz", "ab", "xy", "hx", "vx",
        "ouble", "ecimal", "efault", "elegate", "ynamic", "oid", "olatile", "ar", "alue", "ield",
        "@out", "@params", "@in", "@double", "@int", "@class", "@do", "@return", "@default", "@var",
        "product", "sum", "tape", "iterations", "stoppedAt", "returnedAt", "dResult", "result", "result2", "workspace",
        "cos", "sin", "exp", "tanh", "sqrt", "quotient", "difference", "saved", "dx", "dy", "da", "dn", "ddx", "dt1", "x2",
    ];

    private Random _random = new(seed);

    /// <summary>Whether a method gets <see cref="Passes"/>, and the stream it is drawn from: the other methods stay as they were.</summary>
    private readonly Random _passes = new(seed ^ 0x5A55);
    private readonly HashSet<string> _used = [];
    private readonly List<string> _doubles = [];
    private readonly List<string> _ints = [];

    /// <summary>Local functions and lambdas declared at the top of the method, called like Math functions.</summary>
    private readonly List<string> _functions = [];

    /// <summary>foreach variables in scope: read like any double, never assigned.</summary>
    private readonly List<string> _readOnly = [];

    /// <summary>Int locals that only ever count up (c++, ++c inside expressions), read modulo a length.</summary>
    private readonly List<string> _counters = [];

    /// <summary>For each loop the statement is in, innermost last: whether a 'continue' may stand in it.</summary>
    private readonly Stack<bool> _continueAllowed = new();
    private readonly StringBuilder _text = new();
    private int _names;
    private string _arrayName = "a";
    private int _indent;
    private int _loopDepth;
    private bool _buffer;

    /// <summary>True when buffer is a stackalloc'd span rather than a new array.</summary>
    private bool _stackBuffer;

    /// <summary>The source of class <paramref name="className"/> with method F, and whether it holds an unsupported construct.</summary>
    public (string Source, bool Unsupported) Next(string className)
    {
        _doubles.Clear();
        _ints.Clear();
        _doubles.AddRange(["x", "y"]);
        _ints.Add("n");
        _counters.Clear();
        _readOnly.Clear();
        _functions.Clear();
        _continueAllowed.Clear();
        _used.Clear();
        _text.Clear();
        _indent = 2;
        _loopDepth = 0;
        var unsupported = _random.NextDouble() < 0.2;
        if (_random.NextDouble() < 0.3)
        {
            _stackBuffer = _random.NextDouble() < 0.4;
            Line(_stackBuffer ? "Span<double> buffer = stackalloc double[3];" : "double[] buffer = new double[3];");
            _buffer = true;
        }
        else
        {
            _buffer = false;
        }

        // Another name for the array parameter (double[] b = a), read like it.
        _arrayName = "a";
        if (_random.NextDouble() < 0.2)
        {
            _arrayName = NewName("view");
            Line($"double[] {_arrayName} = a;");
        }

        if (_random.NextDouble() < 0.3)
        {
            var counter = NewName("c");
            Line($"int {counter} = 0;");
            _counters.Add(counter);
        }

        for (var count = _random.Next(3); _functions.Count < count;)
        {
            Function();
        }

        var statements = 2 + _random.Next(5);
        var unsupportedAt = unsupported ? _random.Next(statements) : -1;
        for (var i = 0; i < statements; i++)
        {
            if (i == unsupportedAt)
            {
                Line(s_unsupported[_random.Next(s_unsupported.Length)].Replace("{0}", Pick(_doubles), StringComparison.Ordinal));
            }

            Statement(depth: 0);
        }

        if (_passes.NextDouble() < 0.15)
        {
            var main = _random;
            _random = new Random(_passes.Next());
            Passes();
            _random = main;
        }

        var body = _text.ToString();
        var value = Expression(2);
        Line($"return {value};");

        // The same body as a vector function, where it has no early exit (a vector function returns only at its end):
        // outputs (F, x·y) with x and y as the body left them.
        var vector = System.Text.RegularExpressions.Regex.IsMatch(body, @"(?<![@\w])return\b") ? string.Empty : $$"""

                /// <summary>F's body as a vector function: (F, x·y).</summary>
                [Differentiable]
                public static void V(double x, double y, double[] a, int n, Span<double> vectorOut)
                {
            {{body}}        vectorOut[0] = {{value}};
                    vectorOut[1] = x * y;
                }

                public static void ProbeV(double x, double y, double[] a, int n, double[] values, double[] jacobian) =>
                    VJacobian(x, y, a, n, values, jacobian);

                public static void ProbeVTangent(double x, double y, double[] a, int n, double[] direction, double[] tangents) =>
                    VTangent(x, y, a, n, direction[0], direction[1], direction.AsSpan(2), new double[2], tangents);
            """;
        var source = $$"""
            using System;
            using Backprop;

            public static partial class {{className}}
            {
                private static double s_field;
                private static readonly object s_gate = new();

                private static double Helper(double v) => v * v;

                [Differentiable]
                private static double Smooth(double v) => v * Math.Tanh(v);

                public record struct Pair(double A, double B)
                {
                    [Differentiable]
                    public static Pair operator +(Pair p, Pair q) => new(p.A + q.A, p.B * Math.Tanh(q.B));
                }

                [Differentiable]
                private static Pair Turn(Pair p, double k) => new Pair(p.B * Math.Tanh(k), Math.Sin(p.A));

                public record struct Poly(double[] C, double S);

                [Differentiable]
                private static double PolyAt(Poly p, double x)
                {
                    double s = p.S;
                    for (int i = 0; i < p.C.Length; i++)
                    {
                        s = (s * x) + p.C[i];
                    }

                    return s;
                }

                [Differentiable]
                private static double Weighted(double[] values, double w)
                {
                    double s = 0;
                    for (int i = 0; i < values.Length; i++)
                    {
                        s += values[i] * w;
                    }

                    return s;
                }

                [Differentiable]
                private static double SpanWeighted(ReadOnlySpan<double> values, double w)
                {
                    double s = 0;
                    foreach (var v in values)
                    {
                        s += Math.Sin(v * w);
                    }

                    return s;
                }

                [Differentiable]
                private static void Nudge(ref double p, ref double q, double k)
                {
                    double t = p;
                    p = q * k + Math.Sin(t);
                    q = t / (1 + k * k);
                }

                [Differentiable]
                private static void Scale(double[] values, double k)
                {
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] = values[i] * Math.Tanh(k);
                    }
                }

                [Differentiable]
                public static double F(double x, double y, double[] a, int n)
                {
            {{_text}}    }

                public static double Probe(double x, double y, double[] a, int n, double[] gradient)
                {
                    var da = new double[a.Length];
                    var value = FGradient(x, y, a, n, out var dx, out var dy, da);
                    gradient[0] = dx;
                    gradient[1] = dy;
                    da.CopyTo(gradient, 2);
                    return value;
                }

                public static double ProbeTangent(double x, double y, double[] a, int n, double[] direction)
                {
                    FTangent(x, y, a, n, direction[0], direction[1], direction.AsSpan(2), out var tangent);
                    return tangent;
                }

                public static double ProbeHessianVector(double x, double y, double[] a, int n, double[] direction, double[] product) =>
                    FHessianVector(x, y, a, n, direction[0], direction[1], direction.AsSpan(2), out product[0], out product[1], product.AsSpan(2));

                /// <summary>A vector function around F: F itself, a product, and a value read back from an output.</summary>
                [Differentiable]
                public static void Outputs(double x, double y, double[] a, int n, Span<double> values, out double scaled)
                {
                    values[0] = F(x, y, a, n);
                    values[1] = Smooth(x) * y;
                    scaled = values[0] * a[0];
                }

                /// <summary>Outputs's values then scaled, and its 3×(2 + a.Length) Jacobian.</summary>
                public static void ProbeJacobian(double x, double y, double[] a, int n, double[] values, double[] jacobian) =>
                    OutputsJacobian(x, y, a, n, values.AsSpan(0, 2), out values[2], jacobian);

                /// <summary>Outputs's tangents along the direction.</summary>
                public static void ProbeVectorTangent(double x, double y, double[] a, int n, double[] direction, double[] tangents) =>
                    OutputsTangent(x, y, a, n, direction[0], direction[1], direction.AsSpan(2), new double[2], out _, tangents.AsSpan(0, 2), out tangents[2]);
            {{vector}}
            }
            """;
        return (source, unsupported);
    }

    private void Statement(int depth)
    {
        if (_random.NextDouble() < 0.15)
        {
            EffectStatement(depth);
            return;
        }

        var choice = _random.Next(depth >= 2 ? 5 : 12);
        switch (choice)
        {
            case 4:
                if (_buffer && _random.NextDouble() < 0.3)
                {
                    // Library calls that write the local array, read as loops (a has three elements, as buffer has).
                    Line((_random.Next(5), _stackBuffer) switch
                    {
                        (0, false) => $"Array.Fill(buffer, {Expression(1)});",
                        (0, true) => $"buffer.Fill({Expression(1)});",
                        (1, false) => "Array.Clear(buffer);",
                        (1, true) => "buffer.Clear();",
                        (2, false) => "a.CopyTo(buffer, 0);",
                        (2, true) => "a.CopyTo(buffer);",
                        (3, false) => $"Scale(buffer, {Expression(1)});",
                        (3, true) => $"buffer.Slice(1).Fill({Expression(1)});",
                        (_, false) => "Array.Copy(a, 1, buffer, 0, 2);",
                        (_, true) => "a.AsSpan(1, 2).CopyTo(buffer);",
                    });
                }
                else if (_random.NextDouble() < 0.25)
                {
                    // A void helper read in place, through two refs (sometimes the same variable twice: they alias).
                    Line($"Nudge(ref {Pick(_doubles)}, ref {Pick(_doubles)}, Math.Tanh({Expression(1)}));");
                }
                else if (_buffer)
                {
                    Line($"buffer[{Pick(_ints)} % 3] {(_random.NextDouble() < 0.5 ? "=" : "+=")} {Expression(2)};");
                }
                else
                {
                    Line($"{Pick(_doubles)} /= 1 + {Expression(1)} * {Expression(1)};");
                }

                break;
            case 9:
                DoWhile(depth);
                break;
            case 10:
                Switch(depth);
                break;
            case 0:
            case 1:
                var local = NewName("t");
                Line($"double {local} = {Expression(2)};");
                _doubles.Add(local);
                break;
            case 2:
                var op = new[] { "=", "+=", "-=", "*=" }[_random.Next(4)];
                var target = Pick(_doubles);
                Line($"{target} {op} {(op == "=" ? Expression(2) : Bounded(Expression(op == "*=" ? 1 : 2)))};");
                break;
            case 3:
                Line($"{Pick(_doubles)} = {Condition()} ? {Expression(1)} : {Expression(1)};");
                break;
            case 5:
            case 11:
                If(depth);
                break;
            case 6:
                For(depth);
                break;
            case 7:
                if (_random.NextDouble() < 0.5)
                {
                    ForEach(depth);
                }
                else
                {
                    For(depth);
                }

                break;
            default:
                While(depth);
                break;
        }
    }

    /// <summary>A local function or a lambda in a local, of one parameter, reading it and the method's x and y.</summary>
    private void Function()
    {
        var name = NewName("f");
        var parameter = NewName("v");
        var outer = new List<string>(_doubles);
        _doubles.Clear();
        _doubles.AddRange([parameter, "x", "y"]);
        var buffer = _buffer;
        _buffer &= !_stackBuffer; // a lambda or local function cannot capture a span
        var body = Expression(2);
        _buffer = buffer;
        _doubles.Clear();
        _doubles.AddRange(outer);
        Line(_random.NextDouble() < 0.5 ? $"double {name}(double {parameter}) => {body};" : $"Func<double, double> {name} = {parameter} => {body};");
        _functions.Add(name);
    }

    private void If(int depth)
    {
        Line($"if ({Condition()})");
        Block(depth, () =>
        {
            if (_random.NextDouble() < 0.25)
            {
                Line(_loopDepth > 0 && _random.NextDouble() < 0.6
                    ? (_random.NextDouble() < 0.5 || !_continueAllowed.Peek() ? "break;" : "continue;")
                    : $"return {Expression(1)};");
                return true;
            }

            return false;
        });
        if (_random.NextDouble() < 0.5)
        {
            Line("else");
            Block(depth, () => false);
        }
    }

    private void For(int depth)
    {
        var i = NewName("i");
        Line($"for (int {i} = 0; {i} < n; {i}++)");
        _ints.Add(i);
        Loop(() => Block(depth, () => false));
        _ints.Remove(i);
    }

    /// <summary>
    /// A local array each pass of a loop fills, then reads last in a loop over every element (the generator then sets its
    /// adjoint going back instead of clearing it), with what may come between: statements, an accumulation into one
    /// element, a continue that skips the last loop in some passes, a read of another element or in an if.
    /// </summary>
    private void Passes()
    {
        var (array, pass, fill, read) = (NewName("pass"), NewName("p"), NewName("f"), NewName("r"));
        Line($"double[] {array} = new double[3];");
        Line($"for (int {pass} = 0; {pass} < n; {pass}++)");
        Line("{");
        _indent++;
        _loopDepth++;
        _continueAllowed.Push(false);
        Line($"for (int {fill} = 0; {fill} < 3; {fill}++)");
        Line("{");
        Line($"    {array}[{fill}] = {Expression(1)} + ({fill} * {Pick(_doubles)});");
        Line("}");
        switch (_random.Next(5))
        {
            case 0:
                var scope = _doubles.Count;
                Statement(depth: 1);
                _doubles.RemoveRange(scope, _doubles.Count - scope);
                break;
            case 1:
                Line($"{array}[{_random.Next(3)}] += {Bounded(Expression(1))};");
                break;
            case 2:
                Line($"if ({Condition()}) continue;");
                break;
        }

        var element = _random.Next(6) switch
        {
            0 => $"{array}[2 - {read}]",
            _ => $"{array}[{read}]",
        };
        Line($"for (int {read} = 0; {read} < {(_random.NextDouble() < 0.5 ? "3" : array + ".Length")}; {read}++)");
        Line("{");
        Line(_random.Next(6) == 0
            ? $"    if ({read} != 1) {Pick(_doubles)} += {element} * {Bounded(Expression(1))};"
            : $"    {Pick(_doubles)} += Math.Sin({element}) * {Bounded(Expression(1))};");
        Line("}");
        _continueAllowed.Pop();
        _loopDepth--;
        _indent--;
        Line("}");
    }

    private void ForEach(int depth)
    {
        var v = NewName("v");
        var values = _random.NextDouble() switch
        {
            < 0.3 when _buffer => "buffer",
            < 0.45 => "a.AsSpan(1)", // a span slice: the loop runs over the elements it is a window on
            _ => "a",
        };
        Line($"foreach (var {v} in {values})");
        _readOnly.Add(v);
        Loop(() => Block(depth, () => false));
        _readOnly.Remove(v);
    }

    private void DoWhile(int depth)
    {
        var k = NewName("k");
        Line($"int {k} = 0;");
        Line("do");
        Line("{");
        _indent++;
        Line($"{k}++;");
        _indent--;
        Loop(() => Block(depth, () => false, open: false, footer: $"while ({k} < n);"));
    }

    private void Switch(int depth)
    {
        Line($"switch ({Pick(_ints)} % 3)");
        Line("{");
        _indent++;
        // Sections fall through forward only (goto case 1, goto default), as C# allows and loops never arise.
        foreach (var (label, next) in new[] { ("case 0:", "goto case 1;"), ("case 1:", "goto default;"), ("default:", "break;") })
        {
            Line(label);
            _indent++;
            Line($"{Pick(_doubles)} = {Expression(2)};");
            Line(_random.NextDouble() < 0.3 ? next : "break;");
            _indent--;
        }

        _indent--;
        Line("}");
    }

    private void While(int depth)
    {
        var k = NewName("k");
        Line($"int {k} = 0;");
        Line($"while ({k} < n + 1)");
        Line("{");
        _indent++;
        Line($"{k}++;");
        _indent--;
        Loop(() => Block(depth, () => false, open: false));
    }

    /// <summary>Writes a loop's body; a 'continue' may stand in it unless <paramref name="allowContinue"/> is false.</summary>
    private void Loop(Action body, bool allowContinue = true)
    {
        _loopDepth++;
        _continueAllowed.Push(allowContinue);
        body();
        _continueAllowed.Pop();
        _loopDepth--;
    }

    /// <summary>
    /// A statement with an assignment or ++/-- inside an expression, placed where C# evaluates it before anything
    /// else that reads what it writes (chained assignment, an effect as the first operand, a counter's c++ as an index,
    /// a condition that assigns, a loop condition that counts or counts down).
    /// </summary>
    private void EffectStatement(int depth)
    {
        var choice = _random.Next(depth >= 2 ? 3 : 7);
        var op = new[] { "=", "+=", "-=", "*=" }[_random.Next(4)];
        switch (choice)
        {
            case 0 when _random.NextDouble() < 0.3:
                // A ref readonly to an element of the parameter array: the index is taken where it is declared.
                var element = NewName("ra");
                Line($"ref readonly double {element} = ref a[{(_counters.Count > 0 ? Pick(_counters) : "n")} % a.Length];");
                Line($"{Pick(_doubles)} {op} {Bounded($"{element} * {Expression(1)}")};");
                break;
            case 0 when _random.NextDouble() < 0.3:
                // A span slice held in a local (its bounds taken where it is declared), read by index and from the end.
                var view = NewName("sw");
                Line($"ReadOnlySpan<double> {view} = a.AsSpan({(_counters.Count > 0 ? Pick(_counters) : "n")} % a.Length);");
                Line($"{Pick(_doubles)} {op} {Bounded($"{view}[0] * {Expression(1)} + {view}[^1]")};");
                break;
            case 0:
                Line($"{Pick(_doubles)} = {Pick(_doubles)} = {Expression(2)};");
                break;
            case 1 when _random.NextDouble() < 0.15:
                // A struct local: made, replaced with 'with' or by a helper that takes and returns it, a field written.
                var pair = NewName("st");
                Line($"var {pair} = new Pair({Pick(_doubles)}, {Bounded(Expression(1))});");
                Line(_random.Next(4) switch
                {
                    0 => $"{pair} = {pair} with {{ A = {Bounded($"{pair}.B * {Expression(1)}")} }};",
                    1 => $"{pair} = Turn({pair}, {Pick(_doubles)});",
                    2 => $"{pair} = {pair} + new Pair({Pick(_doubles)}, {Bounded(Expression(1))});",
                    _ => $"{pair}.B {op} {Bounded(Expression(1))};",
                });
                Line($"{Pick(_doubles)} {op} {Bounded($"{pair}.A * {pair}.B")};");
                break;
            case 1 when libraryStructs && _random.NextDouble() < 0.08:
                // A struct with an array field: a local made of the parameter array (its field another name for it), passed to a helper.
                var poly = NewName("po");
                Line($"var {poly} = new Poly(a, {Bounded(Expression(1))});");
                Line($"{Pick(_doubles)} {op} {Bounded($"PolyAt({poly}, {Bounded(Pick(_doubles))}) + {poly}.C[{(_counters.Count > 0 ? Pick(_counters) : "n")} % {poly}.C.Length]")};");
                break;
            case 1 when libraryStructs && _random.NextDouble() < 0.08:
                // System.Numerics.Complex: held as its Real and Imaginary, its operators and functions read through Backprop's definitions.
                var z = NewName("z");
                Line($"var {z} = new System.Numerics.Complex({Bounded(Pick(_doubles))}, {Bounded(Expression(1))});");
                Line(_random.Next(3) switch
                {
                    0 => $"{z} = ({z} * {z}) + new System.Numerics.Complex({Bounded(Pick(_doubles))}, 0.5);",
                    1 => $"{z} = System.Numerics.Complex.Exp({z} * 0.5) / (2.0 + ({z} * {z}));",
                    _ => $"{z} = System.Numerics.Complex.Conjugate({z}) * System.Numerics.Complex.Sin({z});",
                });
                Line($"{Pick(_doubles)} {op} {Bounded($"{z}.Real * {z}.Imaginary + {z}.Imaginary")};");
                break;
            case 1 when _random.NextDouble() < 0.15:
                // A tuple deconstruction: every value is read before any element is assigned (a swap, when they meet).
                var (first, second) = (Pick(_doubles), Pick(_doubles));
                Line($"({first}, {second}) = ({second}, {Bounded(Expression(1))});");
                break;
            case 1 when _random.NextDouble() < 0.2:
                // A slice passed to a [Differentiable] method: the call is read in place.
                Line($"{Pick(_doubles)} {op} {Bounded($"SpanWeighted(a.AsSpan(1, {_random.Next(1, 3)}), {Pick(_doubles)})")};");
                break;
            case 1:
                var local = NewName("t");
                Line($"double {local} = ({Pick(_doubles)} {op} {Bounded(Expression(1))}) * {Expression(1)};");
                _doubles.Add(local);
                break;
            case 2 when _loopDepth > 0 && _random.NextDouble() < 0.3:
                // A local array declared inside a loop: created once before it, zeroed on every pass.
                var w = NewName("w");
                Line($"double[] {w} = new double[2];");
                if (_random.NextDouble() < 0.5)
                {
                    // Written through a ref to one of its elements.
                    var slot = NewName("e");
                    Line($"ref double {slot} = ref {w}[{_random.Next(2)}];");
                    Line($"{slot} = {Expression(1)};");
                    Line($"{slot} {op} {Bounded(Expression(1))};");
                }
                else
                {
                    Line($"{w}[{_random.Next(2)}] = {Expression(1)};");
                }

                Line($"{Pick(_doubles)} += {w}[0] * {w}[1] + {w}[{_random.Next(2)}];");
                break;
            case 2 when _counters.Count > 0:
                var counter = Pick(_counters);
                var step = _random.NextDouble() < 0.5 ? $"{counter}++" : $"++{counter}";
                Line(_buffer && _random.NextDouble() < 0.5
                    ? $"buffer[{step} % 3] = {Expression(2)};"
                    : $"{Pick(_doubles)} = a[{step} % a.Length] * {Expression(1)};");
                break;
            case 2:
                Line($"{Pick(_doubles)} = ({Pick(_doubles)} {op} {Bounded(Expression(1))}) + {Expression(1)};");
                break;
            case 3:
                Line($"if (({Pick(_doubles)} {op} {Bounded(Expression(1))}) > {Number()})");
                Block(depth, () => false);
                break;
            case 4:
                var r = NewName("r");
                Line($"double {r} = 1.5 + {Bounded(Expression(1))};");
                Line($"while (({r} -= 0.75) > 0)");
                Loop(() => Block(depth, () => false));
                break;
            case 5:
                var k = NewName("k");
                Line($"int {k} = 0;");
                Line($"while ({k}++ < n)");
                Loop(() => Block(depth, () => false));
                break;
            default:
                var j = NewName("k");
                Line($"int {j} = 0;");
                Line("do");
                Loop(() => Block(depth, () => false, footer: $"while (++{j} < n);"), allowContinue: false);
                break;
        }
    }

    /// <summary>Writes a block of 1–3 statements; <paramref name="tail"/> may end it with an exit.</summary>
    private void Block(int depth, Func<bool> tail, bool open = true, string? footer = null)
    {
        if (open)
        {
            Line("{");
        }

        _indent++;
        var scope = _doubles.Count;
        var count = 1 + _random.Next(3);
        for (var i = 0; i < count; i++)
        {
            Statement(depth + 1);
        }

        tail();
        _doubles.RemoveRange(scope, _doubles.Count - scope);
        _indent--;
        Line(footer is null ? "}" : "} " + footer);
    }

    private string Condition() => _random.Next(5) switch
    {
        0 => $"{Expression(1)} > {Expression(1)}",
        1 => $"{Expression(1)} < {Number()}",
        2 => $"n > {_random.Next(4)}",
        3 => $"{Expression(0)} > 0 && {Expression(0)} < 1",
        _ => $"{Expression(0)} < -0.5 || {Pick(_ints)} % 2 == 0",
    };

    private string Expression(int depth)
    {
        if (depth <= 0 || _random.NextDouble() < 0.25)
        {
            return Leaf();
        }

        var a = Expression(depth - 1);
        var b = Expression(depth - 1);
        return _random.Next(14) switch
        {
            0 => $"({a} + {b})",
            1 => $"({a} - {b})",
            2 => $"({a} * {b})",
            3 => $"({a} / (1 + {b} * {b}))",
            4 => $"-({a})",
            5 => $"Math.Sin({a})",
            6 => $"Math.Exp(Math.Cos({a}))",
            7 => $"Math.Tanh({a})",
            8 => $"Math.Sqrt(1 + {a} * {a})",
            9 => $"Math.Log(1 + {a} * {a})",
            10 => $"Math.Max({a}, {b})",
            11 => $"Math.Abs({a})",
            12 => $"({Condition()} ? {a} : {b})",
            _ => $"Math.Min({a}, {b})",
        };
    }

    private string Leaf() => _random.Next(9) switch
    {
        0 => Number(),
        1 => $"{_arrayName}[{Pick(_ints)} % {_arrayName}.Length]",
        2 => $"({Pick(_ints)} * {Pick(_doubles)})",
        3 => $"Smooth({Pick(_doubles)})",
        4 => $"Weighted(a, {Pick(_doubles)})",
        5 when _buffer => $"buffer[{Pick(_ints)} % 3]",
        6 when _readOnly.Count > 0 => Pick(_readOnly),
        7 when _functions.Count > 0 => $"{Pick(_functions)}({Pick(_doubles)} * {Number()})",
        _ => Pick(_doubles),
    };

    /// <summary>A fresh local name: half the time from <see cref="s_namePool"/>, else <paramref name="prefix"/> + a number.</summary>
    private string NewName(string prefix)
    {
        if (_random.NextDouble() < 0.5)
        {
            var name = s_namePool[_random.Next(s_namePool.Length)];
            if (_used.Add(name.TrimStart('@')))
            {
                return name;
            }
        }

        return prefix + ++_names;
    }

    private static string Bounded(string expression) => $"Math.Tanh({expression})";

    private string Number() => (Math.Round((_random.NextDouble() * 4) - 2, 2)).ToString("0.0#", CultureInfo.InvariantCulture);

    private string Pick(List<string> names) => names[_random.Next(names.Count)];

    private void Line(string line) => _text.Append(' ', _indent * 4).Append(line).Append('\n');
}
