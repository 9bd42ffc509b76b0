// The instrument model: response scale, items and a hierarchy of scales.
// An instrument is data (see Scales/README.md); this file validates it and
// resolves every scale to the items below it.

/// The answer options of an instrument: whole numbers from `min` to `max`.
public struct ResponseScale: Sendable, Equatable {
    /// The lowest answer (for the OSC, 1: "not at all").
    public let min: Int
    /// The highest answer (for the OSC, 5: "to a very great extent").
    public let max: Int
    /// Optional labels, one per option from `min` to `max`.
    public let labels: [String]?

    public init(min: Int, max: Int, labels: [String]? = nil) {
        self.min = min
        self.max = max
        self.labels = labels
    }

    /// The number of answer options, A = max − min + 1.
    public var options: Int { max - min + 1 }

    /// The most answer options an instrument may have: answers are stored as
    /// one code per cell and summed exactly in 16-bit vector lanes (codes
    /// up to 15), which covers every Likert-type scale up to 0–10 and 1–15.
    public static let maximumOptions = 15

    /// The reverse-keyed value of an answer: `(min + max) − x`.
    @inlinable public func reversed(_ x: Int) -> Int { min + max - x }
}

/// One questionnaire item.
public struct Item: Sendable, Equatable {
    /// The item's identifier, unique in the instrument.
    public let id: String
    /// The header of the data column that holds the item's answers
    /// (matched ignoring case and surrounding spaces).
    public let column: String
    /// Whether the item is reverse-keyed: scored as `(min + max) − x`.
    public let reverse: Bool

    public init(id: String, column: String? = nil, reverse: Bool = false) {
        self.id = id
        self.column = column ?? id
        self.reverse = reverse
    }
}

/// A scale: either a leaf that lists items, or a parent that lists child
/// scales. A parent's score uses every item below it.
public struct Scale: Sendable, Equatable {
    public let id: String
    public let name: String
    /// A short name (up to 6 characters reads best) for narrow table columns.
    public let abbreviation: String?
    /// Optional level in the hierarchy, such as "domain", "dimension" or "facet".
    public let level: String?
    /// The item ids of a leaf scale (empty for a parent scale).
    public let itemIDs: [String]
    /// The child scale ids of a parent scale (empty for a leaf).
    public let childIDs: [String]

    public init(id: String, name: String? = nil, abbreviation: String? = nil, level: String? = nil,
                itemIDs: [String] = [], childIDs: [String] = []) {
        self.id = id
        self.name = name ?? id
        self.abbreviation = abbreviation
        self.level = level
        self.itemIDs = itemIDs
        self.childIDs = childIDs
    }

    /// Whether the scale lists items rather than child scales.
    public var isLeaf: Bool { childIDs.isEmpty }

    /// The most items a scale may have, itself or through its child scales:
    /// its reliability reads every pair of its items (about 500,000 at
    /// 1,000 items: 0.7 s and 100 MB for 40 respondents, release build).
    public static let maximumItems = 1_000
}

/// Why an instrument definition cannot be used.
public enum InstrumentProblem: Error, Sendable, Equatable {
    case invalidResponseScale(min: Int, max: Int)
    case labelCount(expected: Int, found: Int)
    case duplicateItem(String)
    case duplicateScale(String)
    case duplicateColumn(column: String, items: [String])
    case unknownItem(scale: String, item: String, suggestion: String?)
    case unknownScale(scale: String, child: String, suggestion: String?)
    case itemsAndScales(scale: String)
    case emptyScale(String)
    case scaleTooLarge(scale: String, items: Int)
    case cycle([String])
    case noScales
    case keyRequired(instrument: String, itemCount: Int?)
    case duplicateProfile(String)
    case profileUnknownScale(profile: String, scale: String, suggestion: String?)
    case emptyProfile(String)
    case negativeBand(profile: String, band: Double)

