// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Groth16} from "../../src/libraries/Groth16.sol";

/// @notice Exposes the Groth16 library externally, so tests can expect its reverts, pass proofs
/// as calldata (as the proof center does) and measure gas with gasleft() around one call.
contract Groth16Harness {
    function store(Groth16.VerifyingKey calldata vk) external returns (address) {
        return Groth16.store(vk);
    }

    function load(address key) external view returns (Groth16.VerifyingKey memory) {
        return Groth16.load(key);
    }

    function validate(Groth16.VerifyingKey calldata vk) external view {
        Groth16.validate(vk);
    }

    function verify(
        address key,
        uint256[8] calldata proof,
        uint256 input0,
        uint256 input1,
        uint256 input2
    ) external view returns (bool) {
        return Groth16.verify(key, proof, input0, input1, input2);
    }

    /// @dev The library call alone: key read, range checks, three ECMUL + ECADD, one pairing.
    function verifyGas(
        address key,
        uint256[8] calldata proof,
        uint256 input0,
        uint256 input1,
        uint256 input2
    ) external view returns (bool valid, uint256 used) {
        used = gasleft();
        valid = Groth16.verify(key, proof, input0, input1, input2);
        used -= gasleft();
    }
}
