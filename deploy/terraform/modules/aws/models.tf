# The model repository (docs/models.md, "Models in object storage"): appraise reads
# s3://<name>-models-<account>/appraise with its IRSA role (the AWS SDK's default chain), the
# model-release pipeline's role (envs/aws-dev/github) writes it. aws 6.25.0's split S3 resources
# (website/docs/r/s3_bucket*.html.markdown): the bucket, then each setting as its own resource.
# The name is global: the account id keeps it unique; envs/aws-dev/github builds the same name for
# its policies (it is applied first).
locals {
  models_bucket = "${var.name}-models-${data.aws_caller_identity.current.account_id}"
  models_prefix = "appraise"
}

# force_destroy: destroying the environment deletes the models with it, as deleting the Azure
# storage account does; the apply role may delete objects and their versions for that, and write
# none (envs/aws-dev/github/policies.tf, ModelBucketEmptyOnDestroy).
resource "aws_s3_bucket" "models" {
  bucket        = local.models_bucket
  force_destroy = true
  tags          = var.tags
}

# An overwritten or deleted model.onnx stays as a noncurrent version (a roll back is a copy of it).
resource "aws_s3_bucket_versioning" "models" {
  bucket = aws_s3_bucket.models.id
  versioning_configuration {
    status = "Enabled"
  }
}

# SSE-S3 (AES256), not aws:kms with the AWS-managed key aws/s3: that key's policy lets every
# principal of the account use it through S3 and cannot be changed, so it restricts nothing beyond
# what the IAM policies here already do, while every GetObject would become a KMS Decrypt call
# (cost, the KMS request quota, and kms:Decrypt to allow in the roles and their permissions
# boundary). Access is controlled by IAM and the bucket policy; a customer-managed key would be the
# step up if key separation is ever required.
resource "aws_s3_bucket_server_side_encryption_configuration" "models" {
  bucket = aws_s3_bucket.models.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "models" {
  bucket                  = aws_s3_bucket.models.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs off: the bucket owner owns every object, access is by policy only.
resource "aws_s3_bucket_ownership_controls" "models" {
  bucket = aws_s3_bucket.models.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# TLS only: any request over plain HTTP is refused, whoever makes it.
data "aws_iam_policy_document" "models_bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.models.arn, "${aws_s3_bucket.models.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "models" {
  bucket = aws_s3_bucket.models.id
  policy = data.aws_iam_policy_document.models_bucket.json
  # S3 refuses a bucket policy while the public access block is being changed.
  depends_on = [aws_s3_bucket_public_access_block.models]
}

# appraise reads the models and nothing else: lists the prefix, gets its objects.
data "aws_iam_policy_document" "models_read" {
  statement {
    sid       = "ListModels"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.models.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [local.models_prefix, "${local.models_prefix}/*"]
    }
  }
  statement {
    sid       = "GetModels"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.models.arn}/${local.models_prefix}/*"]
  }
}
