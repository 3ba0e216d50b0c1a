namespace Appraise.Api.Model;

/// <summary>The models: their source, the served versions and the poller that keeps them in step.</summary>
public static class ModelSetup
{
    public static IServiceCollection AddModels(this IServiceCollection services)
    {
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section);
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<ModelRepository>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelRepository>());
        return services;
    }
}
