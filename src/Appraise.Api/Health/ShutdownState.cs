namespace Appraise.Api.Health;

/// <summary>Set once shutdown begins; readiness reads it.</summary>
public sealed class ShutdownState
{
    private int _draining;

    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    /// <summary>Turns readiness off; true only for the call that did, false once it was off already.</summary>
    public bool BeginDraining() => Interlocked.Exchange(ref _draining, 1) == 0;
}
