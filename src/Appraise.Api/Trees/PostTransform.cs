namespace Appraise.Api.Trees;

/// <summary>What is applied to the aggregated scores (ONNX <c>post_transform</c>).</summary>
public enum PostTransform : byte
{
    None,
    Softmax,
    Logistic,
    SoftmaxZero,
    Probit,
}
