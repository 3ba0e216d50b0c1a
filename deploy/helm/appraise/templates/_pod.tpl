{{- /*
The pod template of the stable Deployment and of the canary: one definition, so the canary differs
only in what it is for (its labels, its image, its model pins). Called with
(dict "root" $ "track" "stable"|"canary").
*/}}
{{- define "appraise.podTemplate" -}}
{{- $root := .root }}
{{- $usesPostgres := include "appraise.usesPostgres" $root -}}
metadata:
  annotations:
    # Changed settings or chart-managed secrets roll the pods.
    checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
    checksum/secret: {{ include (print $root.Template.BasePath "/secret.yaml") $root | sha256sum }}
    {{- if $root.Values.prometheusScrapeAnnotations }}
    prometheus.io/scrape: "true"
    prometheus.io/port: {{ $root.Values.containerPort | quote }}
    prometheus.io/path: /metrics
    {{- end }}
    {{- with $root.Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  labels:
    {{- include "appraise.trackSelectorLabels" . | nindent 4 }}
    {{- with $root.Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "appraise.serviceAccountName" $root }}
  automountServiceAccountToken: false
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: {{ add $root.Values.shutdown.preStopSeconds $root.Values.shutdown.timeoutSeconds 5 }}
  containers:
    - name: appraise
      image: {{ include "appraise.trackImage" . }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      securityContext:
        {{- toYaml $root.Values.securityContext | nindent 8 }}
      ports:
        - name: http
          containerPort: {{ $root.Values.containerPort }}
          protocol: TCP
        {{- if gt (int $root.Values.grpc.containerPort) 0 }}
        - name: grpc
          containerPort: {{ $root.Values.grpc.containerPort }}
          protocol: TCP
        {{- end }}
      envFrom:
        - configMapRef:
            name: {{ include "appraise.fullname" $root }}
      {{- /* The model settings (set only when given; the canary's pins over the stable ones), then extraEnv. */}}
      {{- with include "appraise.env" . | fromYamlArray }}
      env:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      startupProbe:
        httpGet:
          path: /healthz
          port: http
        {{- toYaml $root.Values.probes.startup | nindent 8 }}
      livenessProbe:
        httpGet:
          path: /healthz
          port: http
        {{- toYaml $root.Values.probes.liveness | nindent 8 }}
      readinessProbe:
        httpGet:
          path: /readyz
          port: http
        {{- toYaml $root.Values.probes.readiness | nindent 8 }}
      {{- if gt (int $root.Values.shutdown.preStopSeconds) 0 }}
      lifecycle:
        preStop:
          # The sleep action: beta and on by default from Kubernetes 1.30 (Chart.yaml kubeVersion).
          sleep:
            seconds: {{ $root.Values.shutdown.preStopSeconds }}
      {{- end }}
      resources:
        {{- toYaml $root.Values.resources | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        - name: data
          mountPath: /data
        - name: api-keys
          mountPath: {{ include "appraise.apiKeyDirectory" $root }}
          readOnly: true
        {{- if $usesPostgres }}
        - name: config
          mountPath: {{ include "appraise.configDirectory" $root }}
          readOnly: true
        {{- end }}
        {{- if include "appraise.remoteRepository" $root }}
        - name: model-cache
          mountPath: {{ include "appraise.modelCacheDirectory" $root }}
        {{- end }}
        {{- with $root.Values.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        medium: Memory
        sizeLimit: 64Mi
    - name: data
      {{- if and (not $usesPostgres) $root.Values.persistence.enabled }}
      persistentVolumeClaim:
        claimName: {{ include "appraise.fullname" $root }}-data
      {{- else }}
      emptyDir:
        sizeLimit: 1Gi
      {{- end }}
    - name: api-keys
      {{- include "appraise.secretVolume" (dict "root" $root "source" $root.Values.apiKeys.source "purpose" "api-keys" "secretName" (include "appraise.apiKeySecretName" $root) "items" list) | nindent 6 }}
    {{- if $usesPostgres }}
    - name: config
      {{- $items := list (dict "key" (ternary $root.Values.database.existingSecret.key "ConnectionStrings__Reports" (eq $root.Values.database.source "existingSecret")) "path" "ConnectionStrings__Reports") }}
      {{- include "appraise.secretVolume" (dict "root" $root "source" $root.Values.database.source "purpose" "database" "secretName" (include "appraise.databaseSecretName" $root) "items" $items) | nindent 6 }}
    {{- end }}
    {{- if include "appraise.remoteRepository" $root }}
    # Versions downloaded from object storage (Model__CacheDirectory): the root filesystem is read-only.
    - name: model-cache
      emptyDir:
        sizeLimit: {{ $root.Values.model.cache.sizeLimit }}
    {{- end }}
    {{- with $root.Values.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  topologySpreadConstraints:
    {{- if $root.Values.topologySpreadConstraints }}
    {{- toYaml $root.Values.topologySpreadConstraints | nindent 4 }}
    {{- else }}
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "appraise.trackSelectorLabels" . | nindent 10 }}
    - maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "appraise.trackSelectorLabels" . | nindent 10 }}
    {{- end }}
  {{- with $root.Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
