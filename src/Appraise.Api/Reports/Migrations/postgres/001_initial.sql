-- Reports and their jobs. A job row exists while the report is queued or running.
CREATE TABLE reports (
    id              uuid PRIMARY KEY,
    event_id        bigint NOT NULL,
    state           text NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'failed')),
    features        double precision[] NOT NULL,
    predicted_value double precision NOT NULL,
    model_version   text NOT NULL,
    baseline        double precision,
    contributions   double precision[],
    error           text,
    attempts        integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    completed_at    timestamptz
);
CREATE INDEX reports_finished ON reports (completed_at) WHERE state IN ('completed', 'failed');

CREATE TABLE report_jobs (
    report_id    uuid PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    available_at timestamptz NOT NULL,
    lease_owner  text,
    lease_until  timestamptz,
    attempts     integer NOT NULL DEFAULT 0
);
CREATE INDEX report_jobs_due ON report_jobs (available_at);
