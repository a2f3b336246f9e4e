import ArgumentParser
import Foundation
import SpecCore
import SpecEngine
import SpecModels
import SpecTUI

/// `spectree run` (the default command): speculative decoding on a real
/// model, live in the terminal.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch speculative decoding live: the draft tree, every decision, the text and the latencies.",
        discussion: RunCommand.keyList
    )

    /// Every key of the live screen, from `KeyMap.standard` (the one table of keys).
    static var keyList: String {
        let lines = KeyMap.standard.helpLines
        let width = lines.map { $0.keys.count }.max() ?? 0
        return "Keys on the live screen:\n" + lines.map { line in
            line.keys + String(repeating: " ", count: width - line.keys.count + 2) + line.help
        }.joined(separator: "\n")
    }

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var promptOptions: PromptOptions
    @OptionGroup var samplingOptions: SamplingOptions
    @OptionGroup var speculativeOptions: SpeculativeOptions
    @OptionGroup var liveOptions: LiveOptions

    @Option(name: .customLong("max-tokens"), parsing: .unconditional, help: "Most tokens to generate per prompt.")
    var maxTokens = 512

    @Option(name: .long, help: "Record every event as a JSON Lines trace (play it back with spectree replay).")
    var record: String?

    @Option(name: .customLong("draft-sources"), help: "Draft sources the d key cycles through, e.g. self:8,ngram:3 (default: the draft and one other).")
    var draftSources: String?

    @Option(name: .customLong("baseline-tokens"), parsing: .unconditional, help: "Plain decoding tokens measured on each prompt for the speedup's baseline (0: none).")
    var baselineTokens = 64

    /// The default prompt of the live screen, in the chat template.
    static let defaultPrompt = "Tell me a short story about a fox who learns to swim."

    func validate() throws {
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1") }
        guard baselineTokens >= 0 else { throw ValidationError("--baseline-tokens must be at least 0") }
        _ = try speculativeOptions.draftLookupDrafter()
    }

    /// The session's settings from the options (run's defaults: self:8, rsd-s,
    /// W=2, L=4; a catalog pair's measured shape when no shape option is given).
    func settings(targetPath: String? = nil) throws -> SessionSettings {
        let draft = speculativeOptions.draftSource(targetPath: targetPath) ?? "self:8"
        let sources = draftSources.map(DraftSpecification.list) ?? Self.defaultDraftSources(for: draft)
        var settings = SessionSettings(
            draft: draft, draftSources: sources, method: try speculativeOptions.draftMethod(default: .rsdS),
            width: speculativeOptions.width ?? 2, depth: speculativeOptions.depth ?? 4,
            branching: try speculativeOptions.branchingLevels(), budget: speculativeOptions.budget,
            sampling: samplingOptions.parameters, maxTokens: maxTokens, seed: samplingOptions.seed)
        if let targetPath, let shape = speculativeOptions.pairDefault(targetPath: targetPath) {
            settings.method = shape.method
            settings.depth = shape.depth
            if shape.method != .chain { settings.width = shape.width }
            settings.branching = shape.explicitBranching
        }
        settings.verifier = try speculativeOptions.verifierChoice()
        settings.draftVocabulary = speculativeOptions.draftVocabulary(targetPath: targetPath)
        settings.pMin = speculativeOptions.pMinValue(targetPath: targetPath)
        settings.draftLookup = speculativeOptions.draftLookupLength(targetPath: targetPath)
        return settings
    }

    /// The sources the d key cycles through without --draft-sources: the draft,
    /// its weights as stored when it is requantised (`D@q4_0`, then `D`), and an
    /// n-gram draft (or self:8 for an n-gram draft).
    static func defaultDraftSources(for draft: String) -> [String] {
        var sources = [draft]
        if let (stored, type) = try? DraftSpecification.splitQuantization(draft), type != nil { sources.append(stored) }
        return sources + [draft.hasPrefix("ngram") ? "self:8" : "ngram:3"]
    }

    func run() async throws {
        // Everything that can fail is checked before curses starts.
        _ = try settings()
        let store = SettingsStore.standard()
        let remembered = store.map { store in
            let (remembered, warning) = store.load()
            if let warning { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
            return remembered
        } ?? SettingsStore.Remembered()
        let theme = try liveOptions.loadTheme(remembered: remembered.theme)
        let loaded = try modelOptions.load()
        var settings = try settings(targetPath: loaded.path)
        try speculativeOptions.checkCheaperDraft(ranges: loaded.ranges)
        // Without shape options, the method and shape last used with this pair.
        if speculativeOptions.choosesNoShape,
           let shape = remembered.shapes[SettingsStore.pairKey(target: loaded.name, draft: settings.draft)] {
            let restored = shape.applied(to: settings)
            if (try? loaded.ranges.shape(method: restored.method, depth: restored.depth, width: restored.width,
                                         branching: restored.branching, budget: restored.budget)) != nil,
               (try? restored.shape(vocabularySize: loaded.model.vocabularySize)) != nil {
                settings = restored
            }
        }
        do {
            _ = try loaded.ranges.shape(method: settings.method, depth: settings.depth, width: settings.width,
                                        branching: settings.branching, budget: settings.budget)
            _ = try settings.shape(vocabularySize: loaded.model.vocabularySize)
            for source in settings.draftSources { try loaded.ranges.check(draft: source) }
        } catch {
            throw ValidationError(error.description)
        }
        // A bad draft is named before curses starts. The session's own draft loads last, so
        // its weights stay cached for the session; the same file at another precision
        // (D@q4_0, D) is checked by its load.
        let model = DraftSpecification.splitQuantizationSuffix(settings.draft).rest
        let others = Set(settings.draftSources).subtracting([settings.draft])
            .filter { DraftSpecification.splitQuantizationSuffix($0).rest != model }
        for source in others.sorted() + [settings.draft] {
            let (draft, _) = try DraftSpecification(source).load(for: loaded.model)
            if source == settings.draft { try speculativeOptions.prepare(draft, targetPath: loaded.path) }  // a vocabulary without a table is named here too
        }
        try LiveOptions.requireTerminal("run")
        let chat = promptOptions.chat || promptOptions.prompt == nil
        let format: PromptFormat = chat ? .chat(system: promptOptions.system ?? PromptOptions.defaultSystem(in: loaded.file)) : .plain
        let trace = try record.map { try TraceWriter(path: $0, header: TraceHeader(settings: settings)) }
        let session = try DecodingSession(
            target: loaded.model, tokenizer: loaded.tokenizer, targetName: loaded.name, settings: settings,
            prompt: promptOptions.prompt ?? Self.defaultPrompt, format: format, baselineTokens: baselineTokens,
            tuner: LiveTuner(modelPath: modelOptions.model))
        try await liveOptions.show(Pacer(session, startPaused: liveOptions.paused, trace: trace), theme: theme) { report in
            let warning = store?.record(theme: report.model.state.header.theme, target: loaded.name,
                                        settings: report.model.info?.settings)
            if let warning { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
        }
    }
}
