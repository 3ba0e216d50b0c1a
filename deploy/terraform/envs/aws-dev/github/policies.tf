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
    boundary   = "arn:aws:iam::${local.account}:policy/${local.name}-github-boundary"
    key_alias  = "arn:aws:kms:${local.region}:${local.account}:alias/eks/${local.name}"
    eks_oidc   = "arn:aws:iam::${local.account}:oidc-provider/oidc.eks.${local.region}.amazonaws.com/id/*"
    logs       = "arn:aws:logs:${local.region}:${local.account}:log-group:/aws/eks/${local.name}/*"
    bucket     = "arn:aws:s3:::${local.bucket}"
    models     = "arn:aws:s3:::${local.name}-models-${local.account}" # = modules/aws/models.tf's bucket
    eks_params = "arn:aws:ssm:${local.region}::parameter/aws/service/eks/*"
  }
  # What using a KMS key takes (the cluster's secrets encryption, EBS volumes, Secrets Manager).
  key_use = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
  policies = {
    push  = data.aws_iam_policy_document.push.json
    plan  = data.aws_iam_policy_document.plan.json
    apply = data.aws_iam_policy_document.apply.json
    # Keyed as local.subjects (main.tf): the role is <name>-github-model-release.
    model-release = data.aws_iam_policy_document.model_release.json
  }
  models_prefix = "appraise" # = modules/aws/models.tf
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

# model-release (environment model-release): upload models under the prefix, read them back, list
# them. No delete, no bucket setting: a bad version is replaced by a new one (versioning keeps the
# old). The only identity that writes the bucket.
data "aws_iam_policy_document" "model_release" {
  statement {
    sid       = "ListModels"
    actions   = ["s3:ListBucket"]
    resources = [local.arn.models]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [local.models_prefix, "${local.models_prefix}/*"]
    }
  }
  statement {
    sid       = "WriteModels"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["${local.arn.models}/${local.models_prefix}/*"]
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
  # The models bucket's settings (aws_s3_bucket and its split resources read the bucket's
  # configuration with s3:GetBucket*, s3:GetEncryptionConfiguration and the like, HeadBucket with
  # s3:ListBucket). On the bucket ARN these are bucket-level actions only: no object is read.
  statement {
    sid       = "ModelBucketRead"
    actions   = ["s3:Get*", "s3:ListBucket"]
    resources = [local.arn.models]
  }
  statement {
    sid       = "StateObjectsRead"
    actions   = ["s3:GetObject"]
    resources = [for key in local.state_keys : "${local.arn.bucket}/${key}"]
  }
}

# plan (main, no environment): read, change nothing, take no lock (its plans
# run with -lock=false: make tf-plan READ_ONLY=1). Inside the cluster
# the plan role has the AmazonEKSAdminViewPolicy access entry (modules/aws/eks.tf).
data "aws_iam_policy_document" "plan" {
  source_policy_documents = [data.aws_iam_policy_document.read.json]
}

# apply (environment aws-dev: apply, deploy, destroy): create, change and delete what the
# environment's configuration manages, within its name, and write the state. Inside the cluster it
# is cluster admin (access entry). It may not touch the pipelines' own roles or the GitHub OIDC
# provider (no way to widen its own rights).
data "aws_iam_policy_document" "apply" {
  source_policy_documents = [data.aws_iam_policy_document.read.json, data.aws_iam_policy_document.service_linked_roles.json]

  statement {
    sid       = "StateWrite"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = [for key in local.state_keys : "${local.arn.bucket}/${key}"]
  }
  # S3 native locking (backend use_lockfile): the lock is the object <key>.tflock.
  statement {
    sid       = "StateLock"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = [for key in local.state_keys : "${local.arn.bucket}/${key}.tflock"]
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
  # The models bucket: create, configure and delete it (bucket-level actions on the bucket ARN
  # only). Of its objects, only what force_destroy does on destroy: list and delete versions. It
  # writes no object; model-release is the only writer.
  statement {
    sid = "ModelBucket"
    actions = [
      "s3:CreateBucket", "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:DeleteBucketOwnershipControls", "s3:Get*", "s3:ListBucket",
      "s3:ListBucketVersions", "s3:PutBucket*", "s3:PutEncryptionConfiguration",
    ]
    resources = [local.arn.models]
  }
  statement {
    sid       = "ModelBucketEmptyOnDestroy"
    actions   = ["s3:DeleteObject", "s3:DeleteObjectVersion"]
    resources = ["${local.arn.models}/*"]
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
  # The cluster's encryption key. The eks module (21.11.0, module "kms" in main.tf) tags it
  # terraform-aws-modules=eks and names the apply role among its key administrators, so once it
  # exists its own key policy grants what Terraform does to it (rotation, policy, deletion); IAM
  # grants only its creation, tagged so, and its alias eks/<name>. No other key in the account.
  statement {
    sid       = "KeyCreate"
    actions   = ["kms:CreateKey", "kms:TagResource"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/terraform-aws-modules"
      values   = ["eks"]
    }
  }
  statement {
    sid       = "KeyAlias"
    actions   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
    resources = [local.arn.key_alias]
  }
  # IAM roles of the cluster, its nodes and the IRSA roles, all named <name>-..., and only with the
  # permissions boundary <name>-github-boundary (created here, out of the apply role's reach): a
  # role the apply role creates, whatever policy it attaches, can never do more than that
  # boundary allows, so it cannot make itself an administrator through a role of its own.
  statement {
    sid = "RolesWithinTheBoundary"
    actions = [
      "iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:DetachRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy",
    ]
    resources = [local.arn.roles]
    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.arn.boundary]
    }
  }
  # Attached policies: the AWS-managed ones the eks module attaches to the cluster and node roles
  # (AmazonEKS*, AmazonEC2ContainerRegistry*) and this environment's own; never, say,
  # AdministratorAccess (the boundary would cap it, but it has no business there).
  statement {
    sid       = "AttachKnownPolicies"
    actions   = ["iam:AttachRolePolicy"]
    resources = [local.arn.roles]
    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.arn.boundary]
    }
    condition {
      test     = "ArnLike"
      variable = "iam:PolicyARN"
      values   = ["arn:aws:iam::aws:policy/AmazonEKS*", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistry*", local.arn.policies]
    }
  }
  statement {
    sid = "Roles"
    actions = [
      "iam:DeleteRole", "iam:TagRole", "iam:UntagRole", "iam:UpdateRole", "iam:UpdateRoleDescription",
      "iam:UpdateAssumeRolePolicy", "iam:PassRole",
    ]
    resources = [local.arn.roles]
  }
  # The policies the modules create (cluster encryption, the IRSA policies), all named <name>-...,
  # and the cluster's IAM OIDC provider (IRSA).
  statement {
    sid = "Policies"
    actions = [
      "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion",
      "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy",
    ]
    resources = [local.arn.policies]
  }
  statement {
    sid = "ClusterOidcProvider"
    actions = [
      "iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint",
      "iam:AddClientIDToOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider",
      "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider",
    ]
    resources = [local.arn.eks_oidc]
  }
  # Reading them stays allowed: the environment looks the pipelines' roles up (data
  # "aws_iam_role" "github"), and the eks module's aws_iam_session_context reads the caller's own
  # role (GetRole). A Deny of iam:* would refuse those reads and fail every refresh.
  statement {
    sid         = "NotThePipelinesOwnRolesOrBoundary"
    effect      = "Deny"
    not_actions = ["iam:Get*", "iam:List*"]
    resources = [
      "arn:aws:iam::${local.account}:role/${local.name}-github-*", "arn:aws:iam::${local.account}:policy/${local.name}-github-*",
      "arn:aws:iam::${local.account}:oidc-provider/token.actions.githubusercontent.com",
    ]
  }
  statement {
    sid       = "KeepTheBoundary"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary"]
    resources = ["*"]
  }
  # In one account a role's trust policy alone lets a principal it names assume it: a role the
  # apply role made, trusting the apply role, would need no allow here. Refused outright.
  statement {
    sid       = "NoRoleOfItsOwn"
    effect    = "Deny"
    actions   = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
    resources = [local.arn.roles]
  }
}

