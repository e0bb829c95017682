namespace Resilink.Health;

/// <summary>Whether each of the latest pings was answered, with a running count so the success rate costs O(1).</summary>
/// <remarks>Not thread-safe: the owner serializes calls.</remarks>
internal sealed class PingOutcomeWindow
{
    private readonly bool[] _outcomes;
    private int _next;
    private int _count;
    private int _successes;

    public PingOutcomeWindow(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _outcomes = new bool[size];
    }

    /// <summary>Gets answered / sent over the window; 1 before any ping, so an unpinged connection is not penalized.</summary>
    public double SuccessRate => _count == 0 ? 1.0 : (double)_successes / _count;

    public void Record(bool answered)
    {
        if (_count == _outcomes.Length)
        {
            _successes -= _outcomes[_next] ? 1 : 0;
        }
        else
        {
            _count++;
        }

        _outcomes[_next] = answered;
        _successes += answered ? 1 : 0;
        _next = (_next + 1) % _outcomes.Length;
    }
}
