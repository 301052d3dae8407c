//! The EIP-2537 point encoding used by the BLS12-381 precompiles (0x0b–0x11).
//!
//! A base-field element is 64 bytes: 16 zero bytes then the 48-byte big-endian value, which must
//! be below the field modulus p. A G1 point is `x ‖ y` (128 bytes); a G2 point is
//! `x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1` (256 bytes), where an Fp2 element is `c0 + c1·u`. The identity is
//! all zeros. Note the Fp2 order differs from the ZCash serialization blst uses (`c1` first),
//! so the conversions here swap the halves.

use crate::{Error, Result};

/// Bytes of an EIP-2537 field element.
pub const FP_LEN: usize = 64;
/// Bytes of an EIP-2537 G1 point.
pub const G1_LEN: usize = 2 * FP_LEN;
/// Bytes of an EIP-2537 G2 point.
pub const G2_LEN: usize = 4 * FP_LEN;

/// The BLS12-381 base-field modulus p, big-endian.
pub const FIELD_MODULUS: [u8; 48] = [
    0x1a, 0x01, 0x11, 0xea, 0x39, 0x7f, 0xe6, 0x9a, 0x4b, 0x1b, 0xa7, 0xb6, 0x43, 0x4b, 0xac, 0xd7,
    0x64, 0x77, 0x4b, 0x84, 0xf3, 0x85, 0x12, 0xbf, 0x67, 0x30, 0xd2, 0xa0, 0xf6, 0xb0, 0xf6, 0x24,
    0x1e, 0xab, 0xff, 0xfe, 0xb1, 0x53, 0xff, 0xff, 0xb9, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xaa, 0xab,
];

const PAD: usize = FP_LEN - 48;

/// Decodes one 64-byte field element to its 48-byte big-endian value, checking the zero
/// padding and that the value is below p.
pub fn decode_fp(bytes: &[u8]) -> Result<[u8; 48]> {
    if bytes.len() != FP_LEN {
        return Err(Error::InvalidLength { expected: FP_LEN, got: bytes.len() });
    }
    if bytes[..PAD].iter().any(|&b| b != 0) {
        return Err(Error::InvalidEncoding);
    }
    let value: [u8; 48] = bytes[PAD..].try_into().expect("48 bytes after padding");
    // Big-endian byte arrays of equal length compare like the numbers they encode.
    if value >= FIELD_MODULUS {
        return Err(Error::InvalidEncoding);
    }
    Ok(value)
}

/// Encodes a 48-byte big-endian field element as 64 bytes.
pub fn encode_fp(value: &[u8]) -> [u8; FP_LEN] {
    let mut out = [0u8; FP_LEN];
    out[PAD..].copy_from_slice(value);
    out
}

fn check_len(bytes: &[u8], expected: usize) -> Result<()> {
    if bytes.len() == expected {
        Ok(())
    } else {
        Err(Error::InvalidLength { expected, got: bytes.len() })
    }
}

/// Converts an EIP-2537 G1 encoding to the 96-byte ZCash uncompressed form blst reads.
/// The identity (all zeros) is reported as [`Error::Infinity`].
pub(crate) fn g1_to_zcash(bytes: &[u8]) -> Result<[u8; 96]> {
    check_len(bytes, G1_LEN)?;
    if bytes.iter().all(|&b| b == 0) {
        return Err(Error::Infinity);
    }
    let mut out = [0u8; 96];
    out[..48].copy_from_slice(&decode_fp(&bytes[..FP_LEN])?);
    out[48..].copy_from_slice(&decode_fp(&bytes[FP_LEN..])?);
    Ok(out)
}

/// Converts blst's 96-byte ZCash uncompressed G1 form (not the identity) to EIP-2537.
pub(crate) fn g1_from_zcash(zcash: &[u8; 96]) -> [u8; G1_LEN] {
    let mut out = [0u8; G1_LEN];
    out[..FP_LEN].copy_from_slice(&encode_fp(&zcash[..48]));
    out[FP_LEN..].copy_from_slice(&encode_fp(&zcash[48..]));
    out
}

/// Converts an EIP-2537 G2 encoding to the 192-byte ZCash uncompressed form blst reads.
/// The identity (all zeros) is reported as [`Error::Infinity`].
pub(crate) fn g2_to_zcash(bytes: &[u8]) -> Result<[u8; 192]> {
    check_len(bytes, G2_LEN)?;
    if bytes.iter().all(|&b| b == 0) {
        return Err(Error::Infinity);
    }
    let mut out = [0u8; 192];
    // EIP-2537: x.c0 x.c1 y.c0 y.c1; ZCash: x.c1 x.c0 y.c1 y.c0.
    for (eip_index, zcash_index) in [(0, 1), (1, 0), (2, 3), (3, 2)] {
        let fp = decode_fp(&bytes[eip_index * FP_LEN..(eip_index + 1) * FP_LEN])?;
        out[zcash_index * 48..(zcash_index + 1) * 48].copy_from_slice(&fp);
    }
    Ok(out)
}

/// Converts blst's 192-byte ZCash uncompressed G2 form (not the identity) to EIP-2537.
pub(crate) fn g2_from_zcash(zcash: &[u8; 192]) -> [u8; G2_LEN] {
    let mut out = [0u8; G2_LEN];
    for (eip_index, zcash_index) in [(0, 1), (1, 0), (2, 3), (3, 2)] {
        out[eip_index * FP_LEN..(eip_index + 1) * FP_LEN]
            .copy_from_slice(&encode_fp(&zcash[zcash_index * 48..(zcash_index + 1) * 48]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_element_bounds() {
        let mut p = [0u8; FP_LEN];
        p[PAD..].copy_from_slice(&FIELD_MODULUS);
        assert_eq!(decode_fp(&p), Err(Error::InvalidEncoding), "p itself is out of range");
        let mut p_minus_one = p;
        p_minus_one[FP_LEN - 1] -= 1;
        assert_eq!(decode_fp(&p_minus_one).unwrap(), p_minus_one[PAD..]);
        let mut padded = p_minus_one;
        padded[0] = 1;
        assert_eq!(decode_fp(&padded), Err(Error::InvalidEncoding), "non-zero padding");
        assert!(matches!(decode_fp(&p[1..]), Err(Error::InvalidLength { .. })));
    }

    #[test]
    fn identity_is_infinity() {
        assert_eq!(g1_to_zcash(&[0u8; G1_LEN]), Err(Error::Infinity));
        assert_eq!(g2_to_zcash(&[0u8; G2_LEN]), Err(Error::Infinity));
    }
}
