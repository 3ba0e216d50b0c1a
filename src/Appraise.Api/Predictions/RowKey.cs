using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace Appraise.Api.Predictions;

/// <summary>
/// A row's key in a pandas "columns" body: "0", "1", ... (a RangeIndex, what pandas writes almost
/// always) kept as a number, so reading a row allocates nothing; any other key kept as text.
/// </summary>
internal readonly record struct RowKey(long Number, string? Text)
{
    /// <summary>The current property name as a key: a plain decimal without leading zeros is a number.</summary>
    public static RowKey Read(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && TryNumber(reader.ValueSpan, out var number))
        {
            return new RowKey(number, null);
        }
        // Escaped or unusual: decode, and still a number if the text is one ("\u0031" is "1").
        var text = JsonValues.Name(ref reader);
        return text.Length < 16 && TryNumber(System.Text.Encoding.UTF8.GetBytes(text), out number) ? new RowKey(number, null) : new RowKey(-1, text);
    }

    private static bool TryNumber(ReadOnlySpan<byte> utf8, out long number)
    {
        number = -1;
        return utf8.Length is > 0 and < 10 && (utf8[0] != (byte)'0' || utf8.Length == 1)
            && Utf8Parser.TryParse(utf8, out number, out var consumed) && consumed == utf8.Length && number >= 0;
    }

    public static RowKey Position(int index) => new(index, null);

    public override string ToString() => Text ?? Number.ToString(CultureInfo.InvariantCulture);
}
