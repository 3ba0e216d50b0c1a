# The first API key, generated here and written write-only: it is in no file, state or plan. Read
# it with `aws secretsmanager get-secret-value --secret-id <name>/api-key`. A new value is
# generated on every run but written only when secret_string_wo_version changes.
ephemeral "random_password" "api_key" {
  length  = 40
  special = false
}

resource "aws_secretsmanager_secret" "api_key" {
  name        = "${var.name}/api-key"
  description = "appraise API key, read by the External Secrets Operator"
  # A deleted secret's name stays taken for its recovery window; with 0 (dev) it is deleted at
  # once, so destroy and apply again works the same day. Production keeps a window (7-30 days) and
  # restores instead (aws secretsmanager restore-secret).
  recovery_window_in_days = var.secrets_recovery_window_days
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id                = aws_secretsmanager_secret.api_key.id
  secret_string_wo         = ephemeral.random_password.api_key.result
  secret_string_wo_version = 1
}
