using System.Collections.Immutable;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Outreach;
using ProgressGrains.Grains.Catalog;

namespace ProgressGrains.Grains.Outreach;

/// <summary>Whether a member is at risk, and why: behind the expected pace, or inactive for too long.</summary>
internal static class AtRiskEvaluator
{
    public sealed record Assessment(ImmutableArray<AtRiskReason> Reasons, int DaysBehind)
    {
        public bool AtRisk => !Reasons.IsEmpty;
    }

    public static Assessment Evaluate(int completedRequired, DateTimeOffset? lastActivityAt, ResolvedSeason season, DateTimeOffset now)
    {
        var definition = season.Definition;
        var rules = definition.Outreach;
        if (now < definition.StartsAt || Rules.IsCompleted(completedRequired, season.RequiredLessons))
        {
            return new Assessment([], 0);
        }

        var length = definition.EndsAt - definition.StartsAt;
        var elapsed = Math.Clamp((now - definition.StartsAt) / length, 0, 1);
        var progress = Rules.Progress(completedRequired, season.RequiredLessons);
        var reasons = ImmutableArray.CreateBuilder<AtRiskReason>();
        var daysBehind = 0;
        if (progress < rules.PaceThreshold * elapsed)
        {
            daysBehind = (int)Math.Ceiling((elapsed - progress) * length.TotalDays);
            reasons.Add(new AtRiskReason(AtRiskReasonKind.BehindPace,
                $"behind pace: {progress:P0} of required lessons done with {elapsed:P0} of the season gone ({daysBehind} days behind)"));
        }

        var since = lastActivityAt ?? definition.StartsAt;
        var idle = (int)Math.Floor((now - since).TotalDays);
        if (idle >= rules.InactivityDays && now < definition.EndsAt)
        {
            reasons.Add(new AtRiskReason(AtRiskReasonKind.Inactive,
                lastActivityAt is null ? $"no activity since the season started {idle} days ago" : $"no activity for {idle} days"));
        }

        return new Assessment(reasons.ToImmutable(), daysBehind);
    }
}
