# The Secrets kube-prometheus-stack's values name (deploy/monitoring/kube-prometheus-stack-values.yaml:
# grafana.admin.existingSecret, alertmanager.alertmanagerSpec.secrets) exist before its install:
# with atomic, a pod waiting for a missing Secret makes the release time out and roll back.
# Their values are write-only (data_wo, Terraform 1.11): written once per revision, never stored in
# the state or the plan.

# A new password is generated on every run, but only written when the revision changes (never
# here): the first apply's password stays. Read it with
#   kubectl -n monitoring get secret grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d
ephemeral "random_password" "grafana_admin" {
  length  = 32
  special = false
}

resource "kubernetes_secret_v1" "grafana_admin" {
  metadata {
    name      = "grafana-admin"
    namespace = kubernetes_namespace_v1.platform["monitoring"].metadata[0].name
  }
  data_wo = {
    "admin-user"     = "admin"
    "admin-password" = ephemeral.random_password.grafana_admin.result
  }
  data_wo_revision = 1
}

resource "kubernetes_secret_v1" "alertmanager_webhooks" {
  count = var.monitoring.teams_receiver ? 1 : 0
  metadata {
    name      = "alertmanager-webhooks"
    namespace = kubernetes_namespace_v1.platform["monitoring"].metadata[0].name
  }
  data_wo = {
    "teams-webhook-url" = var.teams_webhook_url
  }
  data_wo_revision = var.teams_webhook_revision

  lifecycle {
    precondition {
      condition     = var.teams_webhook_url != null
      error_message = "monitoring.teams_receiver is true: set TF_VAR_teams_webhook_url to the Teams Workflows webhook URL (or turn the receiver off in env.yaml)."
    }
  }
}

# ExternalDNS's Azure provider reads its settings from /etc/kubernetes/azure.json; with workload
# identity there is no credential in it (external-dns docs/tutorials/azure.md @ v0.21.0, "Helm").
resource "kubernetes_secret_v1" "external_dns_azure" {
  count = var.cloud == "azure" && var.external_dns.enabled ? 1 : 0
  metadata {
    name      = "external-dns-azure"
    namespace = kubernetes_namespace_v1.platform["external_dns"].metadata[0].name
  }
  data = {
    "azure.json" = jsonencode({
      tenantId                     = var.external_dns.tenant_id
      subscriptionId               = var.external_dns.subscription_id
      resourceGroup                = var.external_dns.resource_group
      useWorkloadIdentityExtension = true
    })
  }
}
