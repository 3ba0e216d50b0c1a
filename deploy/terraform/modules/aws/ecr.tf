# Release tags (X.Y.Z) and digests never move: IMMUTABLE. The release pipeline pushes no moving
# X.Y or latest tag.
resource "aws_ecr_repository" "appraise" {
  name                 = "${var.name}/appraise"
  image_tag_mutability = "IMMUTABLE"
  force_delete         = false

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }

  tags = var.tags
}

resource "aws_ecr_lifecycle_policy" "appraise" {
  repository = aws_ecr_repository.appraise.name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Untagged layers go after a week"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = 7
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the newest tagged images (every tag: releases are X.Y.Z)"
        selection = {
          tagStatus      = "tagged"
          tagPatternList = ["*"]
          countType      = "imageCountMoreThan"
          countNumber    = var.ecr.keep_tagged_images
        }
        action = { type = "expire" }
      },
    ]
  })
}
