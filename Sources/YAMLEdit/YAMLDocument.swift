/// A single-document YAML file whose root is a mapping (or which is empty), parsed with
/// libyaml and kept together with its exact bytes so that edits can be spliced in.
public struct YAMLDocument: Sendable {
    public let bytes: [UInt8]
    let source: SourceText
    /// `nil` when the file holds no document at all (empty, or only comments).
    public let root: YAMLNode?
    /// Whether any node has an anchor or is an alias (most configs have neither).
    public let usesAnchors: Bool

    /// The first size refused: positions are kept in 32 bits. A reader can refuse a larger
    /// file from its size, before reading it.
    public static var sizeLimit: Int { SourceText.sizeLimit }

    public init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        source = try SourceText(bytes)
        let parsed = try YAMLParser.parse(source)
        let documents = parsed.documents.map { YAMLNode(parsed.tree, $0) }
        usesAnchors = parsed.usesAnchors
        guard documents.count <= 1 else {
            throw YAMLEditError.multipleDocuments(count: documents.count)
        }
        guard let document = documents.first else {
            root = nil
            return
        }
        if document.kind == .mapping {
            root = document
        } else if document.isNull && document.startOffset == document.endOffset {
            root = nil  // "---" alone, or a document with nothing in it
        } else {
            throw YAMLEditError.rootNotMapping(found: document.kindDescription)
        }
    }

    /// The node at a dotted path, or `nil` when some key on the path is absent.
    public func node(at path: [String]) throws -> YAMLNode? {
        guard case .found(let chain) = try locate(path) else { return nil }
        return chain.last!.value
    }
}

extension Array where Element == String {
    var dotted: String { joined(separator: ".") }
}

/// Where a path leads in a document.
enum PathLocation {
    /// Each step of the path: the mapping it was looked up in, the index of its entry there.
    struct Step {
        var mapping: YAMLNode
        var entryIndex: Int
        var inFlow: Bool
        var key: YAMLNode { mapping.children[entryIndex * 2] }
        var value: YAMLNode { mapping.children[entryIndex * 2 + 1] }
    }

    case found([Step])
    /// The first `chain.count` components exist; `mapping` is where the next one would go
    /// (`nil`: the last existing key holds an empty value, or the file has no document yet).
    case missing(chain: [Step], mapping: YAMLNode?, inFlow: Bool)
}

extension YAMLDocument {
    /// Refuses a document with the same scalar key twice in any mapping: readers disagree on
    /// which value counts. One pass over the tree's records; the first such mapping in
    /// document order is reported.
    public func refuseDuplicateKeys() throws(YAMLEditError) {
        // The document is the tree's only one: every mapping of the tree is in it. The path is
        // made only for the duplicate reported.
        guard let (tree, root) = root?.parsed, let (earlier, key) = tree.firstDuplicateKey() else { return }
        let first = YAMLNode(tree, earlier), second = YAMLNode(tree, key)
        throw .duplicateKeyAt(path: (tree.keys(from: root, to: key) + [second.value]).dotted, firstLine: first.startLine + 1,
                              secondLine: second.startLine + 1)
    }

    /// A mapping with an explicit tag (`!!set`, `!!omap`, an application's own) may not mean
    /// "keys to values": adding or changing an entry could change what a reader builds.
    static func refuseTagged(_ mapping: YAMLNode, path: [String]) throws {
        if let tag = mapping.tag, tag != "tag:yaml.org,2002:map" {
            throw YAMLEditError.taggedCollection(path: path.isEmpty ? "the top level" : path.dotted, tag: tag)
        }
    }

    func locate(_ path: [String]) throws -> PathLocation {
        guard !path.isEmpty, !path.contains(where: \.isEmpty) else { throw YAMLEditError.emptyPath }
        guard let root else { return .missing(chain: [], mapping: nil, inFlow: false) }
        var chain: [PathLocation.Step] = []
        var mapping = root
        try YAMLDocument.refuseTagged(root, path: [])
        var inFlow = root.isFlow
        for (depth, component) in path.enumerated() {
            let here = Array(path[...depth]).dotted
            // One pass over the keys, reading them in place: no copy of the entries.
            let matches = mapping.entries(withKey: component, limit: 2)
            if matches.count > 1 { throw YAMLEditError.duplicateKey(path: here) }
            guard let entryIndex = matches.first else {
                return .missing(chain: chain, mapping: mapping, inFlow: inFlow)
            }
            let step = PathLocation.Step(mapping: mapping, entryIndex: entryIndex, inFlow: inFlow)
            chain.append(step)
            if depth == path.count - 1 { return .found(chain) }
            let value = step.value
            switch value.kind {
            case .alias:
                throw YAMLEditError.pathThroughAlias(path: here)
            case .mapping:
                // An alias elsewhere repeats an anchored mapping: an edit inside it would also
                // change every place that refers to it, which the caller did not ask for.
                if let anchor = value.anchor, root.containsAlias(to: anchor) {
                    throw YAMLEditError.cannotEditSafely(
                        path: here, reason: "it is shared through the anchor &\(anchor), which an alias (*\(anchor)) repeats elsewhere in "
                            + "the file, so the edit would change every place that refers to it; edit it by hand, or write the "
                            + "alias out as a copy")
                }
                try YAMLDocument.refuseTagged(value, path: Array(path[...depth]))
                mapping = value
                inFlow = inFlow || value.isFlow
            // An empty value, or a null written out (`~`, `null`): the same null to every
            // reader, so keys can go below it alike; the written null is replaced.
            case .scalar where value.isNull && value.anchor == nil:
                return .missing(chain: chain, mapping: nil, inFlow: inFlow)
            default:
                throw YAMLEditError.pathThroughNonMapping(path: here, found: value.kindDescription)
            }
        }
        fatalError("unreachable: the loop returns at the last component")
    }
}
