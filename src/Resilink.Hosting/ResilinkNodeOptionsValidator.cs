using Microsoft.Extensions.Options;
using Resilink.Net.Addressing;

namespace Resilink.Hosting;

/// <summary>
/// Refuses <see cref="ResilinkNodeOptions"/> that cannot work when the application starts, naming each problem,
/// rather than letting the node fail later in the background (a peer address without <c>/p2p/&lt;id&gt;</c> or one
/// that does not parse used to stop the application from the dialing loop with an unrelated error).
/// </summary>
internal sealed class ResilinkNodeOptionsValidator : IValidateOptions<ResilinkNodeOptions>
{
    public ValidateOptionsResult Validate(string? name, ResilinkNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var address in options.ListenAddresses)
        {
            if (!Multiaddr.TryParse(address, out _))
            {
                errors.Add($"{nameof(ResilinkNodeOptions.ListenAddresses)}: '{address}' is not a multiaddr.");
            }
        }
        foreach (var peer in options.Peers)
        {
            if (!Multiaddr.TryParse(peer, out var address) || address.PeerIdBytes is null)
            {
                errors.Add($"{nameof(ResilinkNodeOptions.Peers)}: '{peer}' is not a multiaddr ending in /p2p/<peer id>.");
            }
        }
        if (options.PeerRetryInterval <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(ResilinkNodeOptions.PeerRetryInterval)} must be positive (was {options.PeerRetryInterval}).");
        }
        ValidateIdentity(options, errors);
        if (options.Host is null)
        {
            errors.Add($"{nameof(ResilinkNodeOptions.Host)} must not be null.");
        }
        else
        {
            try
            {
                options.Host.Validate();
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{nameof(ResilinkNodeOptions.Host)}: {ex.Message}");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateIdentity(ResilinkNodeOptions options, List<string> errors)
    {
        if (options.Identity is null)
        {
            errors.Add($"{nameof(ResilinkNodeOptions.Identity)} must not be null.");
            return;
        }
        if (options.Identity.KeyFile is not { } keyFile)
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(keyFile) || keyFile.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add($"{nameof(ResilinkNodeOptions.Identity)}:{nameof(ResilinkIdentityOptions.KeyFile)} must name a file (was '{keyFile}').");
        }
        else if (Directory.Exists(keyFile))
        {
            errors.Add($"{nameof(ResilinkNodeOptions.Identity)}:{nameof(ResilinkIdentityOptions.KeyFile)} '{keyFile}' is a folder, not a key file.");
        }
        if (options.Host?.Identity is not null)
        {
            errors.Add($"Set {nameof(ResilinkNodeOptions.Identity)}:{nameof(ResilinkIdentityOptions.KeyFile)} or {nameof(ResilinkNodeOptions.Host)}.{nameof(ResilinkNodeOptions.Host.Identity)}, not both.");
        }
    }
}
