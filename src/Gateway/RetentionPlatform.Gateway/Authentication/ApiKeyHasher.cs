using System.Security.Cryptography;
using System.Text;

namespace RetentionPlatform.Gateway.Authentication;

/// <summary>The one way an API key is turned into what is stored and compared.</summary>
public static class ApiKeyHasher
{
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
