output "kubeconfig_command" {
  description = "Writes a kubeconfig for the cluster."
  value       = module.azure.kubeconfig_command
}

output "registry_url" {
  description = "Push images here: docker push <registry_url>/appraise:<tag>."
  value       = module.azure.registry_url
}

output "ingress_address_command" {
  description = "Prints the public address of the ingress controller (point the DNS record here unless ExternalDNS does it)."
  value       = "kubectl -n ingress-nginx get service ingress-nginx-controller -o jsonpath='{.status.loadBalancer.ingress[0].ip}'"
}

output "url" {
  description = "Where appraise answers once DNS points at the ingress."
  value       = "https://${local.env.appraise.host}"
}

output "key_vault_name" {
  description = "Add or rotate API keys here (secret names listed in the chart values)."
  value       = module.azure.key_vault_name
}

output "smoke_test_command" {
  description = "Checks the installed release."
  value       = module.release.smoke_test_command
}

output "appraise_chart_settings" {
  description = "The --set values for helm upgrade --install of appraise in this environment (image and infrastructure outputs)."
  value       = module.release.chart_settings
}

output "appraise_values_files" {
  description = "The chart values files for this environment, relative to the repository root."
  value       = local.env.appraise.values_files
}
