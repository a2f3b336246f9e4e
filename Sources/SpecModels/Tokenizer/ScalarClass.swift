/// The character classes the pre-tokenizer patterns test, packed in one byte per scalar.
///
/// `\p{L}` is general category L*, `\p{N}` is N*, `\s` is the Unicode `White_Space`
/// property, `\p{P}` is P* — the definitions of the Python `regex` module, Oniguruma
/// and llama.cpp's tables.
struct ScalarClass: OptionSet, Sendable {
    let rawValue: UInt8

    /// `\p{L}`
    static let letter = ScalarClass(rawValue: 1 << 0)
    /// `\p{N}`
    static let number = ScalarClass(rawValue: 1 << 1)
    /// `\s`
    static let whitespace = ScalarClass(rawValue: 1 << 2)
    /// `[\r\n]`
    static let newline = ScalarClass(rawValue: 1 << 3)
    /// `[0-9]`
    static let asciiDigit = ScalarClass(rawValue: 1 << 4)
    /// `[\p{P}\$\+<=>\^~\|]`, llama.cpp's default punctuation class.
    static let punctuationOrSymbol = ScalarClass(rawValue: 1 << 5)

    /// `[^\s\p{L}\p{N}]`: neither whitespace, letter nor number.
    @inline(__always)
    var isOther: Bool { rawValue & 0b111 == 0 }

    /// The class of `scalar`.
    ///
    /// - Complexity: O(1); a table look-up for ASCII, a Unicode property query otherwise.
    @inline(__always)
    static func of(_ scalar: Unicode.Scalar) -> ScalarClass {
        scalar.value < 128 ? ascii[Int(scalar.value)] : unicode(scalar)
    }

    private static let ascii: [ScalarClass] = (0..<128).map { unicode(Unicode.Scalar(UInt8($0))) }

    private static func unicode(_ scalar: Unicode.Scalar) -> ScalarClass {
        var result: ScalarClass = []
        let properties = scalar.properties
        var isPunctuation = false
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            result.insert(.letter)
        case .decimalNumber, .letterNumber, .otherNumber:
            result.insert(.number)
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            isPunctuation = true
        default:
            break
        }
        if properties.isWhitespace { result.insert(.whitespace) }
        switch scalar.value {
        case 0x0A, 0x0D: result.insert(.newline)
        case 0x30...0x39: result.insert(.asciiDigit)
        default: break
        }
        if isPunctuation || "$+<=>^~|".unicodeScalars.contains(scalar) {
            result.insert(.punctuationOrSymbol)
        }
        return result
    }
}
