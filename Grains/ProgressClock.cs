namespace ProgressGrains.Grains;

/// <summary>
/// The domain's clock: what "now" is for events, days, seasons and outreach. Separate from the
/// TimeProvider Orleans itself runs on, so tests can move a season forward without moving the
/// runtime's timeouts.
/// </summary>
public sealed class ProgressClock(TimeProvider provider)
{
    public static ProgressClock System { get; } = new(TimeProvider.System);

    public DateTimeOffset GetUtcNow() => provider.GetUtcNow();
}
