// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

// The OpenZeppelin 4.9.6 proxy contracts the devnet deploys EigenLayer core behind. Importing
// them here makes `forge build` emit their artifacts (see scripts/contract-artifacts).
import {ProxyAdmin} from "@openzeppelin/contracts/proxy/transparent/ProxyAdmin.sol";
import {
    TransparentUpgradeableProxy
} from "@openzeppelin/contracts/proxy/transparent/TransparentUpgradeableProxy.sol";
import {UpgradeableBeacon} from "@openzeppelin/contracts/proxy/beacon/UpgradeableBeacon.sol";
