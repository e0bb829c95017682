namespace Resilink.Resilience;

/// <summary>Where a <see cref="FailoverController{TEndpoint}"/> sends work.</summary>
public enum FailoverState
{
    /// <summary>On the primary endpoint (the initial state).</summary>
    Primary = 0,

    /// <summary>Failed over: on the secondary endpoint.</summary>
    Secondary = 1,

    /// <summary>Switching from the primary to the secondary while the switch hook warms the secondary up.</summary>
    FailingOver = 2,

    /// <summary>Switching from the secondary back to the primary while the switch hook warms the primary up.</summary>
    FailingBack = 3,

    /// <summary>Both endpoints have failed: no work is sent anywhere until one recovers.</summary>
    Unavailable = 4,
}
