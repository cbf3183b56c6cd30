using System.Collections.Generic;
using ScottPlot;

namespace Projectile;

/// <summary>A picture of the ball's path for two throws and the target.</summary>
internal static class Trajectories
{
    public static void Plot(string path, (double Speed, double Angle) before, (double Speed, double Angle) after, double drag, int steps, Vec2 target)
    {
        var plot = new Plot();
        Add(plot, before, drag, steps, $"first guess: {before.Speed:F1} m/s at {before.Angle * 180 / System.Math.PI:F1}°");
        Add(plot, after, drag, steps, $"fitted: {after.Speed:F2} m/s at {after.Angle * 180 / System.Math.PI:F2}°");
        var marker = plot.Add.Marker(target.X, target.Y, MarkerShape.OpenCircle, size: 14);
        marker.LegendText = $"target after {steps * Flight.Dt:F2} s";
        plot.Title("A throw through air, fitted by gradient descent through every step");
        plot.XLabel("x (m)");
        plot.YLabel("y (m)");
        plot.ShowLegend(Alignment.LowerLeft);
        plot.Axes.SquareUnits();
        plot.SavePng(path, 800, 500);
    }

    private static void Add(Plot plot, (double Speed, double Angle) thrown, double drag, int steps, string label)
    {
        var (xs, ys) = (new List<double>(), new List<double>());
        var b = Flight.Launch(thrown.Speed, thrown.Angle);
        for (var i = 0; i <= steps; i++)
        {
            xs.Add(b.Position.X);
            ys.Add(b.Position.Y);
            b = Flight.Step(b, drag);
        }

        var line = plot.Add.ScatterLine(xs, ys);
        line.LegendText = label;
        line.LineWidth = 2;
    }
}
