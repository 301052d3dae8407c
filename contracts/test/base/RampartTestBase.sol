// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {EigenLayerDeployer} from "./EigenLayerDeployer.sol";
import {BLS12381} from "../../src/bls/BLS12381.sol";
import {Checkpoint, RampartDigests} from "../../src/libraries/RampartDigests.sol";
import {
    IAllocationManager,
    IAllocationManagerTypes,
    IStrategy,
    OperatorSet
} from "../../src/interfaces/IEigenLayer.sol";
import {RampartServiceManager} from "../../src/RampartServiceManager.sol";
import {RampartOperatorRegistry} from "../../src/RampartOperatorRegistry.sol";
import {RampartAttestationCenter} from "../../src/RampartAttestationCenter.sol";
import {RampartProofCenter} from "../../src/RampartProofCenter.sol";
import {RampartSlasher} from "../../src/RampartSlasher.sol";

/// @notice Real EigenLayer core v1.3.0 plus Rampart's contracts, wired as in production, and
/// BLS signing done in Solidity through the EIP-2537 MSM precompiles (sk·G1, sk·H(m)).
abstract contract RampartTestBase is EigenLayerDeployer {
    uint32 internal constant SET_ID = 1;
    uint16 internal constant THRESHOLD_BPS = 6_667;
    uint256 internal constant EQUIVOCATION_WAD = 0.25e18;
    uint256 internal constant STAKE = 100e18;
    uint96 internal constant MIN_STAKE = 1e18;

    address internal governance = address(0x6000);
    address internal rollupOwner = address(0x7000);
    address internal batcher = address(0x7001);

    RampartServiceManager internal serviceManager;
    RampartOperatorRegistry internal registry;
    RampartAttestationCenter internal center;
    RampartProofCenter internal proofCenter;
    RampartSlasher internal slasher;
    uint64 internal rollupId;

    struct Operator {
        address addr;
        uint256 sk;
        BLS12381.G1Point pubkey;
        bytes32 keyHash;
    }

    Operator[] internal operators;

    function deployRampart() internal {
        deployEigenLayer();
        serviceManager = new RampartServiceManager(allocationManager, governance);
        registry =
            new RampartOperatorRegistry(allocationManager, address(serviceManager), governance);
        center = new RampartAttestationCenter(registry, governance, 256);
        proofCenter = new RampartProofCenter(center);
        slasher = new RampartSlasher(center, serviceManager, proofCenter);

        IStrategy[] memory strategies = new IStrategy[](1);
        strategies[0] = strategy;
        uint96[] memory multipliers = new uint96[](1);
        multipliers[0] = 1e18;
        IAllocationManagerTypes.CreateSetParams[] memory sets =
            new IAllocationManagerTypes.CreateSetParams[](1);
        sets[0] = IAllocationManagerTypes.CreateSetParams(SET_ID, strategies);

        vm.startPrank(governance);
        serviceManager.updateAVSMetadataURI("https://rampart.invalid/avs.json");
        serviceManager.setAVSRegistrar(address(registry));
        serviceManager.createOperatorSets(sets);
        serviceManager.setSlasher(address(slasher));
        registry.configureOperatorSet(SET_ID, strategies, multipliers, MIN_STAKE);
        rollupId = center.registerRollup(
            RampartAttestationCenter.RollupParams(
                rollupOwner, batcher, SET_ID, THRESHOLD_BPS, EQUIVOCATION_WAD
            )
        );
        vm.stopPrank();
    }

    // ------------------------------------------------------------ BLS in Solidity

    function g1Mul(BLS12381.G1Point memory p, uint256 scalar)
        internal
        view
        returns (BLS12381.G1Point memory)
    {
        (bool ok, bytes memory out) =
            BLS12381.callPrecompile(address(0x0c), abi.encodePacked(BLS12381.encode(p), scalar));
        require(ok, "G1MSM failed");
        return BLS12381.decodeG1(out);
    }

    function pubkeyOf(uint256 sk) internal view returns (BLS12381.G1Point memory) {
        return g1Mul(BLS12381.generatorG1(), sk);
    }

    function signDigest(uint256 sk, bytes32 digest, bytes memory dst)
        internal
        view
        returns (BLS12381.G2Point memory)
    {
        return BLS12381.mul(BLS12381.hashToG2(abi.encodePacked(digest), dst), sk);
    }

    function signCheckpoint(uint256 sk, Checkpoint memory c)
        internal
        view
        returns (BLS12381.G2Point memory)
    {
        return signDigest(
            sk, RampartDigests.checkpointDigest(c, address(center)), RampartDigests.DST_SIGNATURE
        );
    }

    function pop(uint256 sk, address operator) internal view returns (BLS12381.G2Point memory) {
        bytes memory pk = BLS12381.encode(pubkeyOf(sk));
        return signDigest(
            sk,
            RampartDigests.keyRegistrationDigest(operator, pk, address(registry)),
            RampartDigests.DST_POP
        );
    }

    function keyHash(BLS12381.G1Point memory pk) internal pure returns (bytes32) {
        return keccak256(abi.encode(pk));
    }

    // ------------------------------------------------------------ operators

    /// @dev Registers `addr` in EigenLayer with `stake` delegated and fully allocated to the set.
    function prepareOperator(address addr, uint256 stake) internal {
        registerOperatorInEigenLayer(addr);
        depositAndDelegate(addr, addr, stake);
        allocate(addr, address(serviceManager), SET_ID, 1e18);
    }

    function registrationData(BLS12381.G1Point memory pk, BLS12381.G2Point memory proof)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encode(pk, proof, "127.0.0.1:9000");
    }

    function registerForSet(address addr, bytes memory data) internal {
        uint32[] memory ids = new uint32[](1);
        ids[0] = SET_ID;
        vm.prank(addr);
        allocationManager.registerForOperatorSets(
            addr, IAllocationManagerTypes.RegisterParams(address(serviceManager), ids, data)
        );
    }

    /// @dev Adds a fully registered operator with secret key `sk`.
    function addOperator(uint256 sk, uint256 stake) internal returns (Operator memory op) {
        op.addr = address(uint160(0xA000 + operators.length));
        op.sk = sk;
        op.pubkey = pubkeyOf(sk);
        op.keyHash = keyHash(op.pubkey);
        prepareOperator(op.addr, stake);
        registerForSet(op.addr, registrationData(op.pubkey, pop(sk, op.addr)));
        operators.push(op);
    }

    function deregister(address addr) internal {
        uint32[] memory ids = new uint32[](1);
        ids[0] = SET_ID;
        vm.prank(addr);
        allocationManager.deregisterFromOperatorSets(
            IAllocationManagerTypes.DeregisterParams(addr, address(serviceManager), ids)
        );
    }

    // ------------------------------------------------------------ batches and certificates

    function commit(uint64 batchIndex) internal {
        vm.prank(batcher);
        center.commitBatch(
            rollupId, batchIndex, 1000 + batchIndex, keccak256(abi.encode("batch", batchIndex))
        );
    }

    function checkpointFor(uint64 batchIndex, bytes32 stateRoot)
        internal
        view
        returns (Checkpoint memory)
    {
        return Checkpoint(
            rollupId, batchIndex, 1000 + batchIndex, keccak256(abi.encode(batchIndex)), stateRoot
        );
    }

    /// @dev Aggregates the signatures of every operator whose bit is NOT set in `nonSignerMask`
    /// and returns the non-signers' keys sorted by key hash.
    function certificateInputs(Checkpoint memory c, uint256 nonSignerMask)
        internal
        view
        returns (BLS12381.G1Point[] memory nonSigners, BLS12381.G2Point memory aggregate)
    {
        uint256 count;
        for (uint256 i = 0; i < operators.length; i++) {
            if ((nonSignerMask >> i) & 1 == 1) count++;
        }
        nonSigners = new BLS12381.G1Point[](count);
        uint256 n;
        bool first = true;
        for (uint256 i = 0; i < operators.length; i++) {
            if ((nonSignerMask >> i) & 1 == 1) {
                nonSigners[n++] = operators[i].pubkey;
            } else {
                BLS12381.G2Point memory sig = signCheckpoint(operators[i].sk, c);
                aggregate = first ? sig : BLS12381.add(aggregate, sig);
                first = false;
            }
        }
        sortByKeyHash(nonSigners);
    }

    function sortByKeyHash(BLS12381.G1Point[] memory pks) internal pure {
        for (uint256 i = 1; i < pks.length; i++) {
            BLS12381.G1Point memory p = pks[i];
            bytes32 h = keyHash(p);
            uint256 j = i;
            for (; j > 0 && keyHash(pks[j - 1]) > h; j--) {
                pks[j] = pks[j - 1];
            }
            pks[j] = p;
        }
    }

    function slashableStake(address operator) internal view returns (uint256) {
        address[] memory ops = new address[](1);
        ops[0] = operator;
        IStrategy[] memory strategies = new IStrategy[](1);
        strategies[0] = strategy;
        return allocationManager.getMinimumSlashableStake(
            OperatorSet(address(serviceManager), SET_ID), ops, strategies, uint32(block.number)
        )[0][0];
    }
}
