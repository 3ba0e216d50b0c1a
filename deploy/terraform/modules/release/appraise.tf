# appraise itself (seed 001: the chart through the Helm provider). atomic rolls a failed upgrade
# back automatically; wait makes apply fail when the pods never become ready.
resource "helm_release" "appraise" {
  count            = var.install_appraise ? 1 : 0
  name             = var.release_name
  chart            = var.chart_path
  namespace        = var.namespace
  create_namespace = true
  atomic           = true
  wait             = true
  timeout          = 600
  max_history      = 10

  values = [for path in var.values_files : file(path)]

  set {
    name  = "image.repository"
    value = var.image.repository
  }

  set {
    name  = "image.tag"
    value = var.image.tag
  }

  dynamic "set" {
    for_each = var.set
    content {
      name  = set.key
      value = set.value
    }
  }

  depends_on = [
    helm_release.ingress_nginx,
    helm_release.cert_manager,
    helm_release.external_secrets,
    helm_release.platform_config,
    helm_release.kube_prometheus_stack,
  ]
}
