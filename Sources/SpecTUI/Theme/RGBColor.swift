/// A 24-bit colour as written in theme files: `#RRGGBB`.
public struct RGBColor: Hashable, Sendable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    /// Parses `#RRGGBB`, or `#GG` for a grey (as btop allows); nil otherwise.
    /// - Complexity: O(n) in the text's length.
    public init?(parsing text: String) {
        guard text.first == "#" else { return nil }
        let digits = text.dropFirst()
        guard digits.count == 6 || digits.count == 2, let v = UInt32(digits, radix: 16),
              digits.allSatisfy({ $0.isHexDigit }) else { return nil }
        if digits.count == 2 {
            let g = UInt8(v)
            self.init(red: g, green: g, blue: g)
        } else {
            self.init(hex: v)
        }
    }

    /// `#RRGGBB`, upper case.
    public var description: String {
        let h = Array("0123456789ABCDEF")
        var s = "#"
        for c in [red, green, blue] {
            s.append(h[Int(c >> 4)])
            s.append(h[Int(c & 0xF)])
        }
        return s
    }
}
