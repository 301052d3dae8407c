// BN254 base field Fq, scalar field Fr and Fq2 = Fq[u]/(u^2 + 1).
//
// Elements are 8 little-endian 32-bit limbs in Montgomery form with R = 2^256, which is exactly
// the in-memory form of arkworks' `Fp256<MontBackend<_, 4>>` on a little-endian machine: the host
// uploads arkworks values as they are and reads results back the same way. Every operation returns
// a fully reduced value (< modulus), so equal field elements have equal limbs.

struct FqParams {
  DEV static uint32_t modulus(int i) {
    const uint32_t m[8] = {0xd87cfd47u, 0x3c208c16u, 0x6871ca8du, 0x97816a91u,
                           0x8181585du, 0xb85045b6u, 0xe131a029u, 0x30644e72u};
    return m[i];
  }
  DEV static uint32_t one(int i) {
    const uint32_t r[8] = {0xc58f0d9du, 0xd35d438du, 0xf5c70b3du, 0x0a78eb28u,
                           0x7879462cu, 0x666ea36fu, 0x9a07df2fu, 0x0e0a77c1u};
    return r[i];
  }
  // -modulus^-1 mod 2^32
  static const uint32_t INV = 0xe4866389u;
};

struct FrParams {
  DEV static uint32_t modulus(int i) {
    const uint32_t m[8] = {0xf0000001u, 0x43e1f593u, 0x79b97091u, 0x2833e848u,
                           0x8181585du, 0xb85045b6u, 0xe131a029u, 0x30644e72u};
    return m[i];
  }
  DEV static uint32_t one(int i) {
    const uint32_t r[8] = {0x4ffffffbu, 0xac96341cu, 0x9f60cd29u, 0x36fc7695u,
                           0x7879462eu, 0x666ea36fu, 0x9a07df2fu, 0x0e0a77c1u};
    return r[i];
  }
  static const uint32_t INV = 0xefffffffu;
};

template <class P>
struct Fp {
  uint32_t v[8];
};

typedef Fp<FqParams> Fq;
typedef Fp<FrParams> Fr;

template <class P>
DEV Fp<P> fp_zero() {
  Fp<P> r;
#pragma unroll
  for (int i = 0; i < 8; i++) r.v[i] = 0;
  return r;
}

template <class P>
DEV Fp<P> fp_one() {
  Fp<P> r;
#pragma unroll
  for (int i = 0; i < 8; i++) r.v[i] = P::one(i);
  return r;
}

template <class P>
DEV bool is_zero(const Fp<P>& a) {
  uint32_t acc = 0;
#pragma unroll
  for (int i = 0; i < 8; i++) acc |= a.v[i];
  return acc == 0;
}

template <class P>
DEV bool eq(const Fp<P>& a, const Fp<P>& b) {
  uint32_t acc = 0;
#pragma unroll
  for (int i = 0; i < 8; i++) acc |= a.v[i] ^ b.v[i];
  return acc == 0;
}

// r = t - modulus if that does not borrow (or if `carry` says t overflowed 2^256), else t.
template <class P>
DEV Fp<P> reduce_once(const Fp<P>& t, uint32_t carry) {
  Fp<P> d;
  uint32_t borrow = 0;
#pragma unroll
  for (int i = 0; i < 8; i++) {
    uint64_t x = (uint64_t)t.v[i] - P::modulus(i) - borrow;
    d.v[i] = (uint32_t)x;
    borrow = (uint32_t)(x >> 32) & 1;
  }
  return (carry || !borrow) ? d : t;
}

template <class P>
DEV Fp<P> add(const Fp<P>& a, const Fp<P>& b) {
  Fp<P> t;
  uint32_t carry = 0;
#pragma unroll
  for (int i = 0; i < 8; i++) {
    uint64_t x = (uint64_t)a.v[i] + b.v[i] + carry;
    t.v[i] = (uint32_t)x;
    carry = (uint32_t)(x >> 32);
  }
  return reduce_once(t, carry);
}

template <class P>
DEV Fp<P> sub(const Fp<P>& a, const Fp<P>& b) {
  Fp<P> t;
  uint32_t borrow = 0;
#pragma unroll
  for (int i = 0; i < 8; i++) {
    uint64_t x = (uint64_t)a.v[i] - b.v[i] - borrow;
    t.v[i] = (uint32_t)x;
    borrow = (uint32_t)(x >> 32) & 1;
  }
  if (borrow) {
    uint32_t carry = 0;
#pragma unroll
    for (int i = 0; i < 8; i++) {
      uint64_t x = (uint64_t)t.v[i] + P::modulus(i) + carry;
      t.v[i] = (uint32_t)x;
      carry = (uint32_t)(x >> 32);
    }
  }
  return t;
}

