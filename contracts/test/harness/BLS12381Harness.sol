// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {BLS12381} from "../../src/bls/BLS12381.sol";

/// @notice Exposes the BLS12381 library externally, so tests can expect reverts, bound the gas a
/// failing precompile may burn (`harness.f{gas: n}(...)`), and measure gas with gasleft() around
/// a single library call.
contract BLS12381Harness {
    // ------------------------------------------------------------------ plain wrappers

    function generatorG1() external pure returns (BLS12381.G1Point memory) {
        return BLS12381.generatorG1();
    }

    function negGeneratorG1() external pure returns (BLS12381.G1Point memory) {
        return BLS12381.negGeneratorG1();
    }

    function isInfinityG1(BLS12381.G1Point memory p) external pure returns (bool) {
        return BLS12381.isInfinity(p);
    }

    function isInfinityG2(BLS12381.G2Point memory p) external pure returns (bool) {
        return BLS12381.isInfinity(p);
    }

    function isValidEncodingG1(BLS12381.G1Point memory p) external pure returns (bool) {
        return BLS12381.isValidEncoding(p);
    }

    function isValidEncodingG2(BLS12381.G2Point memory p) external pure returns (bool) {
        return BLS12381.isValidEncoding(p);
    }

    function negate(BLS12381.G1Point memory p) external pure returns (BLS12381.G1Point memory) {
        return BLS12381.negate(p);
    }

    function addG1(BLS12381.G1Point memory a, BLS12381.G1Point memory b)
        external
        view
        returns (BLS12381.G1Point memory)
    {
        return BLS12381.add(a, b);
    }

    function subG1(BLS12381.G1Point memory a, BLS12381.G1Point memory b)
        external
        view
        returns (BLS12381.G1Point memory)
    {
        return BLS12381.sub(a, b);
    }

    function mulG1(BLS12381.G1Point memory p, uint256 scalar)
        external
        view
        returns (BLS12381.G1Point memory)
    {
        return BLS12381.mul(p, scalar);
    }

    function addG2(BLS12381.G2Point memory a, BLS12381.G2Point memory b)
        external
        view
        returns (BLS12381.G2Point memory)
    {
        return BLS12381.add(a, b);
    }

    function mulG2(BLS12381.G2Point memory p, uint256 scalar)
        external
        view
        returns (BLS12381.G2Point memory)
    {
        return BLS12381.mul(p, scalar);
    }

    function inSubgroup(BLS12381.G1Point memory p) external view returns (bool) {
        return BLS12381.inSubgroup(p);
    }

    function mapFp2ToG2(uint256 c0A, uint256 c0B, uint256 c1A, uint256 c1B)
        external
        view
        returns (BLS12381.G2Point memory)
    {
        return BLS12381.mapFp2ToG2(c0A, c0B, c1A, c1B);
    }

    function expandMessageXmd(bytes memory message, bytes memory dst, uint256 lenInBytes)
        external
        view
        returns (bytes memory)
    {
        return BLS12381.expandMessageXmd(message, dst, lenInBytes);
    }

    function hashToFieldFp2(bytes memory message, bytes memory dst)
        external
        view
        returns (uint256[8] memory)
    {
        return BLS12381.hashToFieldFp2(message, dst);
    }

    function hashToG2(bytes memory message, bytes memory dst)
        external
        view
        returns (BLS12381.G2Point memory)
    {
        return BLS12381.hashToG2(message, dst);
    }

    function pairingCheck(BLS12381.G1Point[] memory g1, BLS12381.G2Point[] memory g2)
        external
        view
        returns (bool)
    {
        return BLS12381.pairingCheck(g1, g2);
    }

    function verify(
        BLS12381.G1Point memory pubkey,
        BLS12381.G2Point memory signature,
        BLS12381.G2Point memory hashed
    ) external view returns (bool) {
        return BLS12381.verify(pubkey, signature, hashed);
    }

    function decodeG1(bytes memory raw) external pure returns (BLS12381.G1Point memory) {
        return BLS12381.decodeG1(raw);
    }

    function decodeG2(bytes memory raw) external pure returns (BLS12381.G2Point memory) {
        return BLS12381.decodeG2(raw);
    }

    function callPrecompile(address precompile, bytes memory input)
        external
        view
        returns (bool ok, bytes memory output)
    {
        return BLS12381.callPrecompile(precompile, input);
    }

    // ------------------------------------------------------------------ gas probes
    // Each returns the gas one library call used, measured with gasleft() right around it.

    function gasHashToG2(bytes memory message, bytes memory dst)
        external
        view
        returns (uint256 used, BLS12381.G2Point memory r)
    {
        uint256 before = gasleft();
        r = BLS12381.hashToG2(message, dst);
        used = before - gasleft();
    }

    function gasHashToFieldFp2(bytes memory message, bytes memory dst)
        external
        view
        returns (uint256 used)
    {
        uint256 before = gasleft();
        BLS12381.hashToFieldFp2(message, dst);
        used = before - gasleft();
    }

    function gasExpandMessageXmd(bytes memory message, bytes memory dst, uint256 lenInBytes)
        external
        view
        returns (uint256 used)
    {
        uint256 before = gasleft();
        BLS12381.expandMessageXmd(message, dst, lenInBytes);
        used = before - gasleft();
    }

    function gasVerify(
        BLS12381.G1Point memory pubkey,
        BLS12381.G2Point memory signature,
        BLS12381.G2Point memory hashed
    ) external view returns (uint256 used, bool ok) {
        uint256 before = gasleft();
        ok = BLS12381.verify(pubkey, signature, hashed);
        used = before - gasleft();
    }

    function gasPairingCheck(BLS12381.G1Point[] memory g1, BLS12381.G2Point[] memory g2)
        external
        view
        returns (uint256 used, bool ok)
    {
        uint256 before = gasleft();
        ok = BLS12381.pairingCheck(g1, g2);
        used = before - gasleft();
    }

    function gasAddG1(BLS12381.G1Point memory a, BLS12381.G1Point memory b)
        external
        view
        returns (uint256 used)
    {
        uint256 before = gasleft();
        BLS12381.add(a, b);
        used = before - gasleft();
    }

    function gasSubG1(BLS12381.G1Point memory a, BLS12381.G1Point memory b)
        external
        view
        returns (uint256 used)
    {
        uint256 before = gasleft();
        BLS12381.sub(a, b);
        used = before - gasleft();
    }

    function gasMulG1(BLS12381.G1Point memory p, uint256 scalar)
        external
        view
        returns (uint256 used)
    {
        uint256 before = gasleft();
        BLS12381.mul(p, scalar);
        used = before - gasleft();
    }

    function gasAddG2(BLS12381.G2Point memory a, BLS12381.G2Point memory b)
        external
        view
        returns (uint256 used)
    {
        uint256 before = gasleft();
        BLS12381.add(a, b);
        used = before - gasleft();
    }

    function gasMulG2(BLS12381.G2Point memory p, uint256 scalar)
        external
        view
        returns (uint256 used)
    {
        uint256 before = gasleft();
        BLS12381.mul(p, scalar);
        used = before - gasleft();
    }

    function gasInSubgroup(BLS12381.G1Point memory p) external view returns (uint256 used) {
        uint256 before = gasleft();
        BLS12381.inSubgroup(p);
        used = before - gasleft();
    }

    function gasMapFp2ToG2(uint256 c0A, uint256 c0B, uint256 c1A, uint256 c1B)
        external
        view
        returns (uint256 used)
    {
        uint256 before = gasleft();
        BLS12381.mapFp2ToG2(c0A, c0B, c1A, c1B);
        used = before - gasleft();
    }

    function gasNegate(BLS12381.G1Point memory p) external view returns (uint256 used) {
        uint256 before = gasleft();
        BLS12381.negate(p);
        used = before - gasleft();
    }

    function gasDecodeG2(bytes memory raw) external view returns (uint256 used) {
        uint256 before = gasleft();
        BLS12381.decodeG2(raw);
        used = before - gasleft();
    }
}
