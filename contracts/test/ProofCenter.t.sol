// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {RampartTestBase} from "./base/RampartTestBase.sol";
import {Groth16Fixture} from "./base/Groth16Fixture.sol";
import {Vm} from "./base/Test.sol";
import {Groth16} from "../src/libraries/Groth16.sol";
import {RampartAttestationCenter} from "../src/RampartAttestationCenter.sol";
import {RampartProofCenter} from "../src/RampartProofCenter.sol";

/// @notice Proving jobs and validity proofs on the real registry and EigenLayer, with real
/// proofs from the Rust prover: configuration rules, the prover draw, the exclusive window,
/// chaining from the proven root, binding to the committed batch, and every rejection.
contract ProofCenterTest is RampartTestBase, Groth16Fixture {
    uint32 internal constant WINDOW = 20;
    uint64 internal constant MISSED_WAD = 0.1e18;
    uint64 internal constant CONTRADICTION_WAD = 0.5e18;
    uint256 internal constant MEMBERS = 4;

    FixtureProof internal p0;
    FixtureProof internal p1;

    function setUp() public {
        deployRampart();
        for (uint256 i = 0; i < MEMBERS; i++) {
            addOperator(0x9500 + i, STAKE);
        }
        p0 = fixtureProof(0);
        p1 = fixtureProof(1);
        vm.prank(governance);
        proofCenter.registerProofConfig(rollupId, params(WINDOW));
        vm.roll(block.number + 1);
    }

    // ------------------------------------------------------------ helpers

    function params(uint32 window) internal view returns (RampartProofCenter.ProofParams memory) {
        return RampartProofCenter.ProofParams(
            fixtureVk(), fixtureGenesis(), window, MISSED_WAD, CONTRADICTION_WAD
        );
    }

    /// @dev A second rollup on `setId`, with a proof configuration of `window` blocks when
    /// `window` is non-zero.
    function newRollup(uint32 setId, uint32 window) internal returns (uint64 id) {
        vm.startPrank(governance);
        id = center.registerRollup(
            RampartAttestationCenter.RollupParams(
                rollupOwner, batcher, setId, THRESHOLD_BPS, EQUIVOCATION_WAD
            )
        );
        if (window != 0) proofCenter.registerProofConfig(id, params(window));
        vm.stopPrank();
    }

    function commitTo(uint64 id, uint64 batchIndex, bytes32 commitment) internal {
        vm.prank(batcher);
        center.commitBatch(id, batchIndex, 1000 + batchIndex, commitment);
    }

    function drawn(uint64 id, uint64 batchIndex) internal view returns (address) {
        return proofCenter.job(id, batchIndex).prover;
    }

    function submitAs(address who, uint64 id, uint64 batchIndex, FixtureProof memory p) internal {
        vm.prank(who);
        proofCenter.submitProof(id, batchIndex, p.newStateRoot, p.proof);
    }

    function otherMember(address notThis) internal view returns (address) {
        for (uint256 i = 0; i < operators.length; i++) {
            if (operators[i].addr != notThis) return operators[i].addr;
        }
        revert("no other member");
    }

    /// @dev Commits batches 0 and 1 with the fixture commitments and mines past the draw block.
    function commitBoth() internal {
        commitTo(rollupId, 0, p0.batchCommitment);
        commitTo(rollupId, 1, p1.batchCommitment);
        vm.roll(block.number + 2);
    }

    // ------------------------------------------------------------ configuration

    function test_configIsStored() public view {
        RampartProofCenter.ProofConfig memory c = proofCenter.proofConfig(rollupId);
        assertTrue(c.verifyingKey != address(0), "key contract");
        assertEq(c.operatorSetId, SET_ID, "set copied from the rollup");
        assertEq(c.provingWindow, WINDOW, "window");
        assertEq(c.provenBatches, 0, "nothing proven");
        assertEq(c.missedProofWad, MISSED_WAD, "missed-proof wad");
        assertEq(c.contradictionWad, CONTRADICTION_WAD, "contradiction wad");
        assertEq(c.genesisStateRoot, fixtureGenesis(), "genesis");
        assertEq(
            abi.encode(proofCenter.verifyingKey(rollupId)), abi.encode(fixtureVk()), "key read back"
        );
        (uint64 next, bytes32 prev) = proofCenter.nextBatchToProve(rollupId);
        assertEq(next, 0, "batch 0 is next");
        assertEq(prev, fixtureGenesis(), "from the genesis root");
    }

    function test_configRules() public {
        RampartProofCenter.ProofParams memory ok = params(WINDOW);

        vm.expectRevert(RampartProofCenter.OnlyGovernance.selector);
        vm.prank(rollupOwner);
        proofCenter.registerProofConfig(rollupId, ok);

        vm.expectRevert(
            abi.encodeWithSelector(RampartProofCenter.AlreadyConfigured.selector, rollupId)
        );
        vm.prank(governance);
        proofCenter.registerProofConfig(rollupId, ok);

        vm.expectRevert(abi.encodeWithSelector(RampartAttestationCenter.UnknownRollup.selector, 99));
        vm.prank(governance);
        proofCenter.registerProofConfig(99, ok);

        // Only before the rollup's first commit: the key is fixed from batch 0 on.
        uint64 started = newRollup(SET_ID, 0);
        commitTo(started, 0, p0.batchCommitment);
        vm.expectRevert(
            abi.encodeWithSelector(RampartProofCenter.RollupAlreadyStarted.selector, started)
        );
        vm.prank(governance);
        proofCenter.registerProofConfig(started, ok);

        uint64 fresh = newRollup(SET_ID, 0);
        RampartProofCenter.ProofParams memory bad = params(0);
        expectConfigRevert(
            fresh, bad, abi.encodePacked(RampartProofCenter.InvalidProvingWindow.selector)
        );
        bad = params(WINDOW);
        bad.missedProofWad = 1e18 + 1;
        expectConfigRevert(fresh, bad, abi.encodePacked(RampartProofCenter.InvalidWad.selector));
        bad = params(WINDOW);
        bad.contradictionWad = 1e18 + 1;
        expectConfigRevert(fresh, bad, abi.encodePacked(RampartProofCenter.InvalidWad.selector));
        bad = params(WINDOW);
        bad.genesisStateRoot = bytes32(Groth16.R);
        expectConfigRevert(
            fresh, bad, abi.encodePacked(RampartProofCenter.GenesisRootNotInField.selector)
        );
        bad = params(WINDOW);
        bad.verifyingKey.beta[0] = addmod(bad.verifyingKey.beta[0], 1, Groth16.Q);
        expectConfigRevert(fresh, bad, abi.encodePacked(Groth16.InvalidVerifyingKey.selector));

        // Full shares and a one-block window are allowed.
        ok.missedProofWad = 1e18;
        ok.contradictionWad = 1e18;
        ok.provingWindow = 1;
        vm.prank(governance);
        proofCenter.registerProofConfig(fresh, ok);
    }

    function expectConfigRevert(
        uint64 id,
        RampartProofCenter.ProofParams memory p,
        bytes memory err
    ) internal {
        vm.expectRevert(err);
        vm.prank(governance);
        // A bad key makes a precompile fail, which burns the gas it was given: bound it.
        proofCenter.registerProofConfig{gas: 5_000_000}(id, p);
    }

    function test_rollupsWithoutConfigHaveNoJobs() public {
        uint64 plain = newRollup(SET_ID, 0);
        commitTo(plain, 0, keccak256("evm block"));
        vm.roll(block.number + 2);
        assertEq(proofCenter.proofConfig(plain).verifyingKey, address(0), "no config");
        bytes memory err = abi.encodeWithSelector(RampartProofCenter.NoProofConfig.selector, plain);
        vm.expectRevert(err);
        proofCenter.job(plain, 0);
        vm.expectRevert(err);
        proofCenter.assignJob(plain, 0);
        vm.expectRevert(err);
        submitAs(operators[0].addr, plain, 0, p0);
    }

    // ------------------------------------------------------------ proofs

    function test_provesAndChains() public {
        commitBoth();
        RampartProofCenter.JobInfo memory j = proofCenter.job(rollupId, 0);
        assertTrue(registry.isMember(SET_ID, j.prover), "drawn from the set");
        assertFalse(j.assignmentStored, "not stored yet");
        assertEq(j.deadline, j.commitBlock + WINDOW, "deadline");
        assertEq(j.commitBlock, center.batchCommitBlock(rollupId, 0), "commit block");

        vm.recordLogs();
        submitAs(j.prover, rollupId, 0, p0);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 2, "JobAssigned + ProofSubmitted");
        assertEq(logs[0].topics[0], RampartProofCenter.JobAssigned.selector, "draw stored");
        assertEq(logs[1].topics[0], RampartProofCenter.ProofSubmitted.selector, "proof event");
        assertEq(uint256(logs[1].topics[3]), uint256(uint160(j.prover)), "prover topic");
        (bytes32 prev, bytes32 next, address assigned, bytes32 commitment) =
            abi.decode(logs[1].data, (bytes32, bytes32, address, bytes32));
        assertEq(prev, fixtureGenesis(), "event prev");
        assertEq(next, p0.newStateRoot, "event new");
        assertEq(assigned, j.prover, "event assigned");
        assertEq(commitment, p0.batchCommitment, "event commitment");

        assertEq(proofCenter.provenRoot(rollupId, 0), p0.newStateRoot, "root of batch 0");
        j = proofCenter.job(rollupId, 0);
        assertTrue(j.proven && j.assignmentStored, "proven, draw stored");
        assertEq(j.provenRoot, p0.newStateRoot, "job root");
        assertEq(j.provenBlock, block.number, "proof block");
        (uint64 nextBatch, bytes32 from) = proofCenter.nextBatchToProve(rollupId);
        assertEq(nextBatch, 1, "batch 1 next");
        assertEq(from, p0.newStateRoot, "from the proven root");

        // Batch 1 starts from the root proven for batch 0.
        submitAs(drawn(rollupId, 1), rollupId, 1, p1);
        assertEq(proofCenter.provenRoot(rollupId, 1), p1.newStateRoot, "root of batch 1");
        (nextBatch, from) = proofCenter.nextBatchToProve(rollupId);
        assertEq(nextBatch, 2, "batch 2 next");
        assertEq(from, p1.newStateRoot, "from batch 1's root");
        assertEq(proofCenter.proofConfig(rollupId).provenBatches, 2, "two proven");
    }

    function test_rejectsProofNotFromTheProvenRoot() public {
        // Batch 0 committed with proof 1's commitment: proof 1 starts at r1, not at genesis.
        commitTo(rollupId, 0, p1.batchCommitment);
        vm.roll(block.number + 2);
        address prover = drawn(rollupId, 0);
        vm.expectRevert(RampartProofCenter.InvalidProof.selector);
        submitAs(prover, rollupId, 0, p1);
    }

    function test_rejectsProofFromAnOlderRoot() public {
        // Batch 1 committed with proof 0's commitment: proof 0 starts at genesis, but batch 1
        // must start at the root proven for batch 0.
        commitTo(rollupId, 0, p0.batchCommitment);
        commitTo(rollupId, 1, p0.batchCommitment);
        vm.roll(block.number + 2);
        submitAs(drawn(rollupId, 0), rollupId, 0, p0);
        address prover = drawn(rollupId, 1);
        vm.expectRevert(RampartProofCenter.InvalidProof.selector);
        submitAs(prover, rollupId, 1, p0);
    }

    function test_rejectsProofForAnotherCommitment() public {
        commitTo(rollupId, 0, bytes32(uint256(p0.batchCommitment) - 1));
        vm.roll(block.number + 2);
        address prover = drawn(rollupId, 0);
        vm.expectRevert(RampartProofCenter.InvalidProof.selector);
        submitAs(prover, rollupId, 0, p0);
    }

    function test_rejectsAnotherNewRoot() public {
        commitBoth();
        address prover = drawn(rollupId, 0);
        vm.expectRevert(RampartProofCenter.InvalidProof.selector);
        vm.prank(prover);
        proofCenter.submitProof(rollupId, 0, p1.newStateRoot, p0.proof);
        vm.expectRevert(abi.encodeWithSelector(Groth16.InputNotInField.selector, 1));
        vm.prank(prover);
        proofCenter.submitProof(
            rollupId, 0, bytes32(uint256(p0.newStateRoot) + Groth16.R), p0.proof
        );
    }

    function test_commitmentOutsideTheFieldCannotBeProven() public {
        commitTo(rollupId, 0, bytes32(Groth16.R));
        vm.roll(block.number + 2);
        address prover = drawn(rollupId, 0);
        vm.expectRevert(abi.encodeWithSelector(Groth16.InputNotInField.selector, 2));
        submitAs(prover, rollupId, 0, p0);
    }

    function test_rejectsOutOfOrderAndDoubleProofs() public {
        commitBoth();
        address prover1 = drawn(rollupId, 1);
        vm.expectRevert(
            abi.encodeWithSelector(RampartProofCenter.PreviousBatchNotProven.selector, rollupId, 0)
        );
        submitAs(prover1, rollupId, 1, p1);

        address prover = drawn(rollupId, 0);
        submitAs(prover, rollupId, 0, p0);
        bytes memory again =
            abi.encodeWithSelector(RampartProofCenter.AlreadyProven.selector, rollupId, 0);
        vm.expectRevert(again);
        submitAs(prover, rollupId, 0, p0);
        vm.roll(block.number + WINDOW);
        vm.expectRevert(again);
        submitAs(otherMember(prover), rollupId, 0, p0);
    }

    function test_rejectsUncommittedBatches() public {
        bytes memory err =
            abi.encodeWithSelector(RampartProofCenter.BatchNotCommitted.selector, rollupId, 0);
        vm.expectRevert(err);
        proofCenter.job(rollupId, 0);
        vm.expectRevert(err);
        proofCenter.assignJob(rollupId, 0);
        vm.expectRevert(err);
        submitAs(operators[0].addr, rollupId, 0, p0);
        vm.expectRevert(abi.encodeWithSelector(RampartProofCenter.NotProven.selector, rollupId, 0));
        proofCenter.provenRoot(rollupId, 0);
    }

    // ------------------------------------------------------------ who may prove, and when

    function test_onlyTheDrawnProverBeforeTheDeadline() public {
        commitBoth();
        RampartProofCenter.JobInfo memory j = proofCenter.job(rollupId, 0);
        bytes memory notAssigned =
            abi.encodeWithSelector(RampartProofCenter.NotAssignedProver.selector, j.prover);
        vm.expectRevert(notAssigned);
        submitAs(otherMember(j.prover), rollupId, 0, p0);
        vm.expectRevert(notAssigned);
        submitAs(address(0xBAD), rollupId, 0, p0);
        // Still exclusive at the deadline block itself.
        vm.roll(j.deadline);
        vm.expectRevert(notAssigned);
        submitAs(otherMember(j.prover), rollupId, 0, p0);
        submitAs(j.prover, rollupId, 0, p0);
    }

    function test_anyMemberAfterTheDeadline() public {
        commitBoth();
        RampartProofCenter.JobInfo memory j = proofCenter.job(rollupId, 0);
        vm.roll(j.deadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(RampartProofCenter.NotSetMember.selector, address(0xBAD))
        );
        submitAs(address(0xBAD), rollupId, 0, p0);

        address helper = otherMember(j.prover);
        vm.recordLogs();
        submitAs(helper, rollupId, 0, p0);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        Vm.Log memory proofLog = logs[logs.length - 1];
        assertEq(uint256(proofLog.topics[3]), uint256(uint160(helper)), "helper proved");
        (,, address assigned,) = abi.decode(proofLog.data, (bytes32, bytes32, address, bytes32));
        assertEq(assigned, j.prover, "the drawn prover is recorded as the one that missed");
        RampartProofCenter.JobInfo memory after_ = proofCenter.job(rollupId, 0);
        assertEq(after_.prover, j.prover, "draw stored with the proof");
        assertGt(after_.provenBlock, after_.deadline, "proven late");
    }

    function test_membersLeavingDoNotChangeAStoredDraw() public {
        commitBoth();
        address prover = proofCenter.assignJob(rollupId, 0);
        for (uint256 i = 0; i < operators.length; i++) {
            if (operators[i].addr != prover) {
                deregister(operators[i].addr);
                break;
            }
        }
        assertEq(drawn(rollupId, 0), prover, "stored draw kept");
        submitAs(prover, rollupId, 0, p0);
    }

    // ------------------------------------------------------------ the draw

    function test_drawNeedsTheBlockAfterTheCommit() public {
        commitTo(rollupId, 0, p0.batchCommitment);
        uint64 commitBlock = uint64(block.number);
        bytes memory pending = abi.encodeWithSelector(
            RampartProofCenter.AssignmentNotYetDeterminable.selector, commitBlock + 2
        );
        for (uint256 k = 0; k < 2; k++) {
            // In the commit block and in the block after it, nobody can know the prover.
            assertEq(drawn(rollupId, 0), address(0), "no prover yet");
            vm.expectRevert(pending);
            proofCenter.assignJob(rollupId, 0);
            for (uint256 i = 0; i < operators.length; i++) {
                vm.expectRevert(pending);
                submitAs(operators[i].addr, rollupId, 0, p0);
            }
            vm.roll(block.number + 1);
        }
        address predicted = drawn(rollupId, 0);
        vm.recordLogs();
        address prover = proofCenter.assignJob(rollupId, 0);
        assertEq(prover, predicted, "job() showed the draw");
        assertEq(vm.getRecordedLogs().length, 1, "JobAssigned");
        assertTrue(proofCenter.job(rollupId, 0).assignmentStored, "stored");
        // Idempotent: a second call returns the stored prover and emits nothing.
        vm.recordLogs();
        assertEq(proofCenter.assignJob(rollupId, 0), prover, "same prover");
        assertEq(vm.getRecordedLogs().length, 0, "no event");
    }

    function test_drawFollowsTheSeedFormula() public {
        commitTo(rollupId, 0, p0.batchCommitment);
        uint64 commitBlock = uint64(block.number);
        vm.roll(block.number + 2);
        uint256 seed = uint256(keccak256(abi.encode(blockhash(commitBlock + 1), rollupId, 0)));
        address expected = registry.memberAt(SET_ID, seed % registry.memberCount(SET_ID));
        assertEq(proofCenter.assignJob(rollupId, 0), expected, "members[seed % count]");
    }

    /// The prover is a function of the hash of the block after the commit: different hashes
    /// draw different members, always from the set, and over many hashes every member.
    function test_drawDependsOnTheBlockAfterTheCommit() public {
        commitTo(rollupId, 0, p0.batchCommitment);
        uint64 commitBlock = uint64(block.number);
        vm.roll(block.number + 2);
        uint256 seen;
        for (uint256 h = 1; h <= 64; h++) {
            vm.setBlockhash(commitBlock + 1, keccak256(abi.encode("block", h)));
            address prover = drawn(rollupId, 0);
            assertTrue(registry.isMember(SET_ID, prover), "drawn from the set");
            for (uint256 i = 0; i < operators.length; i++) {
                if (operators[i].addr == prover) seen |= 1 << i;
            }
        }
        assertEq(seen, (1 << MEMBERS) - 1, "every member drawn for some block hash");
    }

    function test_expiredDrawOpensTheJobToTheSet() public {
        uint64 id = newRollup(SET_ID, 1000);
        commitTo(id, 0, p0.batchCommitment);
        vm.roll(block.number + 300);
        assertEq(drawn(id, 0), address(0), "no prover can be drawn any more");
        vm.expectRevert(
            abi.encodeWithSelector(RampartProofCenter.AssignmentExpired.selector, id, 0)
        );
        proofCenter.assignJob(id, 0);
        vm.expectRevert(
            abi.encodeWithSelector(RampartProofCenter.NotSetMember.selector, address(0xBAD))
        );
        submitAs(address(0xBAD), id, 0, p0);
        vm.recordLogs();
        submitAs(operators[2].addr, id, 0, p0);
        assertEq(vm.getRecordedLogs().length, 1, "ProofSubmitted only");
        assertEq(proofCenter.provenRoot(id, 0), p0.newStateRoot, "proven by a member");
    }

    function test_emptySetHasNoProver() public {
        uint32 emptySet = SET_ID + 1;
        uint64 id = newRollup(emptySet, WINDOW);
        commitTo(id, 0, p0.batchCommitment);
        vm.roll(block.number + 2);
        assertEq(drawn(id, 0), address(0), "nobody to draw");
        vm.expectRevert(abi.encodeWithSelector(RampartProofCenter.NoMembers.selector, emptySet));
        proofCenter.assignJob(id, 0);
        vm.expectRevert(
            abi.encodeWithSelector(RampartProofCenter.NotSetMember.selector, operators[0].addr)
        );
        submitAs(operators[0].addr, id, 0, p0);
    }

    function test_verifyProofView() public view {
        assertTrue(
            proofCenter.verifyProof(
                rollupId, p0.prevStateRoot, p0.newStateRoot, p0.batchCommitment, p0.proof
            ),
            "proof 0"
        );
        assertFalse(
            proofCenter.verifyProof(
                rollupId, p0.prevStateRoot, p0.newStateRoot, p1.batchCommitment, p0.proof
            ),
            "wrong commitment"
        );
    }
}