template <class P>
DEV Fp<P> neg(const Fp<P>& a) {
  return is_zero(a) ? a : sub(fp_zero<P>(), a);
}

template <class P>
DEV Fp<P> dbl(const Fp<P>& a) {
  return add(a, a);
}

// Montgomery multiplication, CIOS with 32-bit limbs: a * b * 2^-256 mod modulus.
template <class P>
DEV Fp<P> mul(const Fp<P>& a, const Fp<P>& b) {
  uint32_t t[10];
#pragma unroll
  for (int i = 0; i < 10; i++) t[i] = 0;
#pragma unroll
  for (int i = 0; i < 8; i++) {
    uint32_t carry = 0;
#pragma unroll
    for (int j = 0; j < 8; j++) {
      uint64_t x = (uint64_t)a.v[j] * b.v[i] + t[j] + carry;
      t[j] = (uint32_t)x;
      carry = (uint32_t)(x >> 32);
    }
    uint64_t x = (uint64_t)t[8] + carry;
    t[8] = (uint32_t)x;
    t[9] = (uint32_t)(x >> 32);

    uint32_t m = t[0] * P::INV;
    x = (uint64_t)m * P::modulus(0) + t[0];
    carry = (uint32_t)(x >> 32);
#pragma unroll
    for (int j = 1; j < 8; j++) {
      x = (uint64_t)m * P::modulus(j) + t[j] + carry;
      t[j - 1] = (uint32_t)x;
      carry = (uint32_t)(x >> 32);
    }
    x = (uint64_t)t[8] + carry;
    t[7] = (uint32_t)x;
    t[8] = t[9] + (uint32_t)(x >> 32);
  }
  Fp<P> r;
#pragma unroll
  for (int i = 0; i < 8; i++) r.v[i] = t[i];
  return reduce_once(r, t[8]);
}

template <class P>
DEV Fp<P> sqr(const Fp<P>& a) {
  return mul(a, a);
}

// Montgomery form to the canonical integer (a * 2^-256): what the MSM digit kernel reads.
template <class P>
DEV Fp<P> from_montgomery(const Fp<P>& a) {
  Fp<P> one = fp_zero<P>();
  one.v[0] = 1;
  return mul(a, one);
}

template <class P>
DEV Fp<P> load(const uint32_t* words, uint32_t index) {
  Fp<P> r;
#pragma unroll
  for (int i = 0; i < 8; i++) r.v[i] = words[8 * index + i];
  return r;
}

template <class P>
DEV void store(uint32_t* words, uint32_t index, const Fp<P>& a) {
#pragma unroll
  for (int i = 0; i < 8; i++) words[8 * index + i] = a.v[i];
}

// ---- Fq2 = Fq[u] / (u^2 + 1), stored as (c0, c1) like arkworks' QuadExtField ----

struct Fq2 {
  Fq c0, c1;
};

DEV bool is_zero(const Fq2& a) { return is_zero(a.c0) && is_zero(a.c1); }
DEV bool eq(const Fq2& a, const Fq2& b) { return eq(a.c0, b.c0) && eq(a.c1, b.c1); }
DEV Fq2 add(const Fq2& a, const Fq2& b) { return Fq2{add(a.c0, b.c0), add(a.c1, b.c1)}; }
DEV Fq2 sub(const Fq2& a, const Fq2& b) { return Fq2{sub(a.c0, b.c0), sub(a.c1, b.c1)}; }
DEV Fq2 neg(const Fq2& a) { return Fq2{neg(a.c0), neg(a.c1)}; }
DEV Fq2 dbl(const Fq2& a) { return Fq2{dbl(a.c0), dbl(a.c1)}; }
DEV_NOINLINE Fq2 mul(const Fq2& a, const Fq2& b) {
  // Karatsuba: (a0 + a1 u)(b0 + b1 u) = (a0 b0 - a1 b1) + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1) u
  Fq v0 = mul(a.c0, b.c0);
  Fq v1 = mul(a.c1, b.c1);
  Fq s = mul(add(a.c0, a.c1), add(b.c0, b.c1));
  return Fq2{sub(v0, v1), sub(sub(s, v0), v1)};
}
DEV_NOINLINE Fq2 sqr(const Fq2& a) {
  // (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u
  Fq ab = mul(a.c0, a.c1);
  return Fq2{mul(add(a.c0, a.c1), sub(a.c0, a.c1)), dbl(ab)};
}
