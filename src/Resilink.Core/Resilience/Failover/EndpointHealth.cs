namespace Resilink.Resilience;

/// <summary>What a <see cref="FailoverController{TEndpoint}"/> knows of one endpoint. Not thread-safe: the controller's lock guards it.</summary>
internal sealed class EndpointHealth
{
    public EndpointHealth(string role, string name, long now)
    {
        Role = role;
        Name = name;
        HealthySince = now;
    }

    /// <summary>Gets "primary" or "secondary".</summary>
    public string Role { get; }

    /// <summary>Gets the endpoint as text.</summary>
    public string Name { get; }

    /// <summary>Gets whether it counts as failed (no work goes to it while the other one is usable).</summary>
    public bool IsFailed { get; private set; }

    /// <summary>Gets why it failed; null while it has not.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>Gets the failures recorded since the last success or recovery.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>
    /// Gets whether a success has been seen since its last failure (true at creation). Failback waits for one: a primary
    /// whose latest report was a failure is not known to work, however long ago that failure was.
    /// </summary>
    public bool ProvenHealthy { get; private set; } = true;

    /// <summary>
    /// Gets the timestamp of the first success after its last failure (creation at first); while not
    /// <see cref="ProvenHealthy"/>, of the last failure. Failback waits <c>FailbackDelay</c> from here.
    /// </summary>
    public long HealthySince { get; private set; }

    /// <summary>Gets "primary 'name'", for messages.</summary>
    public string Describe() => $"{Role} '{Name}'";

    /// <summary>One more failure; true if it has just failed (reached <paramref name="threshold"/>).</summary>
    public bool CountFailure(Exception exception, int threshold, long now)
    {
        ConsecutiveFailures++;
        MarkUnproven(now);
        string last = string.IsNullOrEmpty(exception.Message) ? exception.GetType().Name : exception.Message;
        return ConsecutiveFailures >= threshold
            && Fail($"{ConsecutiveFailures} consecutive failure{(ConsecutiveFailures == 1 ? "" : "s")} (last: {last})", now);
    }

    /// <summary>Marks it failed; true if it was not.</summary>
    public bool Fail(string reason, long now)
    {
        MarkUnproven(now);
        if (IsFailed)
        {
            return false;
        }
        IsFailed = true;
        FailureReason = reason;
        return true;
    }

    /// <summary>It works (again): clears the failure count and proves it healthy; true if it was failed.</summary>
    public bool Recover(long now)
    {
        ConsecutiveFailures = 0;
        ObserveSuccess(now);
        if (!IsFailed)
        {
            return false;
        }
        IsFailed = false;
        FailureReason = null;
        return true;
    }

    /// <summary>A success (or a healthy verdict): the first one after a failure starts <see cref="HealthySince"/>; true if this was that one.</summary>
    public bool ObserveSuccess(long now)
    {
        if (ProvenHealthy)
        {
            return false;
        }
        ProvenHealthy = true;
        HealthySince = now;
        return true;
    }

    private void MarkUnproven(long now)
    {
        ProvenHealthy = false;
        HealthySince = now;
    }
}
