namespace Appraise.Api.Model;

/// <summary>Where models come from and which one the seed endpoints use (configuration section "Model").</summary>
public sealed class ModelOptions
{
    public const string Section = "Model";

    /// <summary>
    /// Where the model repository is, laid out as &lt;model&gt;/&lt;version&gt;/model.onnx: a directory, an
    /// Azure Blob container (https://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;/&lt;prefix&gt;) or
    /// an S3 prefix (s3://&lt;bucket&gt;/&lt;prefix&gt;); empty means the model embedded in the build.
    /// </summary>
    public string? Repository { get; set; }

    /// <summary>For a Blob container: a connection string (Azurite's too) or a SAS token; unset, the default Azure credential.</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>For S3-compatible stores (MinIO, s3rver) that need path-style addressing.</summary>
    public bool S3ForcePathStyle { get; set; }

    /// <summary>Where versions from object storage are kept once downloaded (an emptyDir in the chart).</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>The model behind /api/v1/prediction, /predict, explanations, reports and the home page.</summary>
    public string? Default { get; set; }

    /// <summary>How often the repository is looked at for new, changed and removed versions.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A model file larger than this is refused before it is read.</summary>
    public long MaxFileBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Model name -> the version its unversioned routes use (a canary pins one); else the newest.</summary>
    public Dictionary<string, long> Pins { get; set; } = [];

    /// <summary>Whether the repository API (index, load, unload) answers; it needs an admin key.</summary>
    public bool RepositoryApi { get; set; }

    /// <summary>Retired: a single appraise-gbr/1 file. Refused at start with a pointer to Repository.</summary>
    public string? Path { get; set; }
}
