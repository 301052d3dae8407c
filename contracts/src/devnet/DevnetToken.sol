// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title DevnetToken
/// @notice DEVNET ONLY: an ERC20 (OpenZeppelin 4.9.6) that anyone can mint, used as the underlying
/// token of the devnet's EigenLayer strategy so stakers can be funded without a faucet. It has no
/// value and no access control; never deploy it anywhere but a local devnet or a test.
contract DevnetToken is ERC20 {
    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_) {}

    /// @notice Mints `amount` tokens to `to`. Open to every caller (devnet only).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
