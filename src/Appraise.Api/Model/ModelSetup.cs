using Microsoft.Extensions.Options;

namespace Appraise.Api.Model;

/// <summary>Registers the model, loaded before the server starts so a bad file stops start-up with its reason.</summary>
public static class ModelSetup
{
    public static IServiceCollection AddHousingModel(this IServiceCollection services)
    {
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section);
        services.AddSingleton(sp => ModelLoader.Load(sp.GetRequiredService<IOptions<ModelOptions>>().Value.Path));
        services.AddHostedService<ModelPreload>();
        return services;
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
