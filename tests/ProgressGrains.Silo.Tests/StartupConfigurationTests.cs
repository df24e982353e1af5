using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Silo.Tests;

/// <summary>Security configuration a person must fix stops the silo at start, with a sentence and exit code 2.</summary>
public sealed class StartupConfigurationTests
{
    [Theory]
    [InlineData("--Auth:SigningKeys:0=c2hvcnQ=", "has 5 bytes; at least 32")]
    [InlineData("--Auth:SigningKeys:0=not base64!", "not base64")]
    [InlineData("--Auth:SigningKeyFile=/nonexistent/key", "does not exist")]
    [InlineData("--Auth:WeChat:Mode=WeChat", "Auth:WeChat:AppId and Auth:WeChat:Secret are needed")]
    public async Task BadAuthConfiguration_StopsTheSiloWithTheReason(string setting, string reason)
    {
        using var directory = new TempDirectory();

        var (exitCode, output) = await SiloProcess.RunAsync(directory.Path, $"--Storage:DataDirectory={directory.Path}", setting,
            "--Kestrel:Endpoints:Http:Url=http://127.0.0.1:0", "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:0",
            "--Orleans:Endpoints:SiloPort=0", "--Orleans:Endpoints:GatewayPort=0");

        Assert.Equal(2, exitCode);
        Assert.Contains(reason, output);
        Assert.DoesNotContain("   at ", output); // a sentence, not a stack trace
    }
}
