// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Groth16} from "./libraries/Groth16.sol";
import {RampartAttestationCenter} from "./RampartAttestationCenter.sol";
import {RampartOperatorRegistry} from "./RampartOperatorRegistry.sol";

/// @title RampartProofCenter
/// @notice Cryptographic finality for rollups: Groth16/BN254 validity proofs of each committed
/// batch, chained from a genesis root, and the proving jobs that say who must prove each batch.
///
/// Governance (the attestation center's owner) gives a rollup a proof configuration once,
/// before its first batch commit: verifying key, genesis state root, proving window and the
/// slashing shares for a missed proof and a contradicted certificate. Rollups without one
/// (EVM rollups served attestation-only) have no proving jobs.
///
/// Every committed batch of a configured rollup is a proving job. Its prover is one member of
/// the rollup's operator set, drawn with `seed = keccak256(abi.encode(blockhash(commitBlock +
/// 1), rollupId, batchIndex))` as `members[seed % memberCount]` over the set's members when the
/// draw is stored: nobody knows the block hash of the block after the commit before the commit
/// is in a block, so the prover cannot be predicted (or ground by the batcher) in advance. The
/// draw can be stored (`assignJob`, or by the first `submitProof`) from block `commitBlock + 2`
/// while that block hash is available (256 blocks). Until the deadline `commitBlock +
/// provingWindow` only the drawn prover may submit; after it (or when no draw can be made any
/// more) any member of the set may.
///
/// A proof of batch `i` has the public inputs `(prevStateRoot, newStateRoot, batchCommitment)`
/// where `prevStateRoot` is the proven root of batch `i − 1` (the genesis root for batch 0) and
/// `batchCommitment` is the commitment the batcher committed: proofs are bound to canonical
/// batch data and chain, so batches are proven in order and nobody can prove an arbitrary root.
/// A batcher of a proven rollup must therefore commit field elements (< r); a commitment ≥ r
/// cannot be proven.
contract RampartProofCenter {
    uint256 internal constant WAD = 1e18;

    /// @notice A rollup's proof configuration, as governance registers it.
    struct ProofParams {
        Groth16.VerifyingKey verifyingKey;
        bytes32 genesisStateRoot; // the state before batch 0; < r
        uint32 provingWindow; // blocks from a batch commit to its proving deadline; > 0
        uint64 missedProofWad; // share slashed from a prover that misses its job (≤ 1e18)
        uint64 contradictionWad; // share slashed from a signer of a contradicted root (≤ 1e18)
    }

    /// @notice A rollup's stored proof configuration and proving progress. The first three
    /// fields share one slot, the next three another.
    struct ProofConfig {
        address verifyingKey; // the contract holding the key (Groth16.store); 0: not configured
        uint32 operatorSetId; // the rollup's set (fixed at rollup registration)
        uint32 provingWindow;
        uint64 provenBatches; // batches 0..provenBatches-1 are proven
        uint64 missedProofWad;
        uint64 contradictionWad;
        bytes32 genesisStateRoot;
    }

    /// @notice A proving job as `job` reports it.
    struct JobInfo {
        address prover; // the drawn prover; 0 while no draw can be made
        bool assignmentStored; // false: `prover` is the draw as `assignJob` would store it now
        uint64 commitBlock; // L1 block of the batch commit
        uint64 deadline; // commitBlock + provingWindow: the prover's exclusive window ends here
        bool proven;
        bytes32 provenRoot; // the proven new state root (valid when `proven`)
        uint64 provenBlock; // L1 block of the proof; 0 while unproven
    }

    /// @dev Per batch: the stored draw and the proof's block share a slot; the root has its own.
    struct Job {
        address prover;
        uint64 provenBlock;
        bytes32 provenRoot;
    }

    /// @notice Where rollups, their owner (governance) and batch commits live.
    RampartAttestationCenter public immutable center;
    /// @notice Where operator-set members come from.
    RampartOperatorRegistry public immutable registry;

    mapping(uint64 => ProofConfig) internal configs;
    mapping(uint64 => mapping(uint64 => Job)) internal jobs;

    /// @notice A rollup got its proof configuration; `verifyingKey` is the key contract.
    event ProofConfigRegistered(
        uint64 indexed rollupId,
        address verifyingKey,
        uint32 operatorSetId,
        bytes32 genesisStateRoot,
        uint32 provingWindow,
        uint64 missedProofWad,
        uint64 contradictionWad
    );
    /// @notice The prover of a batch was drawn and stored.
    event JobAssigned(
        uint64 indexed rollupId, uint64 indexed batchIndex, address indexed prover, uint64 deadline
    );
    /// @notice A batch was proven: its state moved from `prevStateRoot` to `newStateRoot`.
    /// `prover` submitted the proof; `assignedProver` is the drawn prover (0 if none could be
    /// drawn).
    event ProofSubmitted(
        uint64 indexed rollupId,
        uint64 indexed batchIndex,
        bytes32 prevStateRoot,
        bytes32 newStateRoot,
        address indexed prover,
        address assignedProver,
        bytes32 batchCommitment
    );

    /// @notice Only the attestation center's owner registers proof configurations.
    error OnlyGovernance();
    /// @notice The rollup already has a proof configuration (it is fixed once registered).
    error AlreadyConfigured(uint64 rollupId);
    /// @notice The rollup has committed batches: its key must be fixed from its first batch.
    error RollupAlreadyStarted(uint64 rollupId);
    /// @notice The proving window must be at least one block.
    error InvalidProvingWindow();
    /// @notice A slashing share above 1e18 (100%).
    error InvalidWad();
    /// @notice The genesis state root is not a BN254 scalar-field element.
    error GenesisRootNotInField();
    /// @notice The rollup has no proof configuration, hence no proving jobs.
    error NoProofConfig(uint64 rollupId);
    /// @notice The batch is not committed.
    error BatchNotCommitted(uint64 rollupId, uint64 batchIndex);
    /// @notice The prover is drawn from the hash of block `firstBlock − 1`, known from
    /// `firstBlock` on.
    error AssignmentNotYetDeterminable(uint64 firstBlock);
    /// @notice The block hash the draw needs is older than 256 blocks: no prover can be drawn.
    error AssignmentExpired(uint64 rollupId, uint64 batchIndex);
    /// @notice The operator set has no members to draw from.
    error NoMembers(uint32 operatorSetId);
    /// @notice The batch is proven already.
    error AlreadyProven(uint64 rollupId, uint64 batchIndex);
    /// @notice Batch `batchIndex` must be proven first (proofs chain from its root).
    error PreviousBatchNotProven(uint64 rollupId, uint64 batchIndex);
    /// @notice Before the deadline only the drawn prover may submit.
    error NotAssignedProver(address assignedProver);
    /// @notice Only members of the rollup's operator set may submit.
    error NotSetMember(address account);
    /// @notice The pairing check failed.
    error InvalidProof();
    /// @notice The batch is not proven.
    error NotProven(uint64 rollupId, uint64 batchIndex);

    /// @param center_ The attestation center (its registry is used too).
    constructor(RampartAttestationCenter center_) {
        center = center_;
        registry = center_.registry();
    }

    // ---------------------------------------------------------------- configuration

    /// @notice Governance gives `rollupId` its proof configuration, before the rollup's first
    /// batch commit. The verifying key is checked (coordinates, curve and subgroup membership)
    /// and written into a new key contract, whose address is returned.
    function registerProofConfig(uint64 rollupId, ProofParams calldata params)
        external
        returns (address key)
    {
        if (msg.sender != center.owner()) revert OnlyGovernance();
        if (configs[rollupId].verifyingKey != address(0)) revert AlreadyConfigured(rollupId);
        RampartAttestationCenter.Rollup memory rollup_ = center.rollup(rollupId);
        if (rollup_.nextBatchIndex != 0) revert RollupAlreadyStarted(rollupId);
        if (params.provingWindow == 0) revert InvalidProvingWindow();
        if (params.missedProofWad > WAD || params.contradictionWad > WAD) revert InvalidWad();
        if (uint256(params.genesisStateRoot) >= Groth16.R) revert GenesisRootNotInField();
        key = Groth16.store(params.verifyingKey);
        configs[rollupId] = ProofConfig(
            key,
            rollup_.operatorSetId,
            params.provingWindow,
            0,
            params.missedProofWad,
            params.contradictionWad,
            params.genesisStateRoot
        );
        emit ProofConfigRegistered(
            rollupId,
            key,
            rollup_.operatorSetId,
            params.genesisStateRoot,
            params.provingWindow,
            params.missedProofWad,
            params.contradictionWad
        );
    }

    // ---------------------------------------------------------------- jobs and proofs

    /// @notice Draws and stores the prover of a committed batch (see the contract notes);
    /// permissionless, and a no-op returning the stored prover once stored. Works from block
    /// `commitBlock + 2` while the hash of block `commitBlock + 1` is available.
    function assignJob(uint64 rollupId, uint64 batchIndex) external returns (address prover) {
        ProofConfig storage config = _config(rollupId);
        uint64 commitBlock = _commitBlock(rollupId, batchIndex);
        Job storage job_ = jobs[rollupId][batchIndex];
        prover = job_.prover;
        if (prover != address(0)) return prover;
        if (block.number <= commitBlock + 1) revert AssignmentNotYetDeterminable(commitBlock + 2);
        uint32 setId = config.operatorSetId;
        prover = _draw(setId, rollupId, batchIndex, commitBlock);
        if (prover == address(0)) {
            if (blockhash(commitBlock + 1) == 0) revert AssignmentExpired(rollupId, batchIndex);
            revert NoMembers(setId);
        }
        job_.prover = prover;
        emit JobAssigned(rollupId, batchIndex, prover, commitBlock + config.provingWindow);
    }

    /// @notice Submits the validity proof of batch `batchIndex`: the transition from the
    /// proven root of the previous batch (the genesis root for batch 0) to `newStateRoot` for
    /// the committed batch commitment. Before the deadline only the drawn prover may submit
    /// (its draw is stored here if it was not yet); after it, or when no prover can be drawn,
    /// any member of the rollup's operator set may. `proof` is `a.x, a.y, b.x.c1, b.x.c0,
    /// b.y.c1, b.y.c0, c.x, c.y`.
    function submitProof(
        uint64 rollupId,
        uint64 batchIndex,
        bytes32 newStateRoot,
        uint256[8] calldata proof
    ) external {
        ProofConfig storage config = _config(rollupId);
        uint64 commitBlock = _commitBlock(rollupId, batchIndex);
        uint64 proven = config.provenBatches;
        if (batchIndex < proven) revert AlreadyProven(rollupId, batchIndex);
        if (batchIndex > proven) revert PreviousBatchNotProven(rollupId, batchIndex - 1);
        (address assigned, bool drawnNow) = _authorize(config, rollupId, batchIndex, commitBlock);

        bytes32 prevStateRoot =
            batchIndex == 0 ? config.genesisStateRoot : jobs[rollupId][batchIndex - 1].provenRoot;
        bytes32 commitment = center.batchCommitment(rollupId, batchIndex);
        if (!Groth16.verify(
                config.verifyingKey,
                proof,
                uint256(prevStateRoot),
                uint256(newStateRoot),
                uint256(commitment)
            )) revert InvalidProof();

        config.provenBatches = batchIndex + 1;
        // One SSTORE for the slot shared by the draw and the proof's block.
        jobs[rollupId][batchIndex] = Job(assigned, uint64(block.number), newStateRoot);
        if (drawnNow) {
            emit JobAssigned(rollupId, batchIndex, assigned, commitBlock + config.provingWindow);
        }
        emit ProofSubmitted(
            rollupId, batchIndex, prevStateRoot, newStateRoot, msg.sender, assigned, commitment
        );
    }

    // ---------------------------------------------------------------- views

    /// @notice Whether `proof` proves the transition `prevStateRoot → newStateRoot` for
    /// `batchCommitment` under the rollup's verifying key (no chaining or job rules: for
    /// provers to check a proof before submitting it). Reverts on out-of-range words.
    function verifyProof(
        uint64 rollupId,
        bytes32 prevStateRoot,
        bytes32 newStateRoot,
        bytes32 batchCommitment,
        uint256[8] calldata proof
    ) external view returns (bool) {
        return Groth16.verify(
            _config(rollupId).verifyingKey,
            proof,
            uint256(prevStateRoot),
            uint256(newStateRoot),
            uint256(batchCommitment)
        );
    }

    /// @notice The rollup's proof configuration and progress; all zero if it has none.
    function proofConfig(uint64 rollupId) external view returns (ProofConfig memory) {
        return configs[rollupId];
    }

    /// @notice The rollup's verifying key, read back from its key contract.
    function verifyingKey(uint64 rollupId) external view returns (Groth16.VerifyingKey memory) {
        return Groth16.load(_config(rollupId).verifyingKey);
    }

    /// @notice The proving job of a committed batch: its prover (stored, or drawn as it would be
    /// now), commit block, deadline and proof.
    function job(uint64 rollupId, uint64 batchIndex) external view returns (JobInfo memory info) {
        ProofConfig storage config = _config(rollupId);
        info.commitBlock = _commitBlock(rollupId, batchIndex);
        info.deadline = info.commitBlock + config.provingWindow;
        Job storage job_ = jobs[rollupId][batchIndex];
        info.prover = job_.prover;
        info.assignmentStored = info.prover != address(0);
        if (!info.assignmentStored && block.number > info.commitBlock + 1) {
            info.prover = _draw(config.operatorSetId, rollupId, batchIndex, info.commitBlock);
        }
        info.proven = batchIndex < config.provenBatches;
        info.provenRoot = job_.provenRoot;
        info.provenBlock = job_.provenBlock;
    }

    /// @notice The proven new state root of a batch.
    function provenRoot(uint64 rollupId, uint64 batchIndex) external view returns (bytes32) {
        if (batchIndex >= _config(rollupId).provenBatches) revert NotProven(rollupId, batchIndex);
        return jobs[rollupId][batchIndex].provenRoot;
    }

    /// @notice Where proving stands: the next batch to prove (every earlier one is proven) and
    /// the root its proof must start from.
    function nextBatchToProve(uint64 rollupId)
        external
        view
        returns (uint64 batchIndex, bytes32 prevStateRoot)
    {
        ProofConfig storage config = _config(rollupId);
        batchIndex = config.provenBatches;
        prevStateRoot =
            batchIndex == 0 ? config.genesisStateRoot : jobs[rollupId][batchIndex - 1].provenRoot;
    }

    // ---------------------------------------------------------------- internals

    function _config(uint64 rollupId) internal view returns (ProofConfig storage config) {
        config = configs[rollupId];
        if (config.verifyingKey == address(0)) revert NoProofConfig(rollupId);
    }

    function _commitBlock(uint64 rollupId, uint64 batchIndex)
        internal
        view
        returns (uint64 commitBlock)
    {
        commitBlock = center.batchCommitBlock(rollupId, batchIndex);
        if (commitBlock == 0) revert BatchNotCommitted(rollupId, batchIndex);
    }

    /// @dev Checks that the caller may prove the batch now; returns its drawn prover (0 if none
    /// can be drawn) and whether the draw was made by this call (to be stored).
    function _authorize(
        ProofConfig storage config,
        uint64 rollupId,
        uint64 batchIndex,
        uint64 commitBlock
    ) internal view returns (address assigned, bool drawnNow) {
        uint32 setId = config.operatorSetId;
        assigned = jobs[rollupId][batchIndex].prover;
        if (assigned == address(0) && block.number > commitBlock + 1) {
            assigned = _draw(setId, rollupId, batchIndex, commitBlock);
            drawnNow = assigned != address(0);
        }
        if (block.number <= commitBlock + config.provingWindow && assigned != address(0)) {
            if (msg.sender != assigned) revert NotAssignedProver(assigned);
        } else {
            // Within the window with no prover: either the draw is still ahead (refuse, so
            // nobody can pre-empt it) or it can never be made (the set proves it).
            if (block.number <= commitBlock + 1) {
                revert AssignmentNotYetDeterminable(commitBlock + 2);
            }
            if (!registry.isMember(setId, msg.sender)) revert NotSetMember(msg.sender);
        }
    }

    /// @dev The prover of a batch, or 0 when the block hash is unavailable or the set is empty.
    function _draw(uint32 setId, uint64 rollupId, uint64 batchIndex, uint64 commitBlock)
        internal
        view
        returns (address)
    {
        bytes32 hash = blockhash(commitBlock + 1);
        if (hash == 0) return address(0);
        uint256 count = registry.memberCount(setId);
        if (count == 0) return address(0);
        uint256 seed = uint256(keccak256(abi.encode(hash, rollupId, batchIndex)));
        return registry.memberAt(setId, seed % count);
    }
}
