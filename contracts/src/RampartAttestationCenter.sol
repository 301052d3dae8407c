// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {BLS12381} from "./bls/BLS12381.sol";
import {Checkpoint, RampartDigests} from "./libraries/RampartDigests.sol";
import {RampartOperatorRegistry} from "./RampartOperatorRegistry.sol";

/// @title RampartAttestationCenter
/// @notice Where rollups buy economic finality. Governance registers rollups (each served by
/// one operator set, fixed at registration); a rollup's batcher commits batches; anyone submits
/// a certificate — an aggregate BLS signature over a checkpoint by operators holding at least
/// the rollup's threshold of the set's stake at a recent reference block. The first valid
/// certificate per `(rollupId, batchIndex)` wins and is final.
///
/// Operators sign `RampartDigests.checkpointDigest(checkpoint, address(this))` with the
/// attestation DST.
contract RampartAttestationCenter is Ownable {
    using BLS12381 for BLS12381.G1Point;

    uint16 internal constant BPS = 10_000;

    /// @notice A rollup's configuration. The first four fields share one storage slot: they
    /// are all that certificates and batch commits read.
    struct Rollup {
        address batcher; // commits batches
        uint48 nextBatchIndex; // batches 0..nextBatchIndex-1 are committed
        uint32 operatorSetId;
        uint16 thresholdBps; // share of the set's stake that must sign, in basis points
        address owner; // the rollup team: may change the batcher
        uint256 equivocationWad; // share of an equivocator's slashable stake slashed (WAD)
    }

    /// @notice The registration parameters of a rollup.
    struct RollupParams {
        address owner;
        address batcher;
        uint32 operatorSetId;
        uint16 thresholdBps;
        uint256 equivocationWad;
    }

    /// @notice The operator registry whose stake and keys certificates are checked against.
    RampartOperatorRegistry public immutable registry;

    bytes32 internal immutable cachedDomainSeparator;
    uint256 internal immutable cachedChainId;

    /// @notice How old (in blocks) a certificate's reference block may be.
    uint32 public maxReferenceAge;

    /// @notice Number of registered rollups; ids are 1..rollupCount.
    uint64 public rollupCount;

    mapping(uint64 => Rollup) internal rollups;
    /// @notice Committed batch commitments by rollup and batch index.
    mapping(uint64 => mapping(uint64 => bytes32)) public batchCommitment;
    /// @notice Per `(rollupId, batchIndex)`: the `certificateHash` of the certificate that won,
    /// or zero.
    mapping(uint64 => mapping(uint64 => bytes32)) public certificateCommitment;
    /// @dev The L1 block of every commit, eight 32-bit lanes per slot (lane `batchIndex % 8` of
    /// word `batchIndex / 8`): seven commits in eight update a non-zero slot (5,000 gas) instead
    /// of filling a new one (22,100). Read with `batchCommitBlock`.
    mapping(uint64 => mapping(uint256 => uint256)) internal commitBlocks;

    /// @notice A rollup was registered.
    event RollupRegistered(uint64 indexed rollupId, RollupParams params);
    /// @notice A rollup's batcher changed.
    event BatcherUpdated(uint64 indexed rollupId, address batcher);
    /// @notice The certificate reference-age window changed.
    event MaxReferenceAgeUpdated(uint32 maxReferenceAge);
    /// @notice A batch was committed on L1. `l2BlockNumber` is the batch's last L2 block: the
    /// block whose state operators attest (for EVM rollups, read from their own L2 node).
    event BatchCommitted(
        uint64 indexed rollupId, uint64 indexed batchIndex, uint64 l2BlockNumber, bytes32 commitment
    );
    /// @notice A certificate was accepted. Carries everything a watcher needs to check it and to
    /// build slashing evidence against its signers.
    event CertificateSubmitted(
        uint64 indexed rollupId,
        uint64 indexed batchIndex,
        Checkpoint checkpoint,
        uint32 referenceBlock,
        bytes32[] nonSignerKeyHashes,
        uint96 signedStake,
        uint96 totalStake,
        address submitter
    );

    error UnknownRollup(uint64 rollupId);
    error InvalidRollupParams();
    error OnlyRollupOwner();
    error OnlyBatcher();
    error BatchOutOfOrder(uint64 expected);
    error BatchNotCommitted(uint64 batchIndex);
    error ReferenceBlockNotInPast(uint32 referenceBlock);
    error ReferenceBlockTooOld(uint32 referenceBlock);
    error AlreadyCertified(uint64 rollupId, uint64 batchIndex);
    error InsufficientSignedStake(uint96 signedStake, uint96 totalStake);
    error InvalidSignature();

    /// @param registry_ The operator registry.
    /// @param owner_ Governance (registers rollups).
    /// @param maxReferenceAge_ Maximum age of a certificate's reference block, in blocks.
    constructor(RampartOperatorRegistry registry_, address owner_, uint32 maxReferenceAge_) {
        registry = registry_;
        maxReferenceAge = maxReferenceAge_;
        cachedChainId = block.chainid;
        cachedDomainSeparator = RampartDigests.domainSeparator(address(this));
        _transferOwnership(owner_);
    }

    // ---------------------------------------------------------------- rollups

    /// @notice Registers a rollup and returns its id.
    function registerRollup(RollupParams calldata params) external onlyOwner returns (uint64 id) {
        if (
            params.owner == address(0) || params.batcher == address(0) || params.thresholdBps == 0
                || params.thresholdBps > BPS || params.equivocationWad == 0
                || params.equivocationWad > 1e18
        ) revert InvalidRollupParams();
        id = ++rollupCount;
        rollups[id] = Rollup(
            params.batcher,
            0,
            params.operatorSetId,
            params.thresholdBps,
            params.owner,
            params.equivocationWad
        );
        emit RollupRegistered(id, params);
    }

    /// @notice The rollup's owner changes its batcher.
    function setBatcher(uint64 rollupId, address batcher) external {
        Rollup storage rollup_ = _rollup(rollupId);
        if (msg.sender != rollup_.owner) revert OnlyRollupOwner();
        rollup_.batcher = batcher;
        emit BatcherUpdated(rollupId, batcher);
    }

    /// @notice Governance sets the reference-block window of certificates.
    function setMaxReferenceAge(uint32 maxReferenceAge_) external onlyOwner {
        maxReferenceAge = maxReferenceAge_;
        emit MaxReferenceAgeUpdated(maxReferenceAge_);
    }

    /// @notice The rollup's configuration.
    function rollup(uint64 rollupId) external view returns (Rollup memory) {
        return _rollup(rollupId);
    }

    /// @notice The batcher commits the next batch of its rollup, ending at L2 block
    /// `l2BlockNumber`.
    function commitBatch(
        uint64 rollupId,
        uint64 batchIndex,
        uint64 l2BlockNumber,
        bytes32 commitment
    ) external {
        Rollup storage rollup_ = _rollup(rollupId);
        if (msg.sender != rollup_.batcher) revert OnlyBatcher();
        if (batchIndex != rollup_.nextBatchIndex) revert BatchOutOfOrder(rollup_.nextBatchIndex);
        // batchIndex == nextBatchIndex < 2^48, so batchIndex + 1 <= 2^48: fits unless the rollup
        // commits 2^48 batches, which would revert on the next commit's comparison anyway.
        // forge-lint: disable-next-line(unsafe-typecast)
        rollup_.nextBatchIndex = uint48(batchIndex + 1);
        batchCommitment[rollupId][batchIndex] = commitment;
        // Block numbers fit 32 bits for the next ~1,600 years of 12-second blocks (EigenLayer
        // and the registry count blocks in uint32 too). Each lane is written once: batches are
        // committed in order.
        uint256 lane = (batchIndex & 7) << 5;
        commitBlocks[rollupId][batchIndex >> 3] |= uint256(uint32(block.number)) << lane;
        emit BatchCommitted(rollupId, batchIndex, l2BlockNumber, commitment);
    }

    /// @notice The L1 block in which batch `batchIndex` of `rollupId` was committed; 0 if it
    /// is not committed.
    function batchCommitBlock(uint64 rollupId, uint64 batchIndex) external view returns (uint64) {
        return uint32(commitBlocks[rollupId][batchIndex >> 3] >> ((batchIndex & 7) << 5));
    }

    // ---------------------------------------------------------------- certificates

    /// @notice The digest operators sign for `checkpoint`.
    function checkpointDigest(Checkpoint calldata checkpoint) external view returns (bytes32) {
        return RampartDigests.toTypedDataHash(domainSeparator(), RampartDigests.hash(checkpoint));
    }

    /// @notice This contract's EIP-712 domain separator (recomputed after a chain split).
    function domainSeparator() public view returns (bytes32) {
        return block.chainid == cachedChainId
            ? cachedDomainSeparator
            : RampartDigests.domainSeparator(address(this));
    }

    /// @notice Submits a certificate for a committed batch: `aggregateSignature` is the sum of
    /// the signatures of every operator registered in the rollup's set at `referenceBlock`
    /// except `nonSignerPubkeys` (sorted ascending by key hash, no duplicates).
    function submitCertificate(
        Checkpoint calldata checkpoint,
        uint32 referenceBlock,
        BLS12381.G1Point[] calldata nonSignerPubkeys,
        BLS12381.G2Point calldata aggregateSignature
    ) external {
        Rollup storage rollup_ = _rollup(checkpoint.rollupId);
        if (checkpoint.batchIndex >= rollup_.nextBatchIndex) {
            revert BatchNotCommitted(checkpoint.batchIndex);
        }
        if (certificateCommitment[checkpoint.rollupId][checkpoint.batchIndex] != bytes32(0)) {
            revert AlreadyCertified(checkpoint.rollupId, checkpoint.batchIndex);
        }
        if (referenceBlock >= block.number) revert ReferenceBlockNotInPast(referenceBlock);
        if (block.number - referenceBlock > maxReferenceAge) {
            revert ReferenceBlockTooOld(referenceBlock);
        }

        RampartOperatorRegistry.SignedStake memory s =
            registry.signedStakeAt(rollup_.operatorSetId, referenceBlock, nonSignerPubkeys);
        if (
            s.totalStake == 0
                || uint256(s.signedStake) * BPS < uint256(s.totalStake) * rollup_.thresholdBps
        ) revert InsufficientSignedStake(s.signedStake, s.totalStake);

        bytes32 structHash = RampartDigests.hash(checkpoint);
        bytes32 digest = RampartDigests.toTypedDataHash(
            RampartDigests.domainSeparator(address(this)), structHash
        );
        BLS12381.G2Point memory hashed =
            BLS12381.hashToG2(abi.encodePacked(digest), RampartDigests.DST_SIGNATURE);
        if (!BLS12381.verify(s.signersApk, aggregateSignature, hashed)) revert InvalidSignature();

        certificateCommitment[checkpoint.rollupId][checkpoint.batchIndex] =
            certificateHash(structHash, referenceBlock, s.nonSignerKeyHashes);
        emit CertificateSubmitted(
            checkpoint.rollupId,
            checkpoint.batchIndex,
            checkpoint,
            referenceBlock,
            s.nonSignerKeyHashes,
            s.signedStake,
            s.totalStake,
            msg.sender
        );
    }

    /// @notice The commitment stored for a certificate: binds the checkpoint, the reference
    /// block and the exact non-signer set (slashing evidence is checked against it).
    function certificateHash(
        bytes32 checkpointStructHash,
        uint32 referenceBlock,
        bytes32[] memory nonSignerKeyHashes
    ) public pure returns (bytes32) {
        return keccak256(
            abi.encode(
                checkpointStructHash,
                referenceBlock,
                keccak256(abi.encodePacked(nonSignerKeyHashes))
            )
        );
    }

    function _rollup(uint64 rollupId) internal view returns (Rollup storage rollup_) {
        rollup_ = rollups[rollupId];
        if (rollup_.thresholdBps == 0) revert UnknownRollup(rollupId);
    }
}
