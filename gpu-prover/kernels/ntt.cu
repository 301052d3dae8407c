// Number-theoretic transforms over Fr and the pointwise steps of the Groth16 quotient h(X).
//
// A transform of size n = 2^k is a bit-reversal permutation followed by k radix-2
// Cooley-Tukey stages (one launch each; a stage is n/2 independent butterflies). Twiddle tables
// hold omega^i for i < n/2 and stay resident on the device with the proving key, as do the coset
// scaling tables. All values are Fr in Montgomery form (8 words each).

DEV uint32_t bit_reverse(uint32_t x, uint32_t log_n) {
  uint32_t r = 0;
  for (uint32_t i = 0; i < log_n; i++) {
    r = (r << 1) | (x & 1);
    x >>= 1;
  }
  return r;
}

// One thread per index; the thread holding the smaller index of a pair swaps it.
KERNEL ntt_bit_reverse(uint32_t* data, uint32_t n, uint32_t log_n) {
  uint32_t i = thread_index();
  if (i >= n) return;
  uint32_t j = bit_reverse(i, log_n);
  if (i < j) {
    Fr a = load<FrParams>(data, i);
    Fr b = load<FrParams>(data, j);
    store(data, i, b);
    store(data, j, a);
  }
}

// One Cooley-Tukey stage: butterflies between elements `half` apart, with twiddle
// omega^(pos * n / (2 * half)) where omega is the table's root of unity of order n.
KERNEL ntt_stage(uint32_t* data, const uint32_t* twiddles, uint32_t n, uint32_t half) {
  uint32_t k = thread_index();
  if (k >= n / 2) return;
  uint32_t pos = k & (half - 1);
  uint32_t i = ((k - pos) << 1) + pos;
  uint32_t j = i + half;
  uint32_t stride = n / (2 * half);
  Fr w = load<FrParams>(twiddles, pos * stride);
  Fr u = load<FrParams>(data, i);
  Fr v = mul(load<FrParams>(data, j), w);
  store(data, i, add(u, v));
  store(data, j, sub(u, v));
}

// data[i] *= factors[i]: the coset shift g^i, and the 1/n of an inverse transform, in one pass.
KERNEL fr_mul_pointwise(uint32_t* data, const uint32_t* factors, uint32_t n) {
  uint32_t i = thread_index();
  if (i >= n) return;
  store(data, i, mul(load<FrParams>(data, i), load<FrParams>(factors, i)));
}

// data[i] *= scalar[0]: the 1/n of a plain inverse transform.
KERNEL fr_scale(uint32_t* data, const uint32_t* scalar, uint32_t n) {
  uint32_t i = thread_index();
  if (i >= n) return;
  store(data, i, mul(load<FrParams>(data, i), load<FrParams>(scalar, 0)));
}

// The quotient on the coset: a[i] = (a[i] * b[i] - c[i]) * zinv, zinv = 1 / Z_H(g).
KERNEL qap_quotient(uint32_t* a, const uint32_t* b, const uint32_t* c, const uint32_t* zinv,
                    uint32_t n) {
  uint32_t i = thread_index();
  if (i >= n) return;
  Fr ab = mul(load<FrParams>(a, i), load<FrParams>(b, i));
  Fr z = load<FrParams>(zinv, 0);
  store(a, i, mul(sub(ab, load<FrParams>(c, i)), z));
}

// Montgomery form to canonical integers: the form the MSM digit kernel reads scalars in.
KERNEL fr_from_montgomery(uint32_t* data, uint32_t n) {
  uint32_t i = thread_index();
  if (i >= n) return;
  store(data, i, from_montgomery(load<FrParams>(data, i)));
}
