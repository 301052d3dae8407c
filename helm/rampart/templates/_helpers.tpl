{{/*
Shared helpers. Conventions: helpers taking more than the root context take a dict with "root"
(the top-level context) and what they need; names are rampart.<what>.
*/}}

{{/* Chart name, overridable. */}}
{{- define "rampart.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every resource name: "<release>-<chart>", or the release name when it already
contains the chart name. */}}
{{- define "rampart.fullname" -}}
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

{{/* Name of the aggregator's Deployment, Service and ConfigMap. */}}
{{- define "rampart.aggregator.fullname" -}}
{{- printf "%s-aggregator" (include "rampart.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of the standalone slasher's Deployment, Service, ConfigMap and PVC. */}}
{{- define "rampart.slasher.fullname" -}}
{{- printf "%s-slasher" (include "rampart.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The in-cluster URL of this release's aggregator Service; root context. */}}
{{- define "rampart.aggregator.url" -}}
{{- printf "http://%s.%s.svc:%d" (include "rampart.aggregator.fullname" .) .Release.Namespace (.Values.aggregator.service.port | int) }}
{{- end }}

{{/* Name of one operator's StatefulSet, Service and ConfigMap; dict root, op. A StatefulSet's
name must leave room for its pods' controller-revision-hash label (63 characters). */}}
{{- define "rampart.operator.fullname" -}}
{{- $name := printf "%s-operator-%s" (include "rampart.fullname" .root) .op.name }}
{{- if gt (len $name) 52 }}
{{- fail (printf "operator %q: StatefulSet name %q is longer than 52 characters; shorten the operator name, the release name or fullnameOverride" .op.name $name) }}
{{- end }}
{{- $name }}
{{- end }}

{{/* Labels on every resource, as one map so that no key repeats; dict root, component, and
optionally extra (a map). The chart's own labels win over extra, which wins over
commonLabels. */}}
{{- define "rampart.labels" -}}
{{- $root := .root }}
{{- $labels := include "rampart.selectorLabels" . | fromYaml }}
{{- $_ := set $labels "helm.sh/chart" (printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-") }}
{{- $_ := set $labels "app.kubernetes.io/version" ($root.Values.image.tag | default $root.Chart.AppVersion | trunc 63 | trimSuffix "-") }}
{{- $_ := set $labels "app.kubernetes.io/managed-by" $root.Release.Service }}
{{- $_ := set $labels "app.kubernetes.io/part-of" "rampart" }}
{{- $labels = merge $labels (default (dict) .extra) (default (dict) $root.Values.commonLabels) }}
{{- toYaml $labels }}
{{- end }}

{{/* Labels that select a component's pods; dict root, component. */}}
{{- define "rampart.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rampart.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end }}

{{/* Selector labels of one operator's pod; dict root, op. */}}
{{- define "rampart.operator.selectorLabels" -}}
{{ include "rampart.selectorLabels" (dict "root" .root "component" "operator") }}
rampart/operator: {{ .op.name }}
{{- end }}

{{/* The container image reference. */}}
{{- define "rampart.image" -}}
{{- $image := .Values.image }}
{{- if $image.digest }}
{{- printf "%s@%s" $image.repository $image.digest }}
{{- else }}
{{- printf "%s:%s" $image.repository (default .Chart.AppVersion $image.tag) }}
{{- end }}
{{- end }}

{{/* Name of the ServiceAccount the pods run as. */}}
{{- define "rampart.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "rampart.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Pod-level security context: non-root with fixed ids, RuntimeDefault seccomp. */}}
{{- define "rampart.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser | int64 }}
runAsGroup: {{ .Values.securityContext.runAsGroup | int64 }}
fsGroup: {{ .Values.securityContext.fsGroup | int64 }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Container-level security context: also read-only root, no capabilities, no escalation. */}}
{{- define "rampart.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser | int64 }}
runAsGroup: {{ .Values.securityContext.runAsGroup | int64 }}
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The pod spec fields every Rampart pod shares (service account, pull secrets, security
context); root context. */}}
{{- define "rampart.podCommon" -}}
serviceAccountName: {{ include "rampart.serviceAccountName" . }}
automountServiceAccountToken: false
enableServiceLinks: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- include "rampart.podSecurityContext" . | trim | nindent 2 }}
{{- end }}

{{/* Scheduling fields; dict root, component, settings (with nodeSelector, tolerations,
affinity, topologySpreadConstraints, priorityClassName), and optionally extraNodeSelector and
extraTolerations. Spread constraints without a labelSelector select the component's pods. */}}
{{- define "rampart.scheduling" -}}
{{- $s := .settings }}
{{- $nodeSelector := merge (dict) (default (dict) .extraNodeSelector) (default (dict) $s.nodeSelector) }}
{{- with $nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- $tolerations := concat (default (list) $s.tolerations) (default (list) .extraTolerations) }}
{{- with $tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $s.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if $s.topologySpreadConstraints }}
topologySpreadConstraints:
{{- range $s.topologySpreadConstraints }}
{{- $c := deepCopy . }}
{{- if not (hasKey $c "labelSelector") }}
{{- $_ := set $c "labelSelector" (dict "matchLabels" (include "rampart.selectorLabels" (dict "root" $.root "component" $.component) | fromYaml)) }}
{{- end }}
  - {{ toYaml $c | indent 4 | trim }}
{{- end }}
{{- end }}
{{- with $s.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end }}

{{/* Environment shared by every container: logs, pod identity, OpenTelemetry; dict root,
component, and extra (the component's extraEnv). */}}
{{- define "rampart.commonEnv" -}}
{{- $t := .root.Values.telemetry }}
- name: RUST_LOG
  value: {{ .root.Values.logLevel | quote }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: NODE_NAME
  valueFrom:
    fieldRef:
      fieldPath: spec.nodeName
{{- if $t.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ $t.otlpEndpoint | quote }}
- name: OTEL_TRACES_SAMPLER_ARG
  value: {{ $t.samplingRatio | toString | quote }}
- name: OTEL_SERVICE_NAME
  value: {{ printf "rampart-%s" .component | quote }}
{{- $attributes := list "k8s.pod.name=$(POD_NAME)" "k8s.namespace.name=$(POD_NAMESPACE)" "k8s.node.name=$(NODE_NAME)" }}
{{- range $key := keys $t.resourceAttributes | sortAlpha }}
{{- $attributes = append $attributes (printf "%s=%v" $key (get $t.resourceAttributes $key)) }}
{{- end }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ join "," $attributes | quote }}
{{- end }}
{{- with .extra }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* RAMPART_L1_RPC_URL from the L1 Secret, when one is configured; root context. */}}
{{- define "rampart.l1Env" -}}
{{- with .Values.l1.existingSecret }}
- name: RAMPART_L1_RPC_URL
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.l1.secretKey }}
{{- end }}
{{- end }}

{{/* Fails unless an L1 endpoint and a deployment file are configured; root context. */}}
{{- define "rampart.requireChain" -}}
{{- if not (or .Values.l1.rpcUrl .Values.l1.existingSecret) }}
{{- fail "l1: set l1.rpcUrl or l1.existingSecret (the L1 JSON-RPC endpoint)" }}
{{- end }}
{{- if not (or .Values.deploymentFile.content .Values.deploymentFile.existingConfigMap) }}
{{- fail "deploymentFile: set deploymentFile.content or deploymentFile.existingConfigMap (the contracts' deployment.json)" }}
{{- end }}
{{- end }}

{{/* Name of the ConfigMap holding deployment.json; root context. */}}
{{- define "rampart.deploymentConfigMap" -}}
{{- default (printf "%s-deployment" (include "rampart.fullname" .)) .Values.deploymentFile.existingConfigMap }}
{{- end }}

{{/* Where containers find their files. */}}
{{- define "rampart.paths.config" -}}/etc/rampart/config{{- end }}
{{- define "rampart.paths.deployment" -}}/etc/rampart/deployment{{- end }}
{{- define "rampart.paths.keys" -}}/etc/rampart/keys{{- end }}
{{- define "rampart.paths.slasherKeys" -}}/etc/rampart/slasher-keys{{- end }}
{{- define "rampart.paths.data" -}}/data{{- end }}

{{/* A string as a TOML basic string (JSON string escapes are valid TOML). */}}
{{- define "rampart.toml.string" -}}
{{- toJson (toString .) }}
{{- end }}

{{/* A list of strings as a TOML array. */}}
{{- define "rampart.toml.strings" -}}
[{{- range $i, $s := . }}{{ if $i }}, {{ end }}{{ include "rampart.toml.string" $s }}{{- end }}]
{{- end }}

{{/* The ECDSA key lines of a config section: a 0x-hex key file, or a keystore and its password
file; dict dir (where the Secret is mounted), files (the keyFiles values). */}}
{{- define "rampart.toml.ecdsaKey" -}}
{{- if .files.ecdsaKeyFile }}
ecdsa_key_file = {{ include "rampart.toml.string" (printf "%s/%s" .dir .files.ecdsaKeyFile) }}
{{- else }}
ecdsa_keystore = {{ include "rampart.toml.string" (printf "%s/%s" .dir .files.ecdsaKeystore) }}
ecdsa_password_file = {{ include "rampart.toml.string" (printf "%s/%s" .dir .files.ecdsaPassword) }}
{{- end }}
{{- end }}

{{/* The [chain] lines every component shares; root context. rpc_url is left out when it comes
from a Secret (RAMPART_L1_RPC_URL). */}}
{{- define "rampart.toml.chain" -}}
{{- if not .Values.l1.existingSecret }}
rpc_url = {{ include "rampart.toml.string" .Values.l1.rpcUrl }}
{{- end }}
deployment = {{ include "rampart.toml.string" (printf "%s/%s" (include "rampart.paths.deployment" .) .Values.deploymentFile.key) }}
{{- end }}

{{/* Volumes every pod has: its config, the deployment file, its keys (read-only, owner and
group read only) and a writable /tmp; dict root, config (ConfigMap name), secret, items (Secret
keys to project). */}}
{{- define "rampart.commonVolumes" -}}
- name: config
  configMap:
    name: {{ .config }}
- name: deployment
  configMap:
    name: {{ include "rampart.deploymentConfigMap" .root }}
    items:
      - key: {{ .root.Values.deploymentFile.key }}
        path: {{ .root.Values.deploymentFile.key }}
- name: keys
  secret:
    secretName: {{ .secret }}
    defaultMode: 0440
    items:
      {{- range .items }}
      - key: {{ . }}
        path: {{ . }}
      {{- end }}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end }}

{{/* Mounts of the volumes above. */}}
{{- define "rampart.commonVolumeMounts" -}}
- name: config
  mountPath: {{ include "rampart.paths.config" . }}
  readOnly: true
- name: deployment
  mountPath: {{ include "rampart.paths.deployment" . }}
  readOnly: true
- name: keys
  mountPath: {{ include "rampart.paths.keys" . }}
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- end }}

{{/* A PodDisruptionBudget spec body (minAvailable or maxUnavailable); the budget's values. */}}
{{- define "rampart.pdbBudget" -}}
{{- if hasKey . "minAvailable" }}
minAvailable: {{ .minAvailable }}
{{- else }}
maxUnavailable: {{ .maxUnavailable }}
{{- end }}
{{- end }}

{{/* A PersistentVolumeClaim spec body; the persistence values. */}}
{{- define "rampart.pvcSpec" -}}
accessModes:
  {{- toYaml .accessModes | nindent 2 }}
{{- with .storageClassName }}
storageClassName: {{ . }}
{{- end }}
resources:
  requests:
    storage: {{ .size }}
{{- end }}

{{/* One operator's effective settings as YAML: `operator` overlaid with the entry's own keys
(maps merged one level deep, anything else replaced); dict root, entry. Use with fromYaml. */}}
{{- define "rampart.operator.settings" -}}
{{- $op := deepCopy .root.Values.operator }}
{{- range $key, $value := .entry }}
{{- $default := get $op $key }}
{{- if and (kindIs "map" $value) (kindIs "map" $default) }}
{{- $merged := deepCopy $default }}
{{- range $k, $v := $value }}
{{- $_ := set $merged $k $v }}
{{- end }}
{{- $_ := set $op $key $merged }}
{{- else }}
{{- $_ := set $op $key $value }}
{{- end }}
{{- end }}
{{- if not $op.aggregators }}
{{- if not .root.Values.aggregator.enabled }}
{{- fail (printf "operator %q: no aggregator to deliver to; set operator.aggregators (or the entry's aggregators), or enable this release's aggregator" $op.name) }}
{{- end }}
{{- $_ := set $op "aggregators" (list (include "rampart.aggregator.url" .root)) }}
{{- end }}
{{- toYaml $op }}
{{- end }}

{{/* Checks one operator's rollups and extra volumes; dict root, op (its effective settings).
A reference rollup needs its genesis file; a proving key is for reference rollups only; extra
volumes may not take the names of the chart's own. */}}
{{- define "rampart.operator.validateSettings" -}}
{{- $op := .op }}
{{- range $op.rollups }}
{{- $source := default "evm-rpc" .source }}
{{- if and (eq $source "reference") (not .genesis) }}
{{- fail (printf "operator %q: rollup %d has source \"reference\" but no genesis; set genesis to the absolute path of the rollup's genesis file in the pod (mount it with operator.extraVolumes and operator.extraVolumeMounts)" $op.name (.id | int64)) }}
{{- end }}
{{- if and .provingKey (ne $source "reference") }}
{{- fail (printf "operator %q: rollup %d sets provingKey, which is for source \"reference\" rollups only (this one is %q)" $op.name (.id | int64) $source) }}
{{- end }}
{{- end }}
{{- range $op.extraVolumes }}
{{- if has .name (list "config" "deployment" "keys" "tmp" "data") }}
{{- fail (printf "operator %q: extraVolumes: the name %q is the chart's own; choose another" $op.name .name) }}
{{- end }}
{{- end }}
{{- end }}

{{/* Checks the operator list as a whole: names unique, no key used by two operators; root
context. */}}
{{- define "rampart.operator.validate" -}}
{{- $names := dict }}
{{- $keys := dict }}
{{- range .Values.operators }}
{{- if hasKey $names .name }}
{{- fail (printf "operators: the name %q is used twice" .name) }}
{{- end }}
{{- $_ := set $names .name true }}
{{- $bls := $.Values.operator.keyFiles.blsKeystore }}
{{- with (default (dict) .keyFiles).blsKeystore }}
{{- $bls = . }}
{{- end }}
{{- $key := printf "%s/%s" .existingSecret $bls }}
{{- if hasKey $keys $key }}
{{- fail (printf "operators %q and %q use the same BLS keystore (%s): one key must never sign from two pods" (get $keys $key) .name $key) }}
{{- end }}
{{- $_ := set $keys $key .name }}
{{- end }}
{{- end }}

{{/* One operator's configuration file (operator/src/config.rs); dict root, op (its effective
settings). Secrets stay out: keys are mounted files, database and L1 URLs from Secrets come
through the environment. */}}
{{- define "rampart.operator.toml" -}}
{{- $op := .op }}
{{- $keys := include "rampart.paths.keys" . }}
{{- $files := $op.keyFiles -}}
# Rendered by the rampart Helm chart for operator {{ $op.name | quote }}.
[chain]
{{ include "rampart.toml.chain" .root | trim }}

[operator]
{{- if $files.ecdsaKeyFile }}
ecdsa_key_file = {{ include "rampart.toml.string" (printf "%s/%s" $keys $files.ecdsaKeyFile) }}
{{- else }}
ecdsa_keystore = {{ include "rampart.toml.string" (printf "%s/%s" $keys $files.ecdsaKeystore) }}
ecdsa_password_file = {{ include "rampart.toml.string" (printf "%s/%s" $keys $files.ecdsaPassword) }}
{{- end }}
bls_keystore = {{ include "rampart.toml.string" (printf "%s/%s" $keys $files.blsKeystore) }}
bls_password_file = {{ include "rampart.toml.string" (printf "%s/%s" $keys $files.blsPassword) }}
socket = {{ include "rampart.toml.string" $op.socket }}
metadata_uri = {{ include "rampart.toml.string" $op.metadataUri }}
allocation_delay = {{ $op.allocationDelay | int64 }}
allocation_magnitude = {{ include "rampart.toml.string" $op.allocationMagnitude }}

[daemon]
data_dir = {{ include "rampart.toml.string" (include "rampart.paths.data" .) }}
node_api = {{ include "rampart.toml.string" (printf "0.0.0.0:%d" ($op.service.port | int)) }}
aggregators = {{ include "rampart.toml.strings" $op.aggregators }}
l1_fallback_urls = {{ include "rampart.toml.strings" $op.l1FallbackUrls }}
confirmations = {{ $op.confirmations | int64 }}
poll_interval_ms = {{ $op.pollIntervalMs | int64 }}
delivery_ttl_secs = {{ $op.deliveryTtlSecs | int64 }}
prover_backend = {{ include "rampart.toml.string" (default "auto" $op.proverBackend) }}
{{- range $op.rollups }}

[[rollups]]
id = {{ .id | int64 }}
source = {{ include "rampart.toml.string" (default "evm-rpc" .source) }}
rpc_url = {{ include "rampart.toml.string" .rpcUrl }}
{{- with .genesis }}
genesis = {{ include "rampart.toml.string" . }}
{{- end }}
{{- with .provingKey }}
proving_key = {{ include "rampart.toml.string" . }}
{{- end }}
finality = {{ include "rampart.toml.string" (default "safe" .finality) }}
{{- end }}
{{- end }}

{{/* The aggregator's configuration file (aggregator/src/config.rs); root context. */}}
{{- define "rampart.aggregator.toml" -}}
{{- $a := .Values.aggregator }}
{{- $keys := include "rampart.paths.keys" . -}}
# Rendered by the rampart Helm chart.
[chain]
{{ include "rampart.toml.chain" . | trim }}
confirmations = {{ $a.confirmations | int64 }}
poll_interval_ms = {{ $a.pollIntervalMs | int64 }}

[aggregator]
listen = {{ include "rampart.toml.string" (printf "0.0.0.0:%d" ($a.service.port | int)) }}
{{- if not $a.database.existingSecret }}
database = {{ include "rampart.toml.string" (printf "%s/aggregator.sqlite" (include "rampart.paths.data" .)) }}
{{- end }}
{{- if $a.keyFiles.ecdsaKeyFile }}
ecdsa_key_file = {{ include "rampart.toml.string" (printf "%s/%s" $keys $a.keyFiles.ecdsaKeyFile) }}
{{- else }}
ecdsa_keystore = {{ include "rampart.toml.string" (printf "%s/%s" $keys $a.keyFiles.ecdsaKeystore) }}
ecdsa_password_file = {{ include "rampart.toml.string" (printf "%s/%s" $keys $a.keyFiles.ecdsaPassword) }}
{{- end }}
wait_window_ms = {{ $a.waitWindowMs | int64 }}

[http]
max_body_bytes = {{ $a.http.maxBodyBytes | int64 }}
request_timeout_ms = {{ $a.http.requestTimeoutMs | int64 }}
operator_rate_per_s = {{ $a.http.operatorRatePerS | int64 }}
operator_burst = {{ $a.http.operatorBurst | int64 }}
max_in_flight = {{ $a.http.maxInFlight | int64 }}

[submission]
confirmations = {{ $a.submission.confirmations | int64 }}
bump_after_ms = {{ $a.submission.bumpAfterMs | int64 }}
fee_bump_percent = {{ $a.submission.feeBumpPercent | int64 }}
max_fee_gwei = {{ $a.submission.maxFeeGwei | int64 }}
lease_ttl_ms = {{ $a.submission.leaseTtlMs | int64 }}

[slasher]
enabled = {{ $a.slasher.enabled }}
{{- if $a.slasher.enabled }}
aggregators = {{ include "rampart.toml.strings" $a.slasher.extraAggregators }}
assign_jobs = {{ $a.slasher.assignJobs }}
{{- with $a.slasher.existingSecret }}
{{ include "rampart.toml.ecdsaKey" (dict "dir" (include "rampart.paths.slasherKeys" $) "files" $a.slasher.keyFiles) | trim }}
{{- end }}
{{- end }}
{{- end }}

{{/* The URLs the standalone slasher reads evidence from: this release's aggregator (when
enabled), then slasher.extraAggregators; root context. Use with fromYamlArray. */}}
{{- define "rampart.slasher.aggregators" -}}
{{- $urls := list }}
{{- if .Values.aggregator.enabled }}
{{- $urls = append $urls (include "rampart.aggregator.url" .) }}
{{- end }}
{{- range .Values.slasher.extraAggregators }}
{{- if not (has . $urls) }}
{{- $urls = append $urls . }}
{{- end }}
{{- end }}
{{- toYaml $urls }}
{{- end }}

{{/* The standalone slasher's configuration file (`rampart slasher run`); root context. */}}
{{- define "rampart.slasher.toml" -}}
{{- $s := .Values.slasher -}}
# Rendered by the rampart Helm chart.
[chain]
{{ include "rampart.toml.chain" . | trim }}
confirmations = {{ $s.confirmations | int64 }}
poll_interval_ms = {{ $s.pollIntervalMs | int64 }}

[slasher]
listen = {{ include "rampart.toml.string" (printf "0.0.0.0:%d" ($s.service.port | int)) }}
{{- if not $s.database.existingSecret }}
database = {{ include "rampart.toml.string" (printf "%s/slasher.sqlite" (include "rampart.paths.data" .)) }}
{{- end }}
{{ include "rampart.toml.ecdsaKey" (dict "dir" (include "rampart.paths.keys" .) "files" $s.keyFiles) | trim }}
aggregators = {{ include "rampart.toml.strings" (include "rampart.slasher.aggregators" . | fromYamlArray) }}
assign_jobs = {{ $s.assignJobs }}
max_fee_gwei = {{ $s.maxFeeGwei | int64 }}
{{- end }}

{{/* The Secret keys an operator's keys volume projects; its effective settings. */}}
{{- define "rampart.operator.keyItems" -}}
{{- $f := .keyFiles }}
{{- if $f.ecdsaKeyFile }}
{{- toYaml (list $f.blsKeystore $f.blsPassword $f.ecdsaKeyFile) }}
{{- else }}
{{- toYaml (list $f.blsKeystore $f.blsPassword $f.ecdsaKeystore $f.ecdsaPassword) }}
{{- end }}
{{- end }}

{{/* The Secret keys an ECDSA key's volume projects; the keyFiles values. */}}
{{- define "rampart.ecdsaKeyItems" -}}
{{- if .ecdsaKeyFile }}
{{- toYaml (list .ecdsaKeyFile) }}
{{- else }}
{{- toYaml (list .ecdsaKeystore .ecdsaPassword) }}
{{- end }}
{{- end }}

{{/* The Secret keys the aggregator's keys volume projects; root context. */}}
{{- define "rampart.aggregator.keyItems" -}}
{{- include "rampart.ecdsaKeyItems" .Values.aggregator.keyFiles }}
{{- end }}

{{/* Whether the aggregator's embedded slasher has a key of its own ("true" or empty); root
context. */}}
{{- define "rampart.aggregator.slasherKey" -}}
{{- if and .Values.aggregator.slasher.enabled .Values.aggregator.slasher.existingSecret }}true{{ end }}
{{- end }}

{{/* Whether the chart runs anything (operators, aggregator or slasher): "true" or empty; root
context. */}}
{{- define "rampart.anyComponent" -}}
{{- if or .Values.operators .Values.aggregator.enabled .Values.slasher.enabled }}true{{ end }}
{{- end }}
