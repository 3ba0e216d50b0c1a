# shellcheck shell=bash
# The disk, watched while the stages run. Machines of this kind share their disk with other work
# (free space seen from 287 MB to 80 GB), and when it fills, checks fail for no fault of the code
# they check: a download cut short, a log or a copy not written. One CI run failed that way in
# the pipelines stage, with nothing in its output to say so. The watch changes no result; it says
# how much room there was, and where it ran short. Source it after tests/lib/stages.sh:
#   disk_watch_start       samples the free space every 5 s, the lowest of the filesystems the run
#                          writes to (the repository, TMPDIR, Docker's and Podman's storage)
#   disk_watch_stop        stops the sampler, reports nothing (for an EXIT trap)
#   disk_watch_report      stops the sampler and prints "disk: N GiB free at the start, lowest N GiB
#                          (during STAGE[, STAGE...])", and a WARN line when the lowest was under 1 GiB
# The samples and the running stage's name (stages.sh's `limited` writes it to $stage_now_file)
# are kept in /dev/shm, memory, where a full disk cannot stop them being written; the samples are
# copied to $stage_results/disk.samples at the end.
: "${stage_results:?set stage_results before sourcing tests/lib/disk.sh}"
disk_dir="$(mktemp -d -p /dev/shm appraise-disk.XXXXXX 2>/dev/null || mktemp -d)"
disk_samples="$disk_dir/samples"
stage_now_file="$disk_dir/stage"
disk_sampler=""

disk_free_mib() { # the least free space, in MiB, among the filesystems the run writes to
    local paths=("$root" "${TMPDIR:-/tmp}") path
    for path in /var/lib/docker /var/lib/containers; do [[ -d "$path" ]] && paths+=("$path"); done
    df --output=avail -BM "${paths[@]}" 2>/dev/null | tail -n +2 | tr -d 'M ' | sort -n | head -1
}

disk_sample() { echo "$(disk_free_mib) $(cat "$stage_now_file" 2>/dev/null || echo setup)" >>"$disk_samples"; }

disk_watch_start() {
    : >"$disk_samples"
    (
        while :; do
            disk_sample
            sleep 5
        done
    ) </dev/null >/dev/null 2>&1 & # no output of its own: a pipe reading the run's output must not wait for it
    disk_sampler=$!
}

disk_sampler_end() {
    [[ -n "$disk_sampler" ]] && kill "$disk_sampler" 2>/dev/null && wait "$disk_sampler" 2>/dev/null
    disk_sampler=""
}

disk_watch_stop() {
    disk_sampler_end
    rm -rf "$disk_dir"
}

disk_watch_report() {
    disk_sampler_end
    disk_sample
    cp "$disk_samples" "$stage_results/disk.samples" 2>/dev/null
    local start lowest stages
    start="$(head -1 "$disk_samples" | cut -d' ' -f1)"
    lowest="$(cut -d' ' -f1 "$disk_samples" | sort -n | head -1)"
    # Every stage that saw the lowest, in the order they ran (a full disk often spans two).
    stages="$(awk -v l="$lowest" '$1 == l && !seen[$2]++ {printf "%s%s", (n++ ? ", " : ""), $2}' "$disk_samples")"
    rm -rf "$disk_dir"
    [[ -n "$start" && -n "$lowest" ]] || return 0
    awk -v s="$start" -v l="$lowest" -v st="$stages" 'BEGIN {
        printf "disk: %.1f GiB free at the start, lowest %.1f GiB (during %s)\n", s / 1024, l / 1024, st }'
    if ((lowest < 1024)); then
        echo "WARN  disk: only $lowest MiB free during $stages: checks that failed there may have failed for want of space, not because of the code"
    fi
}
