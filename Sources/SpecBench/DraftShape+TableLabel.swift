import SpecCore

extension DraftShape {
    /// Short form for tables: `chain L=4`, `rsd-c b=3,2`, `rsd-s W=4 L=5`.
    public var tableLabel: String {
        switch self {
        case let .chain(depth): "chain L=\(depth)"
        case let .specInfer(branching): "specinfer b=\(branching.map(String.init).joined(separator: ","))"
        case let .rsdC(branching): "rsd-c b=\(branching.map(String.init).joined(separator: ","))"
        case let .rsdS(width, depth): "rsd-s W=\(width) L=\(depth)"
        }
    }

    /// The `spectree run` / `spectree generate` options that select this shape.
    public var commandLineOptions: [String] {
        switch self {
        case let .chain(depth): ["--method", "chain", "--depth", "\(depth)"]
        case let .specInfer(branching): ["--method", "specinfer", "--branching", branching.map(String.init).joined(separator: ",")]
        case let .rsdC(branching): ["--method", "rsd-c", "--branching", branching.map(String.init).joined(separator: ",")]
        case let .rsdS(width, depth): ["--method", "rsd-s", "--width", "\(width)", "--depth", "\(depth)"]
        }
    }
}
