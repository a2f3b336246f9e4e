// swift-tools-version:6.0
import PackageDescription

/// spectree: live speculative decoding of GGUF models on the CPU.
///
/// Targets by concern (see DESIGN.md); arrows point downwards only:
/// `spectree` → `SpecTUI`, `SpecEngine`, `SpecBench` (it wires the live tune over the experiments);
/// `SpecTUI` → `SpecEngine` → `SpecModels` → `SpecCore`; `SpecBench` → `SpecModels`;
/// `SpecModels` → `CKernels`, `COpenBLAS`; `SpecTUI` → `CNcursesw`.
let optimise: [CSetting] = [.unsafeFlags(["-O3", "-fno-math-errno"])]

let package = Package(
    name: "spectree",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "spectree", targets: ["spectree"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Quantised block formats and SIMD kernels, in C so that each kernel can
        // carry its own instruction-set attribute and be chosen at run time.
        .target(name: "CKernels", cSettings: optimise),
        // The algorithms: decoders, drafting, verification, statistics. Pure but for
        // CKernels' vectorised softmax.
        .target(name: "SpecCore", dependencies: ["CKernels"]),
        // Experiments on the user's own models: sweeps, tuning, result files.
        .target(name: "SpecBench", dependencies: ["SpecCore", "SpecModels"]),
        .target(
            name: "SpecModels",
            dependencies: ["SpecCore", "CKernels", "COpenBLAS"]
        ),
        .target(
            name: "SpecEngine",
            dependencies: [
                "SpecCore", "SpecModels",
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
            ]
        ),
        .target(
            name: "SpecTUI",
            dependencies: [
                "SpecEngine", "SpecCore", "CNcursesw",
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
            ]
        ),
        .executableTarget(
            name: "spectree",
            dependencies: [
                "SpecCore", "SpecModels", "SpecEngine", "SpecTUI", "SpecBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "SpecCoreTests", dependencies: ["SpecCore"]),
        .testTarget(name: "SpecBenchTests", dependencies: ["SpecBench", "SpecCore", "SpecModels"]),
        .testTarget(
            name: "SpecModelsTests",
            dependencies: ["SpecModels", "CKernels"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "SpecEngineTests",
            dependencies: ["SpecEngine", "SpecModels", "SpecCore", .product(name: "AsyncAlgorithms", package: "swift-async-algorithms")]
        ),
        .testTarget(
            name: "SpecTUITests",
            dependencies: ["SpecTUI", "SpecEngine", "SpecCore", "SpecModels", .product(name: "AsyncAlgorithms", package: "swift-async-algorithms")]
        ),
        .testTarget(name: "CLITests", dependencies: ["spectree", "SpecModels", "SpecEngine", "SpecCore", "SpecBench"]),
        // Mutated GGUF files and traces (make fuzz runs it for longer).
        .testTarget(name: "FuzzTests", dependencies: ["SpecModels", "SpecEngine", "SpecCore"], exclude: ["Fixtures"]),
    ]
)
