//! The bindings agree with the Rust protocol types: ABI encodings of shared structs and the
//! registration `data` layout the registry decodes.

use alloy_primitives::B256;
use alloy_sol_types::SolValue;
use rampart_contracts::{
    RampartAttestationCenter, RampartOperatorRegistry, RampartProofCenter, eigenlayer_core_bytecode,
};
use rampart_crypto::SecretKey;

#[test]
fn artifacts_carry_bytecode() {
    assert!(RampartOperatorRegistry::BYTECODE.len() > 1000);
    assert!(RampartAttestationCenter::BYTECODE.len() > 1000);
    assert!(RampartProofCenter::BYTECODE.len() > 1000);
    for name in [
        "AllocationManager",
        "DelegationManager",
        "StrategyManager",
        "PermissionController",
        "AVSDirectory",
        "EigenPodManager",
        "EigenPod",
    ] {
        assert!(eigenlayer_core_bytecode(name).is_some_and(|b| b.len() > 1000), "{name}");
    }
}

#[test]
fn g1_point_layout_is_eip2537() {
    let pk = SecretKey::key_gen(&[9u8; 32]).unwrap().public_key();
    let raw = pk.to_eip2537();
    let word = |i: usize| alloy_primitives::U256::from_be_slice(&raw[32 * i..32 * (i + 1)]);
    let point = rampart_contracts::operator_registry::BLS12381::G1Point {
        xA: word(0),
        xB: word(1),
        yA: word(2),
        yB: word(3),
    };
    // abi.encode of the struct is exactly the 128-byte precompile encoding.
    assert_eq!(point.abi_encode(), raw.to_vec());
}

#[test]
fn checkpoint_struct_matches_primitives() {
    let c = rampart_contracts::attestation_center::RampartAttestationCenter::Checkpoint {
        rollupId: 1,
        batchIndex: 2,
        l2BlockNumber: 3,
        l2BlockHash: B256::repeat_byte(4),
        stateRoot: B256::repeat_byte(5),
    };
    let ours = rampart_primitives::Checkpoint {
        rollup_id: rampart_primitives::RollupId(1),
        batch_index: 2,
        l2_block_number: 3,
        l2_block_hash: B256::repeat_byte(4),
        state_root: B256::repeat_byte(5),
    };
    // EIP-712 struct hash = keccak(typehash ‖ abi.encode(fields)).
    let typehash = alloy_primitives::keccak256(rampart_primitives::CHECKPOINT_TYPE);
    let mut buf = typehash.to_vec();
    buf.extend(c.abi_encode());
    assert_eq!(alloy_primitives::keccak256(buf), ours.struct_hash());
}

#[test]
fn verifying_key_and_proof_words_keep_their_order() {
    use alloy_primitives::U256;
    use alloy_sol_types::SolCall;
    use rampart_contracts::proof_center::{Groth16, RampartProofCenter::submitProofCall};

    // Key words 0..21 in the order of `SolidityVerifyingKey` (G2 imaginary part first).
    let w = |i: u64| U256::from(i);
    let vk = Groth16::VerifyingKey {
        alpha: [w(0), w(1)],
        beta: [w(2), w(3), w(4), w(5)],
        gamma: [w(6), w(7), w(8), w(9)],
        delta: [w(10), w(11), w(12), w(13)],
        ic: [[w(14), w(15)], [w(16), w(17)], [w(18), w(19)], [w(20), w(21)]],
    };
    let expected: Vec<u8> = (0..22).flat_map(|i| w(i).to_be_bytes::<32>()).collect();
    assert_eq!(vk.abi_encode(), expected);

    // The proof is eight words in calldata, as `SolidityProof::to_words` orders them.
    let proof: [U256; 8] = std::array::from_fn(|i| w(100 + i as u64));
    let call =
        submitProofCall { rollupId: 1, batchIndex: 2, newStateRoot: B256::repeat_byte(3), proof };
    let data = call.abi_encode();
    let words: Vec<u8> = proof.iter().flat_map(|x| x.to_be_bytes::<32>()).collect();
    assert_eq!(&data[4 + 3 * 32..], &words[..]);
}
