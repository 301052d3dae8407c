//! The registration `data` the Rampart registry decodes, and BLS keys in the registry's form.

use alloy::primitives::{Address, Bytes, U256};
use alloy::sol_types::SolValue;
use rampart_contracts::operator_registry::BLS12381;
use rampart_crypto::{PublicKey, SecretKey};
use rampart_primitives::{Domain, KeyRegistration};

alloy::sol! {
    /// A G1 point in EIP-2537 layout, as four 32-byte words (`BLS12381.G1Point`).
    struct G1Words { uint256 xA; uint256 xB; uint256 yA; uint256 yB; }
    /// A G2 point in EIP-2537 layout, as eight 32-byte words (`BLS12381.G2Point`).
    struct G2Words {
        uint256 x0A; uint256 x0B; uint256 x1A; uint256 x1B;
        uint256 y0A; uint256 y0B; uint256 y1A; uint256 y1B;
    }
}

fn words<const N: usize>(bytes: &[u8]) -> [U256; N] {
    std::array::from_fn(|i| U256::from_be_slice(&bytes[32 * i..32 * (i + 1)]))
}

/// `abi.encode(G1Point pubkey, G2Point pop, string socket)` for `operator`: the key, its proof
/// of possession under the registry's EIP-712 domain, and the socket.
pub(crate) fn registration_data(
    sk: &SecretKey,
    operator: Address,
    chain_id: u64,
    registry: Address,
    socket: &str,
) -> Bytes {
    let pubkey = sk.public_key();
    let pop = KeyRegistration { operator, pubkey }.prove(sk, &Domain::new(chain_id, registry));
    let p = words::<4>(&pubkey.to_eip2537());
    let s = words::<8>(&pop.signature.to_eip2537());
    let g1 = G1Words { xA: p[0], xB: p[1], yA: p[2], yB: p[3] };
    let g2 = G2Words {
        x0A: s[0],
        x0B: s[1],
        x1A: s[2],
        x1B: s[3],
        y0A: s[4],
        y0B: s[5],
        y1A: s[6],
        y1B: s[7],
    };
    (g1, g2, socket.to_string()).abi_encode_params().into()
}

/// The registry's stored key as a validated public key (`None` for the all-zero "no key").
pub(crate) fn registry_key(point: &BLS12381::G1Point) -> Option<PublicKey> {
    let mut bytes = [0u8; 128];
    for (i, word) in [point.xA, point.xB, point.yA, point.yB].iter().enumerate() {
        bytes[32 * i..32 * (i + 1)].copy_from_slice(&word.to_be_bytes::<32>());
    }
    PublicKey::from_eip2537(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_the_precompile_encoding_then_the_socket() {
        let sk = SecretKey::key_gen(&[7u8; 32]).unwrap();
        let operator = Address::repeat_byte(0x11);
        let registry = Address::repeat_byte(0x22);
        let data = registration_data(&sk, operator, 31337, registry, "host:1");
        let pubkey = sk.public_key();
        assert_eq!(&data[..128], &pubkey.to_eip2537()[..]);
        let pop = KeyRegistration { operator, pubkey }.prove(&sk, &Domain::new(31337, registry));
        assert_eq!(&data[128..384], &pop.signature.to_eip2537()[..]);
        assert_eq!(U256::from_be_slice(&data[384..416]), U256::from(416));
        assert_eq!(U256::from_be_slice(&data[416..448]), U256::from(6));
        assert_eq!(&data[448..454], b"host:1");
        assert_eq!(data.len(), 480);

        let w = words::<4>(&pubkey.to_eip2537());
        let point = BLS12381::G1Point { xA: w[0], xB: w[1], yA: w[2], yB: w[3] };
        assert_eq!(registry_key(&point), Some(pubkey));
        let zero = U256::ZERO;
        assert_eq!(
            registry_key(&BLS12381::G1Point { xA: zero, xB: zero, yA: zero, yB: zero }),
            None
        );
    }
}
