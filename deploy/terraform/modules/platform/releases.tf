# The platform, in the order the first apply needs (depends_on says why at each step). Every release
# is atomic: a failed install is rolled back and the apply fails there, with the reason.

# 1. Envoy Gateway: the Gateway API implementation (and, through its crds subchart, the Gateway API
#    v1.6.1 CRDs). Proxies run in envoy-gateway-system (the default ControllerNamespace mode).
resource "helm_release" "envoy_gateway" {
  name       = "envoy-gateway"
  repository = local.charts.envoy_gateway.repository
  chart      = local.charts.envoy_gateway.chart
  version    = local.charts.envoy_gateway.version
  namespace  = kubernetes_namespace_v1.platform["envoy_gateway"].metadata[0].name
  atomic     = true
  wait       = true
  timeout    = 600
}

# 2. cert-manager, after the Gateway API CRDs: it checks for them only when it starts.
resource "helm_release" "cert_manager" {
  name       = "cert-manager"
  repository = local.charts.cert_manager.repository
  chart      = local.charts.cert_manager.chart
  version    = local.charts.cert_manager.version
  namespace  = kubernetes_namespace_v1.platform["cert_manager"].metadata[0].name
  atomic     = true
  wait       = true
  timeout    = 600
  values     = [file("${path.module}/values/cert-manager.yaml")]

  depends_on = [helm_release.envoy_gateway]
}

# 3. External Secrets Operator (AWS): its CRDs before the ClusterSecretStore.
resource "helm_release" "external_secrets" {
  count      = var.cloud == "aws" ? 1 : 0
  name       = "external-secrets"
  repository = local.charts.external_secrets.repository
  chart      = local.charts.external_secrets.chart
  version    = local.charts.external_secrets.version
  namespace  = kubernetes_namespace_v1.platform["external_secrets"].metadata[0].name
  atomic     = true
  wait       = true
  timeout    = 600
  values = [templatefile("${path.module}/values/external-secrets.yaml.tftpl", {
    role_arn = var.aws.external_secrets_role_arn
  })]
}

# 4. The cluster-wide objects that need those CRDs and controllers: GatewayClass envoy, Gateway
#    public with its EnvoyProxy (the proxy's Service), ClusterIssuer letsencrypt, ClusterSecretStore aws-secrets-manager (charts/platform-config).
#    A chart rather than kubernetes_manifest: kubernetes_manifest needs the CRDs at plan time,
#    which the first plan (before any release exists) cannot have.
resource "helm_release" "platform_config" {
  name      = "platform-config"
  chart     = "${path.module}/charts/platform-config"
  namespace = kubernetes_namespace_v1.platform["envoy_gateway"].metadata[0].name
  atomic    = true
  wait      = true
  timeout   = 300
  values = [yamlencode({
    gateway = {
      host = var.host
      # EKS: without this annotation the cloud provider's service controller makes a Classic ELB,
      # a TCP proxy, so Envoy would see the ELB's address instead of the client's and the
      # per-client rate limit would be per ELB node; an NLB with instance targets and the
      # Service's externalTrafficPolicy Local keeps the client's address (kubernetes/cloud-provider-aws
      # ServiceAnnotationLoadBalancerType: "the only accepted value is nlb"). AKS's Standard load
      # balancer keeps it with Local already.
      serviceAnnotations = var.cloud == "aws" ? { "service.beta.kubernetes.io/aws-load-balancer-type" = "nlb" } : {}
    }
    clusterIssuer = {
      email  = var.acme.email
      server = var.acme.server
    }
    secretStore = {
      enabled = var.cloud == "aws"
      region  = var.cloud == "aws" ? var.aws.region : ""
      # Only appraise's namespace may read through the store (issue 27 point 25).
      namespaces = [var.app_namespace]
    }
  })]

  depends_on = [helm_release.envoy_gateway, helm_release.cert_manager, helm_release.external_secrets]
}

