// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {RampartTestBase} from "./base/RampartTestBase.sol";
import {Groth16Fixture} from "./base/Groth16Fixture.sol";
import {BLS12381} from "../src/bls/BLS12381.sol";
import {Checkpoint} from "../src/libraries/RampartDigests.sol";
import {RampartProofCenter} from "../src/RampartProofCenter.sol";
import {RampartSlasher} from "../src/RampartSlasher.sol";

/// @notice The proof-backed slashing paths on the real registry, EigenLayer and real proofs
/// from the Rust prover: signers of a certified root a proof contradicts, and drawn provers that
/// miss their deadline — each slashed once by the rollup's wad, and never an honest operator
/// (the signer of the proven root, a non-signer, an operator that joined after the certificate,
/// a prover whose predecessor was late, a job nobody stored, an unprovable batch).
contract SlasherProofsTest is RampartTestBase, Groth16Fixture {
    uint32 internal constant WINDOW = 20;
    uint64 internal constant MISSED_WAD = 0.1e18;
    uint64 internal constant CONTRADICTION_WAD = 0.5e18;
    /// The last of the four operators never signs the certificates here.
    uint256 internal constant NON_SIGNER_MASK = 1 << 3;

    FixtureProof internal p0;
    FixtureProof internal p1;

    function setUp() public {
        deployRampart();
        for (uint256 i = 0; i < 4; i++) {
            addOperator(0x51A5 + i, STAKE);
        }
        p0 = fixtureProof(0);
        p1 = fixtureProof(1);
        vm.prank(governance);
        proofCenter.registerProofConfig(
            rollupId,
            RampartProofCenter.ProofParams(
                fixtureVk(), fixtureGenesis(), WINDOW, MISSED_WAD, CONTRADICTION_WAD
            )
        );
        vm.roll(block.number + 1);
    }

    // ------------------------------------------------------------ helpers

    function commitProvable(uint64 batchIndex, bytes32 commitment) internal {
        vm.prank(batcher);
        center.commitBatch(rollupId, batchIndex, 1000 + batchIndex, commitment);
    }

    /// @dev Certifies `root` for batch 0, signed by every operator but the last; returns the
    /// evidence as the `CertificateSubmitted` event carries it.
    function certify(bytes32 root)
        internal
        returns (Checkpoint memory c, uint32 ref, bytes32[] memory nonSignerHashes)
    {
        c = checkpointFor(0, root);
        ref = uint32(block.number - 1);
        (BLS12381.G1Point[] memory nonSigners, BLS12381.G2Point memory agg) =
            certificateInputs(c, NON_SIGNER_MASK);
        center.submitCertificate(c, ref, nonSigners, agg);
        nonSignerHashes = new bytes32[](1);
        nonSignerHashes[0] = operators[3].keyHash;
    }

    function prove(uint64 batchIndex, FixtureProof memory p) internal {
        vm.prank(proofCenter.job(rollupId, batchIndex).prover);
        proofCenter.submitProof(rollupId, batchIndex, p.newStateRoot, p.proof);
    }

    function assertSlashedByWad(address who, uint256 before, uint256 wad) internal view {
        uint256 expected = before - before * wad / 1e18;
        uint256 now_ = slashableStake(who);
        assertLe(now_, expected, "slashed at least the wad");
        assertGt(now_ + 2, expected, "slashed no more than the wad");
    }

    function stakes() internal view returns (uint256[] memory s) {
        s = new uint256[](operators.length);
        for (uint256 i = 0; i < s.length; i++) {
            s[i] = slashableStake(operators[i].addr);
        }
    }

    // ------------------------------------------------------------ contradicted certificates

    function test_signersOfAContradictedRootAreSlashedOnceEach() public {
        commitProvable(0, p0.batchCommitment);
        vm.roll(block.number + 2);
        (Checkpoint memory c, uint32 ref, bytes32[] memory ns) = certify(keccak256("a lie"));
        prove(0, p0);
        uint256[] memory before = stakes();

        for (uint256 i = 0; i < 3; i++) {
            slasher.slashContradictedSigner(c, ref, ns, operators[i].addr);
            assertSlashedByWad(operators[i].addr, before[i], CONTRADICTION_WAD);
        }
        // The non-signer is not slashable and keeps its stake.
        vm.expectRevert(
            abi.encodeWithSelector(RampartSlasher.NotASigner.selector, operators[3].addr)
        );
        slasher.slashContradictedSigner(c, ref, ns, operators[3].addr);
        assertEq(slashableStake(operators[3].addr), before[3], "non-signer untouched");
        // Each fault once.
        bytes32 id = slasher.contradictionFaultId(operators[0].addr, rollupId, 0);
        assertTrue(slasher.slashed(id), "recorded");
        vm.expectRevert(abi.encodeWithSelector(RampartSlasher.AlreadySlashed.selector, id));
        slasher.slashContradictedSigner(c, ref, ns, operators[0].addr);
    }

    function test_signersOfTheProvenRootCannotBeSlashed() public {
        commitProvable(0, p0.batchCommitment);
        vm.roll(block.number + 2);
        (Checkpoint memory c, uint32 ref, bytes32[] memory ns) = certify(p0.newStateRoot);
        prove(0, p0);
        uint256[] memory before = stakes();
        for (uint256 i = 0; i < 3; i++) {
            vm.expectRevert(
                abi.encodeWithSelector(RampartSlasher.NotContradicted.selector, rollupId, 0)
            );
            slasher.slashContradictedSigner(c, ref, ns, operators[i].addr);
        }
        uint256[] memory afterAll = stakes();
        for (uint256 i = 0; i < before.length; i++) {
            assertEq(afterAll[i], before[i], "honest signers untouched");
        }
    }

    function test_noSlashBeforeTheProof() public {
        commitProvable(0, p0.batchCommitment);
        vm.roll(block.number + 2);
        (Checkpoint memory c, uint32 ref, bytes32[] memory ns) = certify(keccak256("a lie"));
        vm.expectRevert(abi.encodeWithSelector(RampartProofCenter.NotProven.selector, rollupId, 0));
        slasher.slashContradictedSigner(c, ref, ns, operators[0].addr);
    }

    function test_evidenceThatIsNotTheCertificateIsRefused() public {
        commitProvable(0, p0.batchCommitment);
        vm.roll(block.number + 2);
        (Checkpoint memory c, uint32 ref, bytes32[] memory ns) = certify(keccak256("a lie"));
        prove(0, p0);
        bytes memory notIt =
            abi.encodeWithSelector(RampartSlasher.NotTheCertificate.selector, rollupId, 0);

        // Another root (e.g. the proven one) than the one certified.
        Checkpoint memory other = checkpointFor(0, p0.newStateRoot);
        vm.expectRevert(notIt);
        slasher.slashContradictedSigner(other, ref, ns, operators[0].addr);
        // Another reference block.
        vm.expectRevert(notIt);
        slasher.slashContradictedSigner(c, ref - 1, ns, operators[0].addr);
        // The non-signer dropped from the list, to pass it off as a signer.
        bytes32[] memory none = new bytes32[](0);
        vm.expectRevert(notIt);
        slasher.slashContradictedSigner(c, ref, none, operators[3].addr);
        // A batch without a certificate.
        commitProvable(1, p1.batchCommitment);
        Checkpoint memory uncertified = checkpointFor(1, keccak256("x"));
        vm.expectRevert(
            abi.encodeWithSelector(RampartSlasher.NotTheCertificate.selector, rollupId, 1)
        );
        slasher.slashContradictedSigner(uncertified, ref, ns, operators[0].addr);
        assertEq(slashableStake(operators[0].addr), STAKE, "nothing slashed");
    }

    function test_anOperatorThatJoinedAfterTheReferenceBlockIsNotASigner() public {
        commitProvable(0, p0.batchCommitment);
        vm.roll(block.number + 2);
        (Checkpoint memory c, uint32 ref, bytes32[] memory ns) = certify(keccak256("a lie"));
        prove(0, p0);
        Operator memory late = addOperator(0x1A7E, STAKE);
        vm.roll(block.number + 1);
        vm.expectRevert(abi.encodeWithSelector(RampartSlasher.NotASigner.selector, late.addr));
        slasher.slashContradictedSigner(c, ref, ns, late.addr);
        // An address with no key at all.
        vm.expectRevert(abi.encodeWithSelector(RampartSlasher.NoKey.selector, address(0xBEEF)));
        slasher.slashContradictedSigner(c, ref, ns, address(0xBEEF));
    }

    // ------------------------------------------------------------ missed proving jobs

    function test_aProverThatMissesItsDeadlineIsSlashedOnce() public {
        commitProvable(0, p0.batchCommitment);
        vm.roll(block.number + 2);
        address prover = proofCenter.assignJob(rollupId, 0);
        RampartProofCenter.JobInfo memory job = proofCenter.job(rollupId, 0);
        uint256[] memory before = stakes();

        // Until the deadline (inclusive) it has time.
        vm.roll(job.deadline);
        vm.expectRevert(
            abi.encodeWithSelector(RampartSlasher.NotMissed.selector, rollupId, 0, job.deadline)
        );
        slasher.slashMissedProof(rollupId, 0);

        vm.roll(job.deadline + 1);
        slasher.slashMissedProof(rollupId, 0);
        for (uint256 i = 0; i < operators.length; i++) {
            if (operators[i].addr == prover) {
                assertSlashedByWad(prover, before[i], MISSED_WAD);
            } else {
                assertEq(slashableStake(operators[i].addr), before[i], "others untouched");
            }
        }
        bytes32 id = slasher.missedProofFaultId(rollupId, 0);
        vm.expectRevert(abi.encodeWithSelector(RampartSlasher.AlreadySlashed.selector, id));
        slasher.slashMissedProof(rollupId, 0);
        // A proof after the deadline (by another member) does not undo the fault, nor repeat it.
        vm.prank(prover == operators[0].addr ? operators[1].addr : operators[0].addr);
        proofCenter.submitProof(rollupId, 0, p0.newStateRoot, p0.proof);
        vm.expectRevert(abi.encodeWithSelector(RampartSlasher.AlreadySlashed.selector, id));
        slasher.slashMissedProof(rollupId, 0);
    }

    function test_aProofInTimeIsNeverMissed() public {
        commitProvable(0, p0.batchCommitment);
        vm.roll(block.number + 2);
        prove(0, p0);
        uint64 deadline = proofCenter.job(rollupId, 0).deadline;
        vm.roll(deadline + 1000);
        vm.expectRevert(
            abi.encodeWithSelector(RampartSlasher.NotMissed.selector, rollupId, 0, deadline)
        );
        slasher.slashMissedProof(rollupId, 0);
    }

    function test_aLateProofIsMissedEvenByItsOwnProver() public {
        commitProvable(0, p0.batchCommitment);
        vm.roll(block.number + 2);
        address prover = proofCenter.assignJob(rollupId, 0);
        uint256 before = slashableStake(prover);
        vm.roll(proofCenter.job(rollupId, 0).deadline + 1);
        prove(0, p0);
        slasher.slashMissedProof(rollupId, 0);
        assertSlashedByWad(prover, before, MISSED_WAD);
    }

    function test_theWindowRunsFromALatePredecessorsProof() public {
        commitProvable(0, p0.batchCommitment);
        commitProvable(1, p1.batchCommitment);
        vm.roll(block.number + 2);
        proofCenter.assignJob(rollupId, 0);
        proofCenter.assignJob(rollupId, 1);
        RampartProofCenter.JobInfo memory job1 = proofCenter.job(rollupId, 1);

        // Batch 0 is still unproven past batch 1's deadline: batch 1 cannot be proven, so its
        // prover has missed nothing.
        vm.roll(job1.deadline + 5);
        vm.expectRevert(
            abi.encodeWithSelector(RampartSlasher.NotMissed.selector, rollupId, 1, type(uint64).max)
        );
        slasher.slashMissedProof(rollupId, 1);

        // Batch 0 is proven late; batch 1's prover gets a full window from that proof.
        prove(0, p0);
        uint64 extended = uint64(block.number) + WINDOW;
        vm.roll(extended);
        vm.expectRevert(
            abi.encodeWithSelector(RampartSlasher.NotMissed.selector, rollupId, 1, extended)
        );
        slasher.slashMissedProof(rollupId, 1);
        uint256 before = slashableStake(job1.prover);
        vm.roll(extended + 1);
        slasher.slashMissedProof(rollupId, 1);
        assertSlashedByWad(job1.prover, before, MISSED_WAD);
    }

    function test_aJobWithoutAStoredDrawIsNobodysFault() public {
        commitProvable(0, p0.batchCommitment);
        // Nobody stores the draw, and its block hash expires.
        vm.roll(block.number + 300);
        vm.expectRevert(
            abi.encodeWithSelector(RampartSlasher.NoStoredAssignment.selector, rollupId, 0)
        );
        slasher.slashMissedProof(rollupId, 0);
    }

    function test_anUnprovableBatchIsNobodysFault() public {
        commitProvable(0, bytes32(type(uint256).max));
        vm.roll(block.number + 2);
        proofCenter.assignJob(rollupId, 0);
        vm.roll(block.number + WINDOW + 10);
        vm.expectRevert(abi.encodeWithSelector(RampartSlasher.Unprovable.selector, rollupId, 0));
        slasher.slashMissedProof(rollupId, 0);
    }

    function test_rollupsWithoutProofsHaveNoJobs() public {
        vm.expectRevert(abi.encodeWithSelector(RampartProofCenter.NoProofConfig.selector, 77));
        slasher.slashMissedProof(77, 0);
    }
}
