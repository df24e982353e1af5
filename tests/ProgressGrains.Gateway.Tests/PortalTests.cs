using System.Diagnostics;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Gateway.Tests;

/// <summary>
/// The portal in a real browser: portal/tests (node's test runner, playwright-core driving Debian's
/// Chromium) against the demo silo. Screenshots go to artifacts/screenshots.
/// </summary>
[Collection(DemoSiloCollection.Name)]
public sealed class PortalTests(DemoSiloFixture fixture)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task ThePortal_ShowsTheApisNumbers_InABrowser()
    {
        var repository = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(SiloProcess.SiloAssembly)!, "..", "..", "..", ".."));
        var portal = Path.Combine(repository, "portal");
        var missing = !File.Exists(Chromium) ? $"{Chromium} (apt-get install -y chromium)"
            : !Directory.Exists(Path.Combine(portal, "node_modules", "playwright-core")) ? "portal/node_modules (npm --prefix portal ci)"
            : !File.Exists(Path.Combine(portal, "dist", "index.html")) ? "portal/dist (npm --prefix portal run build)"
            : null;
        if (missing is not null)
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", $"The browser test needs {missing}.");
            Assert.Skip($"The browser test needs {missing}.");
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = portal, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--test");
        start.ArgumentList.Add("--test-reporter=spec");
        start.ArgumentList.Add("tests/");
        start.Environment["PORTAL_URL"] = fixture.Silo.HttpBase.ToString().TrimEnd('/');
        start.Environment["PORTAL_TOKEN"] = TestTokens.For("subdistrict_admin", subdistrict: "xietang");
        start.Environment["PORTAL_COMMUNITY"] = "jinyan";
        start.Environment["PORTAL_VOLUNTEER"] = "jinyan-v02";
        start.Environment["PORTAL_ADMIN_TOKEN"] = TestTokens.For("community_admin", community: "jinyan");
        start.Environment["PORTAL_VOLUNTEER_TOKEN"] = TestTokens.For("volunteer", volunteer: "jinyan-v02", community: "jinyan");
        start.Environment["CHROMIUM"] = Chromium;
        start.Environment["SCREENSHOTS"] = Path.Combine(repository, "artifacts", "screenshots");
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await node.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        TestContext.Current.TestOutputHelper?.WriteLine(output);
        Assert.True(node.ExitCode == 0, output);
        Assert.True(File.Exists(Path.Combine(repository, "artifacts", "screenshots", "overview-desktop.png")));
        Assert.True(File.Exists(Path.Combine(repository, "artifacts", "screenshots", "volunteer-phone.png")));
    }
}
