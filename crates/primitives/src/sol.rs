//! The Solidity-side shapes of the signed structs, hashed with alloy's EIP-712 support.

use alloy_sol_types::sol;

sol! {
    /// EIP-712 struct of a checkpoint.
    struct Checkpoint {
        uint64 rollupId;
        uint64 batchIndex;
        uint64 l2BlockNumber;
        bytes32 l2BlockHash;
        bytes32 stateRoot;
    }

    /// EIP-712 struct of a key registration (pubkey: EIP-2537 G1 encoding).
    struct KeyRegistration {
        address operator;
        bytes pubkey;
    }
}

/// The EIP-712 type string of a checkpoint (its keccak256 is the typehash).
pub const CHECKPOINT_TYPE: &str = "Checkpoint(uint64 rollupId,uint64 batchIndex,uint64 l2BlockNumber,bytes32 l2BlockHash,bytes32 stateRoot)";

/// The EIP-712 type string of a key registration.
pub const KEY_REGISTRATION_TYPE: &str = "KeyRegistration(address operator,bytes pubkey)";

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_sol_types::SolStruct;

    #[test]
    fn type_strings_match_the_structs() {
        assert_eq!(Checkpoint::eip712_encode_type(), CHECKPOINT_TYPE);
        assert_eq!(KeyRegistration::eip712_encode_type(), KEY_REGISTRATION_TYPE);
    }
}
