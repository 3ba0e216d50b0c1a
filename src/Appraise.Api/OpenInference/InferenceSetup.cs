using Microsoft.Extensions.Options;

namespace Appraise.Api.OpenInference;

/// <summary>The Open Inference Protocol's limits (validated at start) and its data plane, shared by REST and gRPC.</summary>
public static class InferenceSetup
{
    public static IServiceCollection AddOpenInference(this IServiceCollection services)
    {
        services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<InferenceOptions>, InferenceOptionsValidator>();
        services.AddSingleton<InferenceDataPlane>();
        return services;
    }
}

/// <summary>Limits that cannot work stop the start with one line.</summary>
public sealed class InferenceOptionsValidator : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        if (options.MaxRows is < 1 or > 1_000_000)
        {
            return ValidateOptionsResult.Fail("Inference:MaxRows must be between 1 and 1000000.");
        }
        if (options.MaxBodyBytes is < 1024 or > 1024L * 1024 * 1024)
        {
            return ValidateOptionsResult.Fail("Inference:MaxBodyBytes must be between 1024 and 1073741824 (1 GiB).");
        }
        return ValidateOptionsResult.Success;
    }
}
