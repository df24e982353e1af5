using Microsoft.Extensions.FileProviders;

namespace ProgressGrains.Gateway;

/// <summary>
/// The web portal's built files (<c>portal/dist</c>), served at <c>/</c> without a token (they hold
/// no data; the pages call the API with the user's token). Found at <c>Portal:Root</c>, else
/// <c>wwwroot</c> beside the program, else <c>portal/dist</c> of the checkout the program runs from.
/// </summary>
internal static class Portal
{
    public static string? FindRoot(IConfiguration configuration)
    {
        if (configuration["Portal:Root"] is { Length: > 0 } configured)
        {
            return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (File.Exists(Path.Combine(beside, "index.html")))
        {
            return beside;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var dist = Path.Combine(directory.FullName, "portal", "dist");
            if (File.Exists(Path.Combine(dist, "index.html")))
            {
                return dist;
            }
        }

        return null;
    }

    public static void MapPortal(this WebApplication app)
    {
        if (FindRoot(app.Configuration) is { } root)
        {
            var files = new PhysicalFileProvider(root);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
            app.Logger.LogInformation("The portal is served from {PortalRoot}", root);
        }
        else
        {
            app.MapGet("/", () => Results.Text(
                "The portal is not built here: run `npm --prefix portal ci && npm --prefix portal run build` (dotnet build does it when npm is installed), or set Portal:Root.\n"));
        }
    }
}
