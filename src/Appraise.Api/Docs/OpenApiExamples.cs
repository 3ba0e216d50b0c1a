using System.Text.Json;
using System.Text.Json.Nodes;
using Appraise.Api.Explanations;
using Appraise.Api.Hosting;
using Appraise.Api.Model;
using Appraise.Api.Predictions;
using Appraise.Api.Reports;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Appraise.Api.Docs;

/// <summary>
/// Request and response examples for every operation, keyed by operation id. The prediction
/// bodies are read by hand (so that the API key is checked before anything about the body),
/// so their request schema is declared here rather than inferred from a parameter.
/// </summary>
public sealed class OpenApiExamples : IOpenApiOperationTransformer
{
    private const string Json = "application/json";

    private static readonly Dictionary<string, Type> RequestTypes = new(StringComparer.Ordinal)
    {
        ["Predict"] = typeof(PredictionRequest),
        ["PredictBatch"] = typeof(Dictionary<string, Dictionary<string, double>>),
        ["Explain"] = typeof(HousingPayload),
        ["ExplainChart"] = typeof(HousingPayload),
    };

    private const string SampleHouse = """{"CHAS":0,"RM":6.575,"TAX":296.0,"PTRATIO":15.3,"B":396.9,"LSTAT":4.98}""";

    private static readonly Dictionary<string, (string? Request, string? Response)> Examples = new(StringComparer.Ordinal)
    {
        ["Root"] = (null, """{"message":"Hello World","service":"appraise","version":"0.1.0","hostname":"appraise-7d9f-x2k4"}"""),
        ["HelloWorld"] = (null, """{"message":"Hello World"}"""),
        ["Test"] = (null, """{"test":"test"}"""),
        ["Hello"] = (null, """{"message":"Hello World"}"""),
        ["Version"] = (null, """{"service":"appraise","version":"0.1.0","commit":"3f2c1ab","model_version":"housing-gbr-9a9ca8705e96","dotnet":".NET 10.0.0"}"""),
        ["Predict"] = (
            """{"event_id":1,"payload":{"CHAS":0,"RM":6.575,"TAX":296.0,"PTRATIO":15.3,"B":396.9,"LSTAT":4.98}}""",
            """{"event_id":1,"input_value":{"CHAS":0,"RM":6.575,"TAX":296,"PTRATIO":15.3,"B":396.9,"LSTAT":4.98},"predicted_value":28.30,"report_generated":true,"report_id":"0193a4c2-7b1e-7c3d-9f00-1a2b3c4d5e6f","model_version":"housing-gbr-9a9ca8705e96"}"""),
        ["PredictBatch"] = (
            """{"CHAS":{"0":0,"1":0},"RM":{"0":6.575,"1":6.421},"TAX":{"0":296.0,"1":242.0},"PTRATIO":{"0":15.3,"1":17.8},"B":{"0":396.9,"1":396.9},"LSTAT":{"0":4.98,"1":9.14}}""",
            """{"prediction":[28.30,22.78]}"""),
        ["GetReport"] = (null,
            """{"report_id":"0193a4c2-7b1e-7c3d-9f00-1a2b3c4d5e6f","event_id":1,"state":"completed","input_value":{"CHAS":0,"RM":6.575,"TAX":296,"PTRATIO":15.3,"B":396.9,"LSTAT":4.98},"predicted_value":28.30,"model_version":"housing-gbr-9a9ca8705e96","baseline":22.83,"contributions":[{"feature":"CHAS","value":0,"contribution":-0.06},{"feature":"RM","value":6.575,"contribution":-1.29},{"feature":"TAX","value":296,"contribution":-0.75},{"feature":"PTRATIO","value":15.3,"contribution":1.00},{"feature":"B","value":396.9,"contribution":0.01},{"feature":"LSTAT","value":4.98,"contribution":6.56}],"error":null,"attempts":1,"created_at":"2026-11-22T10:00:00+00:00","completed_at":"2026-11-22T10:00:00.012+00:00"}"""),
        ["Explain"] = (SampleHouse, null),
        ["ExplainChart"] = (SampleHouse, null),
        ["ModelCard"] = (null, null),
        ["Liveness"] = (null, """{"status":"healthy","checks":{}}"""),
        ["Readiness"] = (null, """{"status":"healthy","checks":{"shutdown":{"status":"healthy","description":"Serving."},"model":{"status":"healthy","description":"Model housing-gbr-9a9ca8705e96 loaded (300 trees)."},"report_store":{"status":"healthy","description":"Report store reachable."}}}"""),
    };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is null || !Examples.TryGetValue(operation.OperationId, out var example))
        {
            return;
        }
        if (RequestTypes.TryGetValue(operation.OperationId, out var requestType))
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [Json] = new() { Schema = await context.GetOrCreateSchemaAsync(requestType, null, cancellationToken) },
                },
            };
        }
        if (example.Request is not null && operation.RequestBody?.Content?.TryGetValue(Json, out var request) == true)
        {
            request.Example = JsonNode.Parse(example.Request);
        }
        var responseExample = example.Response ?? Computed(operation.OperationId, context.ApplicationServices.GetRequiredService<HousingModel>());
        if (responseExample is not null && operation.Responses is not null)
        {
            foreach (var code in new[] { "200", "202" })
            {
                if (operation.Responses.TryGetValue(code, out var response) && response.Content?.TryGetValue(Json, out var body) == true)
                {
                    body.Example = JsonNode.Parse(responseExample);
                }
            }
        }
    }

    /// <summary>Answers the model itself gives, so these examples are true to the deployed model.</summary>
    private static string? Computed(string operationId, HousingModel model)
    {
        switch (operationId)
        {
            case "ModelCard":
                return JsonSerializer.Serialize(ModelCard.From(model), AppJsonContext.Default.ModelCard);
            case "Explain":
                double[] features = [.. HousingFeatures.All.Select(f => f.Typical)];
                var contributions = new double[HousingFeatures.Count];
                model.Explain(features, contributions);
                var explanation = new ExplanationResponse(HousingPayload.From(features), model.Predict(features), model.Baseline,
                    [.. HousingFeatures.All.Select((f, i) => new FeatureContribution(f.Name, features[i], contributions[i]))], model.Version);
                return JsonSerializer.Serialize(explanation, AppJsonContext.Default.ExplanationResponse);
            default:
                return null;
        }
    }
}
