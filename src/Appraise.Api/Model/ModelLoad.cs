using Microsoft.Extensions.Options;

namespace Appraise.Api.Model;

/// <summary>
/// Reads the model on a pool thread from the moment it is created, so the rest of start-up
/// (endpoints, hosted services, Kestrel) is built on the other core meanwhile.
/// </summary>
public sealed class ModelLoad(IOptions<ModelOptions> options)
{
    private readonly Task<HousingModel> _loading = Task.Run(() => ModelLoader.Load(options.Value.Path));

    /// <summary>The loaded model; waits for the load, and throws its <see cref="InvalidModelException"/> if it failed.</summary>
    public HousingModel Model => _loading.GetAwaiter().GetResult();
}
