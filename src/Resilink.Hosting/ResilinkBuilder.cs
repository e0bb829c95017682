using Microsoft.Extensions.DependencyInjection;

namespace Resilink.Hosting;

/// <summary>The <see cref="IResilinkBuilder"/> that <c>AddResilink</c> returns.</summary>
internal sealed class ResilinkBuilder(IServiceCollection services) : IResilinkBuilder
{
    public IServiceCollection Services { get; } = services;
}
