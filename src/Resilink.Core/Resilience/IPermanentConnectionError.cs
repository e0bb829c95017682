namespace Resilink.Resilience;

/// <summary>
/// Marks a connection error that retrying cannot fix — the remote proved a different identity than the one dialed,
/// say — so <see cref="TransientConnectionErrors"/> never retries it, even when it is an <see cref="IOException"/>.
/// </summary>
public interface IPermanentConnectionError
{
}
