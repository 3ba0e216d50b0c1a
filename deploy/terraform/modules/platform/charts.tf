# The platform's chart versions, in one place. Each is the newest supported release at the time of
# writing (sources: /deploy/terraform/README.md, "Versions"); bump them here and in that table.
locals {
  charts = {
    # Envoy Gateway v1.9.0: bundles the Gateway API v1.6.1 CRDs, supports Kubernetes 1.33-1.36
    # (site/content/en/news/releases/matrix.md @ v1.9.0); the chart version is the release tag.
    envoy_gateway = { repository = "oci://docker.io/envoyproxy", chart = "gateway-helm", version = "v1.9.0" }
    # cert-manager v1.21.2 (patch release of 1.21, Kubernetes 1.33-1.36; "all users should upgrade").
    cert_manager = { repository = "oci://quay.io/jetstack/charts", chart = "cert-manager", version = "v1.21.2" }
    # ExternalDNS chart 1.21.1 = app 0.21.0 (annotations still external-dns.alpha.kubernetes.io/).
    external_dns = { repository = "https://kubernetes-sigs.github.io/external-dns/", chart = "external-dns", version = "1.21.1" }
    # External Secrets Operator 2.9.0: serves only external-secrets.io/v1.
    external_secrets = { repository = "https://charts.external-secrets.io", chart = "external-secrets", version = "2.9.0" }
    # kube-prometheus-stack 88.5.3: prometheus-operator v0.93.1, Alertmanager v0.34.0, Grafana 13.2.
    kube_prometheus_stack = { repository = "oci://ghcr.io/prometheus-community/charts", chart = "kube-prometheus-stack", version = "88.5.3" }
    # cluster-autoscaler chart 9.59.0 = Cluster Autoscaler 1.35.0, the minor of the EKS cluster
    # (the autoscaler's minor must match the cluster's: cluster-autoscaler/README.md).
    cluster_autoscaler = { repository = "https://kubernetes.github.io/autoscaler", chart = "cluster-autoscaler", version = "9.59.0" }
    # metrics-server chart 3.13.1 = Metrics Server 0.8.1 (kubernetes-sigs/metrics-server tag
    # metrics-server-helm-chart-3.13.1, charts/metrics-server/Chart.yaml; repository from its README).
    metrics_server = { repository = "https://kubernetes-sigs.github.io/metrics-server/", chart = "metrics-server", version = "3.13.1" }
  }
}
