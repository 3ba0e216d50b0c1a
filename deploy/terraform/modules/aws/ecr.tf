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
        description  = "Keep the newest tagged images"
        selection = {
          tagStatus     = "tagged"
          tagPrefixList = ["v", "sha-"]
          countType     = "imageCountMoreThan"
          countNumber   = var.ecr.keep_tagged_images
        }
        action = { type = "expire" }
      },
    ]
  })
}
