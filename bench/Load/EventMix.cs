using System.Globalization;

namespace ProgressGrains.Bench.Load;

/// <summary>How often each kind of event is sent, as weights: <c>lesson=40,checkin=40,quiz=20</c>.</summary>
public sealed record EventMix(int Lesson, int CheckIn, int Quiz)
{
    /// <summary>A winter-training day: lessons and check-ins mostly, some quizzes.</summary>
    public static readonly EventMix Default = new(40, 40, 20);

    public int Total => Lesson + CheckIn + Quiz;

    public static EventMix Parse(string text)
    {
        int lesson = 0, checkIn = 0, quiz = 0;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', ':');
            if (pair.Length != 2 || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var weight))
            {
                throw new FormatException($"--mix '{text}': expected e.g. lesson=40,checkin=40,quiz=20");
            }

            switch (pair[0].ToLowerInvariant())
            {
                case "lesson": lesson = weight; break;
                case "checkin" or "check-in": checkIn = weight; break;
                case "quiz": quiz = weight; break;
                default: throw new FormatException($"--mix: unknown kind '{pair[0]}' (lesson, checkin, quiz)");
            }
        }

        var mix = new EventMix(lesson, checkIn, quiz);
        return mix.Total > 0 ? mix : throw new FormatException("--mix: the weights add up to 0");
    }

    public EventKind Pick(Random random)
    {
        var roll = random.Next(Total);
        return roll < Lesson ? EventKind.Lesson : roll < Lesson + CheckIn ? EventKind.CheckIn : EventKind.Quiz;
    }

    public override string ToString() => $"lesson={Lesson},checkin={CheckIn},quiz={Quiz}";
}
