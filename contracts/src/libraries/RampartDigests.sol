// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @notice A rollup's state at one batch, as operators attest it. Field order and types are
/// the EIP-712 struct `Checkpoint(uint64 rollupId,uint64 batchIndex,uint64 l2BlockNumber,
/// bytes32 l2BlockHash,bytes32 stateRoot)` that operators sign (see docs/protocol.md).
struct Checkpoint {
    uint64 rollupId;
    uint64 batchIndex;
    uint64 l2BlockNumber;
    bytes32 l2BlockHash;
    bytes32 stateRoot;
}

/// @title RampartDigests
/// @notice EIP-712 digests of every message Rampart operators sign, bit-for-bit identical to the
/// Rust `rampart-primitives` crate (checked by cross-language fixtures), plus the BLS
/// hash-to-curve DSTs.
library RampartDigests {
    bytes32 internal constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 internal constant NAME_HASH = keccak256("Rampart");
    bytes32 internal constant VERSION_HASH = keccak256("1");

    bytes32 internal constant CHECKPOINT_TYPEHASH = keccak256(
        "Checkpoint(uint64 rollupId,uint64 batchIndex,uint64 l2BlockNumber,bytes32 l2BlockHash,bytes32 stateRoot)"
    );
    bytes32 internal constant KEY_REGISTRATION_TYPEHASH =
        keccak256("KeyRegistration(address operator,bytes pubkey)");

    /// @notice DST of attestation signatures (IETF BLS `POP` ciphersuite).
    bytes internal constant DST_SIGNATURE = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
    /// @notice DST of proofs of possession.
    bytes internal constant DST_POP = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

    /// @notice The domain separator for `verifyingContract` on the current chain.
    function domainSeparator(address verifyingContract) internal view returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, verifyingContract)
        );
    }

    /// @notice EIP-712 struct hash of a checkpoint.
    function hash(Checkpoint memory c) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                CHECKPOINT_TYPEHASH,
                c.rollupId,
                c.batchIndex,
                c.l2BlockNumber,
                c.l2BlockHash,
                c.stateRoot
            )
        );
    }

    /// @notice The digest an operator signs for `c`; `center` is the attestation center.
    function checkpointDigest(Checkpoint memory c, address center) internal view returns (bytes32) {
        return toTypedDataHash(domainSeparator(center), hash(c));
    }

    /// @notice The digest signed (with the PoP DST) to register `pubkey` (128-byte EIP-2537 G1)
    /// for `operator` at `registry`.
    function keyRegistrationDigest(address operator, bytes memory pubkey, address registry)
        internal
        view
        returns (bytes32)
    {
        bytes32 structHash =
            keccak256(abi.encode(KEY_REGISTRATION_TYPEHASH, operator, keccak256(pubkey)));
        return toTypedDataHash(domainSeparator(registry), structHash);
    }

    /// @notice `keccak256(0x1901 ‖ domainSeparator ‖ structHash)`.
    function toTypedDataHash(bytes32 separator, bytes32 structHash)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encodePacked(hex"1901", separator, structHash));
    }
}
