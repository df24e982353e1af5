using System.ComponentModel;
using Google.Protobuf;
using ProgressGrains.Api.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProgressGrains.Cli;

internal sealed class LoadSeasonSettings : GatewaySettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("The season file: the API's Season message in JSON (e.g. Silo/Demo/season-2023-2024.json).")]
    public string File { get; init; } = "";

    [CommandOption("--not-current")]
    [Description("Load it without making it the current season.")]
    public bool NotCurrent { get; init; }

    public override ValidationResult Validate() =>
        System.IO.File.Exists(File) ? base.Validate() : ValidationResult.Error($"The file '{File}' does not exist.");
}

/// <summary><c>season load FILE</c>: one call; the gateway checks the file whole and names every problem.</summary>
internal sealed class LoadSeasonCommand : AsyncCommand<LoadSeasonSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LoadSeasonSettings settings, CancellationToken cancellationToken)
    {
        Season season;
        try
        {
            season = new JsonParser(JsonParser.Settings.Default.WithIgnoreUnknownFields(true)).Parse<Season>(await File.ReadAllTextAsync(settings.File, cancellationToken));
        }
        catch (InvalidProtocolBufferException ex)
        {
            Console.Error.WriteLine($"error: {settings.File} is not a season in JSON: {ex.Message}");
            return 2;
        }

        using var channel = settings.Channel();
        var reply = await new SeasonService.SeasonServiceClient(channel).UpsertSeasonAsync(
            new UpsertSeasonRequest { Season = season, MakeCurrent = !settings.NotCurrent }, settings.Call(cancellationToken));
        var loaded = reply.Season;
        Console.WriteLine($"Season {loaded.SeasonId} ({loaded.Name}) loaded: {loaded.Topics.Count} topics, {loaded.Lessons.Count} lessons ({loaded.RequiredLessons} required), "
            + $"{loaded.Sites.Count} sites, {loaded.Quizzes.Count} quizzes{(loaded.Current ? "; it is the current season" : "")}.");
        return 0;
    }
}