    /// One sentence a researcher can act on.
    public var message: String {
        switch self {
        case let .invalidResponseScale(min, max):
            if min < max {
                return "responseScale from \(min) to \(max) has \(max - min + 1) answer options; osc-score handles at most \(ResponseScale.maximumOptions) (answers are counted exactly in small integers); rescale the answers or group the options"
            }
            return "responseScale has min \(min) and max \(max); min must be below max (for a five-point scale write \"min\": 1, \"max\": 5)"
        case let .labelCount(expected, found):
            return "responseScale has \(found) labels but \(expected) answer options; give one label per option or leave labels out"
        case let .duplicateItem(id):
            return "item id '\(id)' is used more than once; item ids must be unique"
        case let .duplicateScale(id):
            return "scale id '\(id)' is used more than once; scale ids must be unique"
        case let .duplicateColumn(column, items):
            return "items \(items.map { "'\($0)'" }.joined(separator: " and ")) read the same column '\(column)'; give each item its own column"
        case let .unknownItem(scale, item, suggestion):
            return "scale '\(scale)' lists unknown item '\(item)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; add it to \"items\" or remove it from the scale")
        case let .unknownScale(scale, child, suggestion):
            return "scale '\(scale)' lists unknown scale '\(child)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; define it under \"scales\" or remove it")
        case let .itemsAndScales(scale):
            return "scale '\(scale)' lists both items and scales; a scale lists either items or child scales"
        case let .emptyScale(id):
            return "scale '\(id)' has no items; list its items (or child scales) or remove it"
        case let .scaleTooLarge(id, items):
            return "scale '\(id)' has \(items) items; osc-score scores scales of up to \(Scale.maximumItems) items (its reliability reads every pair of them); split it into smaller scales"
        case let .cycle(path):
            return "scales contain themselves: \(path.joined(separator: " → ")); a scale cannot be its own descendant"
        case .noScales:
            return "the instrument defines no scales; add at least one under \"scales\""
        case let .keyRequired(instrument, itemCount):
            let count = itemCount.map { " (\($0) rows, one per item)" } ?? ""
            return "instrument '\(instrument)' does not say which items belong to which scale, because its scoring key is licensed and not public; supply your licensed key with --key FILE, a CSV with header item,column,scale,reverse\(count)"
        case let .duplicateProfile(id):
            return "profile id '\(id)' is used more than once; profile ids must be unique"
        case let .profileUnknownScale(profile, scale, suggestion):
            return "profile '\(profile)' reads unknown scale '\(scale)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case let .emptyProfile(id):
            return "profile '\(id)' reads no scales; list at least one scale with its favourable direction"
        case let .negativeBand(profile, band):
            return "profile '\(profile)' has band \(DecimalText.shortest(band)); the band is a half-width in T units and cannot be negative"
        }
    }
}

/// A questionnaire: its response scale, its items, and its scales.
///
/// An `Instrument` is always valid: ids are unique, every reference
/// resolves, the scale hierarchy has no cycles. An instrument whose scoring
/// key is licensed (the OSC) may be loaded without items; it must be given
/// a `ScoringKey` before it can score (`requireScorable()`).
public struct Instrument: Sendable, Equatable {
    public let id: String
    public let name: String
    public let version: String
    public let responseScale: ResponseScale
    public let items: [Item]
    public let scales: [Scale]
    /// Whether the item-to-scale assignment must come from a key file.
    public let requiresKey: Bool
    /// The number of items the instrument has, when declared (the OSC: 105).
    public let declaredItemCount: Int?
    /// For each scale (same order as `scales`), the indices into `items` of
    /// every item below it, in item order, without repeats.
    public let scaleItemIndices: [[Int]]
    /// Profile rules (culture and climate for the OSC), read from T-scores.
    public let profiles: [Profile]

