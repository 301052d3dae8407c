// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title Groth16
/// @notice Groth16 verification over BN254 with three public inputs, on the EVM precompiles
/// ECADD (0x06), ECMUL (0x07) and ECPAIRING (0x08), and a cheap-to-read store for verifying keys.
///
/// Encodings are those of `rampart-gpu-prover`'s `export` module: field elements as uint256,
/// G1 points `(x, y)`, G2 points `(x.c1, x.c0, y.c1, y.c0)` (imaginary part first, as 0x08 takes
/// them), the point at infinity as all zeros. A proof is `uint256[8]`: `a.x, a.y, b.x.c1,
/// b.x.c0, b.y.c1, b.y.c0, c.x, c.y`.
///
/// A verifying key is written once into the code of a data contract (`store`) and read back with
/// one EXTCODECOPY (2,600 gas cold) instead of 22 cold SLOADs (46,200 gas). Its code is a STOP
/// byte followed by 26 words laid out so that one copy lands every key point where the pairing
/// input needs it: `alpha, beta, 0, 0, gamma, 0, 0, delta, ic0, ic1, ic2, ic3` (the zero words
/// are the slots that `vk_x` and `C` fill in).
library Groth16 {
    /// @notice The BN254 scalar field modulus r: public inputs are elements of this field.
    uint256 internal constant R =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @notice The BN254 base field modulus q: point coordinates are elements of this field.
    uint256 internal constant Q =
        21888242871839275222246405745257275088696311157297823662689037894645226208583;

    /// @dev Bytes of key data behind the leading STOP byte in a key contract's code.
    uint256 internal constant KEY_BYTES = 0x340;

    /// @notice A verifying key for three public inputs.
    struct VerifyingKey {
        uint256[2] alpha; // G1
        uint256[4] beta; // G2, imaginary part first
        uint256[4] gamma; // G2
        uint256[4] delta; // G2
        uint256[2][4] ic; // G1: the constant term, then one point per public input
    }

    /// @notice Public input `index` (0 prev root, 1 new root, 2 commitment) is not below r.
    error InputNotInField(uint256 index);
    /// @notice Proof word `index` (0..7, calldata order) is not below q.
    error ProofNotInField(uint256 index);
    /// @notice A precompile call failed (a point not on its curve or outside the subgroup, or
    /// too little gas): nothing is ever accepted on a failed call.
    error PrecompileFailed(address precompile);
    /// @notice A verifying key has a coordinate ≥ q, a point not on its curve (or, in G2,
    /// outside the subgroup), or alpha/beta/gamma/delta at infinity.
    error InvalidVerifyingKey();
    /// @notice The address does not hold a verifying key written by `store`.
    error NotAVerifyingKey(address pointer);
    /// @notice Creating the key contract failed.
    error KeyStoreFailed();

    // ------------------------------------------------------------------ verification

    /// @notice Verifies `proof` against the key stored at `key` (see `store`) and the public
    /// inputs `(input0, input1, input2)`: e(−A, B) · e(alpha, beta) · e(vk_x, gamma) ·
    /// e(C, delta) = 1 with vk_x = ic0 + Σ input_i · ic_(i+1).
    /// @dev Reverts with `InputNotInField` / `ProofNotInField` on out-of-range words,
    /// `NotAVerifyingKey` for a wrong key address and `PrecompileFailed` when a precompile
    /// refuses its input (e.g. a proof point off its curve); returns false when the pairing
    /// product is not 1.
    function verify(
        address key,
        uint256[8] calldata proof,
        uint256 input0,
        uint256 input1,
        uint256 input2
    ) internal view returns (bool valid) {
        if (input0 >= R) revert InputNotInField(0);
        if (input1 >= R) revert InputNotInField(1);
        if (input2 >= R) revert InputNotInField(2);
        for (uint256 i = 0; i < 8; i++) {
            if (proof[i] >= Q) revert ProofNotInField(i);
        }
        if (key.code.length != KEY_BYTES + 1) revert NotAVerifyingKey(key);

        bool ecOk;
        bool pairingOk;
        assembly ("memory-safe") {
            // Pairing input at p (4 pairs of 0xc0 bytes): (−A, B), (alpha, beta), (vk_x, gamma),
            // (C, delta); then ic0..ic3 at p + 0x300 and a scratch area at p + 0x400.
            let p := mload(0x40)
            extcodecopy(key, add(p, 0xc0), 1, KEY_BYTES)
            mstore(p, calldataload(proof))
            mstore(add(p, 0x20), mod(sub(Q, calldataload(add(proof, 0x20))), Q))
            calldatacopy(add(p, 0x40), add(proof, 0x40), 0x80)
            calldatacopy(add(p, 0x240), add(proof, 0xc0), 0x40)

            // vk_x: the accumulator at s, each term ic_i · input at s + 0x40 (x, y, scalar).
            let s := add(p, 0x400)
            mcopy(s, add(p, 0x300), 0x40)
            ecOk := 1
            for { let i := 1 } lt(i, 4) { i := add(i, 1) } {
                let input := input0
                if eq(i, 2) { input := input1 }
                if eq(i, 3) { input := input2 }
                mcopy(add(s, 0x40), add(p, add(0x300, shl(6, i))), 0x40)
                mstore(add(s, 0x80), input)
                ecOk := and(ecOk, staticcall(gas(), 0x07, add(s, 0x40), 0x60, add(s, 0x40), 0x40))
                ecOk := and(ecOk, eq(returndatasize(), 0x40))
                ecOk := and(ecOk, staticcall(gas(), 0x06, s, 0x80, s, 0x40))
                ecOk := and(ecOk, eq(returndatasize(), 0x40))
            }
            mcopy(add(p, 0x180), s, 0x40)

            pairingOk := staticcall(gas(), 0x08, p, 0x300, 0x00, 0x20)
            pairingOk := and(pairingOk, eq(returndatasize(), 0x20))
            valid := and(pairingOk, eq(mload(0x00), 1))
        }
        if (!ecOk) revert PrecompileFailed(address(0x07));
        if (!pairingOk) revert PrecompileFailed(address(0x08));
    }

    // ------------------------------------------------------------------ key storage

    /// @notice Checks `vk` and writes it into the code of a new contract; returns its address.
    function store(VerifyingKey memory vk) internal returns (address key) {
        validate(vk);
        bytes memory data = abi.encodePacked(
            vk.alpha,
            vk.beta,
            uint256(0),
            uint256(0),
            vk.gamma,
            uint256(0),
            uint256(0),
            vk.delta,
            vk.ic[0],
            vk.ic[1],
            vk.ic[2],
            vk.ic[3]
        );
        // Creation code: PUSH2 0x0341, DUP1, PUSH1 10, RETURNDATASIZE, CODECOPY, RETURNDATASIZE,
        // RETURN — it returns the 0x341 (KEY_BYTES + 1) bytes that follow its 10 bytes: a STOP
        // byte (so calling the key contract does nothing) and the key words.
        bytes memory code = abi.encodePacked(hex"61034180600a3d393df300", data);
        assembly ("memory-safe") {
            key := create(0, add(code, 0x20), mload(code))
        }
        if (key == address(0) || key.code.length != KEY_BYTES + 1) revert KeyStoreFailed();
    }

    /// @notice Reads back a key written by `store`.
    function load(address key) internal view returns (VerifyingKey memory vk) {
        if (key.code.length != KEY_BYTES + 1) revert NotAVerifyingKey(key);
        uint256[26] memory w;
        assembly ("memory-safe") {
            extcodecopy(key, w, 1, KEY_BYTES)
        }
        vk.alpha = [w[0], w[1]];
        vk.beta = [w[2], w[3], w[4], w[5]];
        vk.gamma = [w[8], w[9], w[10], w[11]];
        vk.delta = [w[14], w[15], w[16], w[17]];
        for (uint256 i = 0; i < 4; i++) {
            vk.ic[i] = [w[18 + 2 * i], w[19 + 2 * i]];
        }
    }

    /// @notice Reverts with `InvalidVerifyingKey` unless every coordinate is below q, alpha,
    /// beta, gamma and delta are not at infinity, the G1 points are on the curve (checked by
    /// ECADD) and the G2 points are on the twist and in the prime-order subgroup (checked by
    /// ECPAIRING, which validates every point it is given, each paired here with infinity).
    function validate(VerifyingKey memory vk) internal view {
        uint256[12] memory g1;
        uint256[18] memory g2;
        (g1[0], g1[1]) = (vk.alpha[0], vk.alpha[1]);
        for (uint256 i = 0; i < 4; i++) {
            (g1[4 + 2 * i], g1[5 + 2 * i]) = (vk.ic[i][0], vk.ic[i][1]);
            g2[2 + i] = vk.beta[i];
            g2[8 + i] = vk.gamma[i];
            g2[14 + i] = vk.delta[i];
        }
        // g1 = alpha, (0, 0), ic0, ic1, ic2, ic3: three ECADDs of two points each (alpha + 0,
        // ic0 + ic1, ic2 + ic3). g2 = three pairs (infinity, beta | gamma | delta).
        bool ok = (vk.alpha[0] | vk.alpha[1]) != 0 && _nonZero(vk.beta) && _nonZero(vk.gamma)
            && _nonZero(vk.delta);
        for (uint256 i = 0; i < 12; i++) {
            if (g1[i] >= Q) ok = false;
        }
        for (uint256 i = 0; i < 18; i++) {
            if (g2[i] >= Q) ok = false;
        }
        if (!ok) revert InvalidVerifyingKey();
        assembly ("memory-safe") {
            for { let i := 0 } lt(i, 3) { i := add(i, 1) } {
                ok := and(ok, staticcall(gas(), 0x06, add(g1, shl(7, i)), 0x80, 0x00, 0x40))
                ok := and(ok, eq(returndatasize(), 0x40))
            }
            ok := and(ok, staticcall(gas(), 0x08, g2, 0x240, 0x00, 0x20))
            ok := and(ok, and(eq(returndatasize(), 0x20), eq(mload(0x00), 1)))
        }
        if (!ok) revert InvalidVerifyingKey();
    }

    function _nonZero(uint256[4] memory p) private pure returns (bool) {
        return (p[0] | p[1] | p[2] | p[3]) != 0;
    }
}
