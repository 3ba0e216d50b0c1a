#!/usr/bin/env bash
# Succeeds when a commit passed ci and e2e on main: each workflow has a successful run for a push
# of SHA to main. release.yml runs it before it builds anything, so a tag on a commit that never
# reached main, or that failed there, releases nothing.
#   ci/require-green.sh SHA
# A workflow run's conclusion, not a check run's name: any job with checks: write can create a
# check run called ci-passed on any commit; it cannot make a workflow run. GitHub REST "List
# workflow runs for a workflow" (GET /repos/{owner}/{repo}/actions/workflows/{file}/runs, query
# head_sha, event, branch; the token needs actions: read). A run still going (conclusion null)
# is waited for: up to REQUIRE_GREEN_ATTEMPTS (60) times REQUIRE_GREEN_INTERVAL (30) seconds,
# for a tag pushed right after the merge.
# Needs GITHUB_REPOSITORY and GH_TOKEN; GITHUB_API_URL (GitHub's own by default) for GHES.
set -euo pipefail
sha="${1:?usage: ci/require-green.sh SHA}"
api="${GITHUB_API_URL:-https://api.github.com}"
attempts="${REQUIRE_GREEN_ATTEMPTS:-60}" interval="${REQUIRE_GREEN_INTERVAL:-30}"
: "${GITHUB_REPOSITORY:?}" "${GH_TOKEN:?}"
state() { # state WORKFLOW_FILE: success, pending or failure
    curl -fsS --retry 3 -H "Authorization: Bearer $GH_TOKEN" -H "Accept: application/vnd.github+json" \
        "$api/repos/$GITHUB_REPOSITORY/actions/workflows/$1/runs?head_sha=$sha&event=push&branch=main&per_page=100" |
        jq -r '[.workflow_runs[].conclusion] |
            if any(. == "success") then "success" elif length == 0 or any(. == null) then "pending" else "failure" end'
}
for workflow in ci.yml e2e.yml; do
    for ((attempt = 1; ; attempt++)); do
        result="$(state "$workflow")"
        [[ "$result" == pending && $attempt -lt $attempts ]] || break
        sleep "$interval"
    done
    echo "$workflow on a push of $sha to main: $result"
    [[ "$result" == success ]] || { echo "::error::$sha has no successful $workflow run for a push to main ($result)"; exit 1; }
done
