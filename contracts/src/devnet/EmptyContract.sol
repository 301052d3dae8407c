// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title EmptyContract
/// @notice The placeholder implementation behind which the devnet creates EigenLayer core's
/// proxies. The core implementations' constructors take each other's (proxy) addresses, so the
/// proxies must exist first; OpenZeppelin's proxies require their implementation to have code,
/// and this contract is that code. It has no functions and no state; every call to it reverts.
contract EmptyContract {}
