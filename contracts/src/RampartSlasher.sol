// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {BLS12381} from "./bls/BLS12381.sol";
import {Checkpoint, RampartDigests} from "./libraries/RampartDigests.sol";
import {
    IAllocationManager,
    IAllocationManagerTypes,
    IStrategy,
    OperatorSet
} from "./interfaces/IEigenLayer.sol";
import {RampartAttestationCenter} from "./RampartAttestationCenter.sol";
import {RampartOperatorRegistry} from "./RampartOperatorRegistry.sol";
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
contract RampartSlasher {
    /// @notice Where keys come from.
    RampartOperatorRegistry public immutable registry;
    /// @notice Where rollups, and the signing domain of checkpoints, come from.
    RampartAttestationCenter public immutable center;
    /// @notice The AVS, which performs the slash.
    RampartServiceManager public immutable serviceManager;
    /// @notice EigenLayer's AllocationManager (read for the set's strategies).
    IAllocationManager public immutable allocationManager;

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

    error NotConflicting();
    error NoKey(address operator);
    error InvalidSignature();
    error AlreadySlashed(bytes32 faultId);

    /// @param center_ The attestation center (its registry and AVS are used too).
    constructor(RampartAttestationCenter center_, RampartServiceManager serviceManager_) {
        center = center_;
        registry = center_.registry();
        serviceManager = serviceManager_;
        allocationManager = serviceManager_.allocationManager();
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
