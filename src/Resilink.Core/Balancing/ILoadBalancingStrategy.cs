using Resilink.Health;

namespace Resilink.Balancing;

/// <summary>
/// Picks the connection for the next stream among the candidates (YARP style: one method and a name).
/// </summary>
/// <remarks>
/// Implementations are thread-safe and allocate nothing per call. <see cref="Select"/> is pure with respect to
/// the candidates: it reads their <see cref="IHealthTracked.Stats"/> but never records use; the caller reports
/// the stream it then opens through <see cref="ConnectionLoadStats.OnStreamOpened"/>. The candidate list may
/// differ from one call to the next (connections come and go); stateful strategies stay correct when it does.
/// </remarks>
public interface ILoadBalancingStrategy
{
    /// <summary>Gets the name of the strategy, the name of its <see cref="LoadBalancingStrategyKind"/>.</summary>
    string Name { get; }

    /// <summary>Selects one of <paramref name="candidates"/>.</summary>
    /// <param name="candidates">The connections to choose from; not modified.</param>
    /// <returns>One element of <paramref name="candidates"/>.</returns>
    /// <exception cref="NoCandidatesException"><paramref name="candidates"/> is empty.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Naming", "CA1716:Identifiers should not match keywords",
        Justification = "The name of the seam in DESIGN.md and YARP; VB's Select is contextual and does not clash in practice.")]
    IHealthTracked Select(IReadOnlyList<IHealthTracked> candidates);
}
