//! The registration `data` the Rampart registry decodes, and BLS keys in the registry's form.

use alloy::primitives::{Address, Bytes};
use alloy::sol_types::SolValue;
use rampart_contracts::operator_registry::BLS12381;
use rampart_crypto::{PublicKey, SecretKey};
use rampart_primitives::{Domain, KeyRegistration};

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
    let g1 = BLS12381::G1Point::from(&pubkey);
    // Any module's `G2Point` has the layout the registry decodes.
    let g2 = rampart_contracts::attestation_center::BLS12381::G2Point::from(&pop.signature);
    (g1, g2, socket.to_string()).abi_encode_params().into()
}

/// The registry's stored key as a validated public key (`None` for the all-zero "no key").
pub(crate) fn registry_key(point: &BLS12381::G1Point) -> Option<PublicKey> {
    point.to_public_key()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::primitives::U256;

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

        let point = BLS12381::G1Point::from(&pubkey);
        assert_eq!(registry_key(&point), Some(pubkey));
        let zero = U256::ZERO;
        assert_eq!(
            registry_key(&BLS12381::G1Point { xA: zero, xB: zero, yA: zero, yB: zero }),
            None
        );
    }
}
