namespace Appraise.Api.Health;

/// <summary>Set once shutdown begins; readiness reads it.</summary>
public sealed class ShutdownState
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public void BeginDraining() => _draining = true;
}
