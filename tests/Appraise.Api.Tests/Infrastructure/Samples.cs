namespace Appraise.Api.Tests.Infrastructure;

/// <summary>Request bodies from the seeds' own documentation.</summary>
public static class Samples
{
    public const string Prediction = """{"event_id": 1, "payload": {"CHAS": 0, "RM": 6.575, "TAX": 296.0, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}}""";

    public const string PandasThreeRows = """{"CHAS":{"0":0,"1":0,"2":1},"RM":{"0":6.575,"1":6.421,"2":7.2},"TAX":{"0":296.0,"1":242.0,"2":300},"PTRATIO":{"0":15.3,"1":17.8,"2":14},"B":{"0":396.9,"1":396.9,"2":390},"LSTAT":{"0":4.98,"1":9.14,"2":3.5}}""";

    public const string PandasOneRow = """{"CHAS":{"0":0},"RM":{"0":6.575},"TAX":{"0":296.0},"PTRATIO":{"0":15.3},"B":{"0":396.9},"LSTAT":{"0":4.98}}""";

    /// <summary>scikit-learn's prediction for the first Boston housing row (model/parity.csv, row 1).</summary>
    public static double FirstRowPrediction => Parity.Rows[0].Prediction;
}
