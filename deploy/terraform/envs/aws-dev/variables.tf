# Inputs that have no safe default. Pass them with -var, a *.auto.tfvars file kept out of git, or
# TF_VAR_... in the pipeline (README.md, "First apply").

variable "api_server_allowed_cidrs" {
  description = "CIDR ranges allowed to reach the EKS public API endpoint: where you run Terraform and kubectl from, and the pipeline runners' egress addresses (0.0.0.0/0 opens it to every address). A documentation range (such as 203.0.113.0/24) would block every real client, so it is refused."
  type        = list(string)
  validation {
    condition     = length(var.api_server_allowed_cidrs) > 0 && alltrue([for cidr in var.api_server_allowed_cidrs : can(cidrhost(cidr, 0))])
    error_message = "List at least one CIDR range, for example 198.18.7.10/32."
  }
  validation {
    condition = alltrue([for cidr in var.api_server_allowed_cidrs :
    !contains(["192.0.2", "198.51.100", "203.0.113"], try(join(".", slice(split(".", cidrhost(cidr, 0)), 0, 3)), ""))])
    error_message = "A documentation range (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) reaches nobody: list your own addresses."
  }
}

variable "admin_role_arns" {
  description = "IAM role ARNs given cluster admin (EKS access entries) and administration of the cluster's KMS key, besides the pipelines' apply role. Whoever runs the first apply must use one of them: for an SSO session, the role behind `aws sts get-caller-identity` with its path, as `aws iam get-role --role-name AWSReservedSSO_... --query Role.Arn` prints it (arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_...), not the assumed-role ARN."
  type        = list(string)
  validation {
    condition     = length(var.admin_role_arns) > 0 && alltrue([for arn in var.admin_role_arns : can(regex("^arn:aws:iam::[0-9]{12}:role/.+$", arn))])
    error_message = "List at least one IAM role ARN (arn:aws:iam::<account>:role/<name>)."
  }
  # EKS CreateAccessEntry refuses an SSO role's ARN without its path ("The specified principalArn is
  # invalid", terraform-aws-modules/terraform-aws-eks#2969), and KMS refuses it in the key policy.
  validation {
    condition     = alltrue([for arn in var.admin_role_arns : !can(regex(":role/AWSReservedSSO_", arn))])
    error_message = "An SSO role's ARN includes its path: arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_... (aws iam get-role --role-name AWSReservedSSO_... --query Role.Arn)."
  }
}

variable "teams_webhook_url" {
  description = "Microsoft Teams Workflows webhook for alerts, needed when platform.monitoring.teams_receiver is true in env.yaml. Written write-only into the Secret alertmanager-webhooks."
  type        = string
  default     = null
  sensitive   = true
}
