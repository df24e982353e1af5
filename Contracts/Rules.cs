namespace ProgressGrains.Contracts;

/// <summary>Definitions shared by every place that reports progress, so all of them agree.</summary>
public static class Rules
{
    /// <summary>Required lessons completed over required lessons, from 0 to 1 (0 when nothing is required).</summary>
    public static double Progress(int completedRequired, int required) =>
        required <= 0 ? 0 : Math.Min(1.0, (double)completedRequired / required);

    /// <summary>A member completed the season when every required lesson is done.</summary>
    public static bool IsCompleted(int completedRequired, int required) =>
        required > 0 && completedRequired >= required;
}
