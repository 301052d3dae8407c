// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title PauserRegistry (devnet)
/// @notice The registry EigenLayer core's `Pausable` contracts consult: an account for which
/// `isPauser` is true may pause them, and only `unpauser()` may unpause. Shape-compatible with
/// EigenLayer's `IPauserRegistry` (`isPauser(address)`, `unpauser()`); written for Rampart's local
/// devnet, where EigenLayer core is deployed from its published bytecode.
contract PauserRegistry {
    /// @notice Whether `account` may pause EigenLayer core contracts.
    mapping(address account => bool) public isPauser;

    /// @notice The only account that may unpause, and that manages this registry.
    address public unpauser;

    /// @notice `pauser`'s right to pause changed to `canPause`.
    event PauserStatusChanged(address indexed pauser, bool canPause);

    /// @notice The unpauser changed.
    event UnpauserChanged(address indexed previousUnpauser, address indexed newUnpauser);

    /// @notice The caller is not the unpauser.
    error OnlyUnpauser();

    /// @notice A pauser or the unpauser would be the zero address.
    error InputAddressZero();

    modifier onlyUnpauser() {
        if (msg.sender != unpauser) revert OnlyUnpauser();
        _;
    }

    /// @param pausers Accounts allowed to pause.
    /// @param initialUnpauser The account allowed to unpause and to manage the registry.
    constructor(address[] memory pausers, address initialUnpauser) {
        for (uint256 i = 0; i < pausers.length; ++i) {
            _setIsPauser(pausers[i], true);
        }
        _setUnpauser(initialUnpauser);
    }

    /// @notice Grants or revokes `pauser`'s right to pause.
    function setIsPauser(address pauser, bool canPause) external onlyUnpauser {
        _setIsPauser(pauser, canPause);
    }

    /// @notice Hands the unpauser role to `newUnpauser`.
    function setUnpauser(address newUnpauser) external onlyUnpauser {
        _setUnpauser(newUnpauser);
    }

    function _setIsPauser(address pauser, bool canPause) private {
        if (pauser == address(0)) revert InputAddressZero();
        isPauser[pauser] = canPause;
        emit PauserStatusChanged(pauser, canPause);
    }

    function _setUnpauser(address newUnpauser) private {
        if (newUnpauser == address(0)) revert InputAddressZero();
        emit UnpauserChanged(unpauser, newUnpauser);
        unpauser = newUnpauser;
    }
}
