namespace Resilink.Health;

/// <summary>
/// The latest heartbeat intervals (in milliseconds) of a <see cref="PhiAccrualFailureDetector"/>, with a running sum
/// and sum of squares so that the mean and standard deviation cost O(1). Akka's <c>HeartbeatHistory</c>.
/// </summary>
/// <remarks>Not thread-safe: the detector serializes calls.</remarks>
internal sealed class HeartbeatHistory
{
    private readonly double[] _intervals;
    private int _next;
    private double _sum;
    private double _sumOfSquares;

    public HeartbeatHistory(int maxSampleSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSampleSize, 1);
        _intervals = new double[maxSampleSize];
    }

    public int Count { get; private set; }

    public double Mean => Count == 0 ? 0.0 : _sum / Count;

    // Clamped at 0: rounding in the running sums can make the variance of equal intervals slightly negative.
    public double StandardDeviation => Count == 0 ? 0.0 : Math.Sqrt(Math.Max(0.0, (_sumOfSquares / Count) - (Mean * Mean)));

    public void Add(double intervalMilliseconds)
    {
        if (Count == _intervals.Length)
        {
            double dropped = _intervals[_next];
            _sum -= dropped;
            _sumOfSquares -= dropped * dropped;
        }
        else
        {
            Count++;
        }

        _intervals[_next] = intervalMilliseconds;
        _next = (_next + 1) % _intervals.Length;
        _sum += intervalMilliseconds;
        _sumOfSquares += intervalMilliseconds * intervalMilliseconds;
    }
}
