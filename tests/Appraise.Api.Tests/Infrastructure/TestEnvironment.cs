using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Appraise.Api.Tests.Infrastructure;

/// <summary>A host environment rooted at a directory, for constructing stores outside a host.</summary>
public sealed class TestEnvironment(string root) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = "Testing";

    public string ApplicationName { get; set; } = "Appraise.Api.Tests";

    public string ContentRootPath { get; set; } = root;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
