{{/* Chart name, truncated to the 63 characters Kubernetes allows in names and labels. */}}
{{- define "appraise.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: the release name, unless it already contains the chart name. */}}
{{- define "appraise.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Namespace of every object: namespaceOverride, else the release namespace. */}}
{{- define "appraise.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "appraise.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Standard labels on every object. */}}
{{- define "appraise.labels" -}}
{{ include "appraise.commonLabels" . }}
{{ include "appraise.selectorLabels" . }}
{{- end }}

{{/* The labels every object shares that select nothing (the test pod has these, not the selector labels). */}}
{{- define "appraise.commonLabels" -}}
helm.sh/chart: {{ include "appraise.chart" . }}
{{- /* A label value is at most 63 characters and starts and ends alphanumeric; an image tag may be 128 and end in "-", "_" or ".". The image reference keeps the whole tag. */}}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | replace "+" "_" | trunc 63 | trimAll "-_." | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: appraise
{{- end }}

{{/* Labels that select this release's pods; never change them after the first install. */}}
{{- define "appraise.selectorLabels" -}}
app.kubernetes.io/name: {{ include "appraise.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The label a client of this release carries for the NetworkPolicy to admit it (the helm test pod
does). A fixed key with the release's full name as its value: a key built from the full name
would pass the 63-character limit on a label key's name part once that name is over 56.
*/}}
{{- define "appraise.clientLabel" -}}
appraise-client: {{ include "appraise.fullname" . }}
{{- end }}

{{- define "appraise.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "appraise.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "appraise.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* PostgreSQL is in use when any database source is configured; otherwise SQLite on a volume. */}}
{{- define "appraise.usesPostgres" -}}
{{- if ne .Values.database.source "none" }}true{{ end }}
{{- end }}

{{/* SQLite keeps its file on one volume, so it allows exactly one replica. */}}
{{- define "appraise.replicas" -}}
{{- if include "appraise.usesPostgres" . }}{{ .Values.replicaCount }}{{ else }}1{{ end }}
{{- end }}

{{/* The Kubernetes Secret that holds the API key files, when one exists. */}}
{{- define "appraise.apiKeySecretName" -}}
{{- if eq .Values.apiKeys.source "existingSecret" }}
{{- .Values.apiKeys.existingSecret }}
{{- else if eq .Values.apiKeys.source "awsSecretsManager" }}
{{- printf "%s-api-keys-external" (include "appraise.fullname" .) }}
{{- else }}
{{- printf "%s-api-keys" (include "appraise.fullname" .) }}
{{- end }}
{{- end }}

{{/* The Kubernetes Secret that holds the connection string file, when one exists. */}}
{{- define "appraise.databaseSecretName" -}}
{{- if eq .Values.database.source "existingSecret" }}
{{- .Values.database.existingSecret.name }}
{{- else if eq .Values.database.source "awsSecretsManager" }}
{{- printf "%s-database-external" (include "appraise.fullname" .) }}
{{- else }}
{{- printf "%s-database" (include "appraise.fullname" .) }}
{{- end }}
{{- end }}

{{/* Where the pod reads its secrets: each file name is a configuration key. */}}
{{- define "appraise.apiKeyDirectory" -}}/var/run/secrets/appraise/api-keys{{- end }}
{{- define "appraise.configDirectory" -}}/var/run/secrets/appraise/config{{- end }}

{{/* The series selector every alert and dashboard query uses for this release (both tracks with a canary). */}}
{{- define "appraise.metricsSelector" -}}
{{- $fullname := include "appraise.fullname" . }}
{{- if .Values.prometheusRule.selector }}{{ .Values.prometheusRule.selector }}
{{- else if .Values.canary.enabled }}namespace="{{ include "appraise.namespace" . }}", service=~"{{ $fullname }}|{{ $fullname | trunc 56 | trimSuffix "-" }}-canary"
{{- else if .Values.canary.flagger.enabled }}namespace="{{ include "appraise.namespace" . }}", service=~"{{ $fullname }}-primary|{{ $fullname }}-canary"
{{- else }}namespace="{{ include "appraise.namespace" . }}", service="{{ $fullname }}"{{ end }}
{{- end }}

{{/*
A volume of secret files from the configured source: a Secret (chart-made, existing or synced by
External Secrets) or the Secrets Store CSI driver reading Azure Key Vault.
*/}}
{{- define "appraise.secretVolume" -}}
{{- if eq .source "azureKeyVault" -}}
csi:
  driver: secrets-store.csi.k8s.io
  readOnly: true
  volumeAttributes:
    secretProviderClass: {{ include "appraise.fullname" .root }}-{{ .purpose }}
{{- else -}}
secret:
  secretName: {{ .secretName }}
  defaultMode: 0440
  # The Kubernetes default, written out: the pod must not start without its secrets.
  optional: false
  {{- with .items }}
  items:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}

{{/*
Pods that can run at once at the least: 1 with SQLite; the HPA's minimum or replicaCount with
PostgreSQL. A PodDisruptionBudget only makes sense above its minAvailable.
*/}}
{{- define "appraise.minimumPods" -}}
{{- if not (include "appraise.usesPostgres" .) }}1
{{- else if .Values.autoscaling.enabled }}{{ .Values.autoscaling.minReplicas }}
{{- else }}{{ .Values.replicaCount }}
{{- end }}
{{- end }}

{{/*
The canary's pods must not match the stable Deployment's selector (name + instance, immutable
after the first install: changing it breaks `helm upgrade`), or two Deployments would claim the
same pods and the stable Service (same selector) would send canary pods a share the weights do
not say. So the canary's name label is `<name>-canary`, as Flagger names its primary's
`<name>-primary` (the same label, Flagger v1.44.0 pkg/canary/deployment_controller.go): the
stable selectors stay as they are and cannot see a canary pod.
*/}}
{{- define "appraise.canarySelectorLabels" -}}
app.kubernetes.io/name: {{ include "appraise.name" . | trunc 56 | trimSuffix "-" }}-canary
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: canary
{{- end }}

{{/* The selector labels of a track's pods; called with (dict "root" $ "track" "stable"|"canary"). */}}
{{- define "appraise.trackSelectorLabels" -}}
{{- if eq .track "canary" }}{{ include "appraise.canarySelectorLabels" .root }}{{ else }}{{ include "appraise.selectorLabels" .root }}{{ end }}
{{- end }}

{{/* A track's image: the canary's own tag or digest when given, else the stable image. */}}
{{- define "appraise.trackImage" -}}
{{- $c := .root.Values.canary.image }}
{{- if and (eq .track "canary") $c.digest }}{{ printf "%s@%s" .root.Values.image.repository $c.digest }}
{{- else if and (eq .track "canary") $c.tag }}{{ printf "%s:%s" .root.Values.image.repository $c.tag }}
{{- else }}{{ include "appraise.image" .root }}
{{- end }}
{{- end }}

{{/*
Every pod of the release, both tracks (static canary: `<name>-canary`; Flagger: its
`<name>-primary` copy): the NetworkPolicy's podSelector, and the PodDisruptionBudget's under
Flagger. Without a canary it is the selector labels, as before.
*/}}
{{- define "appraise.releasePodSelector" -}}
{{- $v := .Values.canary }}
{{- if or $v.enabled $v.flagger.enabled -}}
matchLabels:
  app.kubernetes.io/instance: {{ .Release.Name }}
matchExpressions:
  - key: app.kubernetes.io/name
    operator: In
    values:
      - {{ include "appraise.name" . }}
      - {{ include "appraise.name" . | trunc 56 | trimSuffix "-" }}-{{ ternary "primary" "canary" $v.flagger.enabled }}
{{- else -}}
matchLabels:
  {{- include "appraise.selectorLabels" . | nindent 2 }}
{{- end }}
{{- end }}

{{/* A model repository in object storage (downloaded into the cache) rather than a directory. */}}
{{- define "appraise.remoteRepository" -}}
{{- if or (hasPrefix "https://" .Values.model.repository) (hasPrefix "s3://" .Values.model.repository) }}true{{ end }}
{{- end }}

{{- define "appraise.modelCacheDirectory" -}}/var/cache/appraise/models{{- end }}

{{/*
The container's env, a YAML list: the Model__* settings that are set (README's settings table),
secrets by secretKeyRef from existing Secrets, a track's pins (the canary's over model.pins),
then extraEnv. Called with (dict "root" $ "track" ...).
*/}}
{{- define "appraise.env" -}}
{{- $m := .root.Values.model }}
{{- $env := list }}
{{- with $m.repository }}{{ $env = append $env (dict "name" "Model__Repository" "value" .) }}{{ end }}
{{- with $m.default }}{{ $env = append $env (dict "name" "Model__Default" "value" .) }}{{ end }}
{{- with $m.pollInterval }}{{ $env = append $env (dict "name" "Model__PollInterval" "value" .) }}{{ end }}
{{- if include "appraise.remoteRepository" .root }}
{{- $env = append $env (dict "name" "Model__CacheDirectory" "value" (include "appraise.modelCacheDirectory" .root)) }}
{{- end }}
{{- if $m.s3ForcePathStyle }}{{ $env = append $env (dict "name" "Model__S3ForcePathStyle" "value" "true") }}{{ end }}
{{- with $m.storageConnectionString.secretName }}
{{- $env = append $env (dict "name" "Model__StorageConnectionString" "valueFrom" (dict "secretKeyRef" (dict "name" . "key" $m.storageConnectionString.key "optional" false))) }}
{{- end }}
{{- $pins := deepCopy $m.pins }}
{{- if eq .track "canary" }}{{ $pins = merge (deepCopy .root.Values.canary.model.pins) $pins }}{{ end }}
{{- range $model, $version := $pins }}
{{- $env = append $env (dict "name" (printf "Model__Pins__%s" $model) "value" (printf "%d" (int64 $version))) }}
{{- end }}
{{- if $m.repositoryApi.enabled }}
{{- $env = append $env (dict "name" "Model__RepositoryApi" "value" "true") }}
{{- $env = append $env (dict "name" "Auth__AdminKeys__0" "valueFrom" (dict "secretKeyRef" (dict "name" $m.repositoryApi.adminKeySecret.name "key" $m.repositoryApi.adminKeySecret.key "optional" false))) }}
{{- end }}
{{- $env = concat $env .root.Values.extraEnv }}
{{- if $env }}{{ toYaml $env }}{{ end }}
{{- end }}
