using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Appraise.Api.Model.Storage;

/// <summary>
/// A model repository in an Azure Blob container (Azure.Storage.Blobs 12.30.1):
/// https://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;/&lt;prefix&gt;. Credentials, first
/// that applies: Model:StorageConnectionString as a connection string (Azurite's too) or a SAS
/// token; a SAS in the URI itself; else Azure.Identity's DefaultAzureCredential (AKS workload
/// identity, App Service's managed identity), so no secret is needed in Azure.
/// </summary>
public sealed class BlobStore : IObjectStore
{
    private readonly BlobContainerClient _container;
    private readonly string _prefix;
    private readonly string _where;

    public BlobStore(Uri repository, string? connectionStringOrSas)
    {
        var parts = new BlobUriBuilder(repository);
        var options = new BlobClientOptions();
        // A few quick retries inside one look; the repository's own backoff spaces the looks.
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        _prefix = parts.BlobName.Trim('/');
        var sas = parts.Sas?.ToString();
        parts.Sas = null;
        parts.Query = null;
        parts.BlobName = null;
        var containerUri = parts.ToUri();
        _where = $"{containerUri.GetLeftPart(UriPartial.Path).TrimEnd('/')}/{_prefix}".TrimEnd('/');
        if (connectionStringOrSas is { Length: > 0 } secret && !LooksLikeSas(secret))
        {
            _container = new BlobServiceClient(secret, options).GetBlobContainerClient(parts.BlobContainerName);
        }
        else if ((connectionStringOrSas is { Length: > 0 } token ? token : sas) is { Length: > 0 } signature)
        {
            _container = new BlobContainerClient(new UriBuilder(containerUri) { Query = signature.TrimStart('?') }.Uri, options);
        }
        else
        {
            _container = new BlobContainerClient(containerUri, new DefaultAzureCredential(), options);
        }
    }

    public string Description => $"model repository in Blob Storage '{_where}'";

    public string Where(string relativeKey) => $"{_where}/{relativeKey}";

    public async Task<IReadOnlyList<StoredObject>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<StoredObject>();
        var prefix = _prefix.Length == 0 ? null : _prefix + "/";
        try
        {
            await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
            {
                found.Add(new StoredObject(prefix is null ? blob.Name : blob.Name[prefix.Length..],
                    blob.Properties.ContentLength ?? 0, blob.Properties.ETag?.ToString() ?? ""));
            }
        }
        catch (Exception e) when (Failure(e) is { } failure)
        {
            throw failure;
        }
        return found;
    }

    public async Task<byte[]> ReadAsync(StoredObject stored, CancellationToken cancellationToken)
    {
        var name = _prefix.Length == 0 ? stored.Key : $"{_prefix}/{stored.Key}";
        try
        {
            var download = await _container.GetBlobClient(name).DownloadContentAsync(new BlobDownloadOptions
            {
                Conditions = new BlobRequestConditions { IfMatch = new ETag(stored.ETag) },
            }, cancellationToken);
            var bytes = download.Value.Content.ToArray();
            return bytes.LongLength == stored.Size
                ? bytes
                : throw new ModelSourceException($"{Where(stored.Key)} arrived with {bytes.LongLength} bytes, not the {stored.Size} listed", ModelSourceException.Changed);
        }
        catch (Exception e) when (Failure(e) is { } failure)
        {
            throw failure;
        }
    }

    private static bool LooksLikeSas(string value) => value.TrimStart('?').StartsWith("sv=", StringComparison.Ordinal) || value.Contains("&sig=", StringComparison.Ordinal);

    /// <summary>What went wrong, in words an operator can act on; null for what is not a storage failure.</summary>
    private static ModelSourceException? Failure(Exception e) => e switch
    {
        // Azure.Core's retry policy ends with "Retry failed after N tries": the last attempt says why.
        AggregateException { InnerExceptions.Count: > 0 } aggregate => Failure(aggregate.InnerExceptions[^1]),
        RequestFailedException { Status: 412 } => new ModelSourceException("a file changed while it was read", ModelSourceException.Changed, e),
        RequestFailedException { Status: 401 or 403 } failed => new ModelSourceException(
            $"it refused the credentials ({failed.ErrorCode ?? failed.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}): give the identity Storage Blob Data Reader, or check Model:StorageConnectionString",
            ModelSourceException.Forbidden, e),
        RequestFailedException { Status: 404 } failed => new ModelSourceException(
            $"the container or bucket does not exist ({failed.ErrorCode ?? "404"})", ModelSourceException.NotFound, e),
        RequestFailedException failed => new ModelSourceException($"it cannot be reached ({Short(failed.Message)})", ModelSourceException.Unreachable, e),
        AuthenticationFailedException => new ModelSourceException(
            $"no Azure credential could authenticate (workload or managed identity, environment, Azure CLI): {Short(e.Message)}",
            ModelSourceException.Forbidden, e),
        HttpRequestException or IOException and not ModelSourceException => new ModelSourceException($"it cannot be reached ({Short(e.Message)})", ModelSourceException.Unreachable, e),
        _ => null,
    };

    // The SDK's messages run to many lines of headers: the first says what happened.
    private static string Short(string message) => message.Split('\n')[0].Trim();

    public void Dispose()
    {
        // The Blob clients hold nothing to release.
    }
}
