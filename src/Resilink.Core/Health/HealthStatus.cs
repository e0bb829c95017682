namespace Resilink.Health;

/// <summary>
/// The health level of one connection. Ordered from best to worst after <see cref="Unknown"/>, so that
/// <c>a &gt; b</c> means "a is worse than b" for the measured levels.
/// </summary>
public enum HealthStatus
{
    /// <summary>Not evaluated yet: no ping has been answered or missed.</summary>
    Unknown = 0,

    /// <summary>Every limit is met and the score is at or above <see cref="HealthOptions.HealthyThreshold"/>.</summary>
    Healthy = 1,

    /// <summary>Working but impaired: score under <see cref="HealthOptions.HealthyThreshold"/> or a limit breached.</summary>
    Degraded = 2,

    /// <summary>Score under <see cref="HealthOptions.MinHealthThreshold"/>: gets no new streams and is replaced.</summary>
    Unhealthy = 3,

    /// <summary>
    /// Lost: closed by the peer or the network, or not answering (failure detector or consecutive ping failures). Gets
    /// no new streams and is replaced.
    /// </summary>
    Dead = 4,

    /// <summary>
    /// Closed on purpose by this side (the host or pool shut down, or closed or retired it). Not a failure: it is not
    /// replaced and raises no alert. Terminal, like <see cref="Dead"/>; it does not rank in the best-to-worst order.
    /// </summary>
    Closed = 5,
}
