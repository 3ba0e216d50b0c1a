resource "helm_release" "ingress_nginx" {
  count            = var.platform.ingress_nginx.enabled ? 1 : 0
  name             = "ingress-nginx"
  repository       = "https://kubernetes.github.io/ingress-nginx"
  chart            = "ingress-nginx"
  version          = var.platform.ingress_nginx.version
  namespace        = "ingress-nginx"
  create_namespace = true
  atomic           = true
  wait             = true

  set {
    name  = "controller.replicaCount"
    value = "2"
  }

  set {
    name  = "controller.metrics.enabled"
    value = "true"
  }

  # Forward the real client address, so appraise's per-client rate limit is per client.
  set {
    name  = "controller.config.use-forwarded-headers"
    value = "true"
  }

  set {
    name  = "controller.service.externalTrafficPolicy"
    value = "Local"
  }
}

resource "helm_release" "cert_manager" {
  count            = var.platform.cert_manager.enabled ? 1 : 0
  name             = "cert-manager"
  repository       = "https://charts.jetstack.io"
  chart            = "cert-manager"
  version          = var.platform.cert_manager.version
  namespace        = "cert-manager"
  create_namespace = true
  atomic           = true
  wait             = true

  set {
    name  = "crds.enabled"
    value = "true"
  }
}

resource "helm_release" "external_dns" {
  count            = var.platform.external_dns.enabled ? 1 : 0
  name             = "external-dns"
  repository       = "https://kubernetes-sigs.github.io/external-dns/"
  chart            = "external-dns"
  version          = var.platform.external_dns.version
  namespace        = "external-dns"
  create_namespace = true
  atomic           = true
  wait             = true

  set {
    name  = "provider.name"
    value = var.platform.external_dns.provider
  }

  set {
    name  = "policy"
    value = "sync"
  }

  dynamic "set" {
    for_each = { for index, domain in var.platform.external_dns.domain_filters : "domainFilters[${index}]" => domain }
    content {
      name  = set.key
      value = set.value
    }
  }

  dynamic "set" {
    for_each = var.platform.external_dns.values
    content {
      name  = set.key
      value = set.value
    }
  }
}

resource "helm_release" "external_secrets" {
  count            = var.platform.external_secrets.enabled ? 1 : 0
  name             = "external-secrets"
  repository       = "https://charts.external-secrets.io"
  chart            = "external-secrets"
  version          = var.platform.external_secrets.version
  namespace        = "external-secrets"
  create_namespace = true
  atomic           = true
  wait             = true

  set {
    name  = "installCRDs"
    value = "true"
  }

  set {
    name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
    value = var.platform.external_secrets.role_arn
  }
}

# Objects that need the CRDs above: the ClusterIssuer and the ClusterSecretStore, as a small local
# chart (a chart is applied after its dependencies, unlike kubernetes_manifest, which needs the
# CRDs already at plan time).
resource "helm_release" "platform_config" {
  count     = var.platform.cert_manager.enabled || var.platform.external_secrets.enabled ? 1 : 0
  name      = "platform-config"
  chart     = "${path.module}/charts/platform-config"
  namespace = "cert-manager"
  atomic    = true

  set {
    name  = "clusterIssuer.enabled"
    value = tostring(var.platform.cert_manager.enabled)
  }

  set {
    name  = "clusterIssuer.email"
    value = var.platform.cert_manager.acme_email
  }

  set {
    name  = "clusterIssuer.server"
    value = var.platform.cert_manager.acme_server
  }

  set {
    name  = "secretStore.enabled"
    value = tostring(var.platform.external_secrets.enabled)
  }

  set {
    name  = "secretStore.region"
    value = var.platform.external_secrets.region
  }

  depends_on = [helm_release.cert_manager, helm_release.external_secrets]
}

resource "helm_release" "kube_prometheus_stack" {
  count            = var.platform.kube_prometheus_stack.enabled ? 1 : 0
  name             = "kube-prometheus-stack"
  repository       = "https://prometheus-community.github.io/helm-charts"
  chart            = "kube-prometheus-stack"
  version          = var.platform.kube_prometheus_stack.version
  namespace        = "monitoring"
  create_namespace = true
  atomic           = true
  wait             = true
  timeout          = 900
  values           = [file(var.platform.kube_prometheus_stack.values_file)]
}
