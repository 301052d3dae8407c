// Multi-scalar multiplication: Pippenger's bucket method with signed digits and bucket sorting.
//
// For window width c there are W = 254 / c + 1 windows and B = 2^(c-1) buckets per window.
//  1. msm_digits: each scalar is cut into W signed digits in [-(2^(c-1) - 1), 2^(c-1)]; a non-zero
//     digit d of window w becomes an entry (key = w * B + |d| - 1, value = point index | sign bit)
//     and counts[key] is incremented.
//  2. scan_step / scan_exclusive: prefix sums of the counts give each bucket's slice.
//  3. msm_scatter: entries are written into their bucket's slice (a counting sort).
//  4. msm_accumulate: each thread sums a fixed-size chunk of the sorted entries, run by run, so a
//     bucket holding a large share of the points (witnesses are full of 0s and 1s) is split
//     across many threads; msm_finish adds the pieces of buckets that span chunks.
//  5. msm_bucket_segments / msm_window_sums: sum_j (j + 1) * bucket_j per window, each window
//     split into segments of running sums so that thousands of threads share the work.
//  6. msm_combine: Horner over the windows (sum_w 2^(c w) S_w), one thread.

KERNEL msm_digits(const uint32_t* scalars, uint32_t n, uint32_t c, uint32_t windows,
                  uint32_t* keys, uint32_t* vals, uint32_t* counts) {
  uint32_t i = thread_index();
  if (i >= n) return;
  const uint32_t* s = scalars + 8 * (uint64_t)i;
  const uint32_t buckets = 1u << (c - 1);
  const uint64_t mask = (1ull << c) - 1;
  uint32_t carry = 0;
  for (uint32_t w = 0; w < windows; w++) {
    uint32_t bit = w * c;
    uint32_t limb = bit / 32, shift = bit % 32;
    uint64_t chunk = 0;
    if (limb < 8) chunk = s[limb] >> shift;
    if (limb + 1 < 8) chunk |= (uint64_t)s[limb + 1] << (32 - shift);
    uint32_t d = (uint32_t)(chunk & mask) + carry;
    uint32_t magnitude = d, negative = 0;
    carry = 0;
    if (d > buckets) {
      magnitude = (1u << c) - d;
      negative = 1;
      carry = 1;
    }
    uint64_t slot = (uint64_t)w * n + i;
    if (magnitude == 0) {
      keys[slot] = NONE_KEY;
    } else {
      uint32_t key = w * buckets + magnitude - 1;
      keys[slot] = key;
      vals[slot] = i | (negative << 31);
      atomicAdd(&counts[key], 1);
    }
  }
}

// One step of an inclusive Hillis-Steele scan: out[i] = in[i] + in[i - d].
KERNEL scan_step(const uint32_t* in, uint32_t* out, uint32_t m, uint32_t d) {
  uint32_t i = thread_index();
  if (i >= m) return;
  out[i] = in[i] + (i >= d ? in[i - d] : 0);
}

// offsets[0] = 0, offsets[i] = inclusive[i - 1] for 0 < i <= m.
KERNEL scan_exclusive(const uint32_t* inclusive, uint32_t* offsets, uint32_t m) {
  uint32_t i = thread_index();
  if (i > m) return;
  offsets[i] = i == 0 ? 0 : inclusive[i - 1];
}

KERNEL msm_scatter(const uint32_t* keys, const uint32_t* vals, uint32_t total,
                   const uint32_t* offsets, uint32_t* cursor, uint32_t* sorted_vals,
                   uint32_t* sorted_keys) {
  uint32_t e = thread_index();
  if (e >= total) return;
  uint32_t key = keys[e];
  if (key == NONE_KEY) return;
  uint32_t pos = offsets[key] + atomicAdd(&cursor[key], 1);
  sorted_vals[pos] = vals[e];
  sorted_keys[pos] = key;
}

template <class F>
DEV void msm_accumulate_impl(const uint32_t* bases, const uint32_t* sorted_vals,
                             const uint32_t* sorted_keys, const uint32_t* offsets, uint32_t m,
                             uint32_t chunk, uint32_t* cont, uint32_t* buckets) {
  uint32_t t = thread_index();
  uint32_t total = offsets[m];
  uint64_t start = (uint64_t)t * chunk;
  if (start >= total) return;
  uint32_t end = start + chunk < total ? (uint32_t)(start + chunk) : total;
  uint32_t i = (uint32_t)start;
  while (i < end) {
    uint32_t key = sorted_keys[i];
    uint32_t run_start = i;
    uint32_t bucket_end = offsets[key + 1];
    uint32_t run_end = bucket_end < end ? bucket_end : end;
    Xyzz<F> acc = Xyzz<F>::infinity();
    for (; i < run_end; i++) {
      uint32_t v = sorted_vals[i];
      Affine<F> p = Affine<F>::load(bases, v & 0x7fffffffu);
      acc = acc.plus_affine((v >> 31) ? p.negate() : p);
    }
    if (run_start == offsets[key]) {
      acc.store(buckets, key);
    } else {
      acc.store(cont, t);  // only a chunk's first run can continue a bucket
    }
  }
}

