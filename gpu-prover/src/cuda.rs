//! The CUDA backend: the proving key resident on the device, the quotient by NTTs and all five
//! MSMs on the GPU, witness uploads and work split over two streams.
//!
//! The orchestration here runs unchanged on the host emulation (test builds), which executes
//! the same kernel sources thread by thread; on a GPU machine the tests compare both against
//! the CPU backend.

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::AffineRepr;
use ark_ff::{BigInt, FftField, Field, One, PrimeField, Zero};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use rayon::prelude::*;

use crate::error::{ProverError, Result};
use crate::exec::{Arg, Buf, CudaExec, Exec};
use crate::key::ProverKey;
use crate::prover::{Evaluations, Parts};

const FR_WORDS: usize = 8;

/// Whether the CUDA driver library can be loaded on this machine.
pub fn driver_available() -> bool {
    // SAFETY: only probes whether libcuda can be opened; calls nothing in it.
    #[allow(unsafe_code)]
    unsafe {
        cudarc::driver::sys::is_culib_present()
    }
}

/// Why CUDA cannot be used here, or `None` when a device is ready (first device).
pub fn unavailable_reason() -> Option<String> {
    if !driver_available() {
        return Some("no CUDA driver (libcuda) on this machine".into());
    }
    if !crate::kernels::nvrtc_available() {
        return Some("CUDA driver present but libnvrtc (CUDA toolkit) is missing".into());
    }
    match cudarc::driver::CudaContext::device_count() {
        Ok(n) if n > 0 => None,
        Ok(_) => Some("no CUDA device".into()),
        Err(e) => Some(format!("CUDA driver error: {e}")),
    }
}

/// Tuning of the GPU MSM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MsmConfig {
    /// Window width c in bits (4..=20); `None` picks one from the input size.
    pub window_bits: Option<u32>,
    /// Sorted entries summed per thread before buckets are combined across threads.
    pub chunk: u32,
}

impl Default for MsmConfig {
    fn default() -> Self {
        MsmConfig { window_bits: None, chunk: 64 }
    }
}

impl MsmConfig {
    fn window_for(&self, n: usize) -> u32 {
        self.window_bits.unwrap_or_else(|| (n.max(2).ilog2()).saturating_sub(3)).clamp(4, 20)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Curve {
    G1,
    G2,
}

impl Curve {
    /// Words per affine point / per XYZZ point.
    fn affine_words(self) -> usize {
        match self {
            Curve::G1 => 16,
            Curve::G2 => 32,
        }
    }
    fn xyzz_words(self) -> usize {
        2 * self.affine_words()
    }
    fn kernel(self, stem: &str) -> &'static str {
        match (self, stem) {
            (Curve::G1, "accumulate") => "msm_accumulate_g1",
            (Curve::G1, "finish") => "msm_finish_g1",
            (Curve::G1, "segments") => "msm_bucket_segments_g1",
            (Curve::G1, "windows") => "msm_window_sums_g1",
            (Curve::G1, _) => "msm_combine_g1",
            (Curve::G2, "accumulate") => "msm_accumulate_g2",
            (Curve::G2, "finish") => "msm_finish_g2",
            (Curve::G2, "segments") => "msm_bucket_segments_g2",
            (Curve::G2, "windows") => "msm_window_sums_g2",
            (Curve::G2, _) => "msm_combine_g2",
        }
    }
}

/// Points resident on the device.
pub struct DevicePoints {
    buf: Buf,
    len: usize,
    curve: Curve,
}

impl DevicePoints {
    /// Number of points.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A proving key resident on the device: the five query vectors and the NTT tables for its
/// domain. Only witness-dependent data moves per proof.
pub struct DeviceKey {
    a: DevicePoints,
    b_g1: DevicePoints,
    b_g2: DevicePoints,
    l: DevicePoints,
    h: DevicePoints,
    ntt: NttTables,
}

/// NTT tables for one domain size, resident on the device: twiddles, coset shifts, 1/n.
pub struct NttTables {
    n: usize,
    log_n: u32,
    forward: Buf,
    inverse: Buf,
    /// n^-1 g^i: finishes an inverse transform and shifts to the coset in one pass.
    to_coset: Buf,
    /// n^-1 g^-i: finishes an inverse transform on the coset and shifts back.
    from_coset: Buf,
    /// 1 / Z_H(g)
    zinv: Buf,
    /// 1 / n
    n_inv: Buf,
}

/// The CUDA proving backend.
pub struct CudaBackend {
    exec: Exec,
    device: String,
    msm: MsmConfig,
}

impl std::fmt::Debug for CudaBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CudaBackend").field("device", &self.device).finish()
    }
}

