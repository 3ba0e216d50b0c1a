using System.Text;

namespace Appraise.Api.Metrics;

/// <summary>
/// The tags of one series, with its Prometheus label text rendered once. Looked up by the
/// tag span a measurement arrives with (<see cref="TagSetComparer"/>), so recording a value for
/// an existing series allocates nothing.
/// </summary>
public sealed class TagSet
{
    public TagSet(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        Names = new string[tags.Length];
        Values = new object?[tags.Length];
        var labels = new List<KeyValuePair<string, string>>(tags.Length);
        for (var i = 0; i < tags.Length; i++)
        {
            Names[i] = tags[i].Key;
            Values[i] = tags[i].Value;
            labels.Add(new(PrometheusNaming.LabelName(tags[i].Key), Convert.ToString(tags[i].Value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
        }
        Hash = TagSetComparer.HashOf(tags);
        Labels = labels.OrderBy(l => l.Key, StringComparer.Ordinal).ToArray();
        LabelText = Render(Labels);
    }

    public string[] Names { get; }

    public object?[] Values { get; }

    public int Hash { get; }

    /// <summary>Label pairs sorted by name, values as text.</summary>
    public KeyValuePair<string, string>[] Labels { get; }

    /// <summary><c>{a="x",b="y"}</c>, or empty when there are no tags.</summary>
    public string LabelText { get; }

    public static string Render(IEnumerable<KeyValuePair<string, string>> labels)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in labels)
        {
            text.Append(text.Length == 0 ? '{' : ',').Append(name).Append("=\"").Append(PrometheusNaming.EscapeLabelValue(value)).Append('"');
        }
        return text.Length == 0 ? "" : text.Append('}').ToString();
    }
}
