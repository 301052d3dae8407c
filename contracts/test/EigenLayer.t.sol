// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {
    ITransparentUpgradeableProxy
} from "@openzeppelin/contracts/proxy/transparent/TransparentUpgradeableProxy.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {
    EigenLayerDeployer,
    IAllocationManagerReads,
    IDelegationManagerReads,
    IStrategyManagerReads,
    IVersioned
} from "./base/EigenLayerDeployer.sol";
import {
    IAllocationManagerTypes,
    IAVSRegistrar,
    IStrategy,
    OperatorSet
} from "../src/interfaces/IEigenLayer.sol";
import {DevnetStrategy} from "../src/devnet/DevnetStrategy.sol";

/// @notice Custom errors of EigenLayer core v1.3.0 that these tests expect (selectors only).
interface IEigenLayerErrors {
    error NonexistentAVSMetadata();
    error InvalidAVSRegistrar();
    error InvalidPermissions();
    error UninitializedAllocationDelay();
    error InvalidWadToSlash();
}

/// @notice TEST HELPER: an `IAVSRegistrar` that accepts every operator and records each call
/// AllocationManager makes, so a test can check exactly what was passed through. `supportsAVS`
/// answers `supported` (true unless a test turns it off).
contract RecordingRegistrar is IAVSRegistrar {
    struct Registration {
        address caller;
        address operator;
        address avs;
        uint32[] operatorSetIds;
        bytes data;
    }

    bool public supported = true;
    Registration[] private registrations;
    uint256 public deregistrations;

    function setSupported(bool value) external {
        supported = value;
    }

    function registerOperator(
        address operator,
        address avs,
        uint32[] calldata operatorSetIds,
        bytes calldata data
    ) external {
        registrations.push(Registration(msg.sender, operator, avs, operatorSetIds, data));
    }

    function deregisterOperator(address, address, uint32[] calldata) external {
        ++deregistrations;
    }

    function supportsAVS(address) external view returns (bool) {
        return supported;
    }

    function registrationCount() external view returns (uint256) {
        return registrations.length;
    }

    function registration(uint256 index) external view returns (Registration memory) {
        return registrations[index];
    }
}

/// @notice Prints through forge's console convention (calls to this address show under "Logs:"
/// with -vv); declared here because the test base has no console.
library ConsoleLog {
    address private constant CONSOLE = 0x000000000000000000636F6e736F6c652e6c6f67;

    function log(string memory label, uint256 value) internal view {
        (bool ok,) =
            CONSOLE.staticcall(abi.encodeWithSignature("log(string,uint256)", label, value));
        ok;
    }
}

/// @notice Shared actors and parameters of the EigenLayer tests.
abstract contract EigenLayerFixture is EigenLayerDeployer {
    address internal constant OPERATOR = address(0x0BE1A7);
    address internal constant STAKER = address(0x57a4e5);
    address internal constant AVS = address(0xA7500);
    uint32 internal constant SET_ID = 7;
    uint256 internal constant STAKE = 1000e18;
    uint64 internal constant MAGNITUDE = 0.75e18;
    uint256 internal constant SLASH_WAD = 0.25e18;

    RecordingRegistrar internal registrar;

    function _operatorSet() internal pure returns (OperatorSet memory) {
        return OperatorSet(AVS, SET_ID);
    }

    function _operators() internal pure returns (address[] memory operators) {
        operators = new address[](1);
        operators[0] = OPERATOR;
    }

    function _setIds() internal pure returns (uint32[] memory ids) {
        ids = new uint32[](1);
        ids[0] = SET_ID;
    }

    function _minimumSlashableStake() internal view returns (uint256) {
        return allocationManager.getMinimumSlashableStake(
            _operatorSet(), _operators(), _oneStrategy(), uint32(block.number)
        )[0][0];
    }

    function _slashingParams(string memory description)
        internal
        view
        returns (IAllocationManagerTypes.SlashingParams memory)
    {
        uint256[] memory wads = new uint256[](1);
        wads[0] = SLASH_WAD;
        return
            IAllocationManagerTypes.SlashingParams(
                OPERATOR, SET_ID, _oneStrategy(), wads, description
            );
    }

    /// @dev Operator registered, staked, allocated 75% to the set and registered in it.
    function _fullFlow(bytes memory data) internal {
        registerOperatorInEigenLayer(OPERATOR);
        depositAndDelegate(STAKER, OPERATOR, STAKE);
        setupAVS(AVS, address(registrar), SET_ID);
        allocate(OPERATOR, AVS, SET_ID, MAGNITUDE);
        vm.prank(OPERATOR);
        allocationManager.registerForOperatorSets(
            OPERATOR, IAllocationManagerTypes.RegisterParams(AVS, _setIds(), data)
        );
    }
}

