namespace Appraise.Api.Predictions;

/// <summary>Collects every problem with a request, by field, so one answer names them all.</summary>
public sealed class ValidationErrors
{
    private const int MaxFields = 50;
    private const int MaxFieldLength = 64;
    private const int MaxMessagesPerField = 10;
    // Created on the first error: a valid request allocates nothing here.
    private Dictionary<string, List<string>>? _errors;

    public bool Any => _errors is { Count: > 0 };

    public void Add(string field, string message)
    {
        // A field name can come from the client (an unknown property): answer with a bounded echo.
        field = Bounded(field);
        _errors ??= new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!_errors.TryGetValue(field, out var messages))
        {
            if (_errors.Count >= MaxFields)
            {
                return;
            }
            messages = [];
            _errors[field] = messages;
        }
        if (messages.Count < MaxMessagesPerField)
        {
            messages.Add(message);
        }
    }

    /// <summary>Client-supplied text cut to a length fit for an error message.</summary>
    public static string Bounded(string text) =>
        text.Length <= MaxFieldLength ? text : string.Concat(text.AsSpan(0, MaxFieldLength), "…");

    public Dictionary<string, string[]> ToDictionary() =>
        _errors?.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal) ?? [];
}
