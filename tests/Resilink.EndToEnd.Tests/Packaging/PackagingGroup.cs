namespace Resilink.EndToEnd.Tests.Packaging;

/// <summary>
/// The packaging test runs alone: its <c>dotnet pack</c> is a Release build that takes both cores of a small CI
/// machine for a while, and the end-to-end tests beside it measure real timings (detection delays, round trips).
/// </summary>
[CollectionDefinition(nameof(PackagingGroup), DisableParallelization = true)]
public sealed class PackagingGroup;
