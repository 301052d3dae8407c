// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {RampartTestBase} from "./base/RampartTestBase.sol";
import {BLS12381} from "../src/bls/BLS12381.sol";
import {RampartOperatorRegistry} from "../src/RampartOperatorRegistry.sol";
import {IStrategy} from "../src/interfaces/IEigenLayer.sol";

/// @notice Registration through the real AllocationManager into the registry: PoP, key rules,
/// minimum stake, histories by block, permissionless stake updates, deregistration.
contract OperatorRegistryTest is RampartTestBase {
    address internal alice = address(0xA11CE);
    address internal bob = address(0xB0B);
    uint256 internal constant SK_A = 0x1234567;
    uint256 internal constant SK_B = 0x7654321;

    function setUp() public {
        deployRampart();
        prepareOperator(alice, STAKE);
        prepareOperator(bob, 2 * STAKE);
    }

    function test_registersWithValidPoP() public {
        BLS12381.G1Point memory pk = pubkeyOf(SK_A);
        registerForSet(alice, registrationData(pk, pop(SK_A, alice)));

        (BLS12381.G1Point memory stored, bytes32 kh) = registry.operatorKey(alice);
        assertEq(kh, keyHash(pk), "key hash");
        assertEq(BLS12381.encode(stored), BLS12381.encode(pk), "stored key");
        assertEq(registry.operatorOfKey(kh), alice, "reverse lookup");
        assertEq(registry.socketOf(alice), "127.0.0.1:9000", "socket");

        vm.roll(block.number + 1);
        (BLS12381.G1Point memory apk, uint96 total) =
            registry.apkAt(SET_ID, uint32(block.number - 1));
        assertEq(BLS12381.encode(apk), BLS12381.encode(pk), "apk = only key");
        assertEq(total, STAKE, "total stake");
        (uint96 stake, bool registered) = registry.stakeAt(SET_ID, kh, uint32(block.number - 1));
        assertEq(stake, STAKE, "operator stake");
        assertTrue(registered, "registered");
    }

    function test_historiesAnswerForPastBlocks() public {
        uint32 before = uint32(block.number);
        vm.roll(block.number + 1);
        BLS12381.G1Point memory pkA = pubkeyOf(SK_A);
        registerForSet(alice, registrationData(pkA, pop(SK_A, alice)));
        uint32 afterA = uint32(block.number);
        vm.roll(block.number + 1);
        BLS12381.G1Point memory pkB = pubkeyOf(SK_B);
        registerForSet(bob, registrationData(pkB, pop(SK_B, bob)));
        uint32 afterB = uint32(block.number);
        vm.roll(block.number + 1);
        deregister(alice);
        uint32 afterDereg = uint32(block.number);
        vm.roll(block.number + 1);

        vm.expectRevert(
            abi.encodeWithSelector(RampartOperatorRegistry.NoStateAtBlock.selector, before)
        );
        registry.apkAt(SET_ID, before);

        (BLS12381.G1Point memory apk, uint96 total) = registry.apkAt(SET_ID, afterA);
        assertEq(BLS12381.encode(apk), BLS12381.encode(pkA), "apk after A");
        assertEq(total, STAKE, "total after A");
        (apk, total) = registry.apkAt(SET_ID, afterB);
        assertEq(BLS12381.encode(apk), BLS12381.encode(BLS12381.add(pkA, pkB)), "apk after B");
        assertEq(total, 3 * STAKE, "total after B");
        (apk, total) = registry.apkAt(SET_ID, afterDereg);
        assertEq(BLS12381.encode(apk), BLS12381.encode(pkB), "apk after A left");
        assertEq(total, 2 * STAKE, "total after A left");

        (uint96 stake, bool registered) = registry.stakeAt(SET_ID, keyHash(pkA), afterB);
        assertTrue(registered && stake == STAKE, "A at afterB");
        (stake, registered) = registry.stakeAt(SET_ID, keyHash(pkA), afterDereg);
        assertFalse(registered, "A after deregistration");
        assertEq(stake, 0, "A stake after deregistration");
        (, registered) = registry.stakeAt(SET_ID, keyHash(pkB), afterA);
        assertFalse(registered, "B before its registration");
    }

    function test_rejectsPoPFromAnotherKey() public {
        bytes memory data = registrationData(pubkeyOf(SK_A), pop(SK_B, alice));
        bytes memory data1 = data;
        vm.expectRevert(RampartOperatorRegistry.InvalidProofOfPossession.selector);
        registerForSet(alice, data1);
    }

    function test_rejectsPoPReplayedForAnotherOperator() public {
        // Alice's valid proof, presented by Bob for the same key.
        bytes memory data = registrationData(pubkeyOf(SK_A), pop(SK_A, alice));
        bytes memory data2 = data;
        vm.expectRevert(RampartOperatorRegistry.InvalidProofOfPossession.selector);
        registerForSet(bob, data2);
    }

    function test_rejectsAttestationSignatureAsPoP() public {
        BLS12381.G1Point memory pk = pubkeyOf(SK_A);
        bytes32 digest = keccak256("not a registration");
        bytes memory data = registrationData(
            pk, signDigest(SK_A, digest, "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_")
        );
        bytes memory data3 = data;
        vm.expectRevert(RampartOperatorRegistry.InvalidProofOfPossession.selector);
        registerForSet(alice, data3);
    }

    function test_rejectsInfinityKeyAndSignature() public {
        BLS12381.G1Point memory zero;
        bytes memory data4 = registrationData(zero, pop(SK_A, alice));
        vm.expectRevert(RampartOperatorRegistry.InvalidPublicKey.selector);
        registerForSet(alice, data4);

        BLS12381.G2Point memory zeroSig;
        bytes memory data5 = registrationData(pubkeyOf(SK_A), zeroSig);
        vm.expectRevert(RampartOperatorRegistry.InvalidProofOfPossession.selector);
        registerForSet(alice, data5);
    }

    /// A G1 point on the curve but outside the prime-order subgroup (from the EIP-2537 vectors).
    function nonSubgroupKey() internal view returns (BLS12381.G1Point memory) {
        string memory vectors = vm.readFile(
            string.concat(
                vm.projectRoot(),
                "/../../shared/vectors/eip2537/eips-assets/fail-pairing_check_bls.json"
            )
        );
        bytes memory input = vm.parseJsonBytes(vectors, "[19].Input");
        bytes memory point = new bytes(128);
        for (uint256 i = 0; i < 128; i++) {
            point[i] = input[i];
        }
        return BLS12381.decodeG1(point);
    }

    function test_rejectsKeyOutsideSubgroup() public {
        BLS12381.G1Point memory bad = nonSubgroupKey();
        assertFalse(BLS12381.inSubgroup(bad), "vector point must be outside the subgroup");
        bytes memory data6 = registrationData(bad, pop(SK_A, alice));
        vm.expectRevert(RampartOperatorRegistry.InvalidProofOfPossession.selector);
        registerForSet(alice, data6);
    }

    function test_rejectsMalformedKeyEncoding() public {
        BLS12381.G1Point memory pk = pubkeyOf(SK_A);
        pk.xA |= 1 << 200; // non-zero padding
        bytes memory data7 = registrationData(pk, pop(SK_A, alice));
        vm.expectRevert(RampartOperatorRegistry.InvalidPublicKey.selector);
        registerForSet(alice, data7);
    }

    function test_rejectsDuplicateKey() public {
        registerForSet(alice, registrationData(pubkeyOf(SK_A), pop(SK_A, alice)));
        // Bob holds a valid PoP for the same key (it binds his address), yet the key is taken.
        bytes memory data8 = registrationData(pubkeyOf(SK_A), pop(SK_A, bob));
        vm.expectRevert(
            abi.encodeWithSelector(RampartOperatorRegistry.KeyAlreadyRegistered.selector, alice)
        );
        registerForSet(bob, data8);
    }

    function test_oneKeyPerOperatorForever() public {
        registerForSet(alice, registrationData(pubkeyOf(SK_A), pop(SK_A, alice)));
        vm.roll(block.number + 1);
        deregister(alice);
        vm.roll(block.number + 10);
        bytes memory data9 = registrationData(pubkeyOf(SK_B), pop(SK_B, alice));
        vm.expectRevert(RampartOperatorRegistry.KeyMismatch.selector);
        registerForSet(alice, data9);
        // The original key registers again without a new proof being checked.
        BLS12381.G2Point memory noProof;
        registerForSet(alice, registrationData(pubkeyOf(SK_A), noProof));
    }

    function test_rejectsBelowMinimumStake() public {
        address poor = address(0xBEEF);
        prepareOperator(poor, MIN_STAKE - 1);
        uint256 sk = 0xC0FFEE;
        bytes memory data10 = registrationData(pubkeyOf(sk), pop(sk, poor));
        vm.expectRevert(
            abi.encodeWithSelector(
                RampartOperatorRegistry.InsufficientStake.selector, MIN_STAKE - 1, MIN_STAKE
            )
        );
        registerForSet(poor, data10);
    }

    function test_onlyAllocationManagerCallsHooks() public {
        uint32[] memory ids = new uint32[](1);
        ids[0] = SET_ID;
        bytes memory data = registrationData(pubkeyOf(SK_A), pop(SK_A, alice));
        vm.expectRevert(RampartOperatorRegistry.OnlyAllocationManager.selector);
        registry.registerOperator(alice, address(serviceManager), ids, data);
        vm.expectRevert(RampartOperatorRegistry.OnlyAllocationManager.selector);
        registry.deregisterOperator(alice, address(serviceManager), ids);
    }

    function test_updateStakesAfterDeposit() public {
        BLS12381.G1Point memory pk = pubkeyOf(SK_A);
        registerForSet(alice, registrationData(pk, pop(SK_A, alice)));
        vm.roll(block.number + 1);
        depositAndDelegate(address(0x5157), alice, 50e18);
        address[] memory ops = new address[](1);
        ops[0] = alice;
        registry.updateStakes(ops);
        vm.roll(block.number + 1);
        (uint96 stake,) = registry.stakeAt(SET_ID, keyHash(pk), uint32(block.number - 1));
        assertEq(stake, STAKE + 50e18, "stake after deposit");
        (, uint96 total) = registry.apkAt(SET_ID, uint32(block.number - 1));
        assertEq(total, STAKE + 50e18, "total after deposit");
        (stake,) = registry.stakeAt(SET_ID, keyHash(pk), uint32(block.number - 2));
        assertEq(stake, STAKE, "history keeps the old stake");
    }

    function assertMembers(address[] memory expected, string memory when) internal view {
        address[] memory list = registry.members(SET_ID);
        assertEq(list.length, expected.length, string.concat("member count ", when));
        assertEq(registry.memberCount(SET_ID), expected.length, string.concat("count ", when));
        for (uint256 i = 0; i < expected.length; i++) {
            assertEq(list[i], expected[i], string.concat("member order ", when));
            assertEq(registry.memberAt(SET_ID, i), expected[i], string.concat("memberAt ", when));
            assertTrue(registry.isMember(SET_ID, expected[i]), string.concat("isMember ", when));
        }
    }

    /// The member list follows registrations and deregistrations (swap-and-pop).
    function test_memberList() public {
        address carol = address(0xCA201);
        uint256 skC = 0xC4201;
        prepareOperator(carol, STAKE);
        address[] memory expected = new address[](0);
        assertMembers(expected, "empty");

        registerForSet(alice, registrationData(pubkeyOf(SK_A), pop(SK_A, alice)));
        registerForSet(bob, registrationData(pubkeyOf(SK_B), pop(SK_B, bob)));
        registerForSet(carol, registrationData(pubkeyOf(skC), pop(skC, carol)));
        expected = new address[](3);
        (expected[0], expected[1], expected[2]) = (alice, bob, carol);
        assertMembers(expected, "after three joined");

        vm.roll(block.number + 1);
        deregister(alice); // the first leaves: the last takes its place
        expected = new address[](2);
        (expected[0], expected[1]) = (carol, bob);
        assertMembers(expected, "after alice left");
        assertFalse(registry.isMember(SET_ID, alice), "alice is out");

        deregister(bob); // the last leaves
        expected = new address[](1);
        expected[0] = carol;
        assertMembers(expected, "after bob left");
        assertFalse(registry.isMember(SET_ID, bob), "bob is out");
        assertFalse(registry.isMember(SET_ID + 1, carol), "not in another set");

        vm.roll(block.number + 10); // past EigenLayer's deallocation delay
        registerForSet(alice, registrationData(pubkeyOf(SK_A), pop(SK_A, alice)));
        expected = new address[](2);
        (expected[0], expected[1]) = (carol, alice);
        assertMembers(expected, "after alice came back");
    }

    function test_supportsOnlyRampart() public view {
        assertTrue(registry.supportsAVS(address(serviceManager)), "rampart");
        assertFalse(registry.supportsAVS(address(0xdead)), "other avs");
    }

    function test_configIsGoverned() public {
        IStrategy[] memory strategies = new IStrategy[](1);
        strategies[0] = strategy;
        uint96[] memory multipliers = new uint96[](1);
        multipliers[0] = 1e18;
        vm.expectRevert("Ownable: caller is not the owner");
        registry.configureOperatorSet(SET_ID, strategies, multipliers, 0);
    }
}
