// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {RampartTestBase} from "./base/RampartTestBase.sol";
import {BLS12381} from "../src/bls/BLS12381.sol";
import {Checkpoint} from "../src/libraries/RampartDigests.sol";
import {IAllocationManagerTypes, IStrategy} from "../src/interfaces/IEigenLayer.sol";

/// @notice Gas of each entry point (execution gas, measured around the call; the intrinsic
/// 21,000 and calldata costs of a real transaction come on top). Targets from the contracts
/// issue are asserted; figures print with `forge test --match-contract GasTest -vv` and are
/// recorded in docs/benchmarks.md.
contract GasTest is RampartTestBase {
    uint256 internal constant N = 10; // threshold 66.67% of 10 equal stakes: up to 3 non-signers

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
}
