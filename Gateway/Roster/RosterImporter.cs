using System.Collections.Concurrent;
using System.Collections.Immutable;
using ProgressGrains.Api.V1;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Identity;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Gateway.Security;

namespace ProgressGrains.Gateway.Roster;

/// <summary>
/// Checks a whole roster against the engine (the communities and grids exist, the caller may import
/// into them, no openid belongs to someone else), then, unless something is wrong, enrolls the rows:
/// each community's roster in one write, then each changed member (a moved member leaves the old
/// community with their progress). Rows already as the file says are not touched.
/// </summary>
internal sealed class RosterImporter(IGrainFactory grains)
{
    private const int Parallelism = 16;

    public async Task<ImportRosterReport> ImportAsync(Stream file, ImportOptions options, Caller caller, CancellationToken cancellationToken)
    {
        var parsed = RosterCsv.Parse(file);
        var problems = parsed.Problems;
        var definitions = new Dictionary<string, CommunityDefinition?>(StringComparer.Ordinal);
        foreach (var communityId in parsed.Rows.Select(r => r.CommunityId).Distinct(StringComparer.Ordinal))
        {
            definitions[communityId] = await grains.GetGrain<ICommunityGrain>(GrainKeys.Community(communityId)).GetDefinition();
        }

        var current = new ConcurrentDictionary<string, MemberProfile?>(StringComparer.Ordinal);
        var engineProblems = new ConcurrentBag<RosterProblem>();
        await Parallel.ForEachAsync(parsed.Rows, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (row, _) =>
        {
            void Problem(string column, string reason) =>
                engineProblems.Add(new RosterProblem { Line = row.Line, Column = parsed.ColumnNames.GetValueOrDefault(column, column), Reason = reason });
            if (definitions[row.CommunityId] is not { } community)
            {
                Problem("community_id", $"community {row.CommunityId} is not defined in this deployment.");
                return;
            }

            if (!community.Grids.Contains(row.GridId))
            {
                Problem("grid", $"grid {row.GridId} is not one of community {row.CommunityId}'s grids ({string.Join(", ", community.Grids)}).");
            }

            if (!caller.AdministersCommunity(row.CommunityId) && !caller.AdministersSubdistrict(community.SubdistrictId))
            {
                Problem("community_id", $"you may not import members into community {row.CommunityId}: only its admins and its subdistrict's admins may.");
            }

            var profile = await grains.GetGrain<IMemberGrain>(GrainKeys.Member(row.MemberId)).GetProfile();
            current[row.MemberId] = profile;
            if (profile is not null && profile.CommunityId != row.CommunityId
                && !caller.AdministersCommunity(profile.CommunityId)
                && !(caller.Is(Roles.SubdistrictAdmin) && await SubdistrictOf(profile.CommunityId) == caller.SubdistrictId))
            {
                Problem("community_id", $"member {row.MemberId} is in community {profile.CommunityId}, which you do not administer: its admins move them.");
            }

            if (row.OpenId is { } openId && await grains.GetGrain<IWeChatAccountGrain>(openId).GetMember() is { } owner && owner != row.MemberId)
            {
                Problem("openid", $"openid {openId} already signs in as member {owner}; remove it there first.");
            }
        });

        problems.AddRange(engineProblems);
        problems.Sort((a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : string.CompareOrdinal(a.Column, b.Column));
        var badLines = problems.Select(p => p.Line).ToHashSet();
        var valid = parsed.Rows.Where(r => !badLines.Contains(r.Line)).ToList();

        var plan = valid.Select(row => (Row: row, Before: current.GetValueOrDefault(row.MemberId), After: ToProfile(row, current.GetValueOrDefault(row.MemberId)))).ToList();
        var report = new ImportRosterReport
        {
            Rows = parsed.DataRows,
            ValidRows = valid.Count,
            Problems = { problems },
            IgnoredColumns = { parsed.IgnoredColumns },
            Created = plan.Count(p => p.Before is null),
            Updated = plan.Count(p => p.Before is not null && p.Before != p.After),
            Moved = plan.Count(p => p.Before is not null && p.Before.CommunityId != p.After.CommunityId),
            Unchanged = plan.Count(p => p.Before == p.After),
        };

        var apply = !options.DryRun && (problems.Count == 0 || options.ImportValidRows);
        if (apply)
        {
            await ApplyAsync(plan.Where(p => p.Before != p.After).Select(p => p.After).ToList(), plan.Select(p => p.After).ToList(), cancellationToken);
        }

        report.Imported = apply;
        report.Summary = Summarize(report, options);
        return report;
    }

    /// <summary>
    /// Members first (a move takes the member out of the old community before the profile is
    /// written), then the rosters of every valid row, one write per community and none where the
    /// roster already agrees: an import retried after a failure finishes what the first one began.
    /// </summary>
    private async Task ApplyAsync(List<MemberProfile> changed, List<MemberProfile> all, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(changed, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (profile, _) => await grains.GetGrain<IMemberGrain>(GrainKeys.Member(profile.MemberId)).Enroll(profile));
        foreach (var community in all.GroupBy(p => p.CommunityId, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await grains.GetGrain<ICommunityGrain>(GrainKeys.Community(community.Key))
                .Enroll([.. community.Select(p => new RosterEntry(p.MemberId, p.Name, p.GridId, p.Flags, p.BirthYear))]);
        }
    }

    private async Task<string?> SubdistrictOf(string communityId) =>
        (await grains.GetGrain<ICommunityGrain>(GrainKeys.Community(communityId)).GetDefinition())?.SubdistrictId;

    /// <summary>The profile the row asks for; columns the file does not have keep what the member had.</summary>
    private static MemberProfile ToProfile(RosterRow row, MemberProfile? before) =>
        new(row.MemberId, row.Name, row.CommunityId, row.GridId, row.BirthYear,
            row.Flags ?? before?.Flags ?? MemberFlags.None,
            row.HasOpenIdColumn ? row.OpenId : before?.OpenId);

    private static string Summarize(ImportRosterReport report, ImportOptions options)
    {
        var counts = $"{report.Created} new, {report.Updated} updated ({report.Moved} moved), {report.Unchanged} unchanged";
        if (options.DryRun)
        {
            return $"Checked {report.Rows} rows: {report.Problems.Count} problem(s) in {report.Rows - report.ValidRows} row(s); importing would make {counts}. Nothing was changed (dry run).";
        }

        if (!report.Imported)
        {
            return $"{report.Rows - report.ValidRows} of {report.Rows} rows have problems ({report.Problems.Count} in all); nothing was imported. "
                + $"Fix them, or import the {report.ValidRows} good rows with import_valid_rows.";
        }

        var skipped = report.Rows - report.ValidRows;
        return $"Imported {report.ValidRows} of {report.Rows} rows: {counts}{(skipped > 0 ? $"; {skipped} bad row(s) skipped" : "")}.";
    }
}
