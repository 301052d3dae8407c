// Host emulation of the CUDA kernels (test builds only, feature `host-kernels`).
//
// The kernel sources are compiled as ordinary C++ and each launch runs its threads one after
// another, in index order. Arguments arrive the way cuLaunchKernel takes them: an array of
// pointers to each argument's value (a device pointer is here a host pointer).
#define RAMPART_HOST 1
#include <string.h>

#include <cstddef>
#include <type_traits>
#include <utility>

#include "prelude.cuh"

thread_local uint32_t rampart_host_tid = 0;

#include "field.cuh"
#include "curve.cuh"
#include "ntt.cu"
#include "msm.cu"

template <typename... A, std::size_t... I>
static void call_with(void (*f)(A...), void** args, std::index_sequence<I...>) {
  f(*static_cast<std::remove_reference_t<A>*>(args[I])...);
}

template <typename... A>
static void emulate(void (*f)(A...), uint32_t threads, void** args) {
  for (uint32_t t = 0; t < threads; t++) {
    rampart_host_tid = t;
    call_with(f, args, std::index_sequence_for<A...>{});
  }
}

// Runs kernel `name` over `threads` threads; returns 0, or -1 for an unknown kernel.
extern "C" int rampart_host_launch(const char* name, uint32_t threads, void** args) {
#define RAMPART_DISPATCH(k)          \
  if (strcmp(name, #k) == 0) {       \
    emulate(k, threads, args);       \
    return 0;                        \
  }
  RAMPART_KERNELS(RAMPART_DISPATCH)
#undef RAMPART_DISPATCH
  return -1;
}
