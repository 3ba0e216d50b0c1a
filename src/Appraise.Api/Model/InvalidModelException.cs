namespace Appraise.Api.Model;

/// <summary>The model file cannot be used; the message says which file and why.</summary>
public sealed class InvalidModelException(string message, Exception? inner = null) : Exception(message, inner);
