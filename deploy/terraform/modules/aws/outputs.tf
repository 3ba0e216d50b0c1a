output "cluster_name" {
  description = "The EKS cluster's name."
  value       = module.eks.cluster_name
}

output "kubeconfig_command" {
  description = "Writes a kubeconfig for the cluster."
  value       = "aws eks update-kubeconfig --name ${module.eks.cluster_name} --region ${data.aws_region.current.region}"
}

output "kubernetes" {
  description = "API server address and CA for the kubernetes and helm providers (they authenticate with aws eks get-token)."
  value = {
    name                   = module.eks.cluster_name
    host                   = module.eks.cluster_endpoint
    cluster_ca_certificate = module.eks.cluster_certificate_authority_data
    region                 = data.aws_region.current.region
  }
}

output "registry_url" {
  description = "The image repository: images are <registry_url>:<tag>."
  value       = aws_ecr_repository.appraise.repository_url
}

output "api_key_secret" {
  description = "The Secrets Manager secret holding the API key: the chart's apiKeys.secretsManagerKey."
  value       = aws_secretsmanager_secret.api_key.name
}

output "external_secrets_role_arn" {
  description = "IRSA role of the External Secrets Operator's ServiceAccount."
  value       = module.external_secrets_irsa.arn
}

output "cluster_autoscaler_role_arn" {
  description = "IRSA role of cluster-autoscaler's ServiceAccount."
  value       = module.cluster_autoscaler_irsa.arn
}

output "external_dns_role_arn" {
  description = "IRSA role of ExternalDNS's ServiceAccount (empty when ExternalDNS is off)."
  value       = one(module.external_dns_irsa[*].arn)
}

output "private_subnets" {
  description = "The private subnets' CIDRs, where nodes and pods (VPC CNI) live: the Gateway's proxies connect from here."
  value       = var.vpc.private_subnets
}

output "vpc_cidr" {
  description = "The VPC's CIDR (the chart's networkPolicy.databaseCidrs when the database lives in it)."
  value       = module.vpc.vpc_cidr_block
}

output "github_role_arns" {
  description = "The pipelines' roles (push, plan, apply, model-release), created by envs/aws-dev/github."
  value       = { for role, data in data.aws_iam_role.github : role => data.arn }
}

output "model_repository" {
  description = "Where appraise reads its models (the chart's Model__Repository): s3://<bucket>/appraise."
  value       = "s3://${aws_s3_bucket.models.bucket}/${local.models_prefix}"
}

output "appraise_role_arn" {
  description = "appraise's IRSA role (reads the models): the chart's ServiceAccount annotation eks.amazonaws.com/role-arn."
  value       = module.appraise_irsa.arn
}
