//! Every kernel compiles to sm_90 PTX with NVRTC and assembles with ptxas, on every test run,
//! GPU or not. `scripts/test` installs both (PyPI) and sets RAMPART_REQUIRE_NVRTC=1, so on CI a
//! missing compiler is a failure rather than a skip.
#![allow(clippy::print_stdout)] // the skip notice and the ptxas report are the output

use std::process::Command;

use rampart_gpu_prover::kernels;

fn required() -> bool {
    std::env::var("RAMPART_REQUIRE_NVRTC").is_ok_and(|v| v == "1")
}

#[test]
fn kernels_compile_to_sm_90_ptx_and_assemble() {
    if !kernels::nvrtc_available() {
        assert!(!required(), "RAMPART_REQUIRE_NVRTC=1 but libnvrtc is not on the library path");
        println!("skipped: libnvrtc not found (run `eval \"$(scripts/toolchain env)\"`)");
        return;
    }
    let ptx = kernels::compile("sm_90").expect("kernels compile").to_src();
    for k in kernels::KERNELS {
        assert!(ptx.contains(&format!(".entry {k}(")), "PTX has no entry point {k}");
    }
    assert_eq!(
        ptx.matches(".entry ").count(),
        kernels::KERNELS.len(),
        "an entry point not in KERNELS"
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prover.ptx");
    std::fs::write(&path, &ptx).unwrap();
    let out = match Command::new("ptxas")
        .args(["-arch=sm_90", "-v", "-o"])
        .arg(dir.path().join("p.cubin"))
        .arg(&path)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            assert!(!required(), "RAMPART_REQUIRE_NVRTC=1 but ptxas cannot run: {e}");
            println!("skipped ptxas: {e}");
            return;
        }
    };
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ptxas failed:\n{report}");
    // Each kernel gets a resource line; none may spill to local memory.
    for line in report.lines().filter(|l| l.contains("spill stores")) {
        assert!(line.contains("0 bytes spill stores"), "a kernel spills: {line}\n{report}");
    }
    println!("{report}");
}

#[test]
fn broken_kernel_source_is_a_compile_error_not_a_panic() {
    if !kernels::nvrtc_available() {
        println!("skipped: libnvrtc not found");
        return;
    }
    let opts = cudarc::nvrtc::CompileOptions { arch: Some("sm_90"), ..Default::default() };
    let err =
        cudarc::nvrtc::compile_ptx_with_opts("extern \"C\" __global__ void k() { nope; }", opts);
    assert!(err.is_err());
}
