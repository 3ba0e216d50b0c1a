# shellcheck shell=bash
# The disk, watched while the stages run. Machines of this kind share their disk with other work
# (free space seen from 287 MB to 80 GB), and when it fills, checks fail for no fault of the code
# they check: a download cut short, a log or a copy not written. One CI run failed that way in
# the pipelines stage, with nothing in its output to say so. The watch changes no result; it says
# how much room there was, and where it ran short. Source it after tests/lib/stages.sh:
#   disk_watch_start       samples the free space every 5 s, the lowest of the filesystems the run
#                          writes to (the repository, TMPDIR, Docker's and Podman's storage)
#   disk_watch_stop        stops the sampler (for an EXIT trap)
#   disk_watch_report      stops the sampler and prints "disk: N GiB free at the start, lowest N GiB
#                          (during STAGE)", and a WARN line when the lowest was under 1 GiB
# stages.sh's `limited` names the running stage in $stage_results/.stage for the samples.
: "${stage_results:?set stage_results before sourcing tests/lib/disk.sh}"
disk_samples="$stage_results/disk.samples"
disk_sampler=""

disk_free_mib() { # the least free space, in MiB, among the filesystems the run writes to
    local paths=("$root" "${TMPDIR:-/tmp}") path
    for path in /var/lib/docker /var/lib/containers; do [[ -d "$path" ]] && paths+=("$path"); done
    df --output=avail -BM "${paths[@]}" 2>/dev/null | tail -n +2 | tr -d 'M ' | sort -n | head -1
}

disk_watch_start() {
    : >"$disk_samples"
    (
        while :; do
            echo "$(disk_free_mib) $(cat "$stage_results/.stage" 2>/dev/null || echo setup)" >>"$disk_samples"
            sleep 5
        done
    ) </dev/null >/dev/null 2>&1 & # no output of its own: a pipe reading the run's output must not wait for it
    disk_sampler=$!
}

disk_watch_stop() {
    [[ -n "$disk_sampler" ]] && kill "$disk_sampler" 2>/dev/null && wait "$disk_sampler" 2>/dev/null
    disk_sampler=""
}

disk_watch_report() {
    disk_watch_stop
    echo "$(disk_free_mib) $(cat "$stage_results/.stage" 2>/dev/null || echo setup)" >>"$disk_samples"
    local start lowest stage
    start="$(head -1 "$disk_samples" | cut -d' ' -f1)"
    read -r lowest stage < <(sort -n -k1,1 "$disk_samples" | head -1)
    [[ -n "$start" && -n "$lowest" ]] || return 0
    awk -v s="$start" -v l="$lowest" -v st="$stage" 'BEGIN {
        printf "disk: %.1f GiB free at the start, lowest %.1f GiB (during %s)\n", s / 1024, l / 1024, st }'
    if ((lowest < 1024)); then
        echo "WARN  disk: only $lowest MiB free during $stage: checks that failed there may have failed for want of space, not because of the code"
    fi
}
