namespace Resilink.Balancing;

/// <summary>Thrown by <see cref="ILoadBalancingStrategy.Select"/> when it is given no candidates.</summary>
public sealed class NoCandidatesException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="NoCandidatesException"/> class.</summary>
    public NoCandidatesException()
        : base("There are no candidate connections to select from.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NoCandidatesException"/> class.</summary>
    /// <param name="message">The message.</param>
    public NoCandidatesException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NoCandidatesException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NoCandidatesException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static NoCandidatesException For(string strategyName) =>
        new($"The {strategyName} load-balancing strategy was given no candidate connections to select from.");
}
