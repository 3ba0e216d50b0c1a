#!/usr/bin/env bash
# A digest of what a saved Terraform plan would change, so that the apply can refuse a plan other
# than the one a reviewer approved without the plan file travelling (it holds secrets):
#   ci/plan-fingerprint.sh DIR PLANFILE              prints the fingerprint
#   ci/plan-fingerprint.sh DIR PLANFILE EXPECTED     fails unless the fingerprint is EXPECTED
# Taken from `terraform show -json` (the plan representation: resource_changes[].change with
# actions, before, after, after_unknown and the *_sensitive masks; output_changes): every change
# that is not a no-op, sensitive values replaced by a marker, so the fingerprint can be a job
# output and printed. A change of a sensitive value alone (and write-only values, never in a
# plan) does not change it.
set -euo pipefail
dir="${1:?usage: ci/plan-fingerprint.sh DIR PLANFILE [EXPECTED]}" plan="${2:?usage: ci/plan-fingerprint.sh DIR PLANFILE [EXPECTED]}"
fingerprint="$(terraform -chdir="$dir" show -json "$plan" | jq -S '
  def masked($v; $s): if $s == true then "(sensitive)"
    elif ($s | type) == "object" and ($v | type) == "object" then ($v | with_entries(.value = masked(.value; $s[.key] // false)))
    elif ($s | type) == "array" and ($v | type) == "array" then [range(0; $v | length) as $i | masked($v[$i]; $s[$i] // false)]
    else $v end;
  { resources: [.resource_changes[]? | select(.change.actions != ["no-op"]) |
      { address, actions: .change.actions,
        before: masked(.change.before; .change.before_sensitive // false),
        after: masked(.change.after; .change.after_sensitive // false),
        after_unknown: .change.after_unknown }] | sort_by(.address),
    outputs: (.output_changes // {} | with_entries(.value |= { actions, after: masked(.after; .after_sensitive // false) })) }' |
    sha256sum | cut -d' ' -f1)"
if [[ -z "${3:-}" ]]; then echo "$fingerprint"; exit 0; fi
[[ "$fingerprint" == "$3" ]] || {
    echo "the plan changed since it was reviewed (fingerprint $fingerprint, reviewed $3): nothing applied; run the deploy again and review the new plan" >&2
    exit 1
}
echo "the plan is the one reviewed ($fingerprint)"
