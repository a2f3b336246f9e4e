import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG file read back with Foundation's XMLParser: every element with its
/// attributes, its text and its enclosing elements' classes. Parsing fails
/// (nil) on anything that is not well-formed XML.
struct SVGDocument {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
        /// The `class` attributes of the enclosing elements, outermost first.
        var ancestors: [String]
        var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }
        func inside(_ cls: String) -> Bool { ancestors.contains { $0.split(separator: " ").contains(Substring(cls)) } }
    }

    var elements: [Element] = []
    var rootName = ""

    init?(_ text: String) {
        let delegate = Collector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = delegate
        guard parser.parse(), delegate.error == nil else { return nil }
        elements = delegate.elements
        rootName = delegate.elements.first?.name ?? ""
    }

    /// Elements of `name` (any when nil) having class `cls` (any when nil).
    func all(_ name: String? = nil, class cls: String? = nil) -> [Element] {
        elements.filter { e in (name == nil || e.name == name) && (cls == nil || e.classes.contains(cls!)) }
    }

    /// Every text node's content.
    var texts: [String] { all("text").map(\.text) + all("title").map(\.text) }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var stack: [Int] = []
        var error: Error?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let ancestors = stack.map { elements[$0].attributes["class"] ?? "" }
            elements.append(Element(name: name, attributes: attributes, text: "", ancestors: ancestors))
            stack.append(elements.count - 1)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let last = stack.last { elements[last].text += string }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }
    }
}
