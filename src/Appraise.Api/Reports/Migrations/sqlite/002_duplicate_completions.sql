-- How often a report was produced again after it was already finished (a worker whose lease
-- expired while it worked). Completion stays idempotent; this records the duplicate work.
ALTER TABLE reports ADD COLUMN duplicate_completions INTEGER NOT NULL DEFAULT 0;
