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
check "a model upload job without its environment (the model-release identity) is rejected" rejects environments "$(mutate model-upload-env .github/workflows/model-release.yml '/environment: model-release /d')"
check "\${{ inputs.source }} in model-release.yml's build script is rejected" rejects run-expressions "$(mutate model-source .github/workflows/model-release.yml 's|MODEL_SOURCE="$MODEL_SOURCE" MODEL_OUT|MODEL_SOURCE="${{ inputs.source }}" MODEL_OUT|')"
check "a plan job using the apply identity is rejected" rejects environments "$(mutate plan-id .github/workflows/terraform-plan.yml 's|vars.AWS_PLAN_ROLE_ARN|vars.AWS_APPLY_ROLE_ARN|')"
check "a plan on main the required check does not wait for is rejected" rejects main-plan "$(mutate pr-gate .github/workflows/ci.yml 's|terraform, plan, image|terraform, image|')"
check "a plan on main that leaves out an environment is rejected" rejects main-plan "$(mutate pr-env .github/workflows/ci.yml 's|environment: \[azure-dev, aws-dev, azure-appservice-dev\]|environment: [azure-dev, azure-appservice-dev]|')"
check "a plan on main given the repository's secrets is rejected" rejects main-plan "$(mutate pr-secrets .github/workflows/ci.yml 's|^      optional: true|      optional: true\n    secrets: inherit|')"
check "a plan on pull requests (the plan identity's token for any branch) is rejected" rejects main-plan "$(mutate pr-plan .github/workflows/ci.yml "s|github.event_name == 'push' \&\& github.ref == 'refs/heads/main'|github.event_name == 'pull_request'|")"
check "a plan workflow in an environment is rejected" rejects main-plan "$(mutate plan-env .github/workflows/terraform-plan.yml 's|^    runs-on: \(.*\)|    runs-on: \1\n    environment: azure-dev|')"
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

# Issue 27: each check of what a value does, on the mistake it is for.
check "metadata-action's default latest=auto (a :latest pushed by every release) is rejected" \
    bash -c "! node tests/pipelines/upstream.mjs metadata '$(mutate latest .github/workflows/release.yml 's|latest=false|latest=auto|')'"
check "a changes job checking out one commit (paths-filter then fetches \`before\` without credentials) is rejected" \
    bash -c "! node tests/pipelines/upstream.mjs paths-filter '$(mutate depth .github/workflows/e2e.yml 's|fetch-depth: 0|fetch-depth: 1|')'"
check "a changes job checking out two commits (a push of two needs the third) is rejected" \
    bash -c "! node tests/pipelines/upstream.mjs paths-filter '$(mutate depth2 .github/workflows/ci.yml 's|fetch-depth: 0|fetch-depth: 2|')'"
check "app-ci's App Service registry connection empty by default (a CI run pushes nothing there) is rejected" \
    rejects azure-pushes "$(mutate acr-default azure-pipelines/app-ci.yml "s|default: appraise-appservice-acr|default: ''|")"
check "a pipeline resource without branch: main is rejected" rejects azure-resources "$(mutate branch azure-pipelines/release.yml '0,/branch: main/{/branch: main/d}')"
check "a deployment that does not check a resource's sourceBranch is rejected" \
    rejects azure-resources "$(mutate source-branch azure-pipelines/appservice-release.yml 's|APP_BRANCH: $(resources.pipeline.app.sourceBranch)|APP_BRANCH: $(resources.pipeline.app.runName)|')"
