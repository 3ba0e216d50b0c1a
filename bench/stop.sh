# shellcheck shell=bash
# Sourced by bench/run.sh and bench/compare.sh.
# stop PID...: SIGTERM, then wait until each has exited (SIGKILL after 15 s). A process still
# shutting down writes to its data directory: deleting that under it failed the run (exit 2).
stop() {
    local pid
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "$@"; do
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
}
