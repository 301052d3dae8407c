// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {RampartTestBase} from "./base/RampartTestBase.sol";
import {BLS12381} from "../src/bls/BLS12381.sol";
import {Checkpoint, RampartDigests} from "../src/libraries/RampartDigests.sol";
import {RampartAttestationCenter} from "../src/RampartAttestationCenter.sol";
import {RampartOperatorRegistry} from "../src/RampartOperatorRegistry.sol";

/// @notice Certificates against the real registry and EigenLayer: stake accounting at the
/// reference block, non-signer rules, domain separation, first-wins.
contract AttestationCenterTest is RampartTestBase {
    uint32 internal ref;

    function setUp() public {
        deployRampart();
        // Four operators with stakes 100, 100, 100, 100 (threshold 66.67%).
        for (uint256 i = 0; i < 4; i++) {
            addOperator(0x5EED0000 + i, STAKE);
        }
        vm.roll(block.number + 1);
        ref = uint32(block.number - 1);
        commit(0);
        vm.roll(block.number + 1);
    }

    function submit(Checkpoint memory c, uint256 nonSignerMask) internal {
        (BLS12381.G1Point[] memory nonSigners, BLS12381.G2Point memory agg) =
            certificateInputs(c, nonSignerMask);
        center.submitCertificate(c, ref, nonSigners, agg);
    }

    /// The block of every commit is recorded, eight to a storage word.
    function test_recordsCommitBlocks() public {
        uint64 firstBlock = center.batchCommitBlock(rollupId, 0);
        assertEq(firstBlock, block.number - 1, "batch 0 committed in the previous block");
        for (uint64 b = 1; b < 20; b++) {
            vm.roll(block.number + b % 3 + 1);
            commit(b);
            assertEq(center.batchCommitBlock(rollupId, b), block.number, "commit block");
        }
        assertEq(center.batchCommitBlock(rollupId, 0), firstBlock, "earlier lanes kept");
        for (uint64 b = 1; b < 20; b++) {
            assertGt(
                center.batchCommitBlock(rollupId, b),
                center.batchCommitBlock(rollupId, b - 1),
                "blocks increase"
            );
        }
        assertEq(center.batchCommitBlock(rollupId, 20), 0, "uncommitted batch");
        assertEq(center.batchCommitBlock(rollupId + 1, 0), 0, "unknown rollup");
    }

    function test_allSign() public {
        Checkpoint memory c = checkpointFor(0, keccak256("root"));
        vm.recordLogs();
        submit(c, 0);
        bytes32[] memory none = new bytes32[](0);
        assertEq(
            center.certificateCommitment(rollupId, 0),
            center.certificateHash(RampartDigests.hash(c), ref, none),
            "stored commitment"
        );
        assertEq(vm.getRecordedLogs().length, 1, "one CertificateSubmitted event");
    }

    function test_oneNonSignerAboveThreshold() public {
        Checkpoint memory c = checkpointFor(0, keccak256("root"));
        submit(c, 1 << 2);
        bytes32[] memory nonSigner = new bytes32[](1);
        nonSigner[0] = operators[2].keyHash;
        assertEq(
            center.certificateCommitment(rollupId, 0),
            center.certificateHash(RampartDigests.hash(c), ref, nonSigner),
            "commitment binds the non-signer"
        );
    }

    function test_belowThreshold() public {
        Checkpoint memory c = checkpointFor(0, keccak256("root"));
        (BLS12381.G1Point[] memory nonSigners, BLS12381.G2Point memory agg) =
            certificateInputs(c, (1 << 1) | (1 << 3));
        vm.expectRevert(
            abi.encodeWithSelector(
                RampartAttestationCenter.InsufficientSignedStake.selector, 2 * STAKE, 4 * STAKE
            )
        );
        center.submitCertificate(c, ref, nonSigners, agg);
    }

    /// Random non-signer subsets: accepted exactly when the signers hold the threshold.
    function testFuzz_thresholdIsExact(uint8 mask) public {
        mask = uint8(bound(mask, 0, 14)); // keep at least one signer
        Checkpoint memory c = checkpointFor(0, keccak256("fuzz"));
        (BLS12381.G1Point[] memory nonSigners, BLS12381.G2Point memory agg) =
            certificateInputs(c, mask);
        uint256 signed = (4 - nonSigners.length) * STAKE;
        if (signed * 10_000 < 4 * STAKE * THRESHOLD_BPS) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    RampartAttestationCenter.InsufficientSignedStake.selector, signed, 4 * STAKE
                )
            );
        }
        center.submitCertificate(c, ref, nonSigners, agg);
    }

    function test_unsortedNonSigners() public {
        Checkpoint memory c = checkpointFor(0, keccak256("root"));
        (BLS12381.G1Point[] memory nonSigners, BLS12381.G2Point memory agg) =
            certificateInputs(c, 0);
        nonSigners = new BLS12381.G1Point[](2);
        // The signature is irrelevant: ordering is checked first.
        (nonSigners[0], nonSigners[1]) = operators[0].keyHash > operators[1].keyHash
            ? (operators[0].pubkey, operators[1].pubkey)
            : (operators[1].pubkey, operators[0].pubkey);
        vm.expectRevert(RampartOperatorRegistry.NonSignersNotSorted.selector);
        center.submitCertificate(c, ref, nonSigners, agg);
    }

    function test_duplicateNonSigners() public {
        Checkpoint memory c = checkpointFor(0, keccak256("root"));
        (, BLS12381.G2Point memory agg) = certificateInputs(c, 1);
        BLS12381.G1Point[] memory nonSigners = new BLS12381.G1Point[](2);
        nonSigners[0] = operators[0].pubkey;
        nonSigners[1] = operators[0].pubkey;
        vm.expectRevert(RampartOperatorRegistry.NonSignersNotSorted.selector);
        center.submitCertificate(c, ref, nonSigners, agg);
    }

    function test_nonSignerNotRegisteredAtReferenceBlock() public {
        // A fifth operator registers after the reference block: it cannot be a non-signer there.
        Operator memory late = addOperator(0x1A7E, STAKE);
        vm.roll(block.number + 1);
        Checkpoint memory c = checkpointFor(0, keccak256("root"));
        (, BLS12381.G2Point memory agg) = certificateInputs(c, 1 << 4);
        BLS12381.G1Point[] memory nonSigners = new BLS12381.G1Point[](1);
        nonSigners[0] = late.pubkey;
        vm.expectRevert(
            abi.encodeWithSelector(
                RampartOperatorRegistry.NonSignerNotRegistered.selector, late.keyHash
            )
        );
        center.submitCertificate(c, ref, nonSigners, agg);
    }

    function test_malformedNonSignerIsRefusedCleanly() public {
        Checkpoint memory c = checkpointFor(0, keccak256("root"));
        (, BLS12381.G2Point memory agg) = certificateInputs(c, 0);
        BLS12381.G1Point[] memory nonSigners = new BLS12381.G1Point[](1);
        nonSigners[0] = BLS12381.G1Point(1, 2, 3, 4); // not a curve point
        bytes32 kh = keyHash(nonSigners[0]);
        vm.expectRevert(
            abi.encodeWithSelector(RampartOperatorRegistry.NonSignerNotRegistered.selector, kh)
        );
        center.submitCertificate(c, ref, nonSigners, agg);
    }

    function test_deregisteredOperatorStillCountsAtOldReference() public {
        uint32 oldRef = ref;
        deregister(operators[3].addr);
        vm.roll(block.number + 1);
        Checkpoint memory c = checkpointFor(0, keccak256("root"));
        (BLS12381.G1Point[] memory nonSigners, BLS12381.G2Point memory agg) =
            certificateInputs(c, 1 << 3);
        // At the old reference block operator 3 was registered: valid as a non-signer there.
        center.submitCertificate(c, oldRef, nonSigners, agg);
    }

    function test_staleAndFutureReferenceBlocks() public {
        Checkpoint memory c = checkpointFor(0, keccak256("root"));
        (BLS12381.G1Point[] memory nonSigners, BLS12381.G2Point memory agg) =
            certificateInputs(c, 0);
        uint32 current = uint32(block.number);
        vm.expectRevert(
            abi.encodeWithSelector(
                RampartAttestationCenter.ReferenceBlockNotInPast.selector, current
            )
        );
        center.submitCertificate(c, current, nonSigners, agg);
        vm.roll(block.number + 300);
        vm.expectRevert(
            abi.encodeWithSelector(RampartAttestationCenter.ReferenceBlockTooOld.selector, ref)
        );
        center.submitCertificate(c, ref, nonSigners, agg);
    }

    function test_batchMustBeCommitted() public {
        Checkpoint memory c = checkpointFor(1, keccak256("root"));
        (BLS12381.G1Point[] memory nonSigners, BLS12381.G2Point memory agg) =
            certificateInputs(c, 0);
        vm.expectRevert(
            abi.encodeWithSelector(RampartAttestationCenter.BatchNotCommitted.selector, 1)
        );
        center.submitCertificate(c, ref, nonSigners, agg);
    }

    function test_secondCertificateForTheBatchIsRejected() public {
        submit(checkpointFor(0, keccak256("root")), 0);
        Checkpoint memory other = checkpointFor(0, keccak256("other root"));
        (BLS12381.G1Point[] memory nonSigners, BLS12381.G2Point memory agg) =
            certificateInputs(other, 0);
        vm.expectRevert(
            abi.encodeWithSelector(RampartAttestationCenter.AlreadyCertified.selector, rollupId, 0)
        );
        center.submitCertificate(other, ref, nonSigners, agg);
    }

    function aggregateOver(bytes32 digest) internal view returns (BLS12381.G2Point memory agg) {
        for (uint256 i = 0; i < operators.length; i++) {
            BLS12381.G2Point memory sig =
                signDigest(operators[i].sk, digest, RampartDigests.DST_SIGNATURE);
            agg = i == 0 ? sig : BLS12381.add(agg, sig);
        }
    }

    function expectInvalid(Checkpoint memory c, BLS12381.G2Point memory agg) internal {
        BLS12381.G1Point[] memory none = new BLS12381.G1Point[](0);
        vm.expectRevert(RampartAttestationCenter.InvalidSignature.selector);
        center.submitCertificate(c, ref, none, agg);
    }

    function test_signatureForAnotherChain() public {
        Checkpoint memory c = checkpointFor(0, keccak256("root"));
        bytes32 structHash = RampartDigests.hash(c);
        bytes32 otherChain = RampartDigests.toTypedDataHash(
            keccak256(
                abi.encode(
                    RampartDigests.DOMAIN_TYPEHASH,
                    RampartDigests.NAME_HASH,
                    RampartDigests.VERSION_HASH,
                    block.chainid + 1,
                    address(center)
                )
            ),
            structHash
        );
        expectInvalid(c, aggregateOver(otherChain));
    }

    function test_signatureForAnotherContract() public {
        Checkpoint memory c = checkpointFor(0, keccak256("root"));
        expectInvalid(c, aggregateOver(RampartDigests.checkpointDigest(c, address(0xC0DE))));
    }

    function test_signatureForAnotherRollupOrSet() public {
        // A second rollup on the same operator set: its checkpoint signatures do not certify ours.
        vm.prank(governance);
        uint64 other = center.registerRollup(
            RampartAttestationCenter.RollupParams(
                rollupOwner, batcher, SET_ID, THRESHOLD_BPS, EQUIVOCATION_WAD
            )
        );
        Checkpoint memory c = checkpointFor(0, keccak256("root"));
        Checkpoint memory theirs =
            Checkpoint(other, c.batchIndex, c.l2BlockNumber, c.l2BlockHash, c.stateRoot);
        expectInvalid(c, aggregateOver(RampartDigests.checkpointDigest(theirs, address(center))));
    }

    function test_proofOfPossessionDomainIsNotAccepted() public {
        Checkpoint memory c = checkpointFor(0, keccak256("root"));
        bytes32 digest = RampartDigests.checkpointDigest(c, address(center));
        BLS12381.G2Point memory agg;
        for (uint256 i = 0; i < operators.length; i++) {
            BLS12381.G2Point memory sig =
                signDigest(operators[i].sk, digest, RampartDigests.DST_POP);
            agg = i == 0 ? sig : BLS12381.add(agg, sig);
        }
        expectInvalid(c, agg);
    }

    function test_infinitySignatureRejected() public {
        BLS12381.G2Point memory zero;
        expectInvalid(checkpointFor(0, keccak256("root")), zero);
    }

    function test_missingSignerMakesSignatureInvalid() public {
        Checkpoint memory c = checkpointFor(0, keccak256("root"));
        // Aggregate of operators 0..2 only, but nobody declared as non-signer.
        (, BLS12381.G2Point memory agg) = certificateInputs(c, 1 << 3);
        expectInvalid(c, agg);
    }

    function test_batchesAreCommittedInOrderByTheBatcher() public {
        vm.expectRevert(RampartAttestationCenter.OnlyBatcher.selector);
        center.commitBatch(rollupId, 1, 1001, bytes32(uint256(1)));
        vm.prank(batcher);
        vm.expectRevert(
            abi.encodeWithSelector(RampartAttestationCenter.BatchOutOfOrder.selector, 1)
        );
        center.commitBatch(rollupId, 5, 1005, bytes32(uint256(1)));
    }
}
