import SpecCore

extension DraftShape {
    /// The `spectree run` / `spectree generate` options that select this shape.
    public var commandLineOptions: [String] {
        switch self {
        case let .chain(depth): ["--method", "chain", "--depth", "\(depth)"]
        case let .specInfer(branching): ["--method", "specinfer", "--branching", branching.map(String.init).joined(separator: ",")]
        case let .rsdC(branching): ["--method", "rsd-c", "--branching", branching.map(String.init).joined(separator: ",")]
        case let .rsdS(width, depth): ["--method", "rsd-s", "--width", "\(width)", "--depth", "\(depth)"]
        case let .dynamic(budget, width, depth):
            ["--method", "dynamic", "--budget", "\(budget)", "--width", "\(width)", "--depth", "\(depth)"]
        }
    }
}
