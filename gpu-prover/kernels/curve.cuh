// Short-Weierstrass curves with a = 0 over Fq (G1) and Fq2 (G2).
//
// Affine points are (x, y) with (0, 0) standing for infinity (never on either curve: b != 0).
// Accumulation uses XYZZ coordinates (x = X/ZZ, y = Y/ZZZ, ZZ^3 = ZZZ^2; infinity when ZZ = 0):
// mixed addition costs 8M + 2S and needs no inversion. Formulas: add-2008-s, madd-2008-s,
// dbl-2008-s-1 and mdbl-2008-s-1 from the Explicit-Formulas Database ("xyzz" for a = 0).

template <class F>
struct FieldOps;

template <>
struct FieldOps<Fq> {
  static const int WORDS = 8;
  DEV static Fq zero() { return fp_zero<FqParams>(); }
  DEV static Fq one() { return fp_one<FqParams>(); }
  DEV static Fq load(const uint32_t* w) {
    Fq r;
#pragma unroll
    for (int i = 0; i < 8; i++) r.v[i] = w[i];
    return r;
  }
  DEV static void store(uint32_t* w, const Fq& a) {
#pragma unroll
    for (int i = 0; i < 8; i++) w[i] = a.v[i];
  }
};

template <>
struct FieldOps<Fq2> {
  static const int WORDS = 16;
  DEV static Fq2 zero() { return Fq2{fp_zero<FqParams>(), fp_zero<FqParams>()}; }
  DEV static Fq2 one() { return Fq2{fp_one<FqParams>(), fp_zero<FqParams>()}; }
  DEV static Fq2 load(const uint32_t* w) {
    return Fq2{FieldOps<Fq>::load(w), FieldOps<Fq>::load(w + 8)};
  }
  DEV static void store(uint32_t* w, const Fq2& a) {
    FieldOps<Fq>::store(w, a.c0);
    FieldOps<Fq>::store(w + 8, a.c1);
  }
};

template <class F>
struct Affine {
  F x, y;
  static const int WORDS = 2 * FieldOps<F>::WORDS;
  DEV bool is_infinity() const { return is_zero(x) && is_zero(y); }
  DEV static Affine load(const uint32_t* words, uint32_t index) {
    const uint32_t* w = words + (uint64_t)WORDS * index;
    return Affine{FieldOps<F>::load(w), FieldOps<F>::load(w + FieldOps<F>::WORDS)};
  }
  DEV Affine negate() const { return Affine{x, neg(y)}; }
};

template <class F>
struct Xyzz {
  F x, y, zz, zzz;
  static const int WORDS = 4 * FieldOps<F>::WORDS;

  DEV static Xyzz infinity() {
    F z = FieldOps<F>::zero();
    return Xyzz{z, z, z, z};
  }
  DEV bool is_infinity() const { return is_zero(zz); }
  DEV static Xyzz from_affine(const Affine<F>& p) {
    if (p.is_infinity()) return infinity();
    F one = FieldOps<F>::one();
    return Xyzz{p.x, p.y, one, one};
  }
  DEV static Xyzz load(const uint32_t* words, uint32_t index) {
    const uint32_t* w = words + (uint64_t)WORDS * index;
    const int n = FieldOps<F>::WORDS;
    return Xyzz{FieldOps<F>::load(w), FieldOps<F>::load(w + n), FieldOps<F>::load(w + 2 * n),
                FieldOps<F>::load(w + 3 * n)};
  }
  DEV void store(uint32_t* words, uint32_t index) const {
    uint32_t* w = words + (uint64_t)WORDS * index;
    const int n = FieldOps<F>::WORDS;
    FieldOps<F>::store(w, x);
    FieldOps<F>::store(w + n, y);
    FieldOps<F>::store(w + 2 * n, zz);
    FieldOps<F>::store(w + 3 * n, zzz);
  }

  // dbl-2008-s-1 with a = 0
  DEV_NOINLINE Xyzz twice() const {
    if (is_infinity()) return *this;
    F u = dbl(y);
    F v = sqr(u);
    F w = mul(u, v);
    F s = mul(x, v);
    F x2 = sqr(x);
    F m = add(dbl(x2), x2);
    F x3 = sub(sub(sqr(m), s), s);
    F y3 = sub(mul(m, sub(s, x3)), mul(w, y));
    return Xyzz{x3, y3, mul(v, zz), mul(w, zzz)};
  }

  // mdbl-2008-s-1: doubling an affine point (ZZ = ZZZ = 1)
  DEV_NOINLINE static Xyzz twice_affine(const Affine<F>& p) {
    F u = dbl(p.y);
    F v = sqr(u);
    F w = mul(u, v);
    F s = mul(p.x, v);
    F x2 = sqr(p.x);
    F m = add(dbl(x2), x2);
    F x3 = sub(sub(sqr(m), s), s);
    F y3 = sub(mul(m, sub(s, x3)), mul(w, p.y));
    return Xyzz{x3, y3, v, w};
  }

  // madd-2008-s: this + affine point
  DEV_NOINLINE Xyzz plus_affine(const Affine<F>& q) const {
    if (q.is_infinity()) return *this;
    if (is_infinity()) return from_affine(q);
    F u2 = mul(q.x, zz);
    F s2 = mul(q.y, zzz);
    F p = sub(u2, x);
    F r = sub(s2, y);
    if (is_zero(p)) {
      if (is_zero(r)) return twice_affine(q);
      return infinity();
    }
    F pp = sqr(p);
    F ppp = mul(p, pp);
    F q2 = mul(x, pp);
    F x3 = sub(sub(sub(sqr(r), ppp), q2), q2);
    F y3 = sub(mul(r, sub(q2, x3)), mul(y, ppp));
    return Xyzz{x3, y3, mul(zz, pp), mul(zzz, ppp)};
  }

  // add-2008-s: this + other
  DEV_NOINLINE Xyzz plus(const Xyzz& o) const {
    if (o.is_infinity()) return *this;
    if (is_infinity()) return o;
    F u1 = mul(x, o.zz);
    F u2 = mul(o.x, zz);
    F s1 = mul(y, o.zzz);
    F s2 = mul(o.y, zzz);
    F p = sub(u2, u1);
    F r = sub(s2, s1);
    if (is_zero(p)) {
      if (is_zero(r)) return twice();
      return infinity();
    }
    F pp = sqr(p);
    F ppp = mul(p, pp);
    F q = mul(u1, pp);
    F x3 = sub(sub(sub(sqr(r), ppp), q), q);
    F y3 = sub(mul(r, sub(q, x3)), mul(s1, ppp));
    return Xyzz{x3, y3, mul(mul(zz, o.zz), pp), mul(mul(zzz, o.zzz), ppp)};
  }

  // k * this for a small k (bucket weights), by double-and-add from the top bit.
  DEV Xyzz mul_small(uint32_t k) const {
    Xyzz acc = infinity();
    for (int bit = 31; bit >= 0; bit--) {
      acc = acc.twice();
      if ((k >> bit) & 1) acc = acc.plus(*this);
    }
    return acc;
  }
};

typedef Affine<Fq> G1Affine;
typedef Affine<Fq2> G2Affine;
typedef Xyzz<Fq> G1Xyzz;
typedef Xyzz<Fq2> G2Xyzz;
