namespace Resilink.EndToEnd.Tests.Support;

/// <summary>
/// Tests that read an in-process node's OpenTelemetry metrics run alone. The SDK's meter provider takes the
/// <c>Resilink</c> meter by name from anywhere in the process, not only from its own container's meter factory, so a
/// node of a test running beside it (or its instruments, registered first) can stand in for the node under test: once
/// CI saw <c>resilink_peers_connected</c> 0 while the node under test had two peers.
/// </summary>
[CollectionDefinition(nameof(InProcessMetricsGroup), DisableParallelization = true)]
public sealed class InProcessMetricsGroup;