contract EigenLayerTest is EigenLayerFixture {
    function setUp() public {
        deployEigenLayer();
        registrar = new RecordingRegistrar();
    }

    /// The implementations behind the proxies are the crate's bytecode: the runtime code with the
    /// immutable words zeroed hashes to the keccak of eigen-utils' DEPLOYED_BYTECODE.
    function test_implementationsAreTheCratesBytecode() public view {
        string memory json = readJson(EIGENLAYER_ARTIFACTS);
        bytes32[] memory words;

        words = _assertRuntimeMatches(json, "AllocationManager", allocationManagerImpl);
        _assertHoldsAddress(words, address(delegation), "AllocationManager -> DelegationManager");
        _assertHoldsAddress(words, address(permissionController), "AllocationManager -> PC");
        words = _assertRuntimeMatches(json, "DelegationManager", delegationManagerImpl);
        _assertHoldsAddress(words, address(strategyManager), "DelegationManager -> SM");
        _assertHoldsAddress(words, address(allocationManager), "DelegationManager -> AM");
        words = _assertRuntimeMatches(json, "StrategyManager", strategyManagerImpl);
        _assertHoldsAddress(words, address(delegation), "StrategyManager -> DelegationManager");
        words = _assertRuntimeMatches(json, "AVSDirectory", avsDirectoryImpl);
        _assertHoldsAddress(words, address(pauserRegistry), "AVSDirectory -> PauserRegistry");
        _assertRuntimeMatches(json, "PermissionController", permissionControllerImpl);
        words = _assertRuntimeMatches(json, "EigenPodManager", eigenPodManagerImpl);
        _assertHoldsAddress(words, address(eigenPodBeacon), "EigenPodManager -> beacon");
        words = _assertRuntimeMatches(json, "EigenPod", eigenPodImplementation);
        _assertHoldsAddress(words, eigenPodManager, "EigenPod -> EigenPodManager");

        _assertProxy(address(allocationManager), allocationManagerImpl);
        _assertProxy(address(delegation), delegationManagerImpl);
        _assertProxy(address(strategyManager), strategyManagerImpl);
        _assertProxy(avsDirectory, avsDirectoryImpl);
        _assertProxy(address(permissionController), permissionControllerImpl);
        _assertProxy(eigenPodManager, eigenPodManagerImpl);
        assertEq(eigenPodBeacon.implementation(), eigenPodImplementation, "beacon impl");

        assertEq(allocationManager.ALLOCATION_CONFIGURATION_DELAY(), 1, "config delay");
        assertEq(
            IAllocationManagerReads(address(allocationManager)).DEALLOCATION_DELAY(),
            5,
            "deallocation delay"
        );
        assertTrue(
            IStrategyManagerReads(address(strategyManager))
                .strategyIsWhitelistedForDeposit(strategy),
            "strategy whitelisted"
        );
    }

    /// The whole operator / staker / AVS flow on the real contracts, ending in a slash and burn.
    function test_endToEnd_registerAllocateSlash() public {
        registerOperatorInEigenLayer(OPERATOR);
        assertTrue(delegation.isOperator(OPERATOR), "operator registered");
        (bool delaySet, uint32 delay) = allocationManager.getAllocationDelay(OPERATOR);
        assertTrue(delaySet, "allocation delay in effect");
        assertEq(delay, OPERATOR_ALLOCATION_DELAY, "allocation delay");

        assertEq(depositAndDelegate(STAKER, OPERATOR, STAKE), STAKE, "deposit shares");
        assertEq(strategyManager.stakerDepositShares(STAKER, strategy), STAKE, "staker shares");
        assertEq(strategy.shares(STAKER), STAKE, "strategy.shares");
        assertEq(IERC20(address(token)).balanceOf(address(strategy)), STAKE, "strategy balance");
        assertEq(delegation.delegatedTo(STAKER), OPERATOR, "delegated");
        assertEq(_operatorShares(), STAKE, "operator shares");

        setupAVS(AVS, address(registrar), SET_ID);
        assertEq(allocationManager.getAVSRegistrar(AVS), address(registrar), "registrar");
        assertTrue(allocationManager.isOperatorSet(_operatorSet()), "operator set");
        IStrategy[] memory inSet = allocationManager.getStrategiesInOperatorSet(_operatorSet());
        assertEq(inSet.length, 1, "strategies in set");
        assertEq(address(inSet[0]), address(strategy), "strategy in set");

        allocate(OPERATOR, AVS, SET_ID, MAGNITUDE);
        assertEq(
            allocationManager.getAllocatedStake(_operatorSet(), _operators(), _oneStrategy())[0][0],
            750e18,
            "allocated stake"
        );

        // Registration passes `data` to the registrar byte for byte (odd length on purpose).
        bytes memory data = abi.encodePacked(
            keccak256("bls public key"), hex"00ff00", "socket://127.0.0.1:9000", bytes1(0x01)
        );
        vm.prank(OPERATOR);
        allocationManager.registerForOperatorSets(
            OPERATOR, IAllocationManagerTypes.RegisterParams(AVS, _setIds(), data)
        );
        assertEq(registrar.registrationCount(), 1, "registrar called once");
        RecordingRegistrar.Registration memory r = registrar.registration(0);
        assertEq(r.caller, address(allocationManager), "called by AllocationManager");
        assertEq(r.operator, OPERATOR, "registered operator");
        assertEq(r.avs, AVS, "registered avs");
        assertEq(r.operatorSetIds.length, 1, "set ids length");
        assertEq(r.operatorSetIds[0], SET_ID, "set id");
        assertEq(r.data, data, "data passed through exactly");
        assertTrue(
            allocationManager.isMemberOfOperatorSet(OPERATOR, _operatorSet()), "member of set"
        );
        assertTrue(allocationManager.isOperatorSlashable(OPERATOR, _operatorSet()), "slashable");

        assertEq(_minimumSlashableStake(), 750e18, "slashable stake before");

        // The AVS slashes 25% of the allocation.
        vm.prank(AVS);
        allocationManager.slashOperator(AVS, _slashingParams("test: 25%"));

        // Magnitudes: 0.75 - 0.1875 = 0.5625 allocated, max 1 - 0.1875 = 0.8125; operator shares
        // 1000 * 0.8125 = 812.5. Slashable stake = 812.5 * 0.5625 / 0.8125 = 562.5 in exact
        // arithmetic, but EigenLayer's share/magnitude conversions round down: 563 wei short.
        uint256 slashable = _minimumSlashableStake();
        ConsoleLog.log("slashable stake after a 25% slash of 750e18 (wei)", slashable);
        assertEq(slashable, 562.5e18 - 563, "slashable stake after");
        assertEq(allocationManager.getMaxMagnitude(OPERATOR, strategy), 0.8125e18, "max magnitude");
        assertEq(
            IAllocationManagerReads(address(allocationManager))
                .getEncumberedMagnitude(OPERATOR, strategy),
            0.5625e18,
            "encumbered magnitude"
        );
        uint256 operatorShares = _operatorShares();
        assertEq(operatorShares, 812.5e18, "operator shares after");

        // The slashed shares are burned: the tokens go to EigenLayer's burn address.
        IStrategyManagerReads smReads = IStrategyManagerReads(address(strategyManager));
        uint256 burnable = smReads.getBurnableShares(strategy);
        assertEq(burnable + operatorShares, STAKE, "burnable + remaining = stake");
        strategyManager.burnShares(strategy);
        address burnAddress = smReads.DEFAULT_BURN_ADDRESS();
        assertEq(IERC20(address(token)).balanceOf(burnAddress), burnable, "burned tokens");
        assertEq(DevnetStrategy(address(strategy)).totalShares(), STAKE - burnable, "total shares");
        assertEq(smReads.getBurnableShares(strategy), 0, "nothing left to burn");
    }

    /// Operator sets cannot be created before the AVS has a metadata URI.
    function test_revert_createOperatorSetBeforeMetadata() public {
        vm.expectRevert(IEigenLayerErrors.NonexistentAVSMetadata.selector);
        createOperatorSet(AVS, SET_ID);
    }

    /// The registrar must accept the AVS.
    function test_revert_registrarMustSupportAVS() public {
        registrar.setSupported(false);
        vm.prank(AVS);
        allocationManager.updateAVSMetadataURI(AVS, "devnet-avs");
        vm.prank(AVS);
        vm.expectRevert(IEigenLayerErrors.InvalidAVSRegistrar.selector);
        allocationManager.setAVSRegistrar(AVS, address(registrar));
    }

    /// Allocating before the operator's allocation delay is in effect fails.
    function test_revert_allocateBeforeDelayIsSet() public {
        vm.prank(OPERATOR);
        delegation.registerAsOperator(address(0), OPERATOR_ALLOCATION_DELAY, "");
        vm.prank(AVS);
        allocationManager.updateAVSMetadataURI(AVS, "devnet-avs");
        createOperatorSet(AVS, SET_ID);
        uint64[] memory magnitudes = new uint64[](1);
        magnitudes[0] = MAGNITUDE;
        IAllocationManagerTypes.AllocateParams[] memory params =
            new IAllocationManagerTypes.AllocateParams[](1);
        params[0] =
            IAllocationManagerTypes.AllocateParams(_operatorSet(), _oneStrategy(), magnitudes);
        vm.prank(OPERATOR);
        vm.expectRevert(IEigenLayerErrors.UninitializedAllocationDelay.selector);
        allocationManager.modifyAllocations(OPERATOR, params);
    }

    /// Only the AVS (or its appointee) may slash, and only by a wad in (0, 1e18].
    function test_revert_slashingGuards() public {
        _fullFlow("");
        IAllocationManagerTypes.SlashingParams memory params = _slashingParams("stranger");
        vm.prank(address(0xBAD));
        vm.expectRevert(IEigenLayerErrors.InvalidPermissions.selector);
        allocationManager.slashOperator(AVS, params);

        params.wadsToSlash[0] = 1e18 + 1;
        vm.prank(AVS);
        vm.expectRevert(IEigenLayerErrors.InvalidWadToSlash.selector);
        allocationManager.slashOperator(AVS, params);
    }

    /// A deallocation through `allocate` takes effect after DEALLOCATION_DELAY + 1 blocks.
    function test_allocateHelperHandlesDeallocation() public {
        _fullFlow("");
        allocate(OPERATOR, AVS, SET_ID, 0.5e18);
        assertEq(_minimumSlashableStake(), 500e18, "slashable stake after deallocation");
        allocate(OPERATOR, AVS, SET_ID, 1e18);
        assertEq(_minimumSlashableStake(), STAKE, "slashable stake after full allocation");
    }

    /// The devnet strategy only takes deposits and withdrawals from the StrategyManager.
    function test_revert_strategyOnlyStrategyManager() public {
        vm.expectRevert(DevnetStrategy.OnlyStrategyManager.selector);
        DevnetStrategy(address(strategy)).deposit(IERC20(address(token)), 1);
        vm.expectRevert(DevnetStrategy.OnlyStrategyManager.selector);
        DevnetStrategy(address(strategy)).withdraw(address(this), IERC20(address(token)), 1);
    }

    function _operatorShares() internal view returns (uint256) {
        return
            IDelegationManagerReads(address(delegation))
                .getOperatorShares(OPERATOR, _oneStrategy())[0];
    }

    /// @dev Checks `impl`'s runtime code against the JSON and returns its immutable words.
    function _assertRuntimeMatches(string memory json, string memory name, address impl)
        internal
        view
        returns (bytes32[] memory words)
    {
        string memory key = string.concat(".contracts.", name);
        bytes memory code = impl.code;
        assertEq(
            code.length,
            vm.parseJsonUint(json, string.concat(key, ".deployedBytecodeSize")),
            string.concat(name, ": runtime size")
        );
        uint256[] memory offsets =
            vmEigenLayer.parseJsonUintArray(json, string.concat(key, ".immutableOffsets"));
        words = new bytes32[](offsets.length);
        for (uint256 i = 0; i < offsets.length; ++i) {
            uint256 offset = offsets[i];
            assertLe(offset + 32, code.length, string.concat(name, ": immutable offset"));
            bytes32 word;
            assembly ("memory-safe") {
                let p := add(add(code, 0x20), offset)
                word := mload(p)
                mstore(p, 0)
            }
            words[i] = word;
        }
        assertEq(
            keccak256(code),
            vm.parseJsonBytes32(json, string.concat(key, ".deployedBytecodeKeccak")),
            string.concat(name, ": runtime code (immutables zeroed) keccak")
        );
        assertEq(IVersioned(impl).version(), EIGENLAYER_VERSION, string.concat(name, ": version"));
    }

    function _assertHoldsAddress(bytes32[] memory words, address value, string memory what)
        internal
        pure
    {
        bytes32 wanted = bytes32(uint256(uint160(value)));
        for (uint256 i = 0; i < words.length; ++i) {
            if (words[i] == wanted) return;
        }
        fail(string.concat(what, ": address not among the immutables"));
    }

    function _assertProxy(address proxy, address impl) internal view {
        assertEq(
            eigenLayerProxyAdmin.getProxyImplementation(ITransparentUpgradeableProxy(proxy)),
            impl,
            "proxy implementation"
        );
        assertEq(IVersioned(proxy).version(), EIGENLAYER_VERSION, "version through the proxy");
    }
}

/// Gas figures. The flow runs in `setUp` so the measured calls start from cold storage, as a
/// transaction would (forge runs each test as its own transaction after `setUp`).
contract EigenLayerGasTest is EigenLayerFixture {
    function setUp() public {
        deployEigenLayer();
        registrar = new RecordingRegistrar();
        _fullFlow(hex"c0ffee");
    }

    function test_gas_deploymentAndSlash() public {
        ConsoleLog.log("gas: EigenLayer core deployment (execution)", eigenLayerCoreDeploymentGas);
        ConsoleLog.log(
            "gas: core + token + strategy + whitelist (execution)", eigenLayerDeploymentGas
        );

        IAllocationManagerTypes.SlashingParams memory params = _slashingParams("gas");
        vm.prank(AVS);
        uint256 before = gasleft();
        allocationManager.slashOperator(AVS, params);
        uint256 slashGas = before - gasleft();
        ConsoleLog.log("gas: slashOperator, one strategy (execution)", slashGas);

        assertGt(eigenLayerCoreDeploymentGas, 0, "deployment gas");
        assertLe(eigenLayerDeploymentGas, 30_000_000, "deployment gas bound");
        assertLe(slashGas, 300_000, "slashOperator gas bound");
    }
}
