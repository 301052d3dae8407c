// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {RampartTestBase} from "./base/RampartTestBase.sol";
import {Groth16Fixture} from "./base/Groth16Fixture.sol";
import {Groth16Harness} from "./harness/Groth16Harness.sol";
import {RampartAttestationCenter} from "../src/RampartAttestationCenter.sol";
import {RampartProofCenter} from "../src/RampartProofCenter.sol";
import {BLS12381} from "../src/bls/BLS12381.sol";
import {Checkpoint} from "../src/libraries/RampartDigests.sol";
import {IAllocationManagerTypes, IStrategy} from "../src/interfaces/IEigenLayer.sol";

/// @notice Gas of each entry point (execution gas, measured around the call; the intrinsic
/// 21,000 and calldata costs of a real transaction come on top). Targets from the contracts
/// issue are asserted; figures print with `forge test --match-contract GasTest -vv` and are
/// recorded in docs/benchmarks.md.
contract GasTest is RampartTestBase, Groth16Fixture {
    uint256 internal constant N = 10; // threshold 66.67% of 10 equal stakes: up to 3 non-signers

    // Proving: `provingRollup` has batches 0 and 1 committed, nothing proven and no draw stored;
    // `chainedRollup` has batch 0 proven and batch 1's draw stored (the steady state);
    // `freshRollup` has no commit yet; `contradictedRollup` has batch 0 certified with a root
    // its proof contradicts (one non-signer) and then proven.
    uint64 internal provingRollup;
    uint64 internal chainedRollup;
    uint64 internal freshRollup;
    uint64 internal contradictedRollup;
    Checkpoint internal lie;
    uint32 internal lieReference;
    bytes32[] internal lieNonSigners;
    address internal provingProver;
    address internal chainedProver;
    FixtureProof internal p0;
    FixtureProof internal p1;
    Groth16Harness internal groth16;
    address internal groth16Key;

    function setUp() public {
        deployRampart();
        for (uint256 i = 0; i < N; i++) {
            addOperator(0x6A5000 + i, STAKE);
        }
        vm.roll(block.number + 1);
        for (uint64 b = 0; b < 4; b++) {
            commit(b);
        }
        vm.roll(block.number + 1);
        setUpProving();
    }

    function setUpProving() internal {
        p0 = fixtureProof(0);
        p1 = fixtureProof(1);
        RampartProofCenter.ProofParams memory params =
            RampartProofCenter.ProofParams(fixtureVk(), fixtureGenesis(), 100, 0.1e18, 0.5e18);
        RampartAttestationCenter.RollupParams memory rollupParams =
            RampartAttestationCenter.RollupParams(
                rollupOwner, batcher, SET_ID, THRESHOLD_BPS, EQUIVOCATION_WAD
            );
        vm.startPrank(governance);
        provingRollup = center.registerRollup(rollupParams);
        proofCenter.registerProofConfig(provingRollup, params);
        chainedRollup = center.registerRollup(rollupParams);
        proofCenter.registerProofConfig(chainedRollup, params);
        freshRollup = center.registerRollup(rollupParams);
        contradictedRollup = center.registerRollup(rollupParams);
        proofCenter.registerProofConfig(contradictedRollup, params);
        vm.stopPrank();
        vm.startPrank(batcher);
        for (uint256 k = 0; k < 2; k++) {
            uint64 id = k == 0 ? provingRollup : chainedRollup;
            center.commitBatch(id, 0, 2000, p0.batchCommitment);
            center.commitBatch(id, 1, 2001, p1.batchCommitment);
        }
        center.commitBatch(contradictedRollup, 0, 2000, p0.batchCommitment);
        vm.stopPrank();
        vm.roll(block.number + 2);
        provingProver = proofCenter.job(provingRollup, 0).prover;
        vm.prank(proofCenter.job(chainedRollup, 0).prover);
        proofCenter.submitProof(chainedRollup, 0, p0.newStateRoot, p0.proof);
        chainedProver = proofCenter.assignJob(chainedRollup, 1);
        certifyLieAndProve();
        groth16 = new Groth16Harness();
        groth16Key = groth16.store(fixtureVk());
        vm.roll(block.number + 1);
    }

    /// @dev Batch 0 of `contradictedRollup`: a certificate for a root other than the proven one,
    /// signed by all operators but the last, then the proof. The evidence is kept as the
    /// `CertificateSubmitted` event carries it.
    function certifyLieAndProve() internal {
        lie = Checkpoint(contradictedRollup, 0, 2000, keccak256("l2 block"), keccak256("a lie"));
        lieReference = uint32(block.number - 1);
        (BLS12381.G1Point[] memory nonSigners, BLS12381.G2Point memory agg) =
            certificateInputs(lie, 1 << (N - 1));
        center.submitCertificate(lie, lieReference, nonSigners, agg);
        lieNonSigners.push(operators[N - 1].keyHash);
        vm.prank(proofCenter.job(contradictedRollup, 0).prover);
        proofCenter.submitProof(contradictedRollup, 0, p0.newStateRoot, p0.proof);
    }

    /// @dev Each measurement runs in its own test (its own transaction), so storage starts
    /// cold as it would on chain.
    function certificateGas(uint256 nonSignerMask) internal returns (uint256 used) {
        Checkpoint memory c = checkpointFor(0, keccak256("root"));
        (BLS12381.G1Point[] memory nonSigners, BLS12381.G2Point memory agg) =
            certificateInputs(c, nonSignerMask);
        uint32 ref = uint32(block.number - 1);
        used = gasleft();
        center.submitCertificate(c, ref, nonSigners, agg);
        used -= gasleft();
    }

    function test_gas_submitCertificate_0() public {
        uint256 used = certificateGas(0);
        log("submitCertificate, 0 non-signers", used);
        // Target 200k; floor = 152.8k of precompiles + 22.1k for the stored certificate
        // (docs/benchmarks.md). Regression bound:
        assertLe(used, 215_000, "certificate with no non-signers");
    }

    function test_gas_submitCertificate_1() public {
        uint256 used = certificateGas(1);
        log("submitCertificate, 1 non-signer", used);
        assertLe(used, 222_000, "certificate with 1 non-signer");
    }

    function test_gas_submitCertificate_3() public {
        uint256 used = certificateGas(0x7);
        log("submitCertificate, 3 non-signers", used);
        assertLe(used, 232_000, "certificate with 3 non-signers");
    }

    function test_gas_registration() public {
        address op = address(0xFACE);
        uint256 sk = 0xFEED;
        prepareOperator(op, STAKE);
        bytes memory data = registrationData(pubkeyOf(sk), pop(sk, op));
        uint32[] memory ids = new uint32[](1);
        ids[0] = SET_ID;
        vm.prank(op);
        uint256 full = gasleft();
        allocationManager.registerForOperatorSets(
            op, IAllocationManagerTypes.RegisterParams(address(serviceManager), ids, data)
        );
        full -= gasleft();
        log("registerForOperatorSets (AllocationManager + registrar)", full);
    }

    /// @dev The registrar's own work, called as AllocationManager would. The operator is not a
    /// member in AllocationManager here, so its slashable stake reads 0: the minimum is lowered
    /// to 0 so every write still happens.
    function test_gas_registrarHook() public {
        address op = address(0xFACE);
        uint256 sk = 0xFEED;
        prepareOperator(op, STAKE);
        (IStrategy[] memory strategies, uint96[] memory multipliers,) =
            registry.operatorSetConfig(SET_ID);
        vm.prank(governance);
        registry.configureOperatorSet(SET_ID, strategies, multipliers, 0);
        bytes memory data = registrationData(pubkeyOf(sk), pop(sk, op));
        uint32[] memory ids = new uint32[](1);
        ids[0] = SET_ID;
        vm.prank(address(allocationManager));
        uint256 used = gasleft();
        registry.registerOperator(op, address(serviceManager), ids, data);
        used -= gasleft();
        log("registry.registerOperator (PoP check + bookkeeping)", used);
        assertLe(used, 500_000, "registration with on-chain PoP");
    }

    function test_gas_slashEquivocation() public {
        commit(4);
        Checkpoint memory a = checkpointFor(4, keccak256("A"));
        Checkpoint memory b = checkpointFor(4, keccak256("B"));
        Operator memory liar = operators[0];
        BLS12381.G2Point memory sa = signCheckpoint(liar.sk, a);
        BLS12381.G2Point memory sb = signCheckpoint(liar.sk, b);
        uint256 used = gasleft();
        slasher.slashEquivocation(liar.addr, a, sa, b, sb);
        used -= gasleft();
        log("slashEquivocation (incl. AllocationManager.slashOperator)", used);
        // Target 450k; EigenLayer's slashOperator alone costs ~242k of this (see
        // docs/benchmarks.md). Regression bound on the total:
        assertLe(used, 600_000, "equivocation slash");
    }

    /// @dev A signer of the certified root that batch 0's proof contradicts (one non-signer in
    /// the certificate).
    function test_gas_slashContradictedSigner() public {
        Checkpoint memory c = lie;
        uint32 ref = lieReference;
        bytes32[] memory ns = lieNonSigners;
        address signer = operators[0].addr;
        uint256 used = gasleft();
        slasher.slashContradictedSigner(c, ref, ns, signer);
        used -= gasleft();
        log("slashContradictedSigner (incl. AllocationManager.slashOperator)", used);
        // No target; EigenLayer's slashOperator is ~242k of this. Regression bound:
        assertLe(used, 360_000, "contradiction slash");
    }

    /// @dev The steady state's batch 1 left unproven past its window, which runs from batch 0's
    /// proof (100 blocks, later than the job's own deadline): its drawn prover is slashed.
    function test_gas_slashMissedProof() public {
        vm.roll(block.number + 101);
        uint256 used = gasleft();
        slasher.slashMissedProof(chainedRollup, 1);
        used -= gasleft();
        log("slashMissedProof (incl. AllocationManager.slashOperator)", used);
        // No target; EigenLayer's slashOperator is ~242k of this. Regression bound:
        assertLe(used, 345_000, "missed-proof slash");
    }

    // ------------------------------------------------------------ batches and proofs

    /// @dev Seven commits in eight write the commit block into a non-zero word.
    function test_gas_commitBatch_sharedWord() public {
        vm.prank(batcher);
        uint256 used = gasleft();
        center.commitBatch(rollupId, 4, 1004, keccak256("batch 4"));
        used -= gasleft();
        log("commitBatch (commit-block word already started)", used);
        assertLe(used, 45_000, "commit into a started word");
    }

    /// @dev The first commit of every eight starts a new commit-block word.
    function test_gas_commitBatch_newWord() public {
        vm.prank(batcher);
        uint256 used = gasleft();
        center.commitBatch(freshRollup, 0, 1000, keccak256("batch 0"));
        used -= gasleft();
        log("commitBatch (new commit-block word)", used);
        assertLe(used, 62_000, "commit starting a word");
    }

    function test_gas_verification() public view {
        (bool valid, uint256 library_) = groth16.verifyGas(
            groth16Key,
            p0.proof,
            uint256(p0.prevStateRoot),
            uint256(p0.newStateRoot),
            uint256(p0.batchCommitment)
        );
        assertTrue(valid, "fixture proof");
        log("Groth16.verify (library: key read, range checks, precompiles)", library_);
        uint256 used = gasleft();
        valid = proofCenter.verifyProof(
            provingRollup, p0.prevStateRoot, p0.newStateRoot, p0.batchCommitment, p0.proof
        );
        used -= gasleft();
        assertTrue(valid, "fixture proof through the proof center");
        log("RampartProofCenter.verifyProof (external view)", used);
        // Target 300k; floor = 199,450 of precompiles (3 ECMUL, 3 ECADD, 4-pair ECPAIRING).
        assertLe(library_, 210_000, "verification in the library");
        assertLe(used, 300_000, "verification per proof");
    }

    /// @dev The steady state: the previous batch is proven and this job's draw was stored by
    /// `assignJob` in an earlier transaction.
    function test_gas_submitProof() public {
        vm.prank(chainedProver);
        uint256 used = gasleft();
        proofCenter.submitProof(chainedRollup, 1, p1.newStateRoot, p1.proof);
        used -= gasleft();
        log("submitProof (draw stored before, chained from a proven root)", used);
        assertLe(used, 300_000, "submitProof");
    }

    /// @dev Batch 0 with no stored draw: the call draws the prover and stores it.
    function test_gas_submitProof_drawsProver() public {
        vm.prank(provingProver);
        uint256 used = gasleft();
        proofCenter.submitProof(provingRollup, 0, p0.newStateRoot, p0.proof);
        used -= gasleft();
        log("submitProof (draws and stores the prover)", used);
        assertLe(used, 330_000, "submitProof with the draw");
    }

    function test_gas_assignJob() public {
        uint256 used = gasleft();
        proofCenter.assignJob(provingRollup, 1);
        used -= gasleft();
        log("assignJob", used);
        assertLe(used, 60_000, "assignJob");
    }
}
