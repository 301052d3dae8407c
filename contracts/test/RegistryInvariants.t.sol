// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {RampartTestBase} from "./base/RampartTestBase.sol";
import {BLS12381} from "../src/bls/BLS12381.sol";

/// @notice Stateful invariants of the registry: after any sequence of registrations,
/// deregistrations and stake changes (each fuzz run draws one), the set's total stake equals the
/// sum of its registered operators' stakes and its APK equals the sum of their keys — now and
/// at every earlier block of the sequence; and the member list holds exactly the members.
contract RegistryInvariantsTest is RampartTestBase {
    uint256 internal constant POOL = 4;
    uint256 internal constant STEPS = 10;

    address[POOL] internal addrs;
    uint256[POOL] internal sks;
    bool[POOL] internal member;
    bool[POOL] internal hasKey;
    uint256[POOL] internal leftAt;

    uint32[] internal checkedBlocks;
    uint256[] internal expectedTotals;
    bytes[] internal expectedApks;

    function setUp() public {
        deployRampart();
        for (uint256 i = 0; i < POOL; i++) {
            // Small test addresses: 0xF000 + i fits 160 bits.
            // forge-lint: disable-next-line(unsafe-typecast)
            addrs[i] = address(uint160(0xF000 + i));
            sks[i] = 0xABCDEF00 + i;
            prepareOperator(addrs[i], STAKE + i * 1e18);
        }
    }

    function expected() internal view returns (uint256 total, bytes memory apk) {
        BLS12381.G1Point memory sum;
        for (uint256 i = 0; i < POOL; i++) {
            if (!member[i]) continue;
            (uint96 stake,) =
                registry.stakeAt(SET_ID, keyHash(pubkeyOf(sks[i])), uint32(block.number));
            total += stake;
            sum = BLS12381.add(sum, pubkeyOf(sks[i]));
        }
        apk = BLS12381.encode(sum);
    }

    function step(uint256 choice) internal {
        uint256 i = choice % POOL;
        uint256 action = (choice / POOL) % 3;
        // EigenLayer keeps a leaving operator slashable (and unable to rejoin) for
        // DEALLOCATION_DELAY blocks.
        if (action == 0 && !member[i] && (leftAt[i] == 0 || block.number > leftAt[i] + 5)) {
            registerForSet(addrs[i], registrationData(pubkeyOf(sks[i]), pop(sks[i], addrs[i])));
            member[i] = true;
            hasKey[i] = true;
        } else if (action == 1 && member[i]) {
            deregister(addrs[i]);
            member[i] = false;
            leftAt[i] = block.number;
        } else if (action == 2 && hasKey[i]) {
            depositAndDelegate(
                address(uint160(0xD000 + block.number)), addrs[i], (choice % 7 + 1) * 1e18
            );
            address[] memory ops = new address[](1);
            ops[0] = addrs[i];
            registry.updateStakes(ops);
        }
    }

    function checkMemberList() internal view {
        uint256 count;
        for (uint256 i = 0; i < POOL; i++) {
            assertEq(registry.isMember(SET_ID, addrs[i]), member[i], "isMember");
            if (member[i]) count++;
        }
        address[] memory list = registry.members(SET_ID);
        assertEq(list.length, count, "member count");
        for (uint256 j = 0; j < list.length; j++) {
            assertTrue(registry.isMember(SET_ID, list[j]), "listed operators are members");
        }
    }

    function testFuzz_totalsAndApkMatchMembers(uint256 seed) public {
        for (uint256 s = 0; s < STEPS; s++) {
            step(uint256(keccak256(abi.encode(seed, s))));
            checkMemberList();
            (uint256 total, bytes memory apk) = expected();
            checkedBlocks.push(uint32(block.number));
            expectedTotals.push(total);
            expectedApks.push(apk);
            vm.roll(block.number + 1 + (seed >> s) % 3);
        }
        for (uint256 k = 0; k < checkedBlocks.length; k++) {
            if (expectedTotals[k] == 0 && keccak256(expectedApks[k]) == keccak256(new bytes(128))) {
                // No member yet at that point, or everyone left: the set may have no state.
                continue;
            }
            (BLS12381.G1Point memory apk, uint96 total) = registry.apkAt(SET_ID, checkedBlocks[k]);
            assertEq(total, expectedTotals[k], "total stake == sum of member stakes");
            assertEq(BLS12381.encode(apk), expectedApks[k], "apk == sum of member keys");
        }
    }
}
