// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {BLS12381} from "./bls/BLS12381.sol";
import {Groth16} from "./libraries/Groth16.sol";
import {Checkpoint, RampartDigests} from "./libraries/RampartDigests.sol";
import {
    IAllocationManager,
    IAllocationManagerTypes,
    IStrategy,
    OperatorSet
} from "./interfaces/IEigenLayer.sol";
import {RampartAttestationCenter} from "./RampartAttestationCenter.sol";
import {RampartOperatorRegistry} from "./RampartOperatorRegistry.sol";
import {RampartProofCenter} from "./RampartProofCenter.sol";
import {RampartServiceManager} from "./RampartServiceManager.sol";

/// @title RampartSlasher
/// @notice Punishes objective faults with evidence anyone may submit. Each fault is slashed at
/// most once, by the rollup's configured share (WAD) of the operator's slashable stake in every
/// strategy of the rollup's operator set, through the service manager and EigenLayer's
/// AllocationManager.
///
/// Equivocation: two valid attestation signatures by one operator's registered key over two
/// different checkpoints with the same `(rollupId, batchIndex)`. An honest operator signs at
/// most one checkpoint per batch, so it can never be slashed by this path.
///
/// Contradicted certificate: a certificate whose state root differs from the root a validity
/// proof established for the same batch. Every operator the certificate counts as a signer
/// (registered in the set at its reference block and not among its non-signers) signed that
/// root: the aggregate signature verified against exactly their keys, and proofs of possession
/// rule out rogue keys. An honest operator signs only the root it re-executed, which is the root
/// a sound proof establishes, so it can never be slashed by this path.
///
/// Missed proof: the drawn prover of a batch did not prove it in time. The window is counted
/// from the later of the job's deadline and the predecessor's proof plus the proving window (a
/// batch cannot be proven before its predecessor), and only jobs whose draw was stored count, so
/// an honest prover is never slashed for someone else's delay.
contract RampartSlasher {
    /// @notice Where keys come from.
    RampartOperatorRegistry public immutable registry;
    /// @notice Where rollups, and the signing domain of checkpoints, come from.
    RampartAttestationCenter public immutable center;
    /// @notice The AVS, which performs the slash.
    RampartServiceManager public immutable serviceManager;
    /// @notice EigenLayer's AllocationManager (read for the set's strategies).
    IAllocationManager public immutable allocationManager;
    /// @notice Proven roots, proving jobs and each rollup's slashing shares for them.
    RampartProofCenter public immutable proofCenter;

    /// @notice Faults already slashed, by fault id.
    mapping(bytes32 => bool) public slashed;

    /// @notice An operator was slashed for equivocation.
    event EquivocationSlashed(
        address indexed operator,
        uint64 indexed rollupId,
        uint64 indexed batchIndex,
        bytes32 checkpointA,
        bytes32 checkpointB,
        uint256 wad
    );

    /// @notice An operator was slashed for signing a certified root a proof contradicts.
    event ContradictionSlashed(
        address indexed operator,
        uint64 indexed rollupId,
        uint64 indexed batchIndex,
        bytes32 certifiedRoot,
        bytes32 provenRoot,
        uint256 wad
    );
    /// @notice A drawn prover was slashed for missing its proving job.
    event MissedProofSlashed(
        address indexed operator, uint64 indexed rollupId, uint64 indexed batchIndex, uint256 wad
    );

    error NotConflicting();
    error NoKey(address operator);
    error InvalidSignature();
    error AlreadySlashed(bytes32 faultId);
    /// @notice The checkpoint, reference block and non-signers are not the batch's certificate.
    error NotTheCertificate(uint64 rollupId, uint64 batchIndex);
    /// @notice The certified root is the proven root: nothing to slash.
    error NotContradicted(uint64 rollupId, uint64 batchIndex);
    /// @notice The operator is not counted as a signer of the certificate (not registered in
    /// the set at its reference block, or listed as a non-signer).
    error NotASigner(address operator);
    /// @notice No prover was drawn and stored for the job: nobody is at fault.
    error NoStoredAssignment(uint64 rollupId, uint64 batchIndex);
    /// @notice The job's prover still has time (until `deadline`, inclusive), or cannot prove
    /// yet because the previous batch is not proven.
    error NotMissed(uint64 rollupId, uint64 batchIndex, uint64 deadline);
    /// @notice The batch's commitment is not a BN254 scalar: no proof of it can exist.
    error Unprovable(uint64 rollupId, uint64 batchIndex);

    /// @param center_ The attestation center (its registry and AVS are used too).
    /// @param proofCenter_ The proof center of the same attestation center.
    constructor(
        RampartAttestationCenter center_,
        RampartServiceManager serviceManager_,
        RampartProofCenter proofCenter_
    ) {
        center = center_;
        registry = center_.registry();
        serviceManager = serviceManager_;
        allocationManager = serviceManager_.allocationManager();
        proofCenter = proofCenter_;
    }

    /// @notice The id of a contradicted-certificate fault (one per operator and batch).
    function contradictionFaultId(address operator, uint64 rollupId, uint64 batchIndex)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode("rampart.contradiction", operator, rollupId, batchIndex));
    }

    /// @notice The id of a missed-proof fault (one per batch: it has one drawn prover).
    function missedProofFaultId(uint64 rollupId, uint64 batchIndex) public pure returns (bytes32) {
        return keccak256(abi.encode("rampart.missed-proof", rollupId, batchIndex));
    }

    /// @notice Slashes `operator` for being counted as a signer of the certificate of
    /// `checkpoint`'s batch when a proof established another root. The certificate is given as
    /// the `CertificateSubmitted` event carried it: the checkpoint, the reference block and the
    /// non-signers' key hashes; they must hash to the stored certificate commitment.
    function slashContradictedSigner(
        Checkpoint calldata checkpoint,
        uint32 referenceBlock,
        bytes32[] calldata nonSignerKeyHashes,
        address operator
    ) external {
        uint64 rollupId = checkpoint.rollupId;
        uint64 batchIndex = checkpoint.batchIndex;
        bytes32 provenRoot =
            _contradictedCertificate(checkpoint, referenceBlock, nonSignerKeyHashes);
        uint32 setId = center.rollup(rollupId).operatorSetId;
        _checkSigner(operator, setId, referenceBlock, nonSignerKeyHashes);
        bytes32 faultId = contradictionFaultId(operator, rollupId, batchIndex);
        if (slashed[faultId]) revert AlreadySlashed(faultId);

        slashed[faultId] = true;
        uint256 wad = proofCenter.proofConfig(rollupId).contradictionWad;
        _slash(operator, setId, wad, "rampart: signed a root a proof contradicts");
        emit ContradictionSlashed(
            operator, rollupId, batchIndex, checkpoint.stateRoot, provenRoot, wad
        );
    }

    /// @dev The proven root of the certified batch, after checking the evidence is the stored
    /// certificate and that the proof contradicts it.
    function _contradictedCertificate(
        Checkpoint calldata checkpoint,
        uint32 referenceBlock,
        bytes32[] calldata nonSignerKeyHashes
    ) internal view returns (bytes32 provenRoot) {
        uint64 rollupId = checkpoint.rollupId;
        uint64 batchIndex = checkpoint.batchIndex;
        bytes32 stored = center.certificateCommitment(rollupId, batchIndex);
        bytes32 given = center.certificateHash(
            RampartDigests.hash(checkpoint), referenceBlock, nonSignerKeyHashes
        );
        if (stored == bytes32(0) || stored != given) {
            revert NotTheCertificate(rollupId, batchIndex);
        }
        provenRoot = proofCenter.provenRoot(rollupId, batchIndex); // reverts while unproven
        if (provenRoot == checkpoint.stateRoot) revert NotContradicted(rollupId, batchIndex);
    }

    /// @dev Reverts unless `operator` is counted as a signer: registered in the set at the
    /// reference block and not a non-signer.
    function _checkSigner(
        address operator,
        uint32 setId,
        uint32 referenceBlock,
        bytes32[] calldata nonSignerKeyHashes
    ) internal view {
        (, bytes32 keyHash) = registry.operatorKey(operator);
        if (keyHash == bytes32(0)) revert NoKey(operator);
        (, bool registered) = registry.stakeAt(setId, keyHash, referenceBlock);
        if (!registered) revert NotASigner(operator);
        for (uint256 i = 0; i < nonSignerKeyHashes.length; i++) {
            if (nonSignerKeyHashes[i] == keyHash) revert NotASigner(operator);
        }
    }

    /// @notice Slashes the drawn prover of a batch that was not proven in time: still unproven
    /// after, or proven after, `max(deadline, provenBlock(batchIndex − 1) + provingWindow)`.
    /// Only a stored draw counts (see `RampartProofCenter.assignJob`).
    function slashMissedProof(uint64 rollupId, uint64 batchIndex) external {
        RampartProofCenter.JobInfo memory job_ = proofCenter.job(rollupId, batchIndex);
        if (!job_.assignmentStored) revert NoStoredAssignment(rollupId, batchIndex);
        // A commitment that is not a field element can never be proven, by anyone.
        if (uint256(center.batchCommitment(rollupId, batchIndex)) >= Groth16.R) {
            revert Unprovable(rollupId, batchIndex);
        }
        RampartProofCenter.ProofConfig memory config = proofCenter.proofConfig(rollupId);
        uint64 deadline = job_.deadline;
        if (batchIndex > 0) {
            RampartProofCenter.JobInfo memory previous = proofCenter.job(rollupId, batchIndex - 1);
            // Until its predecessor is proven, a batch cannot be proven: not its prover's fault.
            if (!previous.proven) revert NotMissed(rollupId, batchIndex, type(uint64).max);
            uint64 fromPrevious = previous.provenBlock + config.provingWindow;
            if (fromPrevious > deadline) deadline = fromPrevious;
        }
        bool missed = job_.proven ? job_.provenBlock > deadline : block.number > deadline;
        if (!missed) revert NotMissed(rollupId, batchIndex, deadline);
        bytes32 faultId = missedProofFaultId(rollupId, batchIndex);
        if (slashed[faultId]) revert AlreadySlashed(faultId);

        slashed[faultId] = true;
        _slash(
            job_.prover, config.operatorSetId, config.missedProofWad, "rampart: missed proving job"
        );
        emit MissedProofSlashed(job_.prover, rollupId, batchIndex, config.missedProofWad);
    }

    /// @notice The id of an equivocation fault (one per operator and batch).
    function equivocationFaultId(address operator, uint64 rollupId, uint64 batchIndex)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode("rampart.equivocation", operator, rollupId, batchIndex));
    }

    /// @notice Slashes `operator` for signing both `a` and `b`.
    function slashEquivocation(
        address operator,
        Checkpoint calldata a,
        BLS12381.G2Point calldata sigA,
        Checkpoint calldata b,
        BLS12381.G2Point calldata sigB
    ) external {
        if (a.rollupId != b.rollupId || a.batchIndex != b.batchIndex) {
            revert NotConflicting();
        }
        bytes32 hashA = RampartDigests.hash(a);
        bytes32 hashB = RampartDigests.hash(b);
        if (hashA == hashB) revert NotConflicting();
        bytes32 faultId = equivocationFaultId(operator, a.rollupId, a.batchIndex);
        if (slashed[faultId]) revert AlreadySlashed(faultId);
        RampartAttestationCenter.Rollup memory rollup = center.rollup(a.rollupId);

        (BLS12381.G1Point memory pubkey, bytes32 keyHash) = registry.operatorKey(operator);
        if (keyHash == bytes32(0)) revert NoKey(operator);
        bytes32 separator = center.domainSeparator();
        if (!_bothSigned(
                pubkey,
                RampartDigests.toTypedDataHash(separator, hashA),
                sigA,
                RampartDigests.toTypedDataHash(separator, hashB),
                sigB
            )) revert InvalidSignature();

        slashed[faultId] = true;
        _slash(operator, rollup.operatorSetId, rollup.equivocationWad, "rampart: equivocation");
        emit EquivocationSlashed(
            operator, a.rollupId, a.batchIndex, hashA, hashB, rollup.equivocationWad
        );
    }

    /// @dev Checks both signatures with one pairing: e(pk, H_A + r·H_B) == e(G1, σ_A + r·σ_B),
    /// with r a 128-bit challenge derived from all inputs (random linear combination, so an
    /// invalid σ_B cannot be cancelled by a crafted σ_A). G2MSM subgroup-checks H_B and σ_B; the
    /// pairing subgroup-checks both sums; malformed points make a precompile fail, which
    /// `BLS12381.add`/`mul` turn into a revert — caught here as "not signed".
    function _bothSigned(
        BLS12381.G1Point memory pubkey,
        bytes32 digestA,
        BLS12381.G2Point calldata sigA,
        bytes32 digestB,
        BLS12381.G2Point calldata sigB
    ) internal view returns (bool) {
        BLS12381.G2Point memory sA = sigA;
        BLS12381.G2Point memory sB = sigB;
        if (!BLS12381.isValidEncoding(sA) || !BLS12381.isValidEncoding(sB)) return false;
        if (BLS12381.isInfinity(sA) || BLS12381.isInfinity(sB)) return false;
        BLS12381.G2Point memory hA =
            BLS12381.hashToG2(abi.encodePacked(digestA), RampartDigests.DST_SIGNATURE);
        BLS12381.G2Point memory hB =
            BLS12381.hashToG2(abi.encodePacked(digestB), RampartDigests.DST_SIGNATURE);
        uint256 r = uint256(keccak256(abi.encode(pubkey, digestA, digestB, sA, sB))) >> 128 | 1;
        try this.combine(hA, hB, sA, sB, r) returns (
            BLS12381.G2Point memory hashes, BLS12381.G2Point memory signatures
        ) {
            return BLS12381.verify(pubkey, signatures, hashes);
        } catch {
            return false;
        }
    }

    /// @notice (hA + r·hB, sA + r·sB). External only so a malformed point's precompile failure
    /// can be caught; it has no effects.
    function combine(
        BLS12381.G2Point memory hA,
        BLS12381.G2Point memory hB,
        BLS12381.G2Point memory sA,
        BLS12381.G2Point memory sB,
        uint256 r
    ) external view returns (BLS12381.G2Point memory hashes, BLS12381.G2Point memory signatures) {
        hashes = BLS12381.add(hA, BLS12381.mul(hB, r));
        signatures = BLS12381.add(sA, BLS12381.mul(sB, r));
    }

    /// @dev Slashes `wad` of every strategy in the set (AllocationManager wants them ascending).
    function _slash(address operator, uint32 operatorSetId, uint256 wad, string memory description)
        internal
    {
        IStrategy[] memory strategies = allocationManager.getStrategiesInOperatorSet(
            OperatorSet(address(serviceManager), operatorSetId)
        );
        for (uint256 i = 1; i < strategies.length; i++) {
            IStrategy s = strategies[i];
            uint256 j = i;
            for (; j > 0 && address(strategies[j - 1]) > address(s); j--) {
                strategies[j] = strategies[j - 1];
            }
            strategies[j] = s;
        }
        uint256[] memory wads = new uint256[](strategies.length);
        for (uint256 i = 0; i < wads.length; i++) {
            wads[i] = wad;
        }
        serviceManager.slashOperator(
            IAllocationManagerTypes.SlashingParams(
                operator, operatorSetId, strategies, wads, description
            )
        );
    }
}
