variable "name" {
  description = "Base name for every resource: 4 to 21 lower-case letters, digits or hyphens, for example appraise-dev (IAM role names such as <name>-cluster-autoscaler stay well within 64 characters)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,19}[a-z0-9]$", var.name))
    error_message = "name must be 4 to 21 lower-case letters, digits or hyphens, starting with a letter and ending with a letter or digit."
  }
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}

variable "vpc" {
  description = "The VPC: its CIDR, the availability zones, one public and one private subnet per zone, and whether one NAT gateway serves all zones (cheaper, less available)."
  type = object({
    cidr               = string
    azs                = list(string)
    public_subnets     = list(string)
    private_subnets    = list(string)
    single_nat_gateway = bool
  })
  validation {
    condition     = length(var.vpc.azs) >= 2 && length(var.vpc.public_subnets) == length(var.vpc.azs) && length(var.vpc.private_subnets) == length(var.vpc.azs)
    error_message = "vpc needs at least two zones and one public and one private subnet per zone."
  }
  validation {
    condition     = alltrue([for cidr in concat([var.vpc.cidr], var.vpc.public_subnets, var.vpc.private_subnets) : can(cidrhost(cidr, 0))])
    error_message = "Every VPC range must be a valid CIDR."
  }
}

variable "eks" {
  description = "The EKS cluster: version, node instance types and autoscaling bounds, and whether the API endpoint is public."
  type = object({
    kubernetes_version = string
    instance_types     = list(string)
    min_nodes          = number
    max_nodes          = number
    desired_nodes      = number
    endpoint_public    = bool
  })
  validation {
    condition     = var.eks.min_nodes >= 1 && var.eks.min_nodes <= var.eks.desired_nodes && var.eks.desired_nodes <= var.eks.max_nodes
    error_message = "eks needs 1 <= min_nodes <= desired_nodes <= max_nodes."
  }
}

variable "ecr" {
  description = "The image repository: how many release images to keep."
  type = object({
    keep_tagged_images = number
  })
  validation {
    condition     = var.ecr.keep_tagged_images >= 5
    error_message = "Keep at least 5 tagged images so rollbacks have something to roll back to."
  }
}

variable "api_server_allowed_cidrs" {
  description = "CIDR ranges allowed to reach the public API endpoint (Terraform's own address and the pipeline runners')."
  type        = list(string)
}

variable "admin_role_arns" {
  description = "IAM roles (not STS session ARNs) given cluster admin through access entries, besides the pipelines' apply role; whoever runs the first apply must use one of them."
  type        = list(string)
}

variable "external_dns" {
  description = "ExternalDNS: whether it runs, and the public Route 53 zone it manages."
  type = object({
    enabled = bool
    zone    = string
  })
}

variable "secrets_recovery_window_days" {
  description = "Recovery window of deleted Secrets Manager secrets: 0 deletes at once (dev: destroy and apply again without a name clash), otherwise 7 to 30."
  type        = number
  validation {
    condition     = var.secrets_recovery_window_days == 0 || (var.secrets_recovery_window_days >= 7 && var.secrets_recovery_window_days <= 30)
    error_message = "secrets_recovery_window_days must be 0 or 7 to 30."
  }
}

variable "appraise" {
  description = "Where appraise runs: its namespace and ServiceAccount name (the subject its IRSA role trusts)."
  type = object({
    namespace       = string
    service_account = string
  })
}
