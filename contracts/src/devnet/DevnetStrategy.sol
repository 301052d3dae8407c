// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IStrategy, IStrategyManager} from "../interfaces/IEigenLayer.sol";

/// @title DevnetStrategy
/// @notice DEVNET ONLY: an EigenLayer v1.3.0 strategy holding one ERC20 with exactly one share per
/// token unit. It implements EigenLayer's full `IStrategy` interface (v1.3.0 has no
/// `beforeAddShares`/`beforeRemoveShares` hooks). Of it, StrategyManager calls `deposit`,
/// `withdraw` and `underlyingToken` (the last when burning slashed shares); DelegationManager and
/// AllocationManager make no calls to strategies.
///
/// Accounting: `totalShares` equals the tokens deposited through the StrategyManager minus the
/// tokens withdrawn or burned; tokens sent to the strategy directly are not shares and stay here.
/// Unlike EigenLayer's `StrategyBase` there is no exchange rate, no virtual offset (no inflation
/// attack is possible at a fixed 1:1 rate), no pausing and no upgradeability.
contract DevnetStrategy is IStrategy {
    using SafeERC20 for IERC20;

    /// @notice The StrategyManager, the only caller of `deposit` and `withdraw`.
    IStrategyManager public immutable strategyManager;

    /// @notice Total shares in existence (equal to the tokens they are backed by).
    uint256 public totalShares;

    IERC20 private immutable _token;

    /// @notice The caller is not the StrategyManager.
    error OnlyStrategyManager();

    /// @notice The token is not this strategy's underlying token.
    error OnlyUnderlyingToken();

    /// @notice A deposit would mint zero shares.
    error NewSharesZero();

    /// @notice A withdrawal asks for more shares than exist.
    error WithdrawalAmountExceedsTotalDeposits();

    /// @notice The strategy holds fewer tokens than its shares claim (the deposit was not funded).
    error UnbackedShares();

    /// @notice A constructor argument is the zero address.
    error InputAddressZero();

    modifier onlyStrategyManager() {
        if (msg.sender != address(strategyManager)) revert OnlyStrategyManager();
        _;
    }

    /// @param strategyManager_ EigenLayer's StrategyManager (its proxy).
    /// @param token The underlying ERC20.
    constructor(IStrategyManager strategyManager_, IERC20 token) {
        if (address(strategyManager_) == address(0) || address(token) == address(0)) {
            revert InputAddressZero();
        }
        strategyManager = strategyManager_;
        _token = token;
    }

    /// @notice Mints `amount` shares for tokens the StrategyManager has already transferred here.
    /// @return newShares The shares minted (always `amount`).
    function deposit(IERC20 token, uint256 amount)
        external
        onlyStrategyManager
        returns (uint256 newShares)
    {
        if (token != _token) revert OnlyUnderlyingToken();
        newShares = amount;
        if (newShares == 0) revert NewSharesZero();
        totalShares += newShares;
        if (_token.balanceOf(address(this)) < totalShares) revert UnbackedShares();
    }

    /// @notice Burns `amountShares` shares and sends as many tokens to `recipient` (a withdrawing
    /// staker, or EigenLayer's burn address when slashed shares are burned).
    function withdraw(address recipient, IERC20 token, uint256 amountShares)
        external
        onlyStrategyManager
    {
        if (token != _token) revert OnlyUnderlyingToken();
        if (amountShares > totalShares) revert WithdrawalAmountExceedsTotalDeposits();
        totalShares -= amountShares;
        _token.safeTransfer(recipient, amountShares);
    }

    /// @inheritdoc IStrategy
    function underlyingToken() external view returns (address) {
        return address(_token);
    }

    /// @notice `user`'s deposit shares as recorded by the StrategyManager (before any slashing
    /// of the operator they delegate to is applied, as in EigenLayer's `StrategyBase`).
    function shares(address user) public view returns (uint256) {
        return strategyManager.stakerDepositShares(user, this);
    }

    /// @inheritdoc IStrategy
    function sharesToUnderlyingView(uint256 amountShares) public pure returns (uint256) {
        return amountShares;
    }

    /// @notice Same as `sharesToUnderlyingView` (1:1).
    function sharesToUnderlying(uint256 amountShares) external pure returns (uint256) {
        return amountShares;
    }

    /// @notice Tokens to shares (1:1).
    function underlyingToSharesView(uint256 amountUnderlying) public pure returns (uint256) {
        return amountUnderlying;
    }

    /// @notice Same as `underlyingToSharesView` (1:1).
    function underlyingToShares(uint256 amountUnderlying) external pure returns (uint256) {
        return amountUnderlying;
    }

    /// @notice The tokens `user`'s deposit shares are worth.
    function userUnderlyingView(address user) public view returns (uint256) {
        return sharesToUnderlyingView(shares(user));
    }

    /// @notice Same as `userUnderlyingView`.
    function userUnderlying(address user) external view returns (uint256) {
        return userUnderlyingView(user);
    }

    /// @notice A human-readable description of the strategy.
    function explanation() external pure returns (string memory) {
        return "Rampart devnet strategy: one ERC20, one share per token unit";
    }

    /// @notice The strategy's version string.
    function version() external pure returns (string memory) {
        return "devnet-1";
    }
}
