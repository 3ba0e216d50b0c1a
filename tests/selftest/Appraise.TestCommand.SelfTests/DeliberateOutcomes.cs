namespace Appraise.TestCommand.SelfTests;

/// <summary>
/// Tests whose outcome the self-test chooses through APPRAISE_SELFTEST_OUTCOME: "pass", "fail",
/// "crash" (the test host dies mid-run) or "hang" (a test never returns). The test command must
/// report every outcome but "pass" as a failure. Without the variable they refuse to run.
/// </summary>
public sealed class DeliberateOutcomes
{
    private static string Outcome =>
        Environment.GetEnvironmentVariable("APPRAISE_SELFTEST_OUTCOME")
        ?? throw new InvalidOperationException("Run only by tests/selftest/run.sh, which sets APPRAISE_SELFTEST_OUTCOME.");

    [Fact]
    public void RunsFirstAndPasses() => Assert.NotEmpty(Outcome);

    [Fact]
    public void DoesWhatTheSelfTestAsks()
    {
        switch (Outcome)
        {
            case "fail":
                Assert.Fail("failing on purpose");
                break;
            case "crash":
                Environment.FailFast("crashing the test host on purpose");
                break;
            case "hang":
                Thread.Sleep(Timeout.Infinite);
                break;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RunsAfterTheOthers(int number) => Assert.InRange(number, 1, 3);
}
