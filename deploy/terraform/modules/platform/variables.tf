variable "install_appraise" {
  description = "Install appraise here (seed 001: terraform apply does everything). false leaves it to a pipeline's helm upgrade --install --atomic, fed by the chart_settings output."
  type        = bool
  default     = true
}

variable "chart_path" {
  description = "Path of the appraise chart (deploy/helm/appraise)."
  type        = string
}

variable "namespace" {
  description = "Namespace appraise is installed in."
  type        = string
  default     = "appraise"
}

variable "release_name" {
  description = "Helm release name of appraise."
  type        = string
  default     = "appraise"
}

variable "values_files" {
  description = "Chart values files, applied in order (for example deploy/helm/values/azure-production.yaml)."
  type        = list(string)
  default     = []
}

variable "image" {
  description = "The image to run; the tag is normally the release tag or the build id (seed 003's build-id substitution, without sed)."
  type = object({
    repository = string
    tag        = string
  })
  validation {
    condition     = length(var.image.tag) > 0 && var.image.tag != "latest"
    error_message = "image.tag must name a release; latest is not a version."
  }
}

variable "set" {
  description = "Extra chart values by path (values from other modules' outputs, such as vaults.azureKeyVault.clientId)."
  type        = map(string)
  default     = {}
}

variable "platform" {
  description = "Platform releases this environment installs before appraise. Disable any the cluster already has."
  type = object({
    ingress_nginx = object({
      enabled = bool
      version = string
    })
    cert_manager = object({
      enabled     = bool
      version     = string
      acme_email  = string
      acme_server = string
    })
    external_dns = object({
      enabled        = bool
      version        = string
      provider       = string
      domain_filters = list(string)
      values         = map(string)
    })
    external_secrets = object({
      enabled  = bool
      version  = string
      role_arn = string
      region   = string
    })
    kube_prometheus_stack = object({
      enabled     = bool
      version     = string
      values_file = string
    })
  })
  validation {
    condition     = contains(["azure", "aws"], var.platform.external_dns.provider)
    error_message = "platform.external_dns.provider must be azure or aws."
  }
}
