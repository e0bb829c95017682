using System.Globalization;
using Resilink.E2e;
using Resilink.E2e.Scenarios;

// End-to-end figures on loopback, Resilink and js-libp2p side by side in one run.
// Usage: dotnet run -c Release --project benchmarks/e2e -- [--mib 256] [--pings 1000] [--no-js]
var mib = 256;
var pings = 1000;
var withJs = true;
var onlyResilink = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--mib": mib = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--pings": pings = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--no-js": withJs = false; break;
        case "--only-resilink": onlyResilink = true; withJs = false; break; // for profiling the stack alone
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'. Usage: [--mib N] [--pings N] [--no-js] [--only-resilink]");
            return 2;
    }
}

using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));
var ct = cancel.Token;
var bytes = mib * 1024L * 1024L;
Console.WriteLine($"Resilink e2e benchmark: {mib} MiB per throughput run, {pings} pings, {Environment.ProcessorCount} cores");

if (onlyResilink)
{
    Console.WriteLine(await ResilinkScenarios.ResilinkToResilinkAsync(bytes, pings, ct));
    return 0;
}

var results = new List<Measurement>
{
    await RawTcpThroughput.RunAsync(bytes, ct),
    AeadLimit.Run(bytes),
    await ResilinkScenarios.ResilinkToResilinkAsync(bytes, pings, ct),
};
if (withJs)
{
    results.Add(await JsBench.RunAsync(bytes, pings, ct));
    results.AddRange(await ResilinkScenarios.WithJsAsync(bytes, pings, ct));
}

foreach (var result in results)
{
    Console.WriteLine(result);
}

double Of(string prefix) => results.First(r => r.Name.StartsWith(prefix, StringComparison.Ordinal)).MibPerSecond;
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(b)/(a) Resilink vs raw TCP:          {Of("(b)") / Of("(a)"):0.00}x"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(e)/(b) AEAD limit vs Resilink stream: {Of("(e)") / Of("(b)"):0.00}x (target <= 2)"));
if (withJs)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(b)/(c) Resilink vs js-libp2p:         {Of("(b)") / Of("(c)"):0.00}x (target >= 4)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(d)/(c) Resilink->js vs js->js:        {Of("(d)") / Of("(c)"):0.00}x"));
}
return 0;
