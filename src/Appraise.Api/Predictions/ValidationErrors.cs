namespace Appraise.Api.Predictions;

/// <summary>Collects every problem with a request, by field, so one answer names them all.</summary>
public sealed class ValidationErrors
{
    private const int MaxFields = 50;
    // Created on the first error: a valid request allocates nothing here.
    private Dictionary<string, List<string>>? _errors;

    public bool Any => _errors is { Count: > 0 };

    public void Add(string field, string message)
    {
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
        messages.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _errors?.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal) ?? [];
}
