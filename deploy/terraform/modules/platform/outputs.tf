output "appraise" {
  description = "The appraise release when Terraform installs it: name, namespace, chart version and status."
  value = one([for release in helm_release.appraise : {
    name      = release.name
    namespace = release.namespace
    version   = release.version
    status    = release.status
  }])
}

output "chart_settings" {
  description = "What a pipeline passes to helm upgrade --install as --set: image and the values that come from infrastructure outputs."
  value = merge(var.set, {
    "image.repository" = var.image.repository
    "image.tag"        = var.image.tag
  })
}

output "smoke_test_command" {
  description = "Checks the installed release."
  value       = "helm test ${var.release_name} -n ${var.namespace}"
}
