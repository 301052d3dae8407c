//! Hash to G2 (RFC 9380, `BLS12381G2_XMD:SHA-256_SSWU_RO_`).

use crate::eip2537;

/// Hashes `msg` to a G2 point with domain-separation tag `dst` and returns it in the 256-byte
/// EIP-2537 encoding — the value an on-chain hash-to-curve must reproduce.
#[allow(unsafe_code)]
pub fn hash_to_g2(msg: &[u8], dst: &[u8]) -> [u8; eip2537::G2_LEN] {
    let mut point = blst::blst_p2::default();
    let mut affine = blst::blst_p2_affine::default();
    let mut zcash = [0u8; 192];
    // SAFETY: every pointer is to a live, correctly sized value owned by this frame; blst reads
    // `msg`/`dst` within the lengths given and writes only the output structs/buffer.
    unsafe {
        blst::blst_hash_to_g2(
            &mut point,
            msg.as_ptr(),
            msg.len(),
            dst.as_ptr(),
            dst.len(),
            std::ptr::null(),
            0,
        );
        blst::blst_p2_to_affine(&mut affine, &point);
        blst::blst_p2_affine_serialize(zcash.as_mut_ptr(), &affine);
    }
    eip2537::g2_from_zcash(&zcash)
}
