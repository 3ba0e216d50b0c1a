using Appraise.Api.Model;
using Appraise.Api.Tests.Infrastructure;

namespace Appraise.Api.Tests.Model;

public sealed class ModelLoadingTests
{
    private static string EmbeddedJson()
    {
        using var stream = typeof(ModelLoader).Assembly.GetManifestResourceStream("Appraise.Api.Model.housing-gbr.json")!;
        return new StreamReader(stream).ReadToEnd();
    }

    private static string WriteModel(string json)
    {
        var path = Path.Combine(TempDirectory.Create("model"), "model.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("""{"format":"other/1"}""", "format is 'other/1'")]
    public void BadFilesAreRefusedWithTheirReason(string json, string reason)
    {
        var path = WriteModel(json);

        var error = Assert.Throws<InvalidModelException>(() => ModelLoader.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATreePointingOutsideItselfIsRefused()
    {
        var json = EmbeddedJson();
        var broken = json.Replace("\"left\":[1,", "\"left\":[999,", StringComparison.Ordinal);
        Assert.NotEqual(json, broken);

        var error = Assert.Throws<InvalidModelException>(() => ModelLoader.Load(WriteModel(broken)));

        Assert.Contains("tree 0 node 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var error = Assert.Throws<InvalidModelException>(() => ModelLoader.Load("/nonexistent/model.json"));

        Assert.Contains("/nonexistent/model.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACopyOfTheEmbeddedModelLoadsFromAPath()
    {
        var model = ModelLoader.Load(WriteModel(EmbeddedJson()));

        Assert.Equal(Samples.FirstRowPrediction, model.Predict(Parity.Rows[0].Features));
    }

    [Theory]
    [InlineData("\"RM\":[1.0,20.0]", "\"RM\":[20.0,1.0]")]
    [InlineData("\"RM\":[1.0,20.0]", "\"RM\":[1.0]")]
    [InlineData("\"RM\":[1.0,20.0],", "")]
    public void FeatureRangesMustCoverEveryFeatureInOrder(string valid, string broken)
    {
        var json = EmbeddedJson();
        Assert.Contains(valid, json, StringComparison.Ordinal);

        var error = Assert.Throws<InvalidModelException>(() => ModelLoader.Load(WriteModel(json.Replace(valid, broken, StringComparison.Ordinal))));

        Assert.Contains("feature_ranges.RM", error.Message, StringComparison.Ordinal);
    }
}
