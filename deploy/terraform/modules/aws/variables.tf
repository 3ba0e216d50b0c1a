variable "name" {
  description = "Base name for every resource, for example appraise-dev."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}[a-z0-9]$", var.name))
    error_message = "name must be 4 to 32 lower-case letters, digits or hyphens, starting with a letter."
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
  description = "The EKS cluster: version, node instance types and autoscaling bounds, and who may reach the public API endpoint."
  type = object({
    kubernetes_version  = string
    instance_types      = list(string)
    min_nodes           = number
    max_nodes           = number
    desired_nodes       = number
    public_access_cidrs = list(string)
    endpoint_public     = bool
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

variable "github" {
  description = "The GitHub repository (owner/name) whose workflows may push images and deploy, through OIDC."
  type = object({
    repository = string
  })
  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github.repository))
    error_message = "github.repository must be owner/name."
  }
}

variable "appraise" {
  description = "Where appraise runs in the cluster (namespace), and where External Secrets runs (namespace/serviceaccount)."
  type = object({
    namespace                = string
    external_secrets_account = string
  })
}

variable "api_key" {
  description = "The first API key, stored in Secrets Manager as <name>/api-key. Pass it from the environment (TF_VAR_api_key)."
  type        = string
  sensitive   = true
  validation {
    condition     = length(var.api_key) >= 16
    error_message = "api_key must be at least 16 characters."
  }
}
