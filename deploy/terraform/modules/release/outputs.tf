output "appraise" {
  description = "The appraise release: name, namespace, chart version and status."
  value = {
    name      = helm_release.appraise.name
    namespace = helm_release.appraise.namespace
    version   = helm_release.appraise.version
    status    = helm_release.appraise.status
  }
}

output "smoke_test_command" {
  description = "Checks the installed release."
  value       = "helm test ${helm_release.appraise.name} -n ${helm_release.appraise.namespace}"
}
