extension DraftShape {
    /// Short form for headers, tables, traces and reports: `chain L=4`,
    /// `specinfer b=3,2`, `rsd-c b=3,2,1`, `rsd-s W=4 L=5`, `dynamic B=8 k=4 D=6`.
    public var label: String {
        switch self {
        case let .chain(depth): "chain L=\(depth)"
        case let .specInfer(branching): "specinfer b=\(branching.map(String.init).joined(separator: ","))"
        case let .rsdC(branching): "rsd-c b=\(branching.map(String.init).joined(separator: ","))"
        case let .rsdS(width, depth): "rsd-s W=\(width) L=\(depth)"
        case let .dynamic(budget, width, depth): "dynamic B=\(budget) k=\(width) D=\(depth)"
        }
    }
}