// ---- conversions between arkworks values and device words ----

fn push_u64s(out: &mut Vec<u32>, limbs: &[u64; 4]) {
    for l in limbs {
        out.push(*l as u32);
        out.push((*l >> 32) as u32);
    }
}

fn fq_from_words(w: &[u32]) -> Fq {
    let mut limbs = [0u64; 4];
    for (i, l) in limbs.iter_mut().enumerate() {
        *l = w[2 * i] as u64 | ((w[2 * i + 1] as u64) << 32);
    }
    Fq::new_unchecked(BigInt(limbs))
}

fn g1_words(points: &[G1Affine]) -> Vec<u32> {
    let mut out = Vec::with_capacity(points.len() * 16);
    for p in points {
        if p.infinity {
            out.extend_from_slice(&[0; 16]);
        } else {
            push_u64s(&mut out, &p.x.0.0);
            push_u64s(&mut out, &p.y.0.0);
        }
    }
    out
}

fn g2_words(points: &[G2Affine]) -> Vec<u32> {
    let mut out = Vec::with_capacity(points.len() * 32);
    for p in points {
        if p.infinity {
            out.extend_from_slice(&[0; 32]);
        } else {
            for c in [p.x.c0, p.x.c1, p.y.c0, p.y.c1] {
                push_u64s(&mut out, &c.0.0);
            }
        }
    }
    out
}

/// Scalars as canonical integers (what the MSM digit kernel reads).
fn scalar_words(scalars: &[Fr]) -> Vec<u32> {
    let mut out = vec![0u32; scalars.len() * FR_WORDS];
    out.par_chunks_mut(FR_WORDS).zip(scalars.par_iter()).for_each(|(w, s)| {
        let b = s.into_bigint();
        for (i, l) in b.0.iter().enumerate() {
            w[2 * i] = *l as u32;
            w[2 * i + 1] = (*l >> 32) as u32;
        }
    });
    out
}

/// Field elements in Montgomery form (what the NTT kernels work on).
fn montgomery_words(values: &[Fr]) -> Vec<u32> {
    let mut out = vec![0u32; values.len() * FR_WORDS];
    out.par_chunks_mut(FR_WORDS).zip(values.par_iter()).for_each(|(w, v)| {
        for (i, l) in v.0.0.iter().enumerate() {
            w[2 * i] = *l as u32;
            w[2 * i + 1] = (*l >> 32) as u32;
        }
    });
    out
}

fn fr_from_montgomery_words(w: &[u32]) -> Fr {
    let mut limbs = [0u64; 4];
    for (i, l) in limbs.iter_mut().enumerate() {
        *l = w[2 * i] as u64 | ((w[2 * i + 1] as u64) << 32);
    }
    Fr::new_unchecked(BigInt(limbs))
}

fn g1_from_xyzz(w: &[u32]) -> G1Projective {
    let (x, y, zz, zzz) = (
        fq_from_words(&w[0..8]),
        fq_from_words(&w[8..16]),
        fq_from_words(&w[16..24]),
        fq_from_words(&w[24..32]),
    );
    match (zz.inverse(), zzz.inverse()) {
        (Some(zi), Some(zzi)) => G1Affine::new_unchecked(x * zi, y * zzi).into_group(),
        _ => G1Projective::zero(),
    }
}

