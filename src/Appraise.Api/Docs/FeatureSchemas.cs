using Appraise.Api.Model;
using Appraise.Api.Predictions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Appraise.Api.Docs;

/// <summary>
/// The schema of a row of features (<see cref="FeatureValues"/>: a prediction's payload and echo,
/// an explanation's body) is the default model's columns: each a number, with its meaning, unit
/// and accepted range from the model's description, all required and nothing else allowed.
/// </summary>
public sealed class FeatureSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type != typeof(FeatureValues) || context.ApplicationServices.GetRequiredService<ModelRegistry>().Default is not { } model)
        {
            return Task.CompletedTask;
        }
        schema.Type = JsonSchemaType.Object;
        schema.Description = $"The columns of model {model.Label}, each a number.";
        schema.Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        schema.Required = new HashSet<string>(StringComparer.Ordinal);
        schema.AdditionalPropertiesAllowed = false;
        for (var i = 0; i < model.Features.Count; i++)
        {
            var feature = model.Features[i];
            schema.Properties[feature.Name] = new OpenApiSchema
            {
                Type = JsonSchemaType.Number,
                Description = string.Join(" ", new[] { feature.Description, feature.Unit is null ? null : $"({feature.Unit})" }.Where(s => s is not null)),
                Minimum = feature.Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Maximum = feature.Maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            schema.Required.Add(feature.Name);
        }
        return Task.CompletedTask;
    }
}
