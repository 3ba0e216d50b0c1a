# Namespaces exist before anything is installed into them, so Secrets can be created first and no
# release depends on another's create_namespace (a failed, rolled-back install would delete it).
locals {
  namespaces = merge(
    {
      envoy_gateway = "envoy-gateway-system"
      cert_manager  = "cert-manager"
      monitoring    = "monitoring"
    },
    var.external_dns.enabled ? { external_dns = "external-dns" } : {},
    var.cloud == "aws" ? { external_secrets = "external-secrets" } : {},
  )
}

resource "kubernetes_namespace_v1" "platform" {
  for_each = local.namespaces
  metadata {
    name = each.value
  }
}

# appraise's namespace: the deploy pipeline installs the chart here (helm upgrade --install without
# --create-namespace). Its pods meet the restricted Pod Security Standard, so the namespace enforces it.
resource "kubernetes_namespace_v1" "app" {
  metadata {
    name = var.app_namespace
    labels = {
      "pod-security.kubernetes.io/enforce" = "restricted"
      "pod-security.kubernetes.io/warn"    = "restricted"
    }
  }
}
