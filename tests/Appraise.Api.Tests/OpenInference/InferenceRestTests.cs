using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.OpenInference;

/// <summary>
/// The Open Inference Protocol's REST routes on a repository of two models (the house-price
/// regressor and a string-label classifier): answers, and hostile tensors refused with 400 and
/// the protocol's {"error": ...} naming the reason. The third-party clients are the oip stage's.
/// </summary>
public sealed class InferenceRestTests : IAsyncLifetime
{
    private const string Row = "[0, 6.575, 296, 15.3, 396.9, 4.98]";

    private readonly AppraiseApplication _app = new(new()
    {
        ["Model:Repository"] = WithClassifier(),
        ["Model:Default"] = "housing",
    });

    /// <summary>
    /// The housing repository plus "flowers": two features, three string labels, split at feature
    /// 1 = 2.5 (three classes: ONNX Runtime labels a two-class ensemble by its class-1 score alone).
    /// </summary>
    private static string WithClassifier()
    {
        var repository = Repositories.WithHousing();
        var flowers = new EnsembleDescription(2, [new TestTree(new TestNode(0, "BRANCH_LEQ", 1, 2.5, 1, 2), TestNode.Leaf(1, (0, 1)), TestNode.Leaf(2, (2, 1)))])
        {
            StringLabels = ["setosa", "versicolor", "virginica"],
        };
        Repositories.AddVersion(repository, "flowers", 3, OnnxModels.Bytes(OnnxModels.Build(flowers)));
        return repository;
    }

