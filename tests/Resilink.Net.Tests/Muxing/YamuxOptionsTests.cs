using Resilink.Net.Muxing.Yamux;

namespace Resilink.Net.Tests.Muxing;

public sealed class YamuxOptionsTests
{
    [Fact]
    public void Validate_Defaults_DoesNotThrow() => new YamuxOptions().Validate();

    public static TheoryData<string, Action<YamuxOptions>> InvalidOptions() => new()
    {
        { nameof(YamuxOptions.InitialWindowSize), o => o.InitialWindowSize = 1024 },
        { nameof(YamuxOptions.MaxWindowSize), o => o.MaxWindowSize = YamuxOptions.SpecInitialWindowSize - 1 },
        { nameof(YamuxOptions.MaxFrameSize), o => o.MaxFrameSize = 0 },
        { nameof(YamuxOptions.MaxConcurrentStreams), o => o.MaxConcurrentStreams = 0 },
        { nameof(YamuxOptions.MaxPendingInboundStreams), o => o.MaxPendingInboundStreams = -1 },
        { nameof(YamuxOptions.KeepAliveInterval), o => o.KeepAliveInterval = TimeSpan.Zero },
        { nameof(YamuxOptions.PingTimeout), o => o.PingTimeout = TimeSpan.Zero },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_InvalidValue_ThrowsNamingOption(string option, Action<YamuxOptions> mutate)
    {
        var options = new YamuxOptions();
        mutate(options);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal(option, ex.ParamName);
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        using var transport = new MemoryStream();
        Assert.Throws<ArgumentOutOfRangeException>(() => new YamuxSession(transport, true, new YamuxOptions { MaxFrameSize = -5 }));
    }
}
