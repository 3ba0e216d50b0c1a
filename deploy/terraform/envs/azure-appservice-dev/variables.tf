# The input without a safe default. Pass it with -var, a *.auto.tfvars file kept out of git, or
# TF_VAR_admin_object_ids in the pipeline (README.md, "Apply").
variable "admin_object_ids" {
  description = "Microsoft Entra object ids of the people or groups who manage the Key Vault's secrets. Whoever runs the first apply must be in it: `az ad signed-in-user show --query id -o tsv`."
  type        = list(string)
  validation {
    condition     = length(var.admin_object_ids) > 0 && alltrue([for id in var.admin_object_ids : can(regex("^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$", id))])
    error_message = "List at least one object id (a GUID)."
  }
}
