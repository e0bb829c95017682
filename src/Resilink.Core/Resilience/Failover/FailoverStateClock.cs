namespace Resilink.Resilience;

/// <summary>Time spent in each <see cref="FailoverState"/>. Not thread-safe: the controller's lock guards it.</summary>
internal sealed class FailoverStateClock
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan[] _spent = new TimeSpan[Enum.GetValues<FailoverState>().Length];
    private long _enteredAt;

    public FailoverStateClock(TimeProvider timeProvider, FailoverState initial)
    {
        _timeProvider = timeProvider;
        State = initial;
        _enteredAt = timeProvider.GetTimestamp();
    }

    /// <summary>Gets the state being timed.</summary>
    public FailoverState State { get; private set; }

    /// <summary>Closes the stay in the current state and starts timing <paramref name="state"/>.</summary>
    public void Enter(FailoverState state)
    {
        long now = _timeProvider.GetTimestamp();
        _spent[(int)State] += _timeProvider.GetElapsedTime(_enteredAt, now);
        _enteredAt = now;
        State = state;
    }

    /// <summary>Time spent in <paramref name="state"/>, the ongoing stay included.</summary>
    public TimeSpan Spent(FailoverState state) =>
        _spent[(int)state] + (state == State ? _timeProvider.GetElapsedTime(_enteredAt) : TimeSpan.Zero);
}
