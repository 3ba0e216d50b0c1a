output "cluster_name" {
  description = "The EKS cluster's name."
  value       = module.eks.cluster_name
}

output "kubeconfig_command" {
  description = "Writes a kubeconfig for the cluster."
  value       = "aws eks update-kubeconfig --name ${module.eks.cluster_name} --region ${data.aws_region.current.name}"
}

output "cluster" {
  description = "Connection details for the Kubernetes and Helm providers (they authenticate with `aws eks get-token`)."
  value = {
    name                   = module.eks.cluster_name
    endpoint               = module.eks.cluster_endpoint
    cluster_ca_certificate = module.eks.cluster_certificate_authority_data
  }
}

output "registry_url" {
  description = "Where images are pushed: <repository>:<tag>."
  value       = aws_ecr_repository.appraise.repository_url
}

output "api_key_secret" {
  description = "The Secrets Manager secret holding the API key: the chart's apiKeys.secretsManagerKey."
  value       = aws_secretsmanager_secret.api_key.name
}

output "external_secrets_role_arn" {
  description = "IRSA role for the External Secrets Operator's ServiceAccount."
  value       = module.external_secrets_irsa.iam_role_arn
}

output "github_actions_role_arn" {
  description = "The role GitHub Actions assumes through OIDC (AWS_ROLE_ARN in the workflows)."
  value       = aws_iam_role.github_actions.arn
}

output "vpc_cidr" {
  description = "The VPC's CIDR (the chart's networkPolicy.databaseCidrs when the database lives in it)."
  value       = module.vpc.vpc_cidr_block
}
