namespace Appraise.Api.Trees;

/// <summary>A model file that cannot be served; the message is one line naming what is wrong.</summary>
public sealed class InvalidModelException(string message, Exception? inner = null) : Exception(message, inner);
