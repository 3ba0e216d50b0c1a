using System.Text.Json;
using System.Text.Json.Serialization;
using Appraise.Api.About;
using Appraise.Api.Explanations;
using Appraise.Api.Health;
using Appraise.Api.Hello;
using Appraise.Api.Model;
using Appraise.Api.OpenInference;
using Appraise.Api.Predictions;
using Appraise.Api.Reports;
using Appraise.Api.Security;
using Microsoft.AspNetCore.Mvc;

namespace Appraise.Api.Hosting;

/// <summary>Source-generated JSON for every type the service reads or writes: no reflection at run time.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ModelSettings))]
[JsonSerializable(typeof(RootResponse))]
[JsonSerializable(typeof(HelloResponse))]
[JsonSerializable(typeof(TestResponse))]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(PredictionRequest))]
[JsonSerializable(typeof(PredictionResponse))]
[JsonSerializable(typeof(BatchPredictionResponse))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, double>>))]
[JsonSerializable(typeof(ReportResponse))]
[JsonSerializable(typeof(ExplanationResponse))]
[JsonSerializable(typeof(ModelCard))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(InvalidApiKeyResponse))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(ServerMetadataResponse))]
[JsonSerializable(typeof(ModelMetadataResponse))]
[JsonSerializable(typeof(LiveResponse))]
[JsonSerializable(typeof(ReadyResponse))]
[JsonSerializable(typeof(ModelReadyResponse))]
[JsonSerializable(typeof(RepositoryIndexEntry[]))]
[JsonSerializable(typeof(RepositoryIndexRequest))]
[JsonSerializable(typeof(RepositoryActionResponse))]
[JsonSerializable(typeof(InferenceRequestDocument))]
[JsonSerializable(typeof(InferenceResponseDocument))]
public sealed partial class AppJsonContext : JsonSerializerContext;