    public async Task InitializeAsync()
    {
        await _app.WaitUntilReadyAsync();
        using var client = _app.CreateClient();
        await Eventually.Get(async () => (await client.GetAsync("/v2/models/flowers/ready")).IsSuccessStatusCode ? "ready" : null,
            TimeSpan.FromSeconds(30), "flowers to load");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonNode Body)> Infer(string body, string model = "housing")
    {
        using var client = _app.CreateAuthorizedClient();
        using var response = await client.PostAsync($"/v2/models/{model}/infer", AppraiseApplication.Json(body));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task ARowAnswersWhatTheModelPredictsWithTheRequestsIdAndTheVersion()
    {
        var (status, body) = await Infer($$"""{"id": "r-1", "inputs": [{"name": "X", "shape": [1, 6], "datatype": "FP64", "data": {{Row}}}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("r-1", (string?)body["id"]);
        Assert.Equal("housing", (string?)body["model_name"]);
        Assert.Equal("1", (string?)body["model_version"]);
        var output = body["outputs"]![0]!;
        Assert.Equal("FP32", (string?)output["datatype"]);
        Assert.Equal((float)OnnxModels.Housing.PredictNumber([0, 6.575, 296, 15.3, 396.9, 4.98]), (float)output["data"]![0]!);
    }

    [Fact]
    public async Task AClassifierAnswersItsLabelsAndProbabilities()
    {
        var (status, body) = await Infer("""{"inputs": [{"name": "X", "shape": [2, 2], "datatype": "FP32", "data": [[0, 1], [0, 4]]}]}""", "flowers");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("3", (string?)body["model_version"]);
        Assert.Equal("""["setosa","virginica"]""", body["outputs"]![0]!["data"]!.ToJsonString());
        Assert.Equal("[1,0,0,0,0,1]", body["outputs"]![1]!["data"]!.ToJsonString());
        Assert.Equal("[2,3]", body["outputs"]![1]!["shape"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"inputs": [{"name": "X", "shape": [2, 6], "datatype": "FP64", "data": [1, 2, 3]}]}""", "which is 12 values, but its data holds 3")]
    [InlineData("""{"inputs": [{"name": "X", "shape": [-1, 6], "datatype": "FP64", "data": [1]}]}""", "none negative")]
    [InlineData("""{"inputs": [{"name": "X", "shape": [9223372036854775807, 9223372036854775807], "datatype": "FP64", "data": [1]}]}""", "more than the")]
    [InlineData("""{"inputs": [{"name": "X", "shape": [10000000, 6], "datatype": "FP64", "data": [1]}]}""", "60000000 values")]
    [InlineData("""{"inputs": [{"name": "X", "shape": [1, 6], "datatype": "BYTES", "data": ["a"]}]}""", "datatype BYTES")]
    [InlineData("""{"inputs": [{"name": "X", "shape": [1, 6], "datatype": "FP16", "data": [1, 2, 3, 4, 5, 6]}]}""", "datatype FP16")]
    [InlineData("""{"inputs": [{"name": "X", "shape": [1, 6], "datatype": "FP64", "data": [1, 2, "3", 4, 5, 6]}]}""", "a string")]
    [InlineData("""{"inputs": [{"name": "X", "shape": [1, 6], "datatype": "FP64", "data": [1, 2, 1e999, 4, 5, 6]}]}""", "too large")]
    [InlineData("""{"inputs": [{"name": "X", "shape": [1, 5], "datatype": "FP64", "data": [1, 2, 3, 4, 5]}]}""", "reads [N, 6]")]
    [InlineData("""{"inputs": [{"name": "X", "shape": [1, 6], "datatype": "FP64", "data": [7, 6, 300, 15, 390, 5]}]}""", "row 0: CHAS")]
    [InlineData("""{"inputs": [{"name": "X", "shape": [1, 6], "datatype": "FP64"}]}""", "neither data nor binary_data_size")]
    [InlineData("""{"inputs": []}""", "inputs is required")]
    [InlineData("""{"inputs": [{"name": "X", "shape": [1, 6], "datatype": "FP64", "data": [1, 2, 3, 4, 5, 6]}], "outputs": [{"name": "nope"}]}""", "no output nope")]
    [InlineData("""{"parameters": {"content_type": "pd"}, "inputs": [{"name": "RM", "shape": [1], "datatype": "FP64", "data": [6]}]}""", "missing CHAS, TAX")]
    [InlineData("""{"parameters": {"content_type": "pd"}, "inputs": [{"name": "RM", "shape": [1], "datatype": "FP64", "data": [6]}, {"name": "RM", "shape": [1], "datatype": "FP64", "data": [6]}]}""", "given twice")]
    [InlineData("""{"parameters": {"content_type": "pd"}, "inputs": [{"name": "RM", "shape": [1, 2], "datatype": "FP64", "data": [6, 7]}]}""", "must be [N] or [N, 1]")]
    [InlineData("""{"inputs": [{"name": "X", "shape": [0, 6], "datatype": "FP64", "data": []}]}""", "has 0 rows")]
    [InlineData("""{"inputs": [""", "not valid JSON")]
    [InlineData("""[1, 2]""", "must be a JSON object")]
    [InlineData("""{"inputs": [{"name": "X", "shape": [1, 6], "datatype": "FP64", "data": [1, 2, 3, 4, 5, 6]}]} {}""", "not valid JSON")]
    public async Task AHostileTensorIsRefusedWith400AndTheReason(string body, string reason)
    {
        var (status, answer) = await Infer(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, (string?)answer["error"], StringComparison.Ordinal);
        Assert.Single(answer.AsObject());
    }

    /// <summary>A request with binary tensor data: the JSON, then the tensor bytes; the header says where the JSON ends.</summary>
    private async Task<HttpResponseMessage> Binary(string json, byte[] tensor, string? headerLength = null)
    {
        using var client = _app.CreateAuthorizedClient();
        var header = Encoding.UTF8.GetBytes(json);
        var content = new ByteArrayContent([.. header, .. tensor]);
        content.Headers.ContentType = new("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", headerLength ?? header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await client.PostAsync("/v2/models/housing/infer", content);
    }

    private static byte[] Doubles(params double[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        }
        return bytes;
    }

    [Fact]
    public async Task BinaryTensorDataInAndOutGivesTheJsonAnswersValues()
    {
        using var response = await Binary(
            """{"inputs": [{"name": "X", "shape": [1, 6], "datatype": "FP64", "parameters": {"binary_data_size": 48}}], "parameters": {"binary_data_output": true}}""",
            Doubles(0, 6.575, 296, 15.3, 396.9, 4.98));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var json = JsonNode.Parse(bytes.AsSpan(0, jsonLength))!;
        Assert.Equal(4, (int)json["outputs"]![0]!["parameters"]!["binary_data_size"]!);
        Assert.Null(json["outputs"]![0]!["data"]);
        Assert.Equal(bytes.Length, jsonLength + 4);
        Assert.Equal((float)OnnxModels.Housing.PredictNumber([0, 6.575, 296, 15.3, 396.9, 4.98]), BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(jsonLength)));
    }

    [Theory]
    [InlineData(40, null, "declares 40 bytes of binary data, but 6 FP64 values take 48")]
    [InlineData(48, "100000", "Inference-Header-Content-Length must be")]
    [InlineData(48, "abc", "Inference-Header-Content-Length must be")]
    [InlineData(48, "0", "is not supported")]
    public async Task HostileBinaryFramingIsRefusedWith400(int declared, string? headerLength, string reason)
    {
        using var response = await Binary(
            $$$"""{"inputs": [{"name": "X", "shape": [1, 6], "datatype": "FP64", "parameters": {"binary_data_size": {{{declared}}}}}]}""",
            Doubles(0, 6.575, 296, 15.3, 396.9, 4.98), headerLength);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BinaryDataPastTheEndOrLeftOverIsRefused()
    {
        using var short_ = await Binary("""{"inputs": [{"name": "X", "shape": [1, 6], "datatype": "FP64", "parameters": {"binary_data_size": 48}}]}""", Doubles(1, 2, 3));
        using var extra = await Binary("""{"inputs": [{"name": "X", "shape": [1, 6], "datatype": "FP64", "parameters": {"binary_data_size": 48}}]}""", Doubles(0, 6.575, 296, 15.3, 396.9, 4.98, 7));

        Assert.Contains("past the end", (string?)JsonNode.Parse(await short_.Content.ReadAsStringAsync())!["error"], StringComparison.Ordinal);
        Assert.Contains("8 bytes after the JSON that no input declares", (string?)JsonNode.Parse(await extra.Content.ReadAsStringAsync())!["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownModelsAndVersionsAre404AndTheKeyIsRequired()
    {
        using var client = _app.CreateClient();
        using var noKey = await client.PostAsync("/v2/models/housing/infer", AppraiseApplication.Json("{}"));
        using var unknown = await client.GetAsync("/v2/models/trees");
        using var version = await client.GetAsync("/v2/models/housing/versions/2/ready");
        using var notANumber = await client.GetAsync("/v2/models/housing/versions/latest");

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Contains("X-Api-Key", (string?)JsonNode.Parse(await noKey.Content.ReadAsStringAsync())!["error"], StringComparison.Ordinal);
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], [unknown.StatusCode, version.StatusCode, notANumber.StatusCode]);
        Assert.Equal("model trees is unknown", (string?)JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["error"]);
    }

    [Fact]
    public async Task TheRepositoryApiIsOffByDefault()
    {
        using var client = _app.CreateAuthorizedClient();
        using var index = await client.PostAsync("/v2/repository/index", null);
        using var unload = await client.PostAsync("/v2/repository/models/flowers/unload", null);
        using var server = await client.GetAsync("/v2");

        Assert.Equal(HttpStatusCode.NotFound, index.StatusCode);
        Assert.Contains("Model:RepositoryApi", (string?)JsonNode.Parse(await unload.Content.ReadAsStringAsync())!["error"], StringComparison.Ordinal);
        Assert.Equal("""["binary_tensor_data"]""", JsonNode.Parse(await server.Content.ReadAsStringAsync())!["extensions"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/models/flowers/ready")).StatusCode);
    }

    [Fact]
    public async Task TheSameRequestOverGrpcGivesTheSameAnswer()
    {
        using var grpc = new OipGrpc(_app);
        var request = new Inference.ModelInferRequest { ModelName = "flowers", Id = "g-1" };
        var tensor = new Inference.ModelInferRequest.Types.InferInputTensor { Name = "X", Datatype = "FP32", Shape = { 2, 2 }, Contents = new() };
        tensor.Contents.Fp32Contents.Add([0, 1, 0, 4]);
        request.Inputs.Add(tensor);

        var answer = await grpc.ModelInferAsync(request);
        var metadata = await grpc.ModelMetadataAsync("flowers");

        Assert.Equal(("g-1", "3"), (answer.Id, answer.ModelVersion));
        Assert.Equal(["setosa", "virginica"], answer.Outputs[0].Contents.BytesContents.Select(b => b.ToStringUtf8()));
        Assert.Equal([1f, 0, 0, 0, 0, 1], answer.Outputs[1].Contents.Fp32Contents);
        Assert.Equal(["3"], metadata.Versions);
        Assert.Equal([-1L, 2], metadata.Inputs[0].Shape);
        Assert.True((await grpc.ServerReadyAsync()).Ready);
        Assert.True((await grpc.ModelReadyAsync("housing", "1")).Ready);
        Assert.Contains("binary_tensor_data", (await grpc.ServerMetadataAsync()).Extensions);
    }

    [Fact]
    public async Task RawGrpcInputsAreAnsweredRawAndErrorsMapToStatusCodes()
    {
        using var grpc = new OipGrpc(_app);
        var raw = new Inference.ModelInferRequest { ModelName = "housing", ModelVersion = "1" };
        raw.Inputs.Add(new Inference.ModelInferRequest.Types.InferInputTensor { Name = "X", Datatype = "FP64", Shape = { 1, 6 } });
        raw.RawInputContents.Add(Google.Protobuf.ByteString.CopyFrom(Doubles(0, 6.575, 296, 15.3, 396.9, 4.98)));

        var answer = await grpc.ModelInferAsync(raw);
        var short_ = raw.Clone();
        short_.RawInputContents[0] = Google.Protobuf.ByteString.CopyFrom(Doubles(1, 2));
        var unknown = raw.Clone();
        unknown.ModelName = "trees";

        Assert.Equal((float)OnnxModels.Housing.PredictNumber([0, 6.575, 296, 15.3, 396.9, 4.98]), BinaryPrimitives.ReadSingleLittleEndian(answer.RawOutputContents[0].Span));
        Assert.Null(answer.Outputs[0].Contents);
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, (await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => grpc.ModelInferAsync(raw, apiKey: null))).StatusCode);
        var invalid = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => grpc.ModelInferAsync(short_));
        Assert.Equal((Grpc.Core.StatusCode.InvalidArgument, true), (invalid.StatusCode, invalid.Status.Detail.Contains("take 48 bytes, but its raw contents hold 16", StringComparison.Ordinal)));
        Assert.Equal(Grpc.Core.StatusCode.NotFound, (await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => grpc.ModelInferAsync(unknown))).StatusCode);
    }
}
