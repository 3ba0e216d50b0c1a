# Set these as GitHub variables (ids are not secrets; docs/branch-protection.md, CI/CD in README.md).
output "github_push_role_arn" {
  description = "AWS_PUSH_ROLE_ARN in the GitHub environment release: pushes images to ECR."
  value       = aws_iam_role.github["push"].arn
}

output "github_plan_role_arn" {
  description = "AWS_PLAN_ROLE_ARN, a repository variable: terraform plan on main (it trusts no pull request: it reads the state and Secrets)."
  value       = aws_iam_role.github["plan"].arn
}

output "github_model_release_role_arn" {
  description = "AWS_MODEL_RELEASE_ROLE_ARN in the GitHub environment model-release: uploads models to the environment's models bucket (s3:PutObject under appraise/)."
  value       = aws_iam_role.github["model-release"].arn
}

output "github_apply_role_arn" {
  description = "AWS_APPLY_ROLE_ARN in the GitHub environment aws-dev: apply, deploy and destroy."
  value       = aws_iam_role.github["apply"].arn
}
