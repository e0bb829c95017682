namespace Resilink.Net.Identity;

/// <summary>
/// The libp2p key types, with the numeric values of the <c>KeyType</c> protobuf enum of the peer-ids spec.
/// </summary>
public enum KeyType
{
    /// <summary>RSA; public key is DER-encoded PKIX, signatures are PKCS#1 v1.5 over SHA-256.</summary>
    Rsa = 0,

    /// <summary>Ed25519; public key is the raw 32-byte key.</summary>
    Ed25519 = 1,

    /// <summary>secp256k1; public key is the compressed (33-byte) Bitcoin encoding, signatures are DER ECDSA over SHA-256.</summary>
    Secp256k1 = 2,

    /// <summary>ECDSA (NIST curves); public key is DER-encoded PKIX, signatures are DER ECDSA over SHA-256.</summary>
    Ecdsa = 3,
}
