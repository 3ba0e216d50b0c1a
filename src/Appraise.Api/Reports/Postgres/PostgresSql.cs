namespace Appraise.Api.Reports.Postgres;

/// <summary>
/// The PostgreSQL store's statements. Each operation is one statement (data-modifying CTEs),
/// so it is atomic without an explicit transaction and costs one round trip.
/// </summary>
internal static class PostgresSql
{
    /// <summary>Serialises migrations across every replica starting at once ("appraise" in ASCII).</summary>
    public const long MigrationLock = 0x61707072616973;

    public const string LockForMigration = "SELECT pg_advisory_xact_lock($1)";

    public const string MigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
        """;

    public const string AppliedVersions = "SELECT version FROM schema_migrations";

    public const string RecordMigration = "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";

    // $1 ids, $2 event ids, $3 features of every report end to end, $4 predictions, $5 model versions,
    // $6 created at, $7 values per report: many reports in one statement, one transaction.
    public const string EnqueueMany = """
        WITH input AS (
            SELECT t.id, t.event_id, t.predicted_value, t.model_version, t.created_at, t.position
            FROM unnest($1::uuid[], $2::bigint[], $4::double precision[], $5::text[], $6::timestamptz[])
                WITH ORDINALITY AS t(id, event_id, predicted_value, model_version, created_at, position)),
        report AS (
            INSERT INTO reports (id, event_id, state, features, predicted_value, model_version, created_at)
            SELECT id, event_id, 'queued', ($3::double precision[])[(position - 1) * $7 + 1 : position * $7],
                predicted_value, model_version, created_at
            FROM input
            RETURNING id, created_at)
        INSERT INTO report_jobs (report_id, available_at) SELECT id, created_at FROM report
        """;

    public const string SelectReport = """
        SELECT id, event_id, state, features, predicted_value, model_version, baseline, contributions, error, attempts, created_at, completed_at
        FROM reports WHERE id = $1
        """;

    // $1 now, $2 owner, $3 lease until, $4 how many.
    public const string Claim = """
        WITH next AS (
            SELECT report_id FROM report_jobs
            WHERE available_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
            ORDER BY available_at
            LIMIT $4
            FOR UPDATE SKIP LOCKED),
        claimed AS (
            UPDATE report_jobs j SET lease_owner = $2, lease_until = $3, attempts = j.attempts + 1
            FROM next WHERE j.report_id = next.report_id
            RETURNING j.report_id, j.attempts)
        UPDATE reports r SET state = 'running', attempts = claimed.attempts
        FROM claimed WHERE r.id = claimed.report_id
        RETURNING r.id, claimed.attempts, r.features, r.created_at, r.model_version
        """;

    // $1 ids, $2 baselines, $3 contributions of every report end to end, $4 completed at, $5 values per report.
    // Both updates see the same snapshot, so a report is either completed now or counted as done again.
    public const string Complete = """
        WITH input AS (
            SELECT t.id, t.baseline, t.completed_at, t.position
            FROM unnest($1::uuid[], $2::double precision[], $4::timestamptz[]) WITH ORDINALITY AS t(id, baseline, completed_at, position)),
        done AS (
            UPDATE reports r SET state = 'completed', baseline = input.baseline,
                contributions = ($3::double precision[])[(input.position - 1) * $5 + 1 : input.position * $5],
                error = NULL, completed_at = input.completed_at
            FROM input WHERE r.id = input.id AND r.state NOT IN ('completed', 'failed')
            RETURNING r.id),
        again AS (
            UPDATE reports SET duplicate_completions = duplicate_completions + 1
            WHERE id = ANY($1) AND state IN ('completed', 'failed')),
        gone AS (DELETE FROM report_jobs WHERE report_id = ANY($1))
        SELECT id FROM done
        """;

    // $1 id, $2 owner, $3 available at, $4 error.
    public const string Retry = """
        WITH retried AS (
            UPDATE report_jobs SET lease_owner = NULL, lease_until = NULL, available_at = $3
            WHERE report_id = $1 AND lease_owner = $2
            RETURNING report_id)
        UPDATE reports SET state = 'queued', error = $4
        WHERE id IN (SELECT report_id FROM retried) AND state NOT IN ('completed', 'failed')
        """;

    // $1 id, $2 owner, $3 error, $4 completed at.
    public const string Fail = """
        WITH gone AS (
            DELETE FROM report_jobs WHERE report_id = $1 AND lease_owner = $2
            RETURNING report_id)
        UPDATE reports SET state = 'failed', error = $3, completed_at = $4
        WHERE id IN (SELECT report_id FROM gone) AND state NOT IN ('completed', 'failed')
        """;

    public const string DeleteFinished = """
        DELETE FROM reports WHERE id IN (
            SELECT id FROM reports WHERE state IN ('completed', 'failed') AND completed_at < $1 LIMIT $2)
        """;

    public const string QueueStats = """
        SELECT
            count(*) FILTER (WHERE j.lease_until IS NULL OR j.lease_until < $1),
            count(*) FILTER (WHERE j.lease_until >= $1),
            min(r.created_at) FILTER (WHERE j.lease_until IS NULL OR j.lease_until < $1)
        FROM report_jobs j JOIN reports r ON r.id = j.report_id
        """;
}
