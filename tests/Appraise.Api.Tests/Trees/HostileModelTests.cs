using Appraise.Api.Model;
using Appraise.Api.Onnx;
using Appraise.Api.Tests.Infrastructure;
using Appraise.Api.Trees;
using Onnx;

namespace Appraise.Api.Tests.Trees;

/// <summary>
/// Model files that are broken or hostile are refused with one line naming the problem, without
/// a crash, a hang or memory beyond the file's own size; anything outside what appraise serves
/// (another operator, an attribute it does not implement) is refused by name.
/// </summary>
public sealed class HostileModelTests
{
    private static ModelProto Housing() => ModelProto.Parser.ParseFrom(OnnxModels.EmbeddedBytes());

    private static NodeProto Ensemble(ModelProto model) => model.Graph.Node.Single(n => n.OpType.StartsWith("TreeEnsemble", StringComparison.Ordinal));

    private static AttributeProto Attribute(ModelProto model, string name) => Ensemble(model).Attribute.Single(a => a.Name == name);

    private static string Refusal(byte[] file) => Assert.Throws<InvalidModelException>(() => OnnxModelReader.Read(file)).Message;

    private static string Refusal(ModelProto model) => Refusal(OnnxModels.Bytes(model));

    [Fact]
    public void ATruncatedFileIsNotAnOnnxModel()
    {
        var bytes = OnnxModels.EmbeddedBytes();

        Assert.StartsWith("it is not an ONNX model", Refusal(bytes[..(bytes.Length / 2)]), StringComparison.Ordinal);
        Assert.StartsWith("it is not an ONNX model", Refusal([.. "not a model at all"u8]), StringComparison.Ordinal);
    }

    [Fact]
    public void AFieldClaimingABillionBytesIsRefusedWithoutReadingThem()
    {
        // ModelProto.graph (field 7, length-delimited) announcing 10^9 bytes, followed by 64.
        byte[] claim = [0x3A, 0x80, 0x94, 0xEB, 0xDC, 0x03, .. new byte[64]];

        Assert.StartsWith("it is not an ONNX model", Refusal(claim), StringComparison.Ordinal);
    }

    [Fact]
    public void ATensorClaimingABillionValuesIsRefused()
    {
        var model = Housing();
        var values = Attribute(model, "nodes_values_as_tensor").T;
        values.Dims.Clear();
        values.Dims.Add(1_000_000_000);

        Assert.Contains("for 1000000000 values", Refusal(model), StringComparison.Ordinal);
    }

    [Fact]
    public void ANodeIdOutOfRangeIsNamed()
    {
        var model = Housing();
        Attribute(model, "nodes_truenodeids").Ints[0] = 999_999;

        Assert.Contains("sends its true branch to node 999999, which tree 0 does not have", Refusal(model), StringComparison.Ordinal);
    }

    [Fact]
    public void ACycleIsRefused()
    {
        var model = Housing();
        // Node 1 of tree 0 (a branch) sends its false branch back to the root.
        var modes = Attribute(model, "nodes_modes").Strings;
        var second = Enumerable.Range(1, modes.Count - 1).First(i => modes[i].ToStringUtf8() != "LEAF");
        Attribute(model, "nodes_falsenodeids").Ints[second] = 0;

        Assert.Contains("has a cycle", Refusal(model), StringComparison.Ordinal);
    }

    [Fact]
    public void ANaNThresholdIsRefused()
    {
        var description = new EnsembleDescription(1, [new TestTree(new TestNode(0, "BRANCH_LEQ", 0, double.NaN, 1, 2), TestNode.Leaf(1, (0, 1)), TestNode.Leaf(2, (0, 2)))]);

        Assert.Contains("NaN threshold", Refusal(OnnxModels.Build(description)), StringComparison.Ordinal);
    }

