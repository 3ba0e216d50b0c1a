-- Reports and their jobs. Times are Unix milliseconds; vectors are comma-separated doubles.
CREATE TABLE reports (
    id              TEXT PRIMARY KEY,
    event_id        INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'failed')),
    features        TEXT NOT NULL,
    predicted_value REAL NOT NULL,
    model_version   TEXT NOT NULL,
    baseline        REAL,
    contributions   TEXT,
    error           TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    completed_at    INTEGER
);
CREATE INDEX reports_finished ON reports (completed_at) WHERE state IN ('completed', 'failed');

CREATE TABLE report_jobs (
    report_id    TEXT PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    available_at INTEGER NOT NULL,
    lease_owner  TEXT,
    lease_until  INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX report_jobs_due ON report_jobs (available_at);
