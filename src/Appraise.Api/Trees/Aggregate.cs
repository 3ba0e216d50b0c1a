namespace Appraise.Api.Trees;

/// <summary>How a regressor combines its trees' votes (ONNX <c>aggregate_function</c>).</summary>
public enum Aggregate : byte
{
    Sum,
    Average,
    Min,
    Max,
}