fn g2_from_xyzz(w: &[u32]) -> G2Projective {
    let f2 = |o: usize| Fq2::new(fq_from_words(&w[o..o + 8]), fq_from_words(&w[o + 8..o + 16]));
    let (x, y, zz, zzz) = (f2(0), f2(16), f2(32), f2(48));
    match (zz.inverse(), zzz.inverse()) {
        (Some(zi), Some(zzi)) => G2Affine::new_unchecked(x * zi, y * zzi).into_group(),
        _ => G2Projective::zero(),
    }
}

fn powers(base: Fr, scale: Fr, n: usize) -> Vec<Fr> {
    const CHUNK: usize = 1 << 12;
    let mut out = vec![Fr::zero(); n];
    out.par_chunks_mut(CHUNK).enumerate().for_each(|(c, chunk)| {
        let mut x = scale * base.pow([(c * CHUNK) as u64]);
        for v in chunk {
            *v = x;
            x *= base;
        }
    });
    out
}

fn u32_arg(x: usize, what: &str) -> Result<u32> {
    u32::try_from(x).map_err(|_| ProverError::Cuda(format!("{what} = {x} exceeds 2^32")))
}

impl CudaBackend {
    /// Opens CUDA device `ordinal` and compiles the kernels for it.
    pub fn new(ordinal: usize) -> Result<Self> {
        if let Some(reason) = unavailable_reason() {
            return Err(ProverError::CudaUnavailable(reason));
        }
        let (exec, device) = CudaExec::open(ordinal)?;
        Ok(CudaBackend { exec: Exec::Cuda(exec), device, msm: MsmConfig::default() })
    }

    /// The host emulation: the kernel sources compiled as C++ and run thread by thread. Test
    /// builds only; slow, but it exercises every line of the GPU path without a GPU.
    #[cfg(feature = "host-kernels")]
    pub fn host_emulation() -> Self {
        CudaBackend {
            exec: Exec::Host,
            device: "host emulation of the CUDA kernels".into(),
            msm: MsmConfig::default(),
        }
    }

    /// The same backend with other MSM tuning.
    pub fn with_msm_config(mut self, msm: MsmConfig) -> Self {
        self.msm = msm;
        self
    }

    /// The device, in words.
    pub fn device(&self) -> &str {
        &self.device
    }

    /// Uploads G1 points to stay resident.
    pub fn upload_g1(&self, points: &[G1Affine]) -> Result<DevicePoints> {
        Ok(DevicePoints {
            buf: self.exec.upload(0, &g1_words(points))?,
            len: points.len(),
            curve: Curve::G1,
        })
    }

    /// Uploads G2 points to stay resident.
    pub fn upload_g2(&self, points: &[G2Affine]) -> Result<DevicePoints> {
        Ok(DevicePoints {
            buf: self.exec.upload(0, &g2_words(points))?,
            len: points.len(),
            curve: Curve::G2,
        })
    }

    /// sum scalars[i] * points[i] over G1 with the points already on the device.
    pub fn msm_g1(&self, points: &DevicePoints, scalars: &[Fr]) -> Result<G1Projective> {
        let n = points.len.min(scalars.len());
        let s = self.exec.upload(0, &scalar_words(&scalars[..n]))?;
        let out = self.msm(0, points, &s, 0, n)?;
        Ok(g1_from_xyzz(&self.exec.download(0, &out, 0, 32)?))
    }

    /// sum scalars[i] * points[i] over G2 with the points already on the device.
    pub fn msm_g2(&self, points: &DevicePoints, scalars: &[Fr]) -> Result<G2Projective> {
        let n = points.len.min(scalars.len());
        let s = self.exec.upload(0, &scalar_words(&scalars[..n]))?;
        let out = self.msm(0, points, &s, 0, n)?;
        Ok(g2_from_xyzz(&self.exec.download(0, &out, 0, 64)?))
    }

