# shellcheck shell=bash
# shellcheck disable=SC2016 # ${{ }} and $(...) are GitHub's and Azure's, not the shell's
# The pipelines stage's hand-written mutants: each a mistake in a workflow or pipeline that one of
# the static checks (tests/pipelines/check.mjs) must reject. `mutate NAME FILE SED` (a broken
# copy of one file) and `rejects CHECK FILE` are defined in tests/pipelines/run.sh; kill_mutant
# (tests/lib/mutants.sh) mutates a copy of the whole repository, for checks that read more than
# one file. Sourced by tests/pipelines/run.sh after the checks ran clean on the real files.
check "a tag instead of a SHA is rejected" rejects pins "$(mutate tag .github/workflows/ci.yml 's|actions/checkout@[0-9a-f]\{40\} # v7.0.1|actions/checkout@v7|')"
check "a comment naming another tag than the SHA's is rejected" rejects pins "$(mutate comment .github/workflows/ci.yml 's|# v7.0.1|# v7.0.0|')"
check "an input the action does not have is rejected" rejects inputs "$(mutate input .github/workflows/ci.yml 's|persist-credentials: false|persist-credential: false|')"
check "\${{ github.event... }} in a run: is rejected" rejects run-expressions "$(mutate event .github/workflows/e2e.yml 's|run: make helm-test|run: echo "${{ github.event.pull_request.title }}"|')"
check "\${{ steps...outputs }} in a script is rejected" rejects run-expressions "$(mutate output .github/workflows/release.yml 's|make helm-package VERSION="$VERSION"|make helm-package VERSION="${{ steps.version.outputs.version }}"|')"
check "an upload of plan.tfplan is rejected" rejects plan-artifacts "$(mutate plan .github/workflows/ci.yml 's|path: sbom.spdx.json|path: deploy/terraform/envs/aws-dev/plan.tfplan|')"
check "a deploy job without its environment is rejected" rejects environments "$(mutate deploy-env .github/workflows/deploy.yml '/environment: \${{ inputs.environment }}/d')"
check "a destroy job without its environment is rejected" rejects environments "$(mutate destroy-env .github/workflows/destroy.yml '/environment: \${{ inputs.environment }}/d')"
check "a plan job using the apply identity is rejected" rejects environments "$(mutate plan-id .github/workflows/terraform-plan.yml 's|vars.AWS_PLAN_ROLE_ARN|vars.AWS_APPLY_ROLE_ARN|')"
check "a pull-request plan the required check does not wait for is rejected" rejects pr-plan "$(mutate pr-gate .github/workflows/ci.yml 's|terraform, plan, image|terraform, image|')"
check "a pull-request plan that leaves out an environment is rejected" rejects pr-plan "$(mutate pr-env .github/workflows/ci.yml 's|environment: \[azure-dev, aws-dev, azure-appservice-dev\]|environment: [azure-dev, azure-appservice-dev]|')"
check "a pull-request plan given the repository's secrets is rejected" rejects pr-plan "$(mutate pr-secrets .github/workflows/ci.yml 's|^      optional: true|      optional: true\n    secrets: inherit|')"
check "a plan workflow in an environment is rejected" rejects pr-plan "$(mutate plan-env .github/workflows/terraform-plan.yml 's|^    runs-on: \(.*\)|    runs-on: \1\n    environment: azure-dev|')"
check "a path filter on e2e's pull_request trigger is rejected" rejects required-checks "$(mutate req-paths .github/workflows/e2e.yml 's|^  pull_request:$|  pull_request:\n    paths: [src/**]|')"
check "a required check that does not wait for every job is rejected" rejects required-checks "$(mutate req-needs .github/workflows/ci.yml 's|needs: \[changes, lint, test, chart, terraform, plan, image, ci-image\]|needs: [changes, lint, test]|')"
check "an Azure task input that does not exist is rejected" rejects azure-tasks "$(mutate azure-input azure-pipelines/app-ci.yml 's|useGlobalJson: true|useGlobalJSON: true|')"
check "a service connection named by a variable-group variable (unresolved at queue time) is rejected" rejects azure-tasks "$(mutate azure-connection azure-pipelines/release.yml 's|azureSubscription: ${{ parameters.azureServiceConnection }}|azureSubscription: $(azureServiceConnection)|')"
check "an Azure task that was not checked upstream (NodeTool@0, deprecated) is rejected" rejects azure-tasks "$(mutate nodetool azure-pipelines/deploy-config-ci.yml 's|task: UseNode@1 |task: NodeTool@0 |')"
check "CircleCI: a deploy without the approval job is rejected" rejects circleci "$(mutate no-hold .circleci/config.yml 's|requires: \[hold-deploy\]|requires: [build-and-push]|')"
check "CircleCI: a registry login with a stored token is rejected" rejects circleci "$(mutate token .circleci/config.yml 's|az acr login --name "$ACR_NAME"|echo "$GHCR_TOKEN" \| docker login ghcr.io -u x --password-stdin|')"
reusable_inputs_copy() { node tests/pipelines/check.mjs reusable-inputs .github/workflows/*.yml; }
mutant_control "the reusable-workflow input check" -- reusable_inputs_copy
kill_mutant "a boolean workflow_call input given \"yes\" (GitHub refuses the run)" \
    .github/workflows/ci.yml '      optional: true' '      optional: "yes"' -- reusable_inputs_copy
kill_mutant "an input the called workflow does not declare" \
    .github/workflows/deploy.yml '      environment: ${{ inputs.environment }}' $'      environment: ${{ inputs.environment }}\n      region: westeurope' -- reusable_inputs_copy
kill_mutant "a required input of the called workflow left out" \
    .github/workflows/deploy.yml $'    with:\n      environment: ${{ inputs.environment }}' $'    with:\n      optional: false' -- reusable_inputs_copy
