module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.31"

  cluster_name    = var.name
  cluster_version = var.eks.kubernetes_version

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  cluster_endpoint_public_access       = var.eks.endpoint_public
  cluster_endpoint_public_access_cidrs = var.eks.public_access_cidrs
  cluster_endpoint_private_access      = true

  # The IAM OIDC provider that IRSA roles (External Secrets) trust.
  enable_irsa = true

  enable_cluster_creator_admin_permissions = true
  authentication_mode                      = "API_AND_CONFIG_MAP"

  cluster_addons = {
    coredns                = {}
    kube-proxy             = {}
    vpc-cni                = {}
    eks-pod-identity-agent = {}
  }

  eks_managed_node_groups = {
    default = {
      instance_types = var.eks.instance_types
      min_size       = var.eks.min_nodes
      max_size       = var.eks.max_nodes
      desired_size   = var.eks.desired_nodes
      ami_type       = "AL2023_x86_64_STANDARD"
      capacity_type  = "ON_DEMAND"
      # The cluster autoscaler (or Karpenter) finds the group by these tags.
      tags = {
        "k8s.io/cluster-autoscaler/enabled"     = "true"
        "k8s.io/cluster-autoscaler/${var.name}" = "owned"
      }
    }
  }

  # GitHub Actions deploys into appraise's namespace only.
  access_entries = {
    github_deploy = {
      principal_arn = aws_iam_role.github_actions.arn
      policy_associations = {
        appraise = {
          policy_arn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"
          access_scope = {
            type       = "namespace"
            namespaces = [var.appraise.namespace]
          }
        }
      }
    }
  }

  tags = var.tags
}
