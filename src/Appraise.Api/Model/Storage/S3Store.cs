using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Appraise.Api.Hosting;

namespace Appraise.Api.Model.Storage;

/// <summary>
/// A model repository under an S3 prefix (AWSSDK.S3 4.1): s3://&lt;bucket&gt;/&lt;prefix&gt;, with the
/// SDK's default credential chain (EKS IRSA, the environment, profiles) and region. For MinIO, s3rver
/// and other S3-compatible stores the SDK's own AWS_ENDPOINT_URL_S3 sets the endpoint, and
/// Model:S3ForcePathStyle the path-style addressing they need.
/// </summary>
public sealed class S3Store : IObjectStore
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3Store(Uri repository, bool forcePathStyle)
    {
        _bucket = repository.Host;
        _prefix = Uri.UnescapeDataString(repository.AbsolutePath).Trim('/');
        // A few quick retries inside one look; the repository's own backoff spaces the looks.
        try
        {
            _client = new AmazonS3Client(new AmazonS3Config { ForcePathStyle = forcePathStyle, MaxErrorRetry = 2, Timeout = TimeSpan.FromSeconds(30) });
        }
        catch (AmazonClientException e)
        {
            // No region or endpoint anywhere in the SDK's chain: a setting to fix, not storage to wait for.
            throw new ConfigurationException($"Model:Repository is s3://{_bucket}, but the AWS SDK found no region ({e.Message.Split('\n')[0].Trim()}): set AWS_REGION (IRSA sets it on EKS), or AWS_ENDPOINT_URL_S3 for an S3-compatible store.");
        }
    }

    public string Description => $"model repository in S3 's3://{_bucket}/{_prefix}'";

    public string Where(string relativeKey) => $"s3://{_bucket}/{(_prefix.Length == 0 ? "" : _prefix + "/")}{relativeKey}";

    public async Task<IReadOnlyList<StoredObject>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<StoredObject>();
        var prefix = _prefix.Length == 0 ? "" : _prefix + "/";
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix };
        try
        {
            ListObjectsV2Response page;
            do
            {
                page = await _client.ListObjectsV2Async(request, cancellationToken);
                foreach (var stored in page.S3Objects ?? [])
                {
                    found.Add(new StoredObject(stored.Key[prefix.Length..], stored.Size ?? 0, stored.ETag ?? ""));
                }
                request.ContinuationToken = page.NextContinuationToken;
            }
            while (page.IsTruncated == true);
        }
        catch (Exception e) when (Failure(e) is { } failure)
        {
            throw failure;
        }
        return found;
    }

    public async Task<byte[]> ReadAsync(StoredObject stored, CancellationToken cancellationToken)
    {
        var key = _prefix.Length == 0 ? stored.Key : $"{_prefix}/{stored.Key}";
        try
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = key, EtagToMatch = stored.ETag }, cancellationToken);
            using var copy = new MemoryStream(checked((int)stored.Size));
            await response.ResponseStream.CopyToAsync(copy, cancellationToken);
            return copy.Length == stored.Size
                ? copy.ToArray()
                : throw new ModelSourceException($"{Where(stored.Key)} arrived with {copy.Length} bytes, not the {stored.Size} listed", ModelSourceException.Changed);
        }
        catch (Exception e) when (Failure(e) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>What went wrong, in words an operator can act on; null for what is not a storage failure.</summary>
    private static ModelSourceException? Failure(Exception e) => e switch
    {
        AmazonS3Exception { StatusCode: System.Net.HttpStatusCode.PreconditionFailed } => new ModelSourceException(
            "a file changed while it was read", ModelSourceException.Changed, e),
        AmazonS3Exception { StatusCode: System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Unauthorized } failed => new ModelSourceException(
            $"it refused the credentials ({failed.ErrorCode}): give the role s3:ListBucket and s3:GetObject on it", ModelSourceException.Forbidden, e),
        AmazonS3Exception { StatusCode: System.Net.HttpStatusCode.NotFound } failed => new ModelSourceException(
            $"the container or bucket does not exist ({failed.ErrorCode})", ModelSourceException.NotFound, e),
        AmazonClientException { InnerException: HttpRequestException or IOException or System.Net.Sockets.SocketException } when e is not AmazonServiceException => new ModelSourceException(
            $"it cannot be reached ({e.Message.Split('\n')[0].Trim()})", ModelSourceException.Unreachable, e),
        AmazonClientException when e is not AmazonServiceException => new ModelSourceException(
            $"no AWS credentials or region ({e.Message.Split('\n')[0].Trim()}): the role (IRSA), AWS_REGION, or AWS_ACCESS_KEY_ID", ModelSourceException.Forbidden, e),
        AmazonServiceException or HttpRequestException or IOException and not ModelSourceException => new ModelSourceException(
            $"it cannot be reached ({e.Message.Split('\n')[0].Trim()})", ModelSourceException.Unreachable, e),
        _ => null,
    };

    public void Dispose() => _client.Dispose();
}
