namespace Resilink.EndToEnd.Tests.Packaging;

/// <summary>
/// The packaging tests run alone: their <c>dotnet pack</c> is a Release build that takes both cores of a small CI
/// machine for a while, and the end-to-end tests beside it measure real timings (detection delays, round trips).
/// They share one pack of every package (<see cref="PackedPackages"/>).
/// </summary>
[CollectionDefinition(nameof(PackagingGroup), DisableParallelization = true)]
public sealed class PackagingGroup : ICollectionFixture<PackedPackages>;
