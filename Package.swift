// swift-tools-version:6.0
// Mosaic: a knowledge-base engine of sourced facts, with Lua plugins, an openCypher-style
// query language, inference with proofs, briefings and a console. See docs/architecture.md.
import PackageDescription

let package = Package(
    name: "Mosaic",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mosaic", targets: ["mosaic"]),
        .executable(name: "mosaic-bench", targets: ["mosaic-bench"]),
        .executable(name: "mosaic-fuzz", targets: ["mosaic-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // System C libraries: headers, link flags and inline wrappers of macros Swift cannot
        // import (CLua has none: the Lua sandbox's C is the CLuaSandbox target below).
        .systemLibrary(name: "CLua", path: "Sources/CLua", pkgConfig: "lua5.4",
                       providers: [.apt(["liblua5.4-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CEditline", path: "Sources/CEditline", pkgConfig: "libedit",
                       providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),

        // A table-valued function over rows encoded in memory (the bulk import's inserts).
        .target(name: "CRowTable", dependencies: ["CSQLite"]),
        // The Lua sandbox's C (capped allocator, kill hook, trampoline, guarded library),
        // compiled once; its header declares the API, inline only where it wraps Lua macros.
        .target(name: "CLuaSandbox", dependencies: ["CLua"]),
        // C-level tests of CLuaSandbox (allocator cap, kill protocol); MosaicLuaTests runs it.
        .executableTarget(name: "sandbox-ctest", dependencies: ["CLuaSandbox"], path: "Sources/SandboxCTest"),

        // The data path, in order.
        .target(name: "MosaicGraph"),
        .target(name: "MosaicStore", dependencies: [
            "MosaicGraph", "CSQLite", "CRowTable",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "MosaicKB", dependencies: ["MosaicGraph", "MosaicStore", "Yams"]),
        // Swift's run-time exclusivity checks are on (no unsafe flags: other packages can
        // depend on Mosaic), but for the executor's own state (`@exclusivity(unchecked)` on the
        // stored properties of Executor, ExecutorScratch, MatchFrame, Aggregator, MatchSlots; the reason in
        // Executor.swift).
        .target(name: "MosaicQuery", dependencies: ["MosaicGraph"]),
        // Sandboxed Lua states for Swift: values, calls, classes, limits, the watchdog.
        .target(name: "MosaicLua", dependencies: ["CLua", "CLuaSandbox"]),
        // Documents and their renderers (md, html, json), result tables: renders only.
        .target(name: "MosaicReports", dependencies: ["MosaicGraph"]),
        // The plugin runtime: discovery, spec checking, the `kb` API for Lua, runs whose
        // writes commit as one Store transaction, the console's Lua mode.
        .target(name: "MosaicPlugins", dependencies: [
            "MosaicGraph", "MosaicStore", "MosaicQuery", "MosaicLua", "CLua", "CLuaSandbox",
        ]),
        // The inference engine: rules, the fixpoint with truth maintenance, proofs. Plain
        // Swift over the graph and the store's derivation tables; knows nothing of Lua.
        .target(name: "MosaicInference", dependencies: ["MosaicGraph", "MosaicStore"]),
        // Plugin specs' `rules` as inference rules (pattern rules, Lua functions): the one
        // module that needs both the plugin runtime and the engine.
        .target(name: "MosaicPluginRules", dependencies: [
            "MosaicGraph", "MosaicStore", "MosaicLua", "MosaicPlugins", "MosaicInference",
        ]),
        // Plugin reports: the `doc` builder and `changes()` for Lua, citations, fact changes
        // (a module of its own so that MosaicReports stays free of Lua and the store).
        .target(name: "MosaicPluginReports", dependencies: [
            "MosaicGraph", "MosaicStore", "MosaicLua", "MosaicPlugins", "MosaicReports",
        ]),
        // Cron schedules and the scheduler loop; what a job runs is given by the caller.
        .target(name: "MosaicSchedule", dependencies: ["MosaicGraph", "MosaicStore"]),
        // Documents (.txt, .md, .html through libxml2), mention linking (the gazetteer), dates;
        // writes through the Store only. Extractors (proposed facts) run in the plugins' Lua
        // sandbox, hence MosaicPlugins.
        .target(name: "MosaicIngest", dependencies: ["MosaicGraph", "MosaicStore", "MosaicLua", "MosaicPlugins", "Yams", "CLibXML2"]),
        .target(name: "MosaicCLI", dependencies: [
            "MosaicGraph", "MosaicStore", "MosaicKB", "MosaicQuery", "MosaicLua", "MosaicPlugins",
            "MosaicInference", "MosaicPluginRules", "MosaicPluginReports", "MosaicSchedule",
            "MosaicReports", "MosaicIngest", "CEditline", "Yams",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "mosaic", dependencies: ["MosaicCLI"]),
        // Benchmarks (scripts/bench runs it in release mode; never part of the tests).
        .executableTarget(name: "mosaic-bench", dependencies: [
            "MosaicGraph", "MosaicStore", "MosaicKB", "MosaicQuery", "MosaicLua", "MosaicPlugins",
            "MosaicInference", "MosaicPluginRules", "MosaicCLI", "MosaicIngest", "CLua",
        ], path: "Sources/MosaicBench"),

        // Seeded fuzz targets (scripts/fuzz runs them in release mode; never part of the tests).
        .executableTarget(name: "mosaic-fuzz", dependencies: [
            "MosaicGraph", "MosaicStore", "MosaicKB", "MosaicQuery", "MosaicLua", "MosaicPlugins",
        ], path: "Sources/MosaicFuzz"),

        // Tests live beside what they test.
        .testTarget(name: "MosaicGraphTests", dependencies: ["MosaicGraph"]),
        .testTarget(name: "MosaicStoreTests", dependencies: ["MosaicStore", "MosaicGraph"]),
        .testTarget(name: "MosaicKBTests", dependencies: ["MosaicKB", "MosaicStore", "MosaicGraph"], exclude: ["Fixtures", "SampleKB", "fuzz-corpus"]),
        .testTarget(name: "MosaicQueryTests", dependencies: ["MosaicQuery", "MosaicGraph"], exclude: ["cases", "tck-passing.txt", "fuzz-corpus"]),
        // Also runs sandbox-ctest (built beside the tests by `swift build --build-tests`).
        .testTarget(name: "MosaicLuaTests", dependencies: ["MosaicLua"]),
        .testTarget(name: "MosaicReportsTests", dependencies: ["MosaicReports", "MosaicGraph"], exclude: ["Golden"]),
        .testTarget(name: "MosaicPluginsTests", dependencies: ["MosaicPlugins", "MosaicStore", "MosaicKB", "MosaicGraph"], exclude: ["fuzz-corpus"]),
        .testTarget(name: "MosaicInferenceTests", dependencies: ["MosaicInference", "MosaicStore", "MosaicGraph"]),
        .testTarget(name: "MosaicPluginRulesTests", dependencies: ["MosaicPluginRules"]),
        .testTarget(name: "MosaicScheduleTests", dependencies: ["MosaicSchedule", "MosaicStore"]),
        .testTarget(name: "MosaicIngestTests", dependencies: ["MosaicIngest", "MosaicStore", "MosaicKB", "MosaicGraph", "MosaicPlugins", "MosaicLua"], exclude: ["Fixtures"]),
        .testTarget(name: "MosaicCLITests", dependencies: ["MosaicCLI"], exclude: ["Golden", "Fixtures"]),
    ]
)
