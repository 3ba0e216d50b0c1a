namespace Appraise.Api.Trees;

/// <summary>How a node decides, as ONNX's <c>nodes_modes</c> names it (BRANCH_LEQ, ..., LEAF).</summary>
public enum NodeMode : byte
{
    Leaf,
    BranchLeq,
    BranchLt,
    BranchGte,
    BranchGt,
    BranchEq,
    BranchNeq,
}
