namespace Appraise.Api.Tests.Infrastructure;

/// <summary>Request bodies from the seeds' own documentation.</summary>
public static class Samples
{
    public const string Prediction = """{"event_id": 1, "payload": {"CHAS": 0, "RM": 6.575, "TAX": 296.0, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}}""";

    public const string PandasOneRow = """{"CHAS":{"0":0},"RM":{"0":6.575},"TAX":{"0":296.0},"PTRATIO":{"0":15.3},"B":{"0":396.9},"LSTAT":{"0":4.98}}""";

    /// <summary>scikit-learn's prediction for the first Boston housing row (model/parity.csv, row 1).</summary>
    public static double FirstRowPrediction => Parity.Rows[0].Prediction;
}
