using System;
using System.Diagnostics;

namespace FashionMnist;

/// <summary>A one-line progress bar redrawn in place on a terminal; a line per quarter epoch when output is redirected.</summary>
public sealed class Progress(int epoch, int epochs, int batches)
{
    /// <summary>Bar width: the whole line fits an 80-column terminal.</summary>
    private const int Width = 20;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _terminal = !Console.IsOutputRedirected;
    private long _lastDraw = -1;
    private int _lastQuarter;

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Report(int batch, int samples, double loss, double accuracy)
    {
        var done = (double)(batch + 1) / batches;
        var rate = samples / Math.Max(1e-9, _clock.Elapsed.TotalSeconds);
        var line = $"epoch {epoch}/{epochs} [{new string('#', (int)(done * Width)).PadRight(Width, '.')}] {done,5:P0}  loss {loss:F4}  acc {accuracy,6:P1}  {rate,7:N0} img/s";
        if (_terminal)
        {
            if (_clock.ElapsedMilliseconds - _lastDraw >= 100 || batch + 1 == batches)
            {
                _lastDraw = _clock.ElapsedMilliseconds;
                Console.Write("\r" + line);
            }
        }
        else if ((int)(done * 4) > _lastQuarter)
        {
            _lastQuarter = (int)(done * 4);
            Console.WriteLine(line);
        }
    }

    public void Finish()
    {
        if (_terminal)
        {
            Console.WriteLine();
        }
    }
}
