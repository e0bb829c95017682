using Resilink.Monitoring;
using Resilink.Net.Identity;
using Resilink.Resilience;

namespace Resilink.Net.Host;

// Circuit breaking (when enabled): one breaker per peer around each logical dial to it — a dial with all its retries,
// or the parallel dials of one DialPeerAsync — so a peer that keeps failing is not dialed again until its break ends.
// Dials to an address without /p2p have no peer to key on and are never guarded.
public sealed partial class Libp2pHost
{
    /// <summary>
    /// Raised on every state change of a peer's circuit breaker (<see cref="CircuitStateChangedEventArgs.Key"/> is the
    /// peer ID), before the dial that caused it returns; never raised when <see cref="CircuitBreakerOptions.Enabled"/> is
    /// off. Handlers must be quick and must not throw (a throwing handler is logged and ignored). Each change is also
    /// reported to <see cref="ConnectionMonitor"/>.
    /// </summary>
    public event EventHandler<CircuitStateChangedEventArgs>? CircuitStateChanged;

    /// <summary>
    /// The per-peer circuit breakers (keyed by peer ID string), for manual control such as
    /// <see cref="CircuitBreakerRegistry.IsolateAsync"/>; null when <see cref="CircuitBreakerOptions.Enabled"/> is off.
    /// </summary>
    public CircuitBreakerRegistry? CircuitBreakers { get; }

    /// <summary>The state of <paramref name="peer"/>'s circuit breaker; always <see cref="CircuitState.Closed"/> when breaking is off.</summary>
    /// <param name="peer">The peer.</param>
    /// <returns>The state now. An open breaker stays <see cref="CircuitState.Open"/> after its break until the next dial, which is the trial.</returns>
    public CircuitState GetCircuitState(PeerId peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return CircuitBreakers?.GetState(peer.ToString()) ?? CircuitState.Closed;
    }

    /// <summary>Runs one logical dial to <paramref name="peer"/> through its breaker (or straight, with breaking off).</summary>
    /// <exception cref="CircuitOpenException">The breaker is open: <paramref name="dial"/> did not run.</exception>
    private Task<T> GuardDialAsync<T>(PeerId peer, Func<CancellationToken, Task<T>> dial, CancellationToken cancellationToken) =>
        CircuitBreakers is null
            ? dial(cancellationToken)
            : CircuitBreakers.ExecuteAsync(peer.ToString(), async ct => await dial(ct).ConfigureAwait(false), cancellationToken).AsTask();

    /// <summary>
    /// <see cref="GuardDialAsync{T}"/> for a dial to the known addresses of <paramref name="peer"/>. A peer without any
    /// dials unguarded: its <see cref="PeerNotConnectedException"/> says nothing about whether the peer is up.
    /// </summary>
    private Task<T> GuardKnownAddressDialAsync<T>(PeerId peer, Func<CancellationToken, Task<T>> dial, CancellationToken cancellationToken) =>
        _knownAddresses.TryGetValue(peer, out var addresses) && !addresses.IsEmpty
            ? GuardDialAsync(peer, dial, cancellationToken)
            : dial(cancellationToken);

    private void OnCircuitStateChanged(object? sender, CircuitStateChangedEventArgs change)
    {
        try
        {
            CircuitStateChanged?.Invoke(this, change);
        }
#pragma warning disable CA1031 // A subscriber's bug must not fail the dial that moved the breaker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSubscriberFailed(ex, nameof(CircuitStateChanged));
        }
    }
}
