-- How often a report was produced again after it was already finished (a worker whose lease
-- expired while it worked). Completion stays idempotent; this records the duplicate work where
-- every replica's counts survive, so a crashed replica's duplicates are not lost with its metrics.
ALTER TABLE reports ADD COLUMN duplicate_completions integer NOT NULL DEFAULT 0;
