# terraform-aws-modules/vpc 6.5.1: the newest release whose aws requirement (>= 6.0) admits the
# pinned provider (6.6.0 needs >= 6.28). Its inputs are recorded in tests/terraform/modules/.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "6.5.1"

  name               = var.name
  cidr               = var.vpc.cidr
  azs                = var.vpc.azs
  public_subnets     = var.vpc.public_subnets
  private_subnets    = var.vpc.private_subnets
  enable_nat_gateway = true
  single_nat_gateway = var.vpc.single_nat_gateway

  enable_dns_hostnames = true
  enable_dns_support   = true

  # Load balancers find their subnets by these tags.
  public_subnet_tags = {
    "kubernetes.io/role/elb" = "1"
  }
  private_subnet_tags = {
    "kubernetes.io/role/internal-elb" = "1"
  }

  tags = var.tags
}
