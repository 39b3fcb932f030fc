// swift-tools-version: 6.1
import PackageDescription

// Dependencies point one way: spscan → SPScanWeb → SPScan → {Fetch, Extract, Match, Catalog, Coverage} → Model. Each
// target names exactly the modules its files import.
// See README.md ("Layout") for each module's one job.
let package = Package(
    name: "spscan",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "spscan", targets: ["spscan"]),
        .library(name: "SPScan", targets: ["SPScan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        // System libraries: a module map and a documented shim header each, nothing else.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CStemmer",
            providers: [.apt(["libstemmer-dev"])]
        ),

        .target(
            name: "SPScanModel",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "SPScanFetch",
            dependencies: ["SPScanModel", "CCurl", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "SPScanExtract",
            dependencies: ["SPScanModel", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(
            name: "SPScanMatch",
            dependencies: ["SPScanModel", "CStemmer"]
        ),
        .target(
            name: "SPScanCatalog",
            dependencies: [
                "SPScanModel", .product(name: "GRDB", package: "GRDB.swift"),
                // The index stage's hottest inserts bind their values through SQLite's C API (DirectInsert.swift).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "SPScanCoverage",
            dependencies: ["SPScanModel", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(
            name: "SPScan",
            dependencies: [
                "SPScanModel", "SPScanFetch", "SPScanExtract", "SPScanMatch", "SPScanCatalog", "SPScanCoverage",
                .product(name: "Logging", package: "swift-log"),
                // `sources import` reads XLSX workbooks (a ZIP of XML parts).
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(
            name: "SPScanWeb",
            dependencies: [
                "SPScan", "SPScanModel", "SPScanCatalog", "SPScanCoverage", "SPScanFetch",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "spscan",
            dependencies: [
                // Exactly what the commands import: they print the modules' own result types.
                "SPScan", "SPScanWeb", "SPScanModel", "SPScanCatalog", "SPScanMatch", "SPScanExtract",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmarks: release builds run by `make bench-*`; they print their figures.
        .executableTarget(
            name: "bench-catalog",
            dependencies: ["SPScanCatalog", "SPScanModel", "SPScan", "SPScanCoverage", "SPScanTestSupport"],
            path: "Benchmarks/BenchCatalog"
        ),
        // `make bench-coverage`: matrix, gaps and exports over 10,000 generated documents (release build).
        .executableTarget(
            name: "bench-coverage",
            dependencies: ["SPScanCoverage", "SPScanModel", "SPScanTestSupport"],
            path: "Benchmarks/BenchCoverage"
        ),
        // Measurement tools run by `make eval` and `make bench-match` (release builds).
        .executableTarget(
            name: "spscan-eval", dependencies: ["SPScanMatch", "SPScanModel", "SPScanExtract"], path: "Benchmarks/Eval"),
        .executableTarget(name: "bench-match", dependencies: ["SPScanMatch", "SPScanModel"], path: "Benchmarks/BenchMatch"),
        // `make bench-fetch`: the fetch stage alone over loopback URLs (release build); prints its figures.
        .executableTarget(
            name: "bench-fetch",
            dependencies: ["SPScanFetch", "SPScanModel", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/BenchFetch"
        ),
        // `make bench-registry`: loading and validating a generated 10,000-source Sources.yaml (release build).
        .executableTarget(name: "bench-registry", dependencies: ["SPScanModel"], path: "Benchmarks/BenchRegistry"),
        // `make bench-extract`: extraction throughput beside libxml2's and pdftotext's own, in release builds.
        .executableTarget(
            name: "bench-extract",
            dependencies: [
                "SPScanExtract", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            path: "Benchmarks/BenchExtract"
        ),
        // `make eval-extract`: the HTML reader over the WCXB pages, scored beside trafilatura (release build).
        .executableTarget(name: "eval-extract", dependencies: ["SPScanExtract"], path: "Benchmarks/EvalExtract"),
        // `make bench-scale`: a generated 100,000-document project, timed by scripts/bench-scale (release build).
        .executableTarget(
            name: "bench-scale", dependencies: ["SPScanCatalog", "SPScanModel", "SPScanTestSupport"], path: "Benchmarks/BenchScale"),
        .executableTarget(
            name: "bench-serve",
            dependencies: ["SPScanWeb", "SPScanCatalog", "SPScanModel", "SPScanTestSupport"],
            path: "Benchmarks/BenchServe"
        ),
        .target(name: "SPScanTestSupport"),

        .testTarget(name: "SPScanModelTests", dependencies: ["SPScanModel", "SPScanTestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "SPScanFetchTests",
            dependencies: [
                "SPScanFetch", "SPScanModel", "SPScanTestSupport", "CCurl", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SPScanExtractTests", dependencies: ["SPScanExtract", "SPScanModel", "CLibXML2"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "SPScanMatchTests", dependencies: ["SPScanMatch", "SPScanModel", "SPScanTestSupport", "CStemmer"]),
        .testTarget(
            name: "SPScanCatalogTests",
            dependencies: ["SPScanCatalog", "SPScanModel", "SPScanTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "SPScanCoverageTests",
            dependencies: [
                "SPScanCoverage", "SPScanModel", "SPScanTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "SPScanTests",
            dependencies: [
                "SPScan", "SPScanExtract", "SPScanFetch", "SPScanModel", "SPScanTestSupport",
                .product(name: "Logging", package: "swift-log"),
                // The re-scan test watches the catalog's rows with SQLite triggers.
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "SPScanWebTests",
            dependencies: [
                "SPScanWeb", "SPScanTestSupport", "SPScanCatalog", "SPScanModel", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            exclude: ["Browser"]
        ),
        .testTarget(
            name: "spscanCLITests", dependencies: ["SPScanTestSupport", "SPScanCatalog", "SPScanModel"], exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v6]
)
