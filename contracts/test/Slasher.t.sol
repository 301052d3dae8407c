// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {RampartTestBase} from "./base/RampartTestBase.sol";
import {BLS12381} from "../src/bls/BLS12381.sol";
import {Checkpoint} from "../src/libraries/RampartDigests.sol";
import {RampartSlasher} from "../src/RampartSlasher.sol";
import {RampartServiceManager} from "../src/RampartServiceManager.sol";
import {
    IAllocationManager,
    IAllocationManagerTypes,
    IStrategy
} from "../src/interfaces/IEigenLayer.sol";

/// @notice Equivocation slashing through the real AllocationManager, and every way evidence
/// can be wrong — none of which may slash an honest operator.
contract SlasherTest is RampartTestBase {
    Operator internal liar;
    Operator internal honest;
    Checkpoint internal a;
    Checkpoint internal b;

    function setUp() public {
        deployRampart();
        liar = addOperator(0x11A2, STAKE);
        honest = addOperator(0x40E5, STAKE);
        vm.roll(block.number + 1);
        commit(0);
        a = checkpointFor(0, keccak256("root A"));
        b = checkpointFor(0, keccak256("root B"));
    }

    function test_equivocationIsSlashedByTheWad() public {
        uint256 before = slashableStake(liar.addr);
        uint256 honestBefore = slashableStake(honest.addr);
        slasher.slashEquivocation(
            liar.addr, a, signCheckpoint(liar.sk, a), b, signCheckpoint(liar.sk, b)
        );
        uint256 afterSlash = slashableStake(liar.addr);
        uint256 expected = before - before * EQUIVOCATION_WAD / 1e18;
        // AllocationManager rounds down: allow one unit of dust per step.
        assertLe(afterSlash, expected, "slashed at least the wad");
        assertGt(afterSlash + 2, expected, "slashed no more than the wad");
        assertEq(slashableStake(honest.addr), honestBefore, "honest operator untouched");
        assertTrue(slasher.slashed(slasher.equivocationFaultId(liar.addr, rollupId, 0)), "recorded");
    }

    function test_sameFaultIsSlashedOnce() public {
        BLS12381.G2Point memory sa = signCheckpoint(liar.sk, a);
        BLS12381.G2Point memory sb = signCheckpoint(liar.sk, b);
        slasher.slashEquivocation(liar.addr, a, sa, b, sb);
        bytes32 id = slasher.equivocationFaultId(liar.addr, rollupId, 0);
        vm.expectRevert(abi.encodeWithSelector(RampartSlasher.AlreadySlashed.selector, id));
        slasher.slashEquivocation(liar.addr, b, sb, a, sa);
    }

    function test_sameCheckpointTwiceIsNotEquivocation() public {
        BLS12381.G2Point memory sa = signCheckpoint(honest.sk, a);
        vm.expectRevert(RampartSlasher.NotConflicting.selector);
        slasher.slashEquivocation(honest.addr, a, sa, a, sa);
    }

    function test_differentBatchesAreNotEquivocation() public {
        commit(1);
        Checkpoint memory next = checkpointFor(1, keccak256("root B"));
        BLS12381.G2Point memory sa = signCheckpoint(honest.sk, a);
        BLS12381.G2Point memory sn = signCheckpoint(honest.sk, next);
        vm.expectRevert(RampartSlasher.NotConflicting.selector);
        slasher.slashEquivocation(honest.addr, a, sa, next, sn);
    }

    function test_signatureByAnotherKeyDoesNotSlash() public {
        // The honest operator signed A; the liar's signature on B is presented as the honest one's.
        BLS12381.G2Point memory sa = signCheckpoint(honest.sk, a);
        BLS12381.G2Point memory forged = signCheckpoint(liar.sk, b);
        vm.expectRevert(RampartSlasher.InvalidSignature.selector);
        slasher.slashEquivocation(honest.addr, a, sa, b, forged);
        assertEq(slashableStake(honest.addr), STAKE, "honest operator untouched");
    }

    function test_malformedSignaturesDoNotSlash() public {
        BLS12381.G2Point memory sa = signCheckpoint(honest.sk, a);
        BLS12381.G2Point memory zero;
        vm.expectRevert(RampartSlasher.InvalidSignature.selector);
        slasher.slashEquivocation(honest.addr, a, sa, b, zero);

        BLS12381.G2Point memory offCurve = sa;
        offCurve.y0B ^= 1;
        vm.expectRevert(RampartSlasher.InvalidSignature.selector);
        slasher.slashEquivocation(honest.addr, a, sa, b, offCurve);

        BLS12381.G2Point memory badField = sa;
        badField.x0A = type(uint256).max;
        vm.expectRevert(RampartSlasher.InvalidSignature.selector);
        slasher.slashEquivocation(honest.addr, a, sa, b, badField);
        assertEq(slashableStake(honest.addr), STAKE, "honest operator untouched");
    }

    function test_unknownOperatorAndRollup() public {
        BLS12381.G2Point memory sa = signCheckpoint(liar.sk, a);
        BLS12381.G2Point memory sb = signCheckpoint(liar.sk, b);
        vm.expectRevert(abi.encodeWithSelector(RampartSlasher.NoKey.selector, address(0x999)));
        slasher.slashEquivocation(address(0x999), a, sa, b, sb);
    }

    function test_onlyTheSlasherMaySlashThroughTheServiceManager() public {
        IStrategy[] memory strategies = new IStrategy[](1);
        strategies[0] = strategy;
        uint256[] memory wads = new uint256[](1);
        wads[0] = 1e18;
        vm.expectRevert(RampartServiceManager.OnlySlasher.selector);
        serviceManager.slashOperator(
            IAllocationManagerTypes.SlashingParams(honest.addr, SET_ID, strategies, wads, "rogue")
        );
    }
}
