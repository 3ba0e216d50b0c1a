using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Appraise.Api.Home;

/// <summary>
/// The HTML page for people, its stylesheet and script: embedded in the build, served from
/// memory, no external assets (it works offline and under a strict Content-Security-Policy).
/// </summary>
public sealed class HomePage(IOptions<HomeOptions> options)
{
    private const string Prefix = "Appraise.Api.Home.Page.";
    private static readonly Dictionary<string, (string ContentType, byte[] Content)> Files = new(StringComparer.Ordinal)
    {
        ["index.html"] = ("text/html; charset=utf-8", Read("index.html")),
        ["home.css"] = ("text/css; charset=utf-8", Read("home.css")),
        ["home.js"] = ("text/javascript; charset=utf-8", Read("home.js")),
    };

    public bool Enabled => options.Value.Enabled;

    /// <summary>
    /// A browser navigating here: Accept names text/html. curl, the seeds' tests and API clients
    /// send */* or application/json and keep getting the JSON greeting.
    /// </summary>
    public bool IsWantedBy(HttpRequest request) =>
        Enabled && MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(type => type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && type.Quality is not 0);

    public IResult Page() => TypedResults.Bytes(Files["index.html"].Content, Files["index.html"].ContentType);

    public IResult? Asset(string name) =>
        Enabled && name != "index.html" && Files.TryGetValue(name, out var file) ? TypedResults.Bytes(file.Content, file.ContentType) : null;

    private static byte[] Read(string name)
    {
        using var stream = typeof(HomePage).Assembly.GetManifestResourceStream(Prefix + name)
            ?? throw new InvalidOperationException($"The page resource '{name}' is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
