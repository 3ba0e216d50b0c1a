# terraform-aws-modules/eks 21.11.0: the newest release whose aws requirement (>= 6.23) admits the
# pinned provider 6.25.0 (21.12.0 and later need >= 6.28, which has no schema package to check
# against). Inputs recorded in tests/terraform/modules/terraform-aws-eks.json.
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "21.11.0"

  name = var.name
  # A minor in EKS standard support (env README: when to upgrade).
  kubernetes_version = var.eks.kubernetes_version

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  # The public endpoint answers only the allowed ranges; nodes and a runner in the VPC use the
  # private one.
  endpoint_public_access       = var.eks.endpoint_public
  endpoint_public_access_cidrs = var.api_server_allowed_cidrs
  endpoint_private_access      = true

  # Every role this configuration creates carries the boundary the pipelines' apply role may only
  # create roles with (envs/aws-dev/github/policies.tf).
  iam_role_permissions_boundary = data.aws_iam_policy.role_boundary.arn

  # The IAM OIDC provider that the IRSA roles (EBS CSI, External Secrets, ExternalDNS,
  # cluster-autoscaler) trust.
  enable_irsa = true

  # The cluster's encryption key: administered by the listed admins and the apply role. Left empty,
  # the module names whoever runs the apply, and the key policy would change with every principal.
  kms_key_administrators = concat(var.admin_role_arns, [data.aws_iam_role.github["apply"].arn])

  # Access entries only (no aws-auth ConfigMap), and no implicit admin for whoever creates the
  # cluster: a later apply by another principal would move that entry. The admins are listed.
  authentication_mode                      = "API"
  enable_cluster_creator_admin_permissions = false

  addons = {
    coredns    = {}
    kube-proxy = {}
    # enableNetworkPolicy: the VPC CNI's network policy agent enforces NetworkPolicy objects
    # (without it they are accepted and ignored; awsdocs/amazon-eks-user-guide
    # latest/ug/networking/eks-networking-add-ons.adoc). before_compute: nodes start with it.
    vpc-cni = {
      before_compute       = true
      configuration_values = jsonencode({ enableNetworkPolicy = "true" })
    }
    # Persistent volumes (appraise's SQLite volume): the EBS CSI driver with its IRSA role.
    aws-ebs-csi-driver = {
      service_account_role_arn = module.ebs_csi_irsa.arn
    }
  }

  eks_managed_node_groups = {
    default = {
      instance_types = var.eks.instance_types
      min_size       = var.eks.min_nodes
      max_size       = var.eks.max_nodes
      desired_size   = var.eks.desired_nodes
      ami_type       = "AL2023_x86_64_STANDARD"
      capacity_type  = "ON_DEMAND"
      # EKS tags the group's nodes for cluster-autoscaler's auto-discovery (awsdocs/amazon-eks-
      # user-guide latest/ug/nodes/managed-node-groups.adoc); the platform module installs
      # cluster-autoscaler, which scales the group between min_size and max_size.
      iam_role_name                 = "${var.name}-nodes"
      iam_role_use_name_prefix      = false
      iam_role_permissions_boundary = data.aws_iam_policy.role_boundary.arn
    }
  }

  access_entries = merge(
    { for index, arn in var.admin_role_arns : "admin-${index}" => {
      principal_arn = arn
      policy_associations = {
        admin = {
          policy_arn   = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
          access_scope = { type = "cluster" }
        }
      }
    } },
    {
      # The pipelines' apply role installs the platform (CRDs, cluster-wide objects) and appraise.
      github_apply = {
        principal_arn = data.aws_iam_role.github["apply"].arn
        policy_associations = {
          admin = {
            policy_arn   = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
            access_scope = { type = "cluster" }
          }
        }
      }
      # The plan role reads every object, Secrets included (Helm keeps release state in Secrets).
      github_plan = {
        principal_arn = data.aws_iam_role.github["plan"].arn
        policy_associations = {
          view = {
            policy_arn   = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy"
            access_scope = { type = "cluster" }
          }
        }
      }
    },
  )

  tags = var.tags
}

# The permissions boundary of the roles above and of the IRSA roles, created with the pipelines'
# roles (envs/aws-dev/github): a role the apply role creates can do no more than it allows.
data "aws_iam_policy" "role_boundary" {
  name = "${var.name}-github-boundary"
}

# The pipelines' roles live outside this configuration (envs/aws-dev/github: created once, before
# it, and kept when this is destroyed).
data "aws_iam_role" "github" {
  for_each = toset(["push", "plan", "apply", "model-release"])
  name     = "${var.name}-github-${each.key}"
}