template <class F>
DEV void msm_finish_impl(const uint32_t* offsets, uint32_t m, uint32_t chunk,
                         const uint32_t* cont, uint32_t* buckets) {
  uint32_t b = thread_index();
  if (b >= m) return;
  uint32_t s = offsets[b], e = offsets[b + 1];
  if (s == e) {
    Xyzz<F>::infinity().store(buckets, b);
    return;
  }
  uint32_t first = s / chunk, last = (e - 1) / chunk;
  if (first == last) return;
  Xyzz<F> acc = Xyzz<F>::load(buckets, b);
  for (uint32_t t = first + 1; t <= last; t++) acc = acc.plus(Xyzz<F>::load(cont, t));
  acc.store(buckets, b);
}

// Thread (w, s) covers buckets [lo, hi) of window w and writes
// sum_{j in [lo, hi)} (j + 1) * bucket_j = running-sum total + lo * (sum of its buckets).
template <class F>
DEV void msm_bucket_segments_impl(const uint32_t* buckets, uint32_t windows, uint32_t per_window,
                                  uint32_t segments, uint32_t* seg_out) {
  uint32_t t = thread_index();
  if (t >= windows * segments) return;
  uint32_t w = t / segments, s = t % segments;
  uint32_t width = per_window / segments;
  uint32_t lo = s * width, hi = lo + width;
  Xyzz<F> running = Xyzz<F>::infinity();
  Xyzz<F> acc = Xyzz<F>::infinity();
  for (uint32_t j = hi; j > lo; j--) {
    running = running.plus(Xyzz<F>::load(buckets, w * per_window + j - 1));
    acc = acc.plus(running);
  }
  acc = acc.plus(running.mul_small(lo));
  acc.store(seg_out, t);
}

template <class F>
DEV void msm_window_sums_impl(const uint32_t* seg_out, uint32_t windows, uint32_t segments,
                              uint32_t* window_sums) {
  uint32_t w = thread_index();
  if (w >= windows) return;
  Xyzz<F> acc = Xyzz<F>::infinity();
  for (uint32_t s = 0; s < segments; s++) acc = acc.plus(Xyzz<F>::load(seg_out, w * segments + s));
  acc.store(window_sums, w);
}

template <class F>
DEV void msm_combine_impl(const uint32_t* window_sums, uint32_t windows, uint32_t c,
                          uint32_t* out) {
  if (thread_index() != 0) return;
  Xyzz<F> acc = Xyzz<F>::infinity();
  for (uint32_t w = windows; w > 0; w--) {
    for (uint32_t k = 0; k < c; k++) acc = acc.twice();
    acc = acc.plus(Xyzz<F>::load(window_sums, w - 1));
  }
  acc.store(out, 0);
}

#define RAMPART_MSM_KERNELS(G, F)                                                               \
  KERNEL msm_accumulate_##G(const uint32_t* bases, const uint32_t* sorted_vals,                 \
                            const uint32_t* sorted_keys, const uint32_t* offsets, uint32_t m,   \
                            uint32_t chunk, uint32_t* cont, uint32_t* buckets) {                \
    msm_accumulate_impl<F>(bases, sorted_vals, sorted_keys, offsets, m, chunk, cont, buckets);  \
  }                                                                                             \
  KERNEL msm_finish_##G(const uint32_t* offsets, uint32_t m, uint32_t chunk,                    \
                        const uint32_t* cont, uint32_t* buckets) {                              \
    msm_finish_impl<F>(offsets, m, chunk, cont, buckets);                                       \
  }                                                                                             \
  KERNEL msm_bucket_segments_##G(const uint32_t* buckets, uint32_t windows,                     \
                                 uint32_t per_window, uint32_t segments, uint32_t* seg_out) {   \
    msm_bucket_segments_impl<F>(buckets, windows, per_window, segments, seg_out);               \
  }                                                                                             \
  KERNEL msm_window_sums_##G(const uint32_t* seg_out, uint32_t windows, uint32_t segments,      \
                             uint32_t* window_sums) {                                           \
    msm_window_sums_impl<F>(seg_out, windows, segments, window_sums);                           \
  }                                                                                             \
  KERNEL msm_combine_##G(const uint32_t* window_sums, uint32_t windows, uint32_t c,             \
                         uint32_t* out) {                                                       \
    msm_combine_impl<F>(window_sums, windows, c, out);                                          \
  }

RAMPART_MSM_KERNELS(g1, Fq)
RAMPART_MSM_KERNELS(g2, Fq2)

// Every kernel, for the host emulation's dispatcher (the Rust side keeps the same list).
#define RAMPART_KERNELS(X)                                                                    \
  X(ntt_bit_reverse)                                                                          \
  X(ntt_stage)                                                                                \
  X(fr_mul_pointwise)                                                                         \
  X(fr_scale)                                                                                 \
  X(qap_quotient)                                                                             \
  X(fr_from_montgomery)                                                                       \
  X(msm_digits)                                                                               \
  X(scan_step)                                                                                \
  X(scan_exclusive)                                                                           \
  X(msm_scatter)                                                                              \
  X(msm_accumulate_g1)                                                                        \
  X(msm_finish_g1)                                                                            \
  X(msm_bucket_segments_g1)                                                                   \
  X(msm_window_sums_g1)                                                                       \
  X(msm_combine_g1)                                                                           \
  X(msm_accumulate_g2)                                                                        \
  X(msm_finish_g2)                                                                            \
  X(msm_bucket_segments_g2)                                                                   \
  X(msm_window_sums_g2)                                                                       \
  X(msm_combine_g2)
