// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IAllocationManager, IAllocationManagerTypes, IStrategy} from "./interfaces/IEigenLayer.sol";

/// @title RampartServiceManager
/// @notice Rampart's AVS address in EigenLayer v1.3.0. It owns the AVS metadata, creates operator
/// sets, points AllocationManager at the operator registry, and is the only account allowed to
/// slash: it forwards slashing requests from the Rampart slasher contract to
/// `AllocationManager.slashOperator`.
contract RampartServiceManager is Ownable {
    /// @notice EigenLayer's AllocationManager.
    IAllocationManager public immutable allocationManager;

    /// @notice The contract allowed to request slashing (the Rampart slasher).
    address public slasher;

    /// @notice The slasher changed.
    event SlasherSet(address indexed slasher);

    /// @notice Only the slasher may request slashing.
    error OnlySlasher();

    /// @param allocationManager_ EigenLayer's AllocationManager.
    /// @param owner_ The governance account of the AVS.
    constructor(IAllocationManager allocationManager_, address owner_) {
        allocationManager = allocationManager_;
        _transferOwnership(owner_);
    }

    /// @notice Sets the AVS metadata URI (must precede operator-set creation).
    function updateAVSMetadataURI(string calldata metadataURI) external onlyOwner {
        allocationManager.updateAVSMetadataURI(address(this), metadataURI);
    }

    /// @notice Points AllocationManager at Rampart's operator registry.
    function setAVSRegistrar(address registrar) external onlyOwner {
        allocationManager.setAVSRegistrar(address(this), registrar);
    }

    /// @notice Creates operator sets of this AVS.
    function createOperatorSets(IAllocationManagerTypes.CreateSetParams[] calldata params)
        external
        onlyOwner
    {
        allocationManager.createOperatorSets(address(this), params);
    }

    /// @notice Adds strategies to an operator set.
    function addStrategiesToOperatorSet(uint32 operatorSetId, IStrategy[] calldata strategies)
        external
        onlyOwner
    {
        allocationManager.addStrategiesToOperatorSet(address(this), operatorSetId, strategies);
    }

    /// @notice Sets the contract allowed to request slashing.
    function setSlasher(address slasher_) external onlyOwner {
        slasher = slasher_;
        emit SlasherSet(slasher_);
    }

    /// @notice Slashes an operator through AllocationManager; only the slasher may call.
    function slashOperator(IAllocationManagerTypes.SlashingParams calldata params) external {
        if (msg.sender != slasher) revert OnlySlasher();
        allocationManager.slashOperator(address(this), params);
    }
}
