//! The CUDA kernel sources and their compilation by NVRTC.
//!
//! The sources live in `gpu-prover/kernels/` and are compiled at run time for the device's own
//! architecture. The test suite also compiles them for `sm_90` on every run, GPU or not, and
//! `ptxas` reports each kernel's registers, spills and shared memory (see docs/benchmarks.md).

use cudarc::nvrtc::{CompileOptions, Ptx, compile_ptx_with_opts};

use crate::error::{ProverError, Result};

/// Every kernel the backend launches, by name.
pub const KERNELS: &[&str] = &[
    "ntt_bit_reverse",
    "ntt_stage",
    "fr_mul_pointwise",
    "fr_scale",
    "qap_quotient",
    "fr_from_montgomery",
    "msm_digits",
    "scan_step",
    "scan_exclusive",
    "msm_scatter",
    "msm_accumulate_g1",
    "msm_finish_g1",
    "msm_bucket_segments_g1",
    "msm_window_sums_g1",
    "msm_combine_g1",
    "msm_accumulate_g2",
    "msm_finish_g2",
    "msm_bucket_segments_g2",
    "msm_window_sums_g2",
    "msm_combine_g2",
];

/// The kernels' source: one translation unit, in dependency order.
pub fn source() -> String {
    [
        include_str!("../kernels/prelude.cuh"),
        include_str!("../kernels/field.cuh"),
        include_str!("../kernels/curve.cuh"),
        include_str!("../kernels/ntt.cu"),
        include_str!("../kernels/msm.cu"),
    ]
    .join("\n")
}

/// Whether libnvrtc can be loaded (it ships with the CUDA toolkit, not with the driver).
pub fn nvrtc_available() -> bool {
    // SAFETY: only probes whether the shared library can be opened; calls nothing in it.
    #[allow(unsafe_code)]
    unsafe {
        cudarc::nvrtc::sys::is_culib_present()
    }
}

/// Compiles the kernels to PTX for `arch` (e.g. `sm_90`).
pub fn compile(arch: &'static str) -> Result<Ptx> {
    if !nvrtc_available() {
        return Err(ProverError::Compile(
            "libnvrtc is not on the library path (install the CUDA toolkit's NVRTC)".into(),
        ));
    }
    let opts = CompileOptions {
        arch: Some(arch),
        name: Some("rampart_prover.cu".into()),
        options: vec!["-std=c++17".into()],
        ..Default::default()
    };
    compile_ptx_with_opts(source(), opts).map_err(|e| ProverError::Compile(e.to_string()))
}

/// The `sm_XY` architecture name for a compute capability.
pub fn arch_for(major: i32, minor: i32) -> &'static str {
    match (major, minor) {
        (7, 0) => "sm_70",
        (7, 5) => "sm_75",
        (8, 0) => "sm_80",
        (8, 6) => "sm_86",
        (8, 9) => "sm_89",
        (9, 0) => "sm_90",
        (10, 0) => "sm_100",
        (12, 0) => "sm_120",
        // Anything else: its own name, leaked once per process (a handful of bytes).
        _ => Box::leak(format!("sm_{major}{minor}").into_boxed_str()),
    }
}
