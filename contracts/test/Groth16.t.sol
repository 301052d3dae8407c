// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Groth16Fixture} from "./base/Groth16Fixture.sol";
import {Groth16} from "../src/libraries/Groth16.sol";
import {Groth16Harness} from "./harness/Groth16Harness.sol";

/// @notice The Groth16/BN254 verifier against real proofs from the Rust prover: it accepts
/// them, and refuses tampered proofs and inputs, out-of-range words (which would otherwise alias
/// valid ones), points off their curve and wrong keys; key storage round-trips and bad keys are
/// refused at storage time.
contract Groth16Test is Groth16Fixture {
    /// @dev A failing precompile burns all the gas it is given; calls expected to hit one get a
    /// bounded budget, so a test can make many of them.
    uint256 internal constant FAIL_GAS = 1_000_000;

    Groth16Harness internal h;
    address internal key;
    FixtureProof internal p0;
    FixtureProof internal p1;

    function setUp() public {
        h = new Groth16Harness();
        key = h.store(fixtureVk());
        p0 = fixtureProof(0);
        p1 = fixtureProof(1);
    }

    function check(FixtureProof memory p) internal view returns (bool) {
        return h.verify(
            key,
            p.proof,
            uint256(p.prevStateRoot),
            uint256(p.newStateRoot),
            uint256(p.batchCommitment)
        );
    }

    function expectCheckReverts(FixtureProof memory p, bytes memory err) internal {
        vm.expectRevert(err);
        h.verify{gas: FAIL_GAS}(
            key,
            p.proof,
            uint256(p.prevStateRoot),
            uint256(p.newStateRoot),
            uint256(p.batchCommitment)
        );
    }

    function test_acceptsRealProofs() public view {
        assertTrue(check(p0), "proof 0");
        assertTrue(check(p1), "proof 1");
        assertEq(p1.prevStateRoot, p0.newStateRoot, "the fixture proofs chain");
    }

    function test_rejectsTamperedInputs() public view {
        FixtureProof memory p = p0;
        p.prevStateRoot = bytes32(uint256(p.prevStateRoot) + 1);
        assertFalse(check(p), "prev + 1");
        p = fixtureProof(0);
        p.newStateRoot = bytes32(uint256(p.newStateRoot) + 1);
        assertFalse(check(p), "new + 1");
        p = fixtureProof(0);
        p.batchCommitment = bytes32(uint256(p.batchCommitment) ^ 1);
        assertFalse(check(p), "commitment ^ 1");
        p = fixtureProof(0);
        (p.prevStateRoot, p.newStateRoot) = (p.newStateRoot, p.prevStateRoot);
        assertFalse(check(p), "prev and new swapped");
        p = fixtureProof(0);
        p.batchCommitment = p1.batchCommitment;
        assertFalse(check(p), "another batch's commitment");
        p = fixtureProof(0);
        p.proof = p1.proof;
        assertFalse(check(p), "another transition's proof");
    }

    function test_rejectsTamperedProofPoints() public view {
        // Valid curve points in the wrong place: the pairing product is not 1.
        FixtureProof memory p = fixtureProof(0);
        (p.proof[0], p.proof[1]) = (p1.proof[0], p1.proof[1]);
        assertFalse(check(p), "A from another proof");
        p = fixtureProof(0);
        for (uint256 i = 2; i < 6; i++) {
            p.proof[i] = p1.proof[i];
        }
        assertFalse(check(p), "B from another proof");
        p = fixtureProof(0);
        (p.proof[6], p.proof[7]) = (p1.proof[6], p1.proof[7]);
        assertFalse(check(p), "C from another proof");
        p = fixtureProof(0);
        p.proof[1] = Groth16.Q - p.proof[1];
        assertFalse(check(p), "-A");
        p = fixtureProof(0);
        (p.proof[0], p.proof[1]) = (0, 0);
        assertFalse(check(p), "A at infinity");
        p = fixtureProof(0);
        (p.proof[6], p.proof[7]) = (p.proof[0], p.proof[1]);
        assertFalse(check(p), "C = A");
    }

    function test_rejectsPointsOffTheCurve() public {
        bytes memory failed = abi.encodeWithSelector(Groth16.PrecompileFailed.selector, 0x08);
        for (uint256 i = 0; i < 8; i++) {
            FixtureProof memory p = fixtureProof(0);
            p.proof[i] = addmod(p.proof[i], 1, Groth16.Q);
            expectCheckReverts(p, failed);
        }
        // B with the real and imaginary parts in the wrong order (c0 first).
        FixtureProof memory q = fixtureProof(0);
        (q.proof[2], q.proof[3], q.proof[4], q.proof[5]) =
        (q.proof[3], q.proof[2], q.proof[5], q.proof[4]);
        expectCheckReverts(q, failed);
    }

    /// Words ≥ the modulus are refused even where the precompile would reduce them to a valid
    /// value: `x + r` is the same scalar to ECMUL, and would prove the same statement.
    function test_rejectsInputsOutsideTheField() public {
        FixtureProof memory p = fixtureProof(0);
        p.prevStateRoot = bytes32(uint256(p.prevStateRoot) + Groth16.R);
        expectCheckReverts(p, abi.encodeWithSelector(Groth16.InputNotInField.selector, 0));
        p = fixtureProof(0);
        p.newStateRoot = bytes32(uint256(p.newStateRoot) + Groth16.R);
        expectCheckReverts(p, abi.encodeWithSelector(Groth16.InputNotInField.selector, 1));
        p = fixtureProof(0);
        p.batchCommitment = bytes32(Groth16.R);
        expectCheckReverts(p, abi.encodeWithSelector(Groth16.InputNotInField.selector, 2));
        p = fixtureProof(0);
        p.batchCommitment = bytes32(type(uint256).max);
        expectCheckReverts(p, abi.encodeWithSelector(Groth16.InputNotInField.selector, 2));
    }

    function test_rejectsProofWordsOutsideTheField() public {
        for (uint256 i = 0; i < 8; i++) {
            FixtureProof memory p = fixtureProof(0);
            p.proof[i] += Groth16.Q;
            expectCheckReverts(p, abi.encodeWithSelector(Groth16.ProofNotInField.selector, i));
        }
    }

    function test_rejectsWrongKeys() public {
        // A valid key of other points: gamma and delta exchanged.
        Groth16.VerifyingKey memory vk = fixtureVk();
        (vk.gamma, vk.delta) = (vk.delta, vk.gamma);
        address other = h.store(vk);
        assertFalse(
            h.verify(
                other,
                p0.proof,
                uint256(p0.prevStateRoot),
                uint256(p0.newStateRoot),
                uint256(p0.batchCommitment)
            ),
            "another key"
        );
        // Addresses that hold no key: with an all-zero key a proof with A at infinity would
        // pass the pairing, so they must be refused outright.
        uint256[8] memory zeroA = p0.proof;
        (zeroA[0], zeroA[1]) = (0, 0);
        for (uint256 i = 0; i < 2; i++) {
            address notKey = i == 0 ? address(0xdead) : address(h);
            vm.expectRevert(abi.encodeWithSelector(Groth16.NotAVerifyingKey.selector, notKey));
            h.verify(notKey, zeroA, 1, 2, 3);
        }
    }

    function test_keyRoundTripsAndIsInert() public {
        assertEq(abi.encode(h.load(key)), abi.encode(fixtureVk()), "load(store(vk)) == vk");
        assertEq(key.code.length, 0x341, "STOP byte + 26 words");
        assertEq(uint8(key.code[0]), 0, "starts with STOP");
        (bool ok, bytes memory out) = key.call("");
        assertTrue(ok && out.length == 0, "calling the key contract does nothing");
        vm.expectRevert(abi.encodeWithSelector(Groth16.NotAVerifyingKey.selector, address(h)));
        h.load(address(h));
    }

    function test_refusesBadKeys() public {
        Groth16.VerifyingKey memory vk = fixtureVk();
        (vk.beta[0], vk.beta[1], vk.beta[2], vk.beta[3]) =
        (vk.beta[1], vk.beta[0], vk.beta[3], vk.beta[2]);
        expectBadKey(vk); // G2 coordinates in the wrong order: off the twist

        vk = fixtureVk();
        vk.delta[3] = addmod(vk.delta[3], 1, Groth16.Q);
        expectBadKey(vk);

        vk = fixtureVk();
        vk.ic[2][1] = addmod(vk.ic[2][1], 1, Groth16.Q);
        expectBadKey(vk); // G1 point off the curve

        vk = fixtureVk();
        vk.alpha[1] = addmod(vk.alpha[1], 1, Groth16.Q);
        expectBadKey(vk);

        vk = fixtureVk();
        vk.ic[0][0] += Groth16.Q;
        expectBadKey(vk); // coordinate ≥ q

        vk = fixtureVk();
        vk.alpha = [uint256(0), 0];
        expectBadKey(vk); // alpha at infinity

        vk = fixtureVk();
        vk.gamma = [uint256(0), 0, 0, 0];
        expectBadKey(vk); // gamma at infinity

        vk = fixtureVk();
        vk.ic[3] = [uint256(0), 0];
        h.validate(vk); // an input point may be at infinity (an input no constraint uses)
    }

    function expectBadKey(Groth16.VerifyingKey memory vk) internal {
        vm.expectRevert(Groth16.InvalidVerifyingKey.selector);
        h.validate{gas: FAIL_GAS}(vk);
        vm.expectRevert(Groth16.InvalidVerifyingKey.selector);
        h.store{gas: FAIL_GAS}(vk);
    }

    /// Random field words never verify: either a point is off its curve (the precompile refuses
    /// it) or the pairing product is not 1.
    function testFuzz_randomWordsNeverVerify(uint256[8] memory words, uint256 seed) public view {
        for (uint256 i = 0; i < 8; i++) {
            words[i] %= Groth16.Q;
        }
        uint256 prev = seed % Groth16.R;
        try h.verify{gas: FAIL_GAS}(
            key, words, prev, uint256(p0.newStateRoot), uint256(p0.batchCommitment)
        ) returns (
            bool valid
        ) {
            assertFalse(valid, "random words verified");
        } catch (bytes memory reason) {
            assertEq(
                reason,
                abi.encodeWithSelector(Groth16.PrecompileFailed.selector, 0x08),
                "only the pairing precompile refuses"
            );
        }
    }

    /// Random valid points never verify either: A = a·G and C = c·G with the real proof's B
    /// reach the pairing, whose product is not 1.
    function testFuzz_randomPointsNeverVerify(uint256 a, uint256 c) public view {
        uint256[8] memory words = p0.proof;
        (words[0], words[1]) = g1Mul(bound(a, 1, Groth16.R - 1));
        (words[6], words[7]) = g1Mul(bound(c, 1, Groth16.R - 1));
        assertFalse(
            h.verify(
                key,
                words,
                uint256(p0.prevStateRoot),
                uint256(p0.newStateRoot),
                uint256(p0.batchCommitment)
            ),
            "random points verified"
        );
    }

    /// @dev s · (1, 2), the BN254 G1 generator, by ECMUL.
    function g1Mul(uint256 s) internal view returns (uint256 x, uint256 y) {
        (bool ok, bytes memory out) = address(0x07).staticcall(abi.encode(1, 2, s));
        require(ok && out.length == 64, "ECMUL failed");
        (x, y) = abi.decode(out, (uint256, uint256));
    }
}
