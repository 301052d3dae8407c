// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {
    IAllocationManagerErrors,
    IDelegationManagerErrors,
    IPermissionControllerErrors,
    IStrategyManagerErrors
} from "./IEigenLayerErrors.sol";

// The parts of EigenLayer core v1.3.0 (the slashing / operator-sets release) that Rampart
// calls. Signatures match the deployed contracts exactly; only what we use is declared.

/// @notice An operator set: an AVS address and a set id.
struct OperatorSet {
    address avs;
    uint32 id;
}

/// @notice EigenLayer's strategy interface (the calls Rampart and its devnet make).
interface IStrategy {
    function underlyingToken() external view returns (address);
    function shares(address user) external view returns (uint256);
    function sharesToUnderlyingView(uint256 amountShares) external view returns (uint256);
}

/// @notice Types of the AllocationManager.
interface IAllocationManagerTypes {
    struct CreateSetParams {
        uint32 operatorSetId;
        IStrategy[] strategies;
    }

    struct RegisterParams {
        address avs;
        uint32[] operatorSetIds;
        bytes data;
    }

    struct DeregisterParams {
        address operator;
        address avs;
        uint32[] operatorSetIds;
    }

    struct AllocateParams {
        OperatorSet operatorSet;
        IStrategy[] strategies;
        uint64[] newMagnitudes;
    }

    struct Allocation {
        uint64 currentMagnitude;
        int128 pendingDiff;
        uint32 effectBlock;
    }

    struct SlashingParams {
        address operator;
        uint32 operatorSetId;
        IStrategy[] strategies;
        uint256[] wadsToSlash;
        string description;
    }
}

/// @notice EigenLayer v1.3.0 AllocationManager (subset).
interface IAllocationManager is IAllocationManagerTypes, IAllocationManagerErrors {
    function updateAVSMetadataURI(address avs, string calldata metadataURI) external;
    function setAVSRegistrar(address avs, address registrar) external;
    function createOperatorSets(address avs, CreateSetParams[] calldata params) external;
    function addStrategiesToOperatorSet(address avs, uint32 operatorSetId, IStrategy[] calldata)
        external;
    function registerForOperatorSets(address operator, RegisterParams calldata params) external;
    function deregisterFromOperatorSets(DeregisterParams calldata params) external;
    function modifyAllocations(address operator, AllocateParams[] calldata params) external;
    function setAllocationDelay(address operator, uint32 delay) external;
    function slashOperator(address avs, SlashingParams calldata params) external;

    function getMinimumSlashableStake(
        OperatorSet memory operatorSet,
        address[] memory operators,
        IStrategy[] memory strategies,
        uint32 futureBlock
    ) external view returns (uint256[][] memory slashableStake);
    function getAllocatedStake(
        OperatorSet memory operatorSet,
        address[] memory operators,
        IStrategy[] memory strategies
    ) external view returns (uint256[][] memory);
    function getStrategiesInOperatorSet(OperatorSet memory operatorSet)
        external
        view
        returns (IStrategy[] memory);
    function isMemberOfOperatorSet(address operator, OperatorSet memory operatorSet)
        external
        view
        returns (bool);
    function isOperatorSlashable(address operator, OperatorSet memory operatorSet)
        external
        view
        returns (bool);
    function isOperatorSet(OperatorSet memory operatorSet) external view returns (bool);
    function getAllocationDelay(address operator) external view returns (bool, uint32);
    function getMaxMagnitude(address operator, IStrategy strategy) external view returns (uint64);
    function getAVSRegistrar(address avs) external view returns (address);
    function getAllocation(address operator, OperatorSet memory operatorSet, IStrategy strategy)
        external
        view
        returns (Allocation memory);
    function getAllocatableMagnitude(address operator, IStrategy strategy)
        external
        view
        returns (uint64);
    function ALLOCATION_CONFIGURATION_DELAY() external view returns (uint32);
}

/// @notice What AllocationManager calls on an AVS's registrar (v1.3.0).
interface IAVSRegistrar {
    function registerOperator(
        address operator,
        address avs,
        uint32[] calldata operatorSetIds,
        bytes calldata data
    ) external;
    function deregisterOperator(address operator, address avs, uint32[] calldata operatorSetIds)
        external;
    function supportsAVS(address avs) external view returns (bool);
}

/// @notice EigenLayer v1.3.0 PermissionController (subset).
interface IPermissionController is IPermissionControllerErrors {
    function setAppointee(address account, address appointee, address target, bytes4 selector)
        external;
    function canCall(address account, address caller, address target, bytes4 selector)
        external
        returns (bool);
}

/// @notice EigenLayer v1.3.0 DelegationManager (subset).
interface IDelegationManager is IDelegationManagerErrors {
    struct SignatureWithExpiry {
        bytes signature;
        uint256 expiry;
    }

    function registerAsOperator(
        address initDelegationApprover,
        uint32 allocationDelay,
        string calldata metadataURI
    ) external;
    function delegateTo(
        address operator,
        SignatureWithExpiry memory approverSignatureAndExpiry,
        bytes32 approverSalt
    ) external;
    function isOperator(address operator) external view returns (bool);
    function isDelegated(address staker) external view returns (bool);
    function delegatedTo(address staker) external view returns (address);
}

/// @notice EigenLayer v1.3.0 StrategyManager (subset).
interface IStrategyManager is IStrategyManagerErrors {
    function depositIntoStrategy(IStrategy strategy, address token, uint256 amount)
        external
        returns (uint256 depositShares);
    function addStrategiesToDepositWhitelist(IStrategy[] calldata strategiesToWhitelist) external;
    function burnShares(IStrategy strategy) external;
    function stakerDepositShares(address user, IStrategy strategy) external view returns (uint256);
}
