namespace Appraise.Api.Hosting;

/// <summary>
/// A start-up failure the user causes, and fixes, with configuration: the message names the
/// setting and says what to change. Reported as one log line, without a stack trace.
/// </summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
