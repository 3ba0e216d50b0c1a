output "gateway" {
  description = "The Gateway appraise's HTTPRoute attaches to: the chart's httpRoute.parentRefs entry (https listener)."
  value = {
    name        = "public"
    namespace   = kubernetes_namespace_v1.platform["envoy_gateway"].metadata[0].name
    sectionName = "https"
  }
  depends_on = [helm_release.platform_config]
}

output "gateway_address_command" {
  description = "Prints the public address of the Gateway (point the DNS record for the host here unless ExternalDNS does it)."
  value       = "kubectl -n ${kubernetes_namespace_v1.platform["envoy_gateway"].metadata[0].name} get gateway public -o jsonpath='{.status.addresses[0].value}'"
}

output "app_namespace" {
  description = "appraise's namespace (created here; the deploy pipeline installs into it)."
  value       = kubernetes_namespace_v1.app.metadata[0].name
}

output "monitoring_release_label" {
  description = "The label kube-prometheus-stack's Prometheus selects ServiceMonitors and PrometheusRules by."
  value       = { release = helm_release.kube_prometheus_stack.name }
}