    /// Creates and validates an instrument.
    /// - Throws: the first `InstrumentProblem` found.
    public init(id: String, name: String, version: String, responseScale: ResponseScale,
                items: [Item], scales: [Scale], requiresKey: Bool = false,
                declaredItemCount: Int? = nil, profiles: [Profile] = []) throws(InstrumentProblem) {
        guard responseScale.min < responseScale.max, responseScale.options <= ResponseScale.maximumOptions else {
            throw .invalidResponseScale(min: responseScale.min, max: responseScale.max)
        }
        if let labels = responseScale.labels, labels.count != responseScale.options {
            throw .labelCount(expected: responseScale.options, found: labels.count)
        }
        guard !scales.isEmpty else { throw .noScales }

        var itemIndex: [String: Int] = [:]
        var columnOwner: [String: String] = [:]
        for (i, item) in items.enumerated() {
            guard itemIndex[item.id] == nil else { throw .duplicateItem(item.id) }
            itemIndex[item.id] = i
            let key = ColumnName.normalized(item.column)
            if let other = columnOwner[key] { throw .duplicateColumn(column: item.column, items: [other, item.id]) }
            columnOwner[key] = item.id
        }
        var scaleIndex: [String: Int] = [:]
        for (s, scale) in scales.enumerated() {
            guard scaleIndex[scale.id] == nil else { throw .duplicateScale(scale.id) }
            scaleIndex[scale.id] = s
        }
        for scale in scales {
            if !scale.itemIDs.isEmpty && !scale.childIDs.isEmpty { throw .itemsAndScales(scale: scale.id) }
            for item in scale.itemIDs where itemIndex[item] == nil {
                throw .unknownItem(scale: scale.id, item: item, suggestion: NameSuggestion.closest(to: item, in: items.map(\.id)))
            }
            for child in scale.childIDs where scaleIndex[child] == nil {
                throw .unknownScale(scale: scale.id, child: child, suggestion: NameSuggestion.closest(to: child, in: scales.map(\.id)))
            }
        }

        // Resolve each scale to its items by depth-first search, detecting cycles.
        var resolved = [[Int]?](repeating: nil, count: scales.count)
        var onPath = [Bool](repeating: false, count: scales.count)
        func resolve(_ s: Int, path: [String]) throws(InstrumentProblem) -> [Int] {
            if let done = resolved[s] { return done }
            if onPath[s] { throw .cycle(path + [scales[s].id]) }
            onPath[s] = true
            var set = Set<Int>()
            for item in scales[s].itemIDs { set.insert(itemIndex[item]!) }
            for child in scales[s].childIDs {
                for i in try resolve(scaleIndex[child]!, path: path + [scales[s].id]) { set.insert(i) }
            }
            onPath[s] = false
            let list = set.sorted()
            resolved[s] = list
            return list
        }
        var indices: [[Int]] = []
        for s in scales.indices { indices.append(try resolve(s, path: [])) }
        if !requiresKey {
            if let empty = scales.indices.first(where: { indices[$0].isEmpty }) { throw .emptyScale(scales[empty].id) }
        }
        if let large = scales.indices.first(where: { indices[$0].count > Scale.maximumItems }) {
            throw .scaleTooLarge(scale: scales[large].id, items: indices[large].count)
        }

        var profileIDs = Set<String>()
        for profile in profiles {
            guard profileIDs.insert(profile.id).inserted else { throw .duplicateProfile(profile.id) }
            guard !profile.scales.isEmpty else { throw .emptyProfile(profile.id) }
            guard profile.band >= 0 else { throw .negativeBand(profile: profile.id, band: profile.band) }
            for entry in profile.scales where scaleIndex[entry.scale] == nil {
                throw .profileUnknownScale(profile: profile.id, scale: entry.scale, suggestion: NameSuggestion.closest(to: entry.scale, in: scales.map(\.id)))
            }
        }

        self.id = id
        self.name = name
        self.version = version
        self.responseScale = responseScale
        self.items = items
        self.scales = scales
        self.requiresKey = requiresKey
        self.declaredItemCount = declaredItemCount
        self.scaleItemIndices = indices
        self.profiles = profiles
    }

    /// Checks that every scale has items, so that the instrument can score.
    /// - Throws: `.keyRequired` for a licensed instrument with no key applied,
    ///   `.emptyScale` for a scale with no items. (A scale of more than
    ///   `Scale.maximumItems` items is refused when the instrument is made.)
    public func requireScorable() throws(InstrumentProblem) {
        if requiresKey && items.isEmpty { throw .keyRequired(instrument: id, itemCount: declaredItemCount) }
        if let empty = scales.indices.first(where: { scaleItemIndices[$0].isEmpty }) { throw .emptyScale(scales[empty].id) }
    }

    /// The index of the scale with this id.
    public func scaleIndex(of id: String) -> Int? { scales.firstIndex { $0.id == id } }

    /// The scales that are reported by default in tables: those whose level
    /// is "dimension" when the instrument marks any, otherwise every scale.
    public var summaryScaleIndices: [Int] {
        let dimensions = scales.indices.filter { scales[$0].level == "dimension" }
        return dimensions.isEmpty ? Array(scales.indices) : dimensions
    }
}