    /// Pippenger on the device: `n` points against the canonical scalars in `scalars` from
    /// word `scalar_offset`. Returns a one-point XYZZ buffer; nothing waits on the host.
    fn msm(
        &self,
        lane: usize,
        points: &DevicePoints,
        scalars: &Buf,
        scalar_offset: usize,
        n: usize,
    ) -> Result<Buf> {
        let curve = points.curve;
        let xw = curve.xyzz_words();
        let e = &self.exec;
        if n == 0 {
            return e.zeros(lane, xw);
        }
        let c = self.msm.window_for(n);
        let windows = 254 / c + 1;
        let per_window = 1usize << (c - 1);
        let m = windows as usize * per_window;
        let entries = n
            .checked_mul(windows as usize)
            .filter(|&t| t < u32::MAX as usize)
            .ok_or_else(|| ProverError::Cuda(format!("MSM of {n} points is too large")))?;
        let (n32, m32, entries32) = (u32_arg(n, "n")?, u32_arg(m, "buckets")?, entries as u32);
        let chunk = self.msm.chunk.max(1);

        let keys = e.zeros(lane, entries)?;
        let vals = e.zeros(lane, entries)?;
        let counts = e.zeros(lane, m)?;
        e.launch(
            lane,
            "msm_digits",
            n32,
            &[
                Arg::At(scalars, scalar_offset),
                Arg::U32(n32),
                Arg::U32(c),
                Arg::U32(windows),
                Arg::Buf(&keys),
                Arg::Buf(&vals),
                Arg::Buf(&counts),
            ],
        )?;

        // Inclusive scan of the counts (Hillis-Steele, ping-pong), then shift to offsets.
        let mut src = counts;
        let mut dst = e.zeros(lane, m)?;
        let mut d = 1usize;
        while d < m {
            e.launch(
                lane,
                "scan_step",
                m32,
                &[Arg::Buf(&src), Arg::Buf(&dst), Arg::U32(m32), Arg::U32(d as u32)],
            )?;
            std::mem::swap(&mut src, &mut dst);
            d *= 2;
        }
        let offsets = e.zeros(lane, m + 1)?;
        e.launch(
            lane,
            "scan_exclusive",
            m32 + 1,
            &[Arg::Buf(&src), Arg::Buf(&offsets), Arg::U32(m32)],
        )?;

        let cursor = e.zeros(lane, m)?;
        let sorted_vals = e.zeros(lane, entries)?;
        let sorted_keys = e.zeros(lane, entries)?;
        e.launch(
            lane,
            "msm_scatter",
            entries32,
            &[
                Arg::Buf(&keys),
                Arg::Buf(&vals),
                Arg::U32(entries32),
                Arg::Buf(&offsets),
                Arg::Buf(&cursor),
                Arg::Buf(&sorted_vals),
                Arg::Buf(&sorted_keys),
            ],
        )?;

        let chunks = entries.div_ceil(chunk as usize);
        let cont = e.zeros(lane, chunks * xw)?;
        let buckets = e.zeros(lane, m * xw)?;
        e.launch(
            lane,
            curve.kernel("accumulate"),
            u32_arg(chunks, "chunks")?,
            &[
                Arg::Buf(&points.buf),
                Arg::Buf(&sorted_vals),
                Arg::Buf(&sorted_keys),
                Arg::Buf(&offsets),
                Arg::U32(m32),
                Arg::U32(chunk),
                Arg::Buf(&cont),
                Arg::Buf(&buckets),
            ],
        )?;
        e.launch(
            lane,
            curve.kernel("finish"),
            m32,
            &[
                Arg::Buf(&offsets),
                Arg::U32(m32),
                Arg::U32(chunk),
                Arg::Buf(&cont),
                Arg::Buf(&buckets),
            ],
        )?;

        let segments = per_window.min(256) as u32;
        let seg_out = e.zeros(lane, windows as usize * segments as usize * xw)?;
        e.launch(
            lane,
            curve.kernel("segments"),
            windows * segments,
            &[
                Arg::Buf(&buckets),
                Arg::U32(windows),
                Arg::U32(per_window as u32),
                Arg::U32(segments),
                Arg::Buf(&seg_out),
            ],
        )?;
        let window_sums = e.zeros(lane, windows as usize * xw)?;
        e.launch(
            lane,
            curve.kernel("windows"),
            windows,
            &[Arg::Buf(&seg_out), Arg::U32(windows), Arg::U32(segments), Arg::Buf(&window_sums)],
        )?;
        let out = e.zeros(lane, xw)?;
        e.launch(
            lane,
            curve.kernel("combine"),
            1,
            &[Arg::Buf(&window_sums), Arg::U32(windows), Arg::U32(c), Arg::Buf(&out)],
        )?;
        Ok(out)
    }