check "a chart artifact published from pull-request runs is rejected" rejects azure-resources "$(mutate pr-artifact azure-pipelines/deploy-config-ci.yml '/condition: and(succeeded(), ne(variables/d')"
check "make deploy by tag (no DIGEST) is rejected (GitHub)" rejects deploy-digest "$(mutate tag-deploy .github/workflows/deploy.yml 's| DIGEST="$DIGEST"||')"
check "make appservice-deploy by tag (no DIGEST) is rejected (Azure Pipelines)" rejects deploy-digest "$(mutate tag-appservice azure-pipelines/appservice-release.yml 's| DIGEST="$digest"||')"
check "make deploy by tag (no DIGEST) is rejected (CircleCI)" rejects deploy-digest "$(mutate tag-circleci .circleci/config.yml 's| DIGEST="$digest"||')"
check "a digest not from ci/verify-release-image.sh is rejected" \
    rejects deploy-digest "$(mutate unverified .github/workflows/deploy-appservice.yml 's|ci/verify-release-image.sh|ci/version.sh|')"
check "cosign verify with --certificate-identity-regexp is rejected" \
    rejects deploy-digest "$(mutate regexp .github/workflows/release.yml 's|--certificate-identity |--certificate-identity-regexp |')"
check "release.yml's image job without needs: verified is rejected" rejects release-gate "$(mutate ungated .github/workflows/release.yml '/^    needs: verified$/d')"
check "the Teams webhook stand-in left out of the plan workflow (its plan fails with the receiver on) is rejected" \
    bash -c "! node tests/pipelines/teams-webhook.mjs '$(mutate teams-plan .github/workflows/terraform-plan.yml '/TF_VAR_teams_webhook_url:/d')' .github/workflows/deploy.yml"
check "deploy.yml passing an unset webhook secret on as \"\" is rejected" \
    bash -c "! node tests/pipelines/teams-webhook.mjs .github/workflows/terraform-plan.yml '$(mutate teams-empty .github/workflows/deploy.yml 's|if \[\[ -n "$TEAMS_WEBHOOK_URL" \]\]; then export TF_VAR_teams_webhook_url="$TEAMS_WEBHOOK_URL"; fi|export TF_VAR_teams_webhook_url="$TEAMS_WEBHOOK_URL"|')'"
reviewed_plan_copy() { node tests/pipelines/check.mjs reviewed-plan .github/workflows/*.yml; }
mutant_control "the reviewed-plan check" -- reviewed_plan_copy
kill_mutant "make tf-apply without EXPECT_PLAN in deploy.yml" \
    .github/workflows/deploy.yml 'make tf-apply ENV="$ENV" EXPECT_PLAN="$EXPECT_PLAN"' 'make tf-apply ENV="$ENV"' -- reviewed_plan_copy
mutant_control "make tf-apply EXPECT_PLAN on a scratch module" -- reviewed_plan_only
kill_mutant "a Makefile tf-apply that ignores EXPECT_PLAN" Makefile '$(if $(EXPECT_PLAN),$(if $(DRY_RUN)' '$(if ,$(if $(DRY_RUN)' -- reviewed_plan_only
mutant_control "make deploy DIGEST" -- by_digest
kill_mutant "a Makefile that drops DIGEST (deploys the tag)" Makefile '$(if $(DIGEST),--set-string image.digest=$(DIGEST))' '' -- by_digest
mutant_control "ci/verify-release-image.sh with a stand-in cosign" -- verifies_release
kill_mutant "ci/verify-release-image.sh with an identity regexp" ci/verify-release-image.sh \
    '    --certificate-identity "https' '    --certificate-identity-regexp "https' -- verifies_release
mutant_control "ci/require-green.sh against a stand-in API" -- green_gate
kill_mutant "ci/require-green.sh not asking for pushes to main" ci/require-green.sh '&event=push&branch=main' '' -- green_gate
kill_mutant "ci/require-green.sh taking any run's success" ci/require-green.sh 'if any(. == "success")' 'if length > 0' -- green_gate
mutant_control "tools/install-amtool.sh without /usr/share/keyrings" -- amtool_without_keyring
kill_mutant "tools/install-amtool.sh trusting the keyring Ubuntu runners do not have" tools/install-amtool.sh \
    'signed-by=$here/keys/debian-trixie.gpg' 'signed-by=/usr/share/keyrings/debian-archive-keyring.gpg' -- amtool_without_keyring
