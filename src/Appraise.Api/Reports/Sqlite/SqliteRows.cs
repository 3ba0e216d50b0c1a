using System.Data.Common;

namespace Appraise.Api.Reports.Sqlite;

/// <summary>Maps a reports row (columns in <see cref="SqliteSql.SelectReport"/> order) to a <see cref="Report"/>.</summary>
internal static class SqliteRows
{
    public static Report Read(DbDataReader reader)
    {
        var explanation = reader.IsDBNull(6) || reader.IsDBNull(7)
            ? null
            : new ReportExplanation(reader.GetDouble(6), NumberList.Parse(reader.GetString(7)));
        return new Report(
            Id: reader.GetString(0),
            EventId: reader.GetInt64(1),
            State: ReportStates.Parse(reader.GetString(2)),
            Features: NumberList.Parse(reader.GetString(3)),
            PredictedValue: reader.GetDouble(4),
            ModelVersion: reader.GetString(5),
            Explanation: explanation,
            Error: reader.IsDBNull(8) ? null : reader.GetString(8),
            Attempts: reader.GetInt32(9),
            CreatedAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
            CompletedAt: reader.IsDBNull(11) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11)));
    }
}