    /// Uploads the tables for transforms of size `n` (a power of two).
    pub fn ntt_tables(&self, n: usize) -> Result<NttTables> {
        let domain = Radix2EvaluationDomain::<Fr>::new(n).ok_or(ProverError::DomainTooLarge(n))?;
        let n_inv = domain.size_inv;
        let g = Fr::GENERATOR;
        let g_inv = g.inverse().ok_or(ProverError::DomainTooLarge(n))?;
        let zinv = domain
            .evaluate_vanishing_polynomial(g)
            .inverse()
            .ok_or(ProverError::DomainTooLarge(n))?;
        let e = &self.exec;
        let half = (n / 2).max(1);
        Ok(NttTables {
            n,
            log_n: n.ilog2(),
            forward: e.upload(0, &montgomery_words(&powers(domain.group_gen, Fr::one(), half)))?,
            inverse: e
                .upload(0, &montgomery_words(&powers(domain.group_gen_inv, Fr::one(), half)))?,
            to_coset: e.upload(0, &montgomery_words(&powers(g, n_inv, n)))?,
            from_coset: e.upload(0, &montgomery_words(&powers(g_inv, n_inv, n)))?,
            zinv: e.upload(0, &montgomery_words(&[zinv]))?,
            n_inv: e.upload(0, &montgomery_words(&[n_inv]))?,
        })
    }

    /// In-place transform of `data` (n values, Montgomery form) with `twiddles`.
    fn transform(&self, lane: usize, t: &NttTables, data: &Buf, twiddles: &Buf) -> Result<()> {
        let n = u32_arg(t.n, "domain")?;
        let e = &self.exec;
        e.launch(lane, "ntt_bit_reverse", n, &[Arg::Buf(data), Arg::U32(n), Arg::U32(t.log_n)])?;
        let mut half = 1u32;
        while half < n {
            e.launch(
                lane,
                "ntt_stage",
                n / 2,
                &[Arg::Buf(data), Arg::Buf(twiddles), Arg::U32(n), Arg::U32(half)],
            )?;
            half *= 2;
        }
        Ok(())
    }

    fn scale(&self, lane: usize, t: &NttTables, data: &Buf, factors: &Buf) -> Result<()> {
        let n = u32_arg(t.n, "domain")?;
        self.exec.launch(
            lane,
            "fr_mul_pointwise",
            n,
            &[Arg::Buf(data), Arg::Buf(factors), Arg::U32(n)],
        )
    }

    /// NTT (or inverse NTT) of `values` with resident tables `t` of the same size; the values
    /// are uploaded and the result read back (for tests and benches).
    pub fn ntt(&self, t: &NttTables, values: &[Fr], inverse: bool) -> Result<Vec<Fr>> {
        if t.n != values.len() {
            return Err(ProverError::DomainTooLarge(values.len()));
        }
        let data = self.exec.upload(0, &montgomery_words(values))?;
        if inverse {
            self.transform(0, t, &data, &t.inverse)?;
            let n = u32_arg(t.n, "domain")?;
            self.exec.launch(
                0,
                "fr_scale",
                n,
                &[Arg::Buf(&data), Arg::Buf(&t.n_inv), Arg::U32(n)],
            )?;
        } else {
            self.transform(0, t, &data, &t.forward)?;
        }
        let words = self.exec.download(0, &data, 0, t.n * FR_WORDS)?;
        Ok(words.chunks(FR_WORDS).map(fr_from_montgomery_words).collect())
    }

    /// The quotient h(X)'s coefficients on the device (for tests): same as `cpu::quotient`.
    pub fn quotient(&self, evals: &Evaluations) -> Result<Vec<Fr>> {
        let t = self.ntt_tables(evals.a.len())?;
        let h = self.quotient_on_device(0, &t, evals)?;
        let words = self.exec.download(0, &h, 0, t.n * FR_WORDS)?;
        Ok(words.chunks(FR_WORDS).map(fr_from_montgomery_words).collect())
    }

