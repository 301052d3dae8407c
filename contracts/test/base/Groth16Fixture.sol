// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Test} from "./Test.sol";
import {Groth16} from "../../src/libraries/Groth16.sol";

/// @notice Reads test/fixtures/groth16.json: a real verifying key and two chained proofs
/// (genesis → r1 for commitment c0, r1 → r2 for c1) made by the Rust prover
/// (gpu-prover/tests/solidity_fixture.rs, which checks the file is current).
abstract contract Groth16Fixture is Test {
    /// @notice One fixture proof and its public inputs.
    struct FixtureProof {
        bytes32 prevStateRoot;
        bytes32 newStateRoot;
        bytes32 batchCommitment;
        uint256[8] proof;
    }

    function fixtureJson() internal view returns (string memory) {
        return readJson("test/fixtures/groth16.json");
    }

    function fixtureVk() internal view returns (Groth16.VerifyingKey memory vk) {
        string memory json = fixtureJson();
        uint256[] memory w = vm.parseJsonUintArray(json, ".vk.alpha");
        vk.alpha = [w[0], w[1]];
        w = vm.parseJsonUintArray(json, ".vk.beta");
        vk.beta = [w[0], w[1], w[2], w[3]];
        w = vm.parseJsonUintArray(json, ".vk.gamma");
        vk.gamma = [w[0], w[1], w[2], w[3]];
        w = vm.parseJsonUintArray(json, ".vk.delta");
        vk.delta = [w[0], w[1], w[2], w[3]];
        for (uint256 i = 0; i < 4; i++) {
            w = vm.parseJsonUintArray(json, string.concat(".vk.ic[", vm.toString(i), "]"));
            vk.ic[i] = [w[0], w[1]];
        }
    }

    function fixtureGenesis() internal view returns (bytes32) {
        return vm.parseJsonBytes32(fixtureJson(), ".genesisStateRoot");
    }

    function fixtureProof(uint256 i) internal view returns (FixtureProof memory p) {
        string memory json = fixtureJson();
        string memory key = string.concat(".proofs[", vm.toString(i), "]");
        p.prevStateRoot = vm.parseJsonBytes32(json, string.concat(key, ".prevStateRoot"));
        p.newStateRoot = vm.parseJsonBytes32(json, string.concat(key, ".newStateRoot"));
        p.batchCommitment = vm.parseJsonBytes32(json, string.concat(key, ".batchCommitment"));
        uint256[] memory w = vm.parseJsonUintArray(json, string.concat(key, ".proof"));
        require(w.length == 8, "fixture proof has 8 words");
        for (uint256 j = 0; j < 8; j++) {
            p.proof[j] = w[j];
        }
    }
}
