namespace Resilink.Net.Addressing;

/// <summary>One <c>/protocol/value</c> pair of a <see cref="Multiaddr"/>.</summary>
public sealed class MultiaddrComponent : IEquatable<MultiaddrComponent>
{
    internal MultiaddrComponent(MultiaddrProtocol protocol, ReadOnlyMemory<byte> value, string? valueText)
    {
        Protocol = protocol;
        Value = value;
        ValueText = valueText;
    }

    /// <summary>The protocol.</summary>
    public MultiaddrProtocol Protocol { get; }

    /// <summary>The binary value (empty for protocols without a value).</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>The canonical text of the value, or <see langword="null"/> for protocols without a value.</summary>
    public string? ValueText { get; }

    /// <inheritdoc />
    public bool Equals(MultiaddrComponent? other) =>
        other is not null
        && ReferenceEquals(Protocol, other.Protocol)
        && Value.Span.SequenceEqual(other.Value.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MultiaddrComponent);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Protocol.Code);
        hash.AddBytes(Value.Span);
        return hash.ToHashCode();
    }

    /// <summary>Text form, e.g. <c>/tcp/4001</c>.</summary>
    public override string ToString() =>
        ValueText is null ? "/" + Protocol.Name : "/" + Protocol.Name + "/" + ValueText;
}
