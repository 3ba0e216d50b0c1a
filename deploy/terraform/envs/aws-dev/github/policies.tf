# What each role may do. ARNs are built from names (<name>-...), so this configuration needs
# nothing from the environment's and can be applied first.
locals {
  arn = {
    repository = "arn:aws:ecr:${local.region}:${local.account}:repository/${local.name}/appraise"
    cluster    = "arn:aws:eks:${local.region}:${local.account}:cluster/${local.name}"
    eks_any    = "arn:aws:eks:${local.region}:${local.account}:*/${local.name}/*"
    secrets    = "arn:aws:secretsmanager:${local.region}:${local.account}:secret:${local.name}/*"
    key_secret = "arn:aws:secretsmanager:${local.region}:${local.account}:secret:${local.name}/api-key-*"
    roles      = "arn:aws:iam::${local.account}:role/${local.name}-*"
    policies   = "arn:aws:iam::${local.account}:policy/${local.name}-*"
    eks_oidc   = "arn:aws:iam::${local.account}:oidc-provider/oidc.eks.${local.region}.amazonaws.com/id/*"
    logs       = "arn:aws:logs:${local.region}:${local.account}:log-group:/aws/eks/${local.name}/*"
    bucket     = "arn:aws:s3:::${local.bucket}"
    eks_params = "arn:aws:ssm:${local.region}::parameter/aws/service/eks/*"
  }
  policies = {
    push  = data.aws_iam_policy_document.push.json
    plan  = data.aws_iam_policy_document.plan.json
    apply = data.aws_iam_policy_document.apply.json
  }
}

# push (release workflow, environment release): push images to the one repository.
data "aws_iam_policy_document" "push" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid = "EcrPushAppraise"
    actions = [
      "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart",
    ]
    resources = [local.arn.repository]
  }
}

# Reading what the environment's configuration manages (terraform plan refreshes every resource).
data "aws_iam_policy_document" "read" {
  statement {
    sid = "ReadManagedServices"
    actions = [
      "ec2:Describe*", "ec2:Get*",
      "eks:Describe*", "eks:List*",
      "iam:Get*", "iam:List*",
      "ecr:Describe*", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource",
      "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:ListSecrets",
      "logs:Describe*", "logs:ListTagsForResource", "logs:ListTagsLogGroup",
      "kms:Describe*", "kms:Get*", "kms:List*",
      "route53:Get*", "route53:List*",
      "sts:GetCallerIdentity",
    ]
    resources = ["*"]
  }
  statement {
    sid       = "EksAmiParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = [local.arn.eks_params]
  }
  # Refreshing aws_secretsmanager_secret_version reads the version (GetSecretValue), value included.
  statement {
    sid       = "RefreshApiKeyVersion"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.arn.key_secret]
  }
  statement {
    sid       = "StateRead"
    actions   = ["s3:ListBucket"]
    resources = [local.arn.bucket]
  }
  statement {
    sid       = "StateObjectsRead"
    actions   = ["s3:GetObject"]
    resources = [for key in local.state_keys : "${local.arn.bucket}/${key}"]
  }
  # S3 native locking (backend use_lockfile): the lock is the object <key>.tflock.
  statement {
    sid       = "StateLock"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = [for key in local.state_keys : "${local.arn.bucket}/${key}.tflock"]
  }
}

# plan (pull requests and main, no environment): read and lock, change nothing. Inside the cluster
# the plan role has the AmazonEKSAdminViewPolicy access entry (modules/aws/eks.tf).
data "aws_iam_policy_document" "plan" {
  source_policy_documents = [data.aws_iam_policy_document.read.json]
}

# apply (environment aws-dev: apply, deploy, destroy): create, change and delete what the
# environment's configuration manages, within its name, and write the state. Inside the cluster it
# is cluster admin (access entry). It may not touch the pipelines' own roles or the GitHub OIDC
# provider (no way to widen its own rights).
data "aws_iam_policy_document" "apply" {
  source_policy_documents = [data.aws_iam_policy_document.read.json]

  statement {
    sid       = "StateWrite"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.arn.bucket}/aws-dev/terraform.tfstate"]
  }
  # VPC, subnets, gateways, routes, security groups, launch templates: EC2 offers no name scope.
  statement {
    sid       = "Network"
    actions   = ["ec2:*"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [local.region]
    }
  }
  statement {
    sid       = "Cluster"
    actions   = ["eks:*"]
    resources = [local.arn.cluster, local.arn.eks_any]
  }
  statement {
    sid       = "ClusterCreate"
    actions   = ["eks:CreateCluster", "eks:DescribeAddonVersions", "eks:DescribeAddonConfiguration", "eks:ListClusters"]
    resources = ["*"]
  }
  statement {
    sid       = "Registry"
    actions   = ["ecr:*"]
    resources = [local.arn.repository]
  }
  statement {
    sid       = "RegistryCreate"
    actions   = ["ecr:CreateRepository", "ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid       = "Secrets"
    actions   = ["secretsmanager:*"]
    resources = [local.arn.secrets]
  }
  statement {
    sid       = "SecretsRandom"
    actions   = ["secretsmanager:GetRandomPassword"]
    resources = ["*"]
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:*"]
    resources = [local.arn.logs, "${local.arn.logs}:*"]
  }
  statement {
    sid       = "LogsCreate"
    actions   = ["logs:CreateLogGroup", "logs:DescribeLogGroups"]
    resources = ["*"]
  }
  # The cluster's encryption key (the eks module creates one; the key policy keeps the account's
  # default statement, so IAM policies grant access).
  statement {
    sid       = "Keys"
    actions   = ["kms:CreateKey", "kms:CreateAlias", "kms:DeleteAlias", "kms:TagResource", "kms:UntagResource", "kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:ScheduleKeyDeletion", "kms:CreateGrant", "kms:UpdateAlias"]
    resources = ["*"]
  }
  # IAM roles and policies of the cluster, its nodes and the IRSA roles, all named <name>-...; the
  # EKS OIDC provider; the service-linked roles EKS and its node groups use.
  statement {
    sid       = "Identities"
    actions   = ["iam:*"]
    resources = [local.arn.roles, local.arn.policies, local.arn.eks_oidc]
  }
  statement {
    sid       = "ServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["eks.amazonaws.com", "eks-nodegroup.amazonaws.com", "autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com"]
    }
  }
  statement {
    sid       = "NotThePipelinesOwnRoles"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = ["arn:aws:iam::${local.account}:role/${local.name}-github-*", "arn:aws:iam::${local.account}:oidc-provider/token.actions.githubusercontent.com"]
  }
}
