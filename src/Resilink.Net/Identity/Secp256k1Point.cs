using System.Numerics;

namespace Resilink.Net.Identity;

/// <summary>
/// Minimal secp256k1 point handling: decodes the compressed (33-byte) or uncompressed (65-byte)
/// SEC1 encoding used by libp2p into affine X/Y coordinates so the BCL ECDSA can verify with it.
/// </summary>
internal static class Secp256k1Point
{
    /// <summary>OID of the secp256k1 named curve.</summary>
    public const string CurveOid = "1.3.132.0.10";

    private static readonly BigInteger P = BigInteger.Parse(
        "0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F",
        System.Globalization.NumberStyles.HexNumber,
        System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Decodes a SEC1 point; returns false when it is malformed or not on the curve.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, out byte[] x, out byte[] y)
    {
        x = [];
        y = [];
        if (encoded.Length == 33 && (encoded[0] == 0x02 || encoded[0] == 0x03))
        {
            var bx = new BigInteger(encoded[1..], isUnsigned: true, isBigEndian: true);
            if (bx >= P)
            {
                return false;
            }
            var rhs = (BigInteger.ModPow(bx, 3, P) + 7) % P;
            // p ≡ 3 (mod 4), so a square root is rhs^((p+1)/4).
            var by = BigInteger.ModPow(rhs, (P + 1) / 4, P);
            if (BigInteger.ModPow(by, 2, P) != rhs)
            {
                return false;
            }
            var wantOdd = encoded[0] == 0x03;
            if (!by.IsEven != wantOdd)
            {
                by = P - by;
            }
            x = encoded[1..].ToArray();
            y = ToFixed32(by);
            return true;
        }
        if (encoded.Length == 65 && encoded[0] == 0x04)
        {
            var bx = new BigInteger(encoded[1..33], isUnsigned: true, isBigEndian: true);
            var by = new BigInteger(encoded[33..], isUnsigned: true, isBigEndian: true);
            if (bx >= P || by >= P)
            {
                return false;
            }
            var rhs = (BigInteger.ModPow(bx, 3, P) + 7) % P;
            if (BigInteger.ModPow(by, 2, P) != rhs)
            {
                return false;
            }
            x = encoded[1..33].ToArray();
            y = encoded[33..].ToArray();
            return true;
        }
        return false;
    }

    private static byte[] ToFixed32(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (bytes.Length == 32)
        {
            return bytes;
        }
        var result = new byte[32];
        bytes.CopyTo(result, 32 - bytes.Length);
        return result;
    }
}
