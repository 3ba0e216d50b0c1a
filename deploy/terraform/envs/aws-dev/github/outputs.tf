# Set these as GitHub variables (ids are not secrets; docs/branch-protection.md, CI/CD in README.md).
output "github_push_role_arn" {
  description = "AWS_PUSH_ROLE_ARN in the GitHub environment release: pushes images to ECR."
  value       = aws_iam_role.github["push"].arn
}

output "github_plan_role_arn" {
  description = "AWS_PLAN_ROLE_ARN, a repository variable: terraform plan for pull requests and main."
  value       = aws_iam_role.github["plan"].arn
}

output "github_apply_role_arn" {
  description = "AWS_APPLY_ROLE_ARN in the GitHub environment aws-dev: apply, deploy and destroy."
  value       = aws_iam_role.github["apply"].arn
}