    [Fact]
    public void AFeatureTheInputDoesNotHaveIsNamed()
    {
        var description = new EnsembleDescription(2, [new TestTree(new TestNode(0, "BRANCH_LEQ", 5, 1, 1, 2), TestNode.Leaf(1, (0, 1)), TestNode.Leaf(2, (0, 2)))]);

        Assert.Contains("splits on feature 5, but the input has 2", Refusal(OnnxModels.Build(description)), StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherOperatorIsRefusedByName()
    {
        var model = Housing();
        var mul = new NodeProto { OpType = "Mul", Name = "scale" };
        mul.Input.Add("variable");
        mul.Input.Add("variable");
        mul.Output.Add("scaled");
        model.Graph.Node.Add(mul);
        model.Graph.Output[0].Name = "scaled";

        Assert.Contains("operator Mul is not supported", Refusal(model), StringComparison.Ordinal);
    }

    [Fact]
    public void AnAttributeAppraiseDoesNotImplementIsRefusedByName()
    {
        var model = Housing();
        Ensemble(model).Attribute.Add(OnnxModels.Ints("nodes_categories", [1]));

        Assert.Contains("attribute 'nodes_categories', which appraise does not implement", Refusal(model), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownModeIsNamed()
    {
        var model = Housing();
        Attribute(model, "nodes_modes").Strings[0] = Google.Protobuf.ByteString.CopyFromUtf8("BRANCH_MEMBER");

        Assert.Contains("node mode 'BRANCH_MEMBER' is not one ONNX defines", Refusal(model), StringComparison.Ordinal);
    }

    [Fact]
    public void OpsetFiveIsRefusedAsOnnxRuntimeRefusesIt()
    {
        var model = Housing();
        model.OpsetImport.Single(o => o.Domain == "ai.onnx.ml").Version = 5;

        Assert.Contains("ai.onnx.ml opset 5", Refusal(model), StringComparison.Ordinal);
    }

    [Fact]
    public void ADoubleTensorForAFloatInputIsRefused()
    {
        var model = Housing();
        model.Graph.Input[0].Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Float;

        Assert.Contains("holds Double values but the model's input is float", Refusal(model), StringComparison.Ordinal);
    }

    [Fact]
    public void AnAttributeBesideItsTensorTwinIsRefused()
    {
        var model = Housing();
        Ensemble(model).Attribute.Add(OnnxModels.Numbers("nodes_values", [1.0], asDoubleTensor: false));

        Assert.Contains("has both 'nodes_values' and 'nodes_values_as_tensor'", Refusal(model), StringComparison.Ordinal);
    }

    [Fact]
    public void TwoInputsAreRefused()
    {
        var model = Housing();
        model.Graph.Input.Add(model.Graph.Input[0].Clone());
        model.Graph.Input[1].Name = "Y";

        Assert.Contains("has 2 inputs", Refusal(model), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATwoGigabyteFileIsRefusedUnread()
    {
        var repository = Repositories.Create();
        var directory = Path.Combine(repository, "huge", "1");
        Directory.CreateDirectory(directory);
        await using (var file = File.Create(Path.Combine(directory, "model.onnx")))
        {
            // Sparse: the length is set, nothing is written.
            file.SetLength(2L * 1024 * 1024 * 1024);
        }
        var source = new DirectorySource(repository);
        var candidate = (await source.ListAsync(CancellationToken.None)).Single();

        var error = await Assert.ThrowsAsync<InvalidModelException>(() => source.ReadAsync(candidate, new ModelOptions().MaxFileBytes, CancellationToken.None));

        Assert.Contains("2147483648 bytes, more than Model:MaxFileBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeclaredSha256ThatDiffersIsRefused()
    {
        var settings = Repositories.HousingSettings();
        settings["sha256"] = new string('0', 64);
        var candidate = new VersionCandidate("housing", 1, "test", "x");

        var error = Assert.Throws<InvalidModelException>(() =>
            ModelBuilder.Build(candidate, new VersionFiles(OnnxModels.EmbeddedBytes(), null, settings.ToJsonString()), DateTimeOffset.UnixEpoch));

        Assert.Contains("but its description declares 0000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADescriptionWithAnUnknownKeyOrTheWrongColumnCountIsRefused()
    {
        var candidate = new VersionCandidate("housing", 1, "test", "x");
        var typo = Assert.Throws<InvalidModelException>(() =>
            ModelBuilder.Build(candidate, new VersionFiles(OnnxModels.EmbeddedBytes(), null, """{"featurs": []}"""), DateTimeOffset.UnixEpoch));
        var settings = Repositories.HousingSettings();
        settings["features"]!.AsArray().RemoveAt(0);
        settings.AsObject().Remove("sha256");
        var count = Assert.Throws<InvalidModelException>(() =>
            ModelBuilder.Build(candidate, new VersionFiles(OnnxModels.EmbeddedBytes(), null, settings.ToJsonString()), DateTimeOffset.UnixEpoch));

        Assert.Contains("featurs", typo.Message, StringComparison.Ordinal);
        Assert.Contains("lists 5 features, but the model reads 6", count.Message, StringComparison.Ordinal);
    }
}
