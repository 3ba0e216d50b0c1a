using Microsoft.Extensions.Options;

namespace Appraise.Api.Hosting;

[OptionsValidator]
public sealed partial class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>;
