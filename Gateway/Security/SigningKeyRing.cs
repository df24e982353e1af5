using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ProgressGrains.Gateway.Security;

/// <summary>The keys tokens are signed with (the first) and validated against (all).</summary>
public sealed class SigningKeyRing
{
    public const int MinimumKeyBytes = 32;

    private SigningKeyRing(IReadOnlyList<SymmetricSecurityKey> keys, string source)
    {
        Keys = keys;
        Source = source;
    }

    public IReadOnlyList<SymmetricSecurityKey> Keys { get; }

    public SymmetricSecurityKey SigningKey => Keys[0];

    /// <summary>Where the keys came from, for the start-up log (never the keys themselves).</summary>
    public string Source { get; }

    public SigningKeyRing(IOptions<AuthOptions> options)
        : this(Load(options.Value, out var source), source)
    {
    }

    /// <summary>Loads the keys, creating the development key file when that is the only source.</summary>
    /// <exception cref="InvalidOperationException">No key is configured, or one is malformed.</exception>
    public static SigningKeyRing From(AuthOptions options) => new(Load(options, out var source), source);

    private static List<SymmetricSecurityKey> Load(AuthOptions options, out string source)
    {
        if (options.SigningKeys.Count > 0)
        {
            source = $"{options.SigningKeys.Count} key(s) from Auth:SigningKeys";
            return options.SigningKeys.Select((k, i) => Key(k, $"Auth:SigningKeys:{i}")).ToList();
        }

        if (!string.IsNullOrEmpty(options.SigningKeyFile))
        {
            if (!File.Exists(options.SigningKeyFile))
            {
                throw new InvalidOperationException($"Auth:SigningKeyFile '{options.SigningKeyFile}' does not exist.");
            }

            source = $"key file {options.SigningKeyFile}";
            return [Key(File.ReadAllText(options.SigningKeyFile), options.SigningKeyFile)];
        }

        if (!string.IsNullOrEmpty(options.DevelopmentKeyFile))
        {
            source = $"development key {options.DevelopmentKeyFile}";
            return [Key(ReadOrCreateDevelopmentKey(options.DevelopmentKeyFile), options.DevelopmentKeyFile)];
        }

        throw new InvalidOperationException(
            "No token signing key is configured. Set Auth:SigningKeys:0 (base64 of at least 32 random bytes, e.g. `openssl rand -base64 32`) "
            + "or Auth:SigningKeyFile, the same on every silo and gateway of the cluster.");
    }

    private static SymmetricSecurityKey Key(string base64, string where)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The signing key in {where} is not base64.");
        }

        if (bytes.Length < MinimumKeyBytes)
        {
            throw new InvalidOperationException($"The signing key in {where} has {bytes.Length} bytes; at least {MinimumKeyBytes} are needed.");
        }

        // The key id lets tokens name their key, so rotation (several keys) stays cheap to validate.
        return new SymmetricSecurityKey(bytes) { KeyId = Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) };
    }

    private static string ReadOrCreateDevelopmentKey(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumKeyBytes));
        // Written aside and moved into place, so a process starting at the same time reads a whole key or none.
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temporary, fileOptions))
        {
            writer.Write(key);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            File.Delete(temporary);
            return File.ReadAllText(path);
        }
    }
}
