using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Appraise.Api.Docs;

/// <summary>
/// generate_report is read as text (so that the original clients' 1/0, yes/no and on/off work),
/// but it is a boolean: the document says so, with the aliases, so generated clients send true
/// or false.
/// </summary>
public sealed class ReportFlagParameter : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Name == "generate_report")
            {
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = false };
                parameter.Description = "Also queue a durable report explaining the prediction (GET /api/v1/reports/{id}). " +
                    "true or false; 1/0, yes/no and on/off are accepted too, case-insensitively. Anything else is a 422.";
            }
        }
        return Task.CompletedTask;
    }
}