# The most any role the apply role creates may do, whatever policies are attached to it: what the
# cluster role (AmazonEKSClusterPolicy and the encryption policy), the node role
# (AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryReadOnly, AmazonEKS_CNI_Policy) and the
# IRSA roles (EBS CSI, External Secrets, cluster-autoscaler, ExternalDNS) need, and only here:
# this region, this environment's DNS zone, key and secrets. No IAM beyond service-linked roles,
# no STS, no Terraform state.
data "aws_iam_policy_document" "boundary" {
  source_policy_documents = [data.aws_iam_policy_document.service_linked_roles.json]

  statement {
    sid = "ClusterNodesAndAddonsInTheRegion"
    actions = [
      "ec2:*", "elasticloadbalancing:*", "autoscaling:*",
      "eks:Describe*", "eks:List*", "eks-auth:AssumeRoleForPodIdentity",
      "ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability",
    ]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [local.region]
    }
  }
  # ExternalDNS: records under this environment's zone only.
  statement {
    sid       = "DnsRecordsOfTheZone"
    actions   = ["route53:ChangeResourceRecordSets"]
    resources = ["arn:aws:route53:::hostedzone/*"]
    condition {
      test     = "ForAllValues:StringLike"
      variable = "route53:ChangeResourceRecordSetsNormalizedRecordNames"
      values   = [local.env.platform.external_dns.zone, "*.${local.env.platform.external_dns.zone}"]
    }
  }
  statement {
    sid       = "DnsRead"
    actions   = ["route53:GetChange", "route53:ListHostedZones", "route53:ListHostedZonesByName", "route53:ListResourceRecordSets", "route53:ListTagsForResource", "route53:ListTagsForResources"]
    resources = ["*"]
  }
  # Keys: the cluster's own (secrets encryption) and keys used through EC2 (EBS volumes) or
  # Secrets Manager in this region.
  statement {
    sid       = "TheClustersKey"
    actions   = local.key_use
    resources = ["*"]
    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "kms:ResourceAliases"
      values   = ["alias/eks/${local.name}"]
    }
  }
  statement {
    sid       = "KeysThroughServices"
    actions   = local.key_use
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ec2.${local.region}.amazonaws.com", "secretsmanager.${local.region}.amazonaws.com"]
    }
  }
  statement {
    sid       = "ThisEnvironmentsSecrets"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds", "secretsmanager:GetResourcePolicy"]
    resources = [local.arn.secrets]
  }
  # appraise's IRSA role reads the models: list the prefix, get its objects (modules/aws/models.tf).
  statement {
    sid       = "TheModelsList"
    actions   = ["s3:ListBucket"]
    resources = [local.arn.models]
  }
  statement {
    sid       = "TheModelsRead"
    actions   = ["s3:GetObject"]
    resources = ["${local.arn.models}/${local.models_prefix}/*"]
  }
  # BatchGetSecretValue still needs GetSecretValue on each secret (above).
  statement {
    sid       = "ListSecrets"
    actions   = ["secretsmanager:ListSecrets", "secretsmanager:BatchGetSecretValue"]
    resources = ["*"]
  }
}

# The service-linked roles EKS, its node groups, Auto Scaling and Elastic Load Balancing create
# on first use: in the apply role's policy and in the boundary.
data "aws_iam_policy_document" "service_linked_roles" {
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
}
