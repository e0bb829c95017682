namespace Resilink.Resilience;

/// <summary>
/// Both endpoints of a <see cref="FailoverController{TEndpoint}"/> have failed (<see cref="FailoverState.Unavailable"/>), so
/// there is nowhere to send work. The message names both endpoints and why each failed.
/// </summary>
public sealed class EndpointUnavailableException : IOException
{
    /// <summary>Initializes a new instance of the <see cref="EndpointUnavailableException"/> class.</summary>
    /// <param name="primary">The primary endpoint, as text.</param>
    /// <param name="primaryReason">Why it counts as failed.</param>
    /// <param name="secondary">The secondary endpoint, as text.</param>
    /// <param name="secondaryReason">Why it counts as failed.</param>
    public EndpointUnavailableException(string primary, string primaryReason, string secondary, string secondaryReason)
        : base($"No endpoint is available: primary '{primary}' failed ({primaryReason}) and secondary '{secondary}' failed ({secondaryReason}).")
    {
        Primary = primary;
        PrimaryReason = primaryReason;
        Secondary = secondary;
        SecondaryReason = secondaryReason;
    }

    /// <summary>Gets the primary endpoint, as text.</summary>
    public string Primary { get; }

    /// <summary>Gets why the primary counts as failed.</summary>
    public string PrimaryReason { get; }

    /// <summary>Gets the secondary endpoint, as text.</summary>
    public string Secondary { get; }

    /// <summary>Gets why the secondary counts as failed.</summary>
    public string SecondaryReason { get; }
}