# 5. ExternalDNS, once the Gateway API CRDs exist (it lists HTTPRoutes and Gateways at start) and,
#    on Azure, its settings Secret does.
resource "helm_release" "external_dns" {
  count      = var.external_dns.enabled ? 1 : 0
  name       = "external-dns"
  repository = local.charts.external_dns.repository
  chart      = local.charts.external_dns.chart
  version    = local.charts.external_dns.version
  namespace  = kubernetes_namespace_v1.platform["external_dns"].metadata[0].name
  atomic     = true
  wait       = true
  timeout    = 300
  values = [var.cloud == "azure"
    ? templatefile("${path.module}/values/external-dns-azure.yaml.tftpl", {
      txt_owner_id   = var.cluster_name
      domain_filters = jsonencode(var.external_dns.domain_filters)
      client_id      = var.external_dns.azure_client_id
    })
    : templatefile("${path.module}/values/external-dns-aws.yaml.tftpl", {
      txt_owner_id   = var.cluster_name
      domain_filters = jsonencode(var.external_dns.domain_filters)
      role_arn       = var.external_dns.aws_role_arn
      region         = var.aws.region
  })]

  depends_on = [helm_release.envoy_gateway, kubernetes_secret_v1.external_dns_azure]
}

# 6. kube-prometheus-stack, after the Secrets its values name (secrets.tf). Its CRDs
#    (monitoring.coreos.com) are what appraise's ServiceMonitor and PrometheusRule need, so the
#    deploy pipeline runs after this apply.
resource "helm_release" "kube_prometheus_stack" {
  name       = "kube-prometheus-stack"
  repository = local.charts.kube_prometheus_stack.repository
  chart      = local.charts.kube_prometheus_stack.chart
  version    = local.charts.kube_prometheus_stack.version
  namespace  = kubernetes_namespace_v1.platform["monitoring"].metadata[0].name
  atomic     = true
  wait       = true
  timeout    = 900
  values = concat(
    [file(var.monitoring.values_file)],
    var.monitoring.teams_receiver ? [] : [file("${path.module}/values/kube-prometheus-stack-no-teams.yaml")],
  )

  depends_on = [kubernetes_secret_v1.grafana_admin, kubernetes_secret_v1.alertmanager_webhooks]
}

# 7. cluster-autoscaler (AWS; AKS has its own): scales the managed node group between its bounds.
resource "helm_release" "cluster_autoscaler" {
  count      = var.cloud == "aws" ? 1 : 0
  name       = "cluster-autoscaler"
  repository = local.charts.cluster_autoscaler.repository
  chart      = local.charts.cluster_autoscaler.chart
  version    = local.charts.cluster_autoscaler.version
  namespace  = "kube-system"
  atomic     = true
  wait       = true
  timeout    = 300
  values = [templatefile("${path.module}/values/cluster-autoscaler.yaml.tftpl", {
    region       = var.aws.region
    cluster_name = var.cluster_name
    role_arn     = var.aws.cluster_autoscaler_role_arn
  })]
}

# EKS: the resource metrics API (metrics.k8s.io), which appraise's HorizontalPodAutoscaler reads
# its CPU utilisation from and `kubectl top` needs. EKS does not deploy Metrics Server
# (awsdocs/amazon-eks-user-guide latest/ug/clusters/management/metrics-server.adoc); AKS does, so
# Azure gets none here. Chart values (charts/metrics-server/values.yaml @ 3.13.1): apiService.create
# registers v1beta1.metrics.k8s.io; two replicas and a PodDisruptionBudget keep the API up while a
# node drains (the HPA stops scaling while it is away).
resource "helm_release" "metrics_server" {
  count      = var.cloud == "aws" ? 1 : 0
  name       = "metrics-server"
  repository = local.charts.metrics_server.repository
  chart      = local.charts.metrics_server.chart
  version    = local.charts.metrics_server.version
  namespace  = "kube-system"
  atomic     = true
  wait       = true
  timeout    = 300
  values = [yamlencode({
    replicas            = 2
    apiService          = { create = true }
    podDisruptionBudget = { enabled = true, minAvailable = 1 }
  })]
}

# EKS: the default StorageClass (no class is default since EKS 1.30), on the EBS CSI driver add-on
# (aws module): appraise's SQLite PersistentVolumeClaim names no class.
resource "kubernetes_storage_class_v1" "gp3" {
  count                  = var.cloud == "aws" ? 1 : 0
  storage_provisioner    = "ebs.csi.aws.com"
  reclaim_policy         = "Delete"
  volume_binding_mode    = "WaitForFirstConsumer"
  allow_volume_expansion = true
  parameters = {
    type      = "gp3"
    encrypted = "true"
  }
  metadata {
    name = "gp3"
    annotations = {
      "storageclass.kubernetes.io/is-default-class" = "true"
    }
  }
}
