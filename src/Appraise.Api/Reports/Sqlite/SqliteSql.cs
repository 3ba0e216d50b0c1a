namespace Appraise.Api.Reports.Sqlite;

/// <summary>The SQLite store's statements. Times are Unix milliseconds; vectors are <see cref="NumberList"/> text.</summary>
internal static class SqliteSql
{
    public const string MigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)
        """;

    public const string AppliedVersions = "SELECT version FROM schema_migrations";

    public const string RecordMigration = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $now)";

    public const string ReleaseAbandonedLeases = """
        UPDATE report_jobs SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL;
        UPDATE reports SET state = 'queued' WHERE state = 'running';
        """;

    public const string InsertReport = """
        INSERT INTO reports (id, event_id, state, features, predicted_value, model_version, created_at)
        VALUES ($id, $event_id, 'queued', $features, $predicted, $model, $created)
        """;

    public const string InsertJob = "INSERT INTO report_jobs (report_id, available_at) VALUES ($id, $available)";

    public const string SelectReport = """
        SELECT id, event_id, state, features, predicted_value, model_version, baseline, contributions, error, attempts, created_at, completed_at
        FROM reports WHERE id = $id
        """;

    public const string ClaimJobs = """
        UPDATE report_jobs SET lease_owner = $owner, lease_until = $until, attempts = attempts + 1
        WHERE report_id IN (
            SELECT report_id FROM report_jobs
            WHERE available_at <= $now AND (lease_until IS NULL OR lease_until < $now)
            ORDER BY available_at LIMIT $limit)
        RETURNING report_id, attempts
        """;

    public const string SelectJobInput = "SELECT features, created_at, model_version FROM reports WHERE id = $id";

    public const string MarkRunning = "UPDATE reports SET state = 'running', attempts = $attempts WHERE id = $id AND state IN ('queued', 'running')";

    public const string CompleteReport = """
        UPDATE reports SET state = 'completed', baseline = $baseline, contributions = $contributions, error = NULL, completed_at = $completed
        WHERE id = $id AND state NOT IN ('completed', 'failed')
        """;

    public const string CountDuplicateCompletion = "UPDATE reports SET duplicate_completions = duplicate_completions + 1 WHERE id = $id";

    public const string DeleteJob = "DELETE FROM report_jobs WHERE report_id = $id";

    public const string DeleteOwnedJob = "DELETE FROM report_jobs WHERE report_id = $id AND lease_owner = $owner";

    public const string RetryJob = """
        UPDATE report_jobs SET lease_owner = NULL, lease_until = NULL, available_at = $available
        WHERE report_id = $id AND lease_owner = $owner
        """;

    public const string RequeueReport = "UPDATE reports SET state = 'queued', error = $error WHERE id = $id AND state NOT IN ('completed', 'failed')";

    public const string FailReport = """
        UPDATE reports SET state = 'failed', error = $error, completed_at = $completed
        WHERE id = $id AND state NOT IN ('completed', 'failed')
        """;

    public const string DeleteFinished = """
        DELETE FROM reports WHERE id IN (
            SELECT id FROM reports WHERE state IN ('completed', 'failed') AND completed_at < $cutoff LIMIT $limit)
        """;

    public const string QueueStats = """
        SELECT
            (SELECT COUNT(*) FROM report_jobs WHERE lease_until IS NULL OR lease_until < $now),
            (SELECT COUNT(*) FROM report_jobs WHERE lease_until >= $now),
            (SELECT MIN(r.created_at) FROM report_jobs j JOIN reports r ON r.id = j.report_id WHERE j.lease_until IS NULL OR j.lease_until < $now)
        """;
}
