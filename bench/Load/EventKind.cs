namespace ProgressGrains.Bench.Load;

/// <summary>The events a member's mini-program sends.</summary>
public enum EventKind
{
    Lesson,
    CheckIn,
    Quiz,
}
