/// One terminal cell: a grapheme cluster and its style.
///
/// A wide character (CJK, most emoji) occupies two cells: the leading cell
/// holds the character with `width == 2`, the cell to its right is a
/// continuation (`width == 0`, character ignored). Every other cell has
/// `width == 1`. `CellGrid` keeps that invariant whatever is written over it.
public struct Cell: Equatable, Sendable {
    public var character: Character
    public var style: CellStyle
    /// 1 for an ordinary cell, 2 for the leading half of a wide character, 0 for its continuation.
    public var width: UInt8

    public init(_ character: Character = " ", style: CellStyle = .normal, width: UInt8 = 1) {
        self.character = character
        self.style = style
        self.width = width
    }

    /// A blank cell in `style`.
    public static func blank(_ style: CellStyle = .normal) -> Cell { Cell(" ", style: style, width: 1) }

    public var isContinuation: Bool { width == 0 }
    public var isWide: Bool { width == 2 }
}
