namespace Appraise.Api.Model;

/// <summary>Registers the model, loaded before the server starts so a bad file stops start-up with its reason.</summary>
public static class ModelSetup
{
    public static IServiceCollection AddHousingModel(this IServiceCollection services)
    {
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section);
        services.AddSingleton<ModelLoad>();
        services.AddSingleton(sp => sp.GetRequiredService<ModelLoad>().Model);
        services.AddHostedService<ModelPreload>();
        return services;
    }

    /// <summary>Starts reading the model in the background; whatever needs it first waits for it.</summary>
    public static IHost StartLoadingModel(this IHost app)
    {
        app.Services.GetRequiredService<ModelLoad>();
        return app;
    }

    private sealed class ModelPreload(IServiceProvider services) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<HousingModel>();
            return Task.CompletedTask;
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
