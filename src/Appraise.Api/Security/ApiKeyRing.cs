using System.Security.Cryptography;
using System.Text;

namespace Appraise.Api.Security;

/// <summary>
/// The set of keys valid right now. Keys are kept as SHA-256 digests and a presented key is
/// compared with every one of them in constant time, so neither a key nor its length leaks
/// through timing.
/// </summary>
public sealed class ApiKeyRing
{
    private byte[][] _digests = [];

    public int Count => Volatile.Read(ref _digests).Length;

    /// <summary>Replaces the valid keys; returns false when the set did not change.</summary>
    public bool Replace(IEnumerable<string> keys)
    {
        var digests = keys
            .Select(k => k.Trim())
            .Where(k => k.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))
            .OrderBy(Convert.ToHexString, StringComparer.Ordinal)
            .ToArray();
        var current = Volatile.Read(ref _digests);
        if (current.Length == digests.Length && current.Zip(digests).All(p => p.First.AsSpan().SequenceEqual(p.Second)))
        {
            return false;
        }
        Volatile.Write(ref _digests, digests);
        return true;
    }

    public bool IsValid(ReadOnlySpan<char> presented)
    {
        if (presented.IsEmpty || presented.Length > 512)
        {
            return false;
        }
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(presented.Length)];
        var length = Encoding.UTF8.GetBytes(presented, utf8);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], digest);

        var match = false;
        foreach (var candidate in Volatile.Read(ref _digests))
        {
            // No early exit: every key is compared whatever the outcome.
            match |= CryptographicOperations.FixedTimeEquals(digest, candidate);
        }
        return match;
    }
}
