{
  "targets": [
    {
      "target_name": "tessera_native",
      "sources": [
        "src/binding.cc",
        "src/cpu-features.cc",
        "src/thread-pool.cc",
        "src/probes.cc",
        "src/gemm-napi.cc",
        "src/gemm-driver.cc",
        "src/gemm-scalar.cc",
        "src/gemm-avx2.cc",
        "src/gemm-avx512.cc",
        "src/elementwise-napi.cc",
        "src/elementwise.cc",
        "src/elementwise-scalar.cc",
        "src/elementwise-avx2.cc",
        "src/elementwise-avx512.cc",
        "src/reduce-napi.cc",
        "src/reduce.cc",
        "src/scan-softmax.cc",
        "src/movement-napi.cc",
        "src/movement.cc",
        "src/window-napi.cc",
        "src/window.cc",
        "src/recurrent-napi.cc",
        "src/recurrent.cc",
        "src/recurrent-scalar.cc",
        "src/recurrent-avx2.cc",
        "src/recurrent-avx512.cc",
        "src/attention-napi.cc",
        "src/attention.cc",
        "src/attention-scalar.cc",
        "src/attention-avx2.cc",
        "src/attention-avx512.cc",
        "src/norm-napi.cc",
        "src/optim-napi.cc",
        "src/optim-scalar.cc",
        "src/optim-avx2.cc",
        "src/optim-avx512.cc",
        "src/conv-napi.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions", "-O2"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags": ["-O3", "-fno-math-errno", "-fvisibility=hidden", "-pthread", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-maybe-uninitialized"],
      "cflags_cc": ["-std=c++17", "-fexceptions"],
      "ldflags": ["-pthread"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CFLAGS": ["-O3", "-fno-math-errno"]
      }
    }
  ]
}
