using System.Text.Json;
using System.Text.Json.Nodes;
using Appraise.Api.Explanations;
using Appraise.Api.Hosting;
using Appraise.Api.Model;
using Appraise.Api.OpenInference;
using Appraise.Api.Predictions;
using Appraise.Api.Reports;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Appraise.Api.Docs;

/// <summary>
/// Request and response examples for every operation, keyed by operation id. Those that carry
/// features are the default model's own answers to its typical row, built when the document is
/// asked for, so they name its columns and are true to the deployed version. The prediction
/// bodies are read by hand (so that the API key is checked before anything about the body), so
/// their request schema is declared here rather than inferred from a parameter.
/// </summary>
public sealed class OpenApiExamples : IOpenApiOperationTransformer
{
    private const string Json = "application/json";

    private static readonly Dictionary<string, Type> RequestTypes = new(StringComparer.Ordinal)
    {
        ["Predict"] = typeof(PredictionRequest),
        ["PredictBatch"] = typeof(Dictionary<string, Dictionary<string, double>>),
        ["Explain"] = typeof(FeatureValues),
        ["ExplainChart"] = typeof(FeatureValues),
        ["V2ModelInfer"] = typeof(InferenceRequestDocument),
        ["V2ModelInferVersion"] = typeof(InferenceRequestDocument),
        ["V2RepositoryIndex"] = typeof(RepositoryIndexRequest),
    };

    /// <summary>Operations whose body may be left out (the repository index: an empty body lists everything).</summary>
    private static readonly HashSet<string> OptionalBodies = ["V2RepositoryIndex"];

    private static readonly Dictionary<string, string> Fixed = new(StringComparer.Ordinal)
    {
        ["Root"] = """{"message":"Hello World","service":"appraise","version":"0.1.0","hostname":"appraise-7d9f-x2k4"}""",
        ["HelloWorld"] = """{"message":"Hello World"}""",
        ["Test"] = """{"test":"test"}""",
        ["Hello"] = """{"message":"Hello World"}""",
        ["Liveness"] = """{"status":"healthy","checks":{}}""",
    };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is not { } id)
        {
            return;
        }
        if (RequestTypes.TryGetValue(id, out var requestType))
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = !OptionalBodies.Contains(id),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [Json] = new() { Schema = await context.GetOrCreateSchemaAsync(requestType, null, cancellationToken) },
                },
            };
        }
        var model = context.ApplicationServices.GetRequiredService<ModelRegistry>().Default;
        var (request, response) = Fixed.TryGetValue(id, out var fixedResponse) ? (null, fixedResponse) : model is null ? (null, null) : FromModel(id, model);
        if (request is not null && operation.RequestBody?.Content?.TryGetValue(Json, out var body) == true)
        {
            body.Example = JsonNode.Parse(request);
        }
        if (response is not null && operation.Responses is not null)
        {
            foreach (var code in new[] { "200", "202" })
            {
                if (operation.Responses.TryGetValue(code, out var answer) && answer.Content?.TryGetValue(Json, out var content) == true)
                {
                    content.Example = JsonNode.Parse(response);
                }
            }
        }
    }

    /// <summary>The default model's answers to its typical row (and a second row for batches).</summary>
    private static (string? Request, string? Response) FromModel(string operationId, ServedModel model)
    {
        var names = model.Features.Names;
        var typical = model.Features.Typical;
        var row = Row(names, typical);
        var prediction = model.AnswersOneNumber ? model.PredictNumber(typical) : double.NaN;
        switch (operationId)
        {
            case "Predict" when model.AnswersOneNumber:
                return ($$"""{"event_id":1,"payload":{{row}}}""", Serialize(new PredictionResponse(1, new FeatureValues(names, typical), prediction, true,
                    "0193a4c2-7b1e-7c3d-9f00-1a2b3c4d5e6f", model.Label), AppJsonContext.Default.PredictionResponse));
            case "PredictBatch" when model.AnswersOneNumber:
                var columns = new JsonObject();
                for (var i = 0; i < names.Length; i++)
                {
                    columns[names[i]] = new JsonObject { ["0"] = typical[i], ["1"] = typical[i] };
                }
                return (columns.ToJsonString(), Serialize(new BatchPredictionResponse([prediction, prediction]), AppJsonContext.Default.BatchPredictionResponse));
            case "Explain" or "ExplainChart" when model.Ensemble.CanExplain:
                var contributions = new double[names.Length];
                model.Ensemble.Explain(typical, contributions);
                var explained = new ExplanationResponse(new FeatureValues(names, typical), prediction, model.Ensemble.Baseline,
                    [.. names.Select((name, i) => new FeatureContribution(name, typical[i], contributions[i]))], model.Label);
                return (row, operationId == "Explain" ? Serialize(explained, AppJsonContext.Default.ExplanationResponse) : null);
            case "GetReport" when model.Ensemble.CanExplain:
                var report = new double[names.Length];
                model.Ensemble.Explain(typical, report);
                var at = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
                return (null, Serialize(ReportResponse.From(new Report("0193a4c2-7b1e-7c3d-9f00-1a2b3c4d5e6f", 1, ReportState.Completed, typical, prediction,
                    model.Label, new ReportExplanation(model.Ensemble.Baseline, report), null, 1, at, at.AddMilliseconds(12)), names), AppJsonContext.Default.ReportResponse));
            case "ModelCard":
                return (null, Serialize(ModelCard.From(model), AppJsonContext.Default.ModelCard));
            case "Version":
                return (null, $$"""{"service":"appraise","version":"0.1.0","commit":"3f2c1ab","model_version":"{{model.Label}}","dotnet":".NET 10.0.0"}""");
            case "Readiness":
                var checks = new JsonObject
                {
                    ["shutdown"] = new JsonObject { ["status"] = "healthy", ["description"] = "Serving." },
                    ["model"] = new JsonObject { ["status"] = "healthy", ["description"] = $"Model {model.Label} loaded ({model.Ensemble.TreeCount} trees)." },
                    ["report_store"] = new JsonObject { ["status"] = "healthy", ["description"] = "Report store reachable." },
                };
                return (null, new JsonObject { ["status"] = "healthy", ["checks"] = checks }.ToJsonString());
            default:
                return (null, null);
        }
    }

    private static string Row(string[] names, double[] values)
    {
        var row = new JsonObject();
        for (var i = 0; i < names.Length; i++)
        {
            row[names[i]] = values[i];
        }
        return row.ToJsonString();
    }

    private static string Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);
}