    /// Leaves h's coefficients (Montgomery form) in the returned buffer.
    fn quotient_on_device(&self, lane: usize, t: &NttTables, evals: &Evaluations) -> Result<Buf> {
        let e = &self.exec;
        let n = u32_arg(t.n, "domain")?;
        let mut bufs = Vec::with_capacity(3);
        for v in [&evals.a, &evals.b, &evals.c] {
            let buf = e.upload(lane, &montgomery_words(v))?;
            // coefficients, then evaluations on the coset gH
            self.transform(lane, t, &buf, &t.inverse)?;
            self.scale(lane, t, &buf, &t.to_coset)?;
            self.transform(lane, t, &buf, &t.forward)?;
            bufs.push(buf);
        }
        e.launch(
            lane,
            "qap_quotient",
            n,
            &[
                Arg::Buf(&bufs[0]),
                Arg::Buf(&bufs[1]),
                Arg::Buf(&bufs[2]),
                Arg::Buf(&t.zinv),
                Arg::U32(n),
            ],
        )?;
        let h = bufs.swap_remove(0);
        self.transform(lane, t, &h, &t.inverse)?;
        self.scale(lane, t, &h, &t.from_coset)?;
        Ok(h)
    }

    /// Uploads a proving key to stay resident: query vectors and NTT tables.
    pub fn load_key(&self, key: &ProverKey) -> Result<DeviceKey> {
        let pk = &key.pk;
        Ok(DeviceKey {
            a: self.upload_g1(&pk.a_query[1..])?,
            b_g1: self.upload_g1(&pk.b_g1_query[1..])?,
            b_g2: self.upload_g2(&pk.b_g2_query[1..])?,
            l: self.upload_g1(&pk.l_query)?,
            h: self.upload_g1(&pk.h_query)?,
            ntt: self.ntt_tables(key.r1cs.domain_size()?)?,
        })
    }

    /// The quotient and the five MSMs of one proof. Lane 0 uploads A, B, C's evaluations and
    /// computes h and its MSM while lane 1 uploads the witness and runs the other four.
    pub fn prove_parts(
        &self,
        key: &ProverKey,
        dk: &DeviceKey,
        evals: &Evaluations,
        z: &[Fr],
    ) -> Result<Parts> {
        let e = &self.exec;
        let t = &dk.ntt;
        if evals.a.len() != t.n {
            return Err(ProverError::DomainTooLarge(evals.a.len()));
        }
        // lane 1: the witness (canonical) and its MSMs
        let zw = e.upload(1, &scalar_words(&z[1..]))?;
        let vars = z.len() - 1;
        let a = self.msm(1, &dk.a, &zw, 0, vars)?;
        let b1 = self.msm(1, &dk.b_g1, &zw, 0, vars)?;
        let b2 = self.msm(1, &dk.b_g2, &zw, 0, vars)?;
        let l_from = (key.r1cs.num_instance - 1) * FR_WORDS;
        let l = self.msm(1, &dk.l, &zw, l_from, dk.l.len())?;
        // lane 0: the quotient, to canonical form in place, and its MSM
        let h = self.quotient_on_device(0, t, evals)?;
        let n = u32_arg(t.n, "domain")?;
        e.launch(0, "fr_from_montgomery", n, &[Arg::Buf(&h), Arg::U32(n)])?;
        let h_acc = self.msm(0, &dk.h, &h, 0, dk.h.len())?;

        Ok(Parts {
            h: g1_from_xyzz(&e.download(0, &h_acc, 0, 32)?),
            a: g1_from_xyzz(&e.download(1, &a, 0, 32)?),
            b_g1: g1_from_xyzz(&e.download(1, &b1, 0, 32)?),
            b_g2: g2_from_xyzz(&e.download(1, &b2, 0, 64)?),
            l: g1_from_xyzz(&e.download(1, &l, 0, 32)?),
        })
    }
}
