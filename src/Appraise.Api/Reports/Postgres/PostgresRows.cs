using System.Data.Common;

namespace Appraise.Api.Reports.Postgres;

/// <summary>Maps a reports row (columns in <see cref="PostgresSql.SelectReport"/> order) to a <see cref="Report"/>.</summary>
internal static class PostgresRows
{
    public static Report Read(DbDataReader reader)
    {
        var explanation = reader.IsDBNull(6) || reader.IsDBNull(7)
            ? null
            : new ReportExplanation(reader.GetDouble(6), reader.GetFieldValue<double[]>(7));
        return new Report(
            Id: reader.GetGuid(0).ToString("D"),
            EventId: reader.GetInt64(1),
            State: ReportStates.Parse(reader.GetString(2)),
            Features: reader.GetFieldValue<double[]>(3),
            PredictedValue: reader.GetDouble(4),
            ModelVersion: reader.GetString(5),
            Explanation: explanation,
            Error: reader.IsDBNull(8) ? null : reader.GetString(8),
            Attempts: reader.GetInt32(9),
            CreatedAt: reader.GetFieldValue<DateTimeOffset>(10),
            CompletedAt: reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11));
    }
}
