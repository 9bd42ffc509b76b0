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
    /// Optional other spellings of each option's answer, one list per
    /// option from `min` to `max` ("A great deal" for "To a great extent"):
    /// a cell holding a label or an alias, compared ignoring case, spaces
    /// and punctuation, is read as that option's number.
    public let aliases: [[String]]?

    /// A response scale from `min` to `max`, unchecked here (`Instrument`'s initialiser refuses `min` ≥ `max` and more than `maximumOptions` options).
    /// - Parameters:
    ///   - min: the lowest answer.
    ///   - max: the highest answer.
    ///   - labels: one label per option from `min` to `max`, or nil (the default) for none.
    ///   - aliases: other spellings of each option's answer, one list per option, or nil (the default) for none.
    public init(min: Int, max: Int, labels: [String]? = nil, aliases: [[String]]? = nil) {
        self.min = min
        self.max = max
        self.labels = labels
        self.aliases = aliases
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

    /// An item of the instrument.
    /// - Parameters:
    ///   - id: the item's identifier, unique in the instrument.
    ///   - column: the header of its data column; nil (the default) means the same as `id`.
    ///   - reverse: whether the item is reverse-keyed (default false).
    public init(id: String, column: String? = nil, reverse: Bool = false) {
        self.id = id
        self.column = column ?? id
        self.reverse = reverse
    }
}

/// A scale: either a leaf that lists items, or a parent that lists child
/// scales. A parent's score uses every item below it.
public struct Scale: Sendable, Equatable {
    /// The scale's identifier, unique in the instrument, used in reports and `ScoringKey` files (JSON `id` in a `scales` entry, and the member name in each school's `scores`).
    public let id: String
    /// The scale's name for people; its `id` when none is given (JSON `name` in a `scales` entry).
    public let name: String
    /// A short name (up to 6 characters reads best) for narrow table columns.
    public let abbreviation: String?
    /// Optional level in the hierarchy, such as "domain", "dimension" or "facet".
    public let level: String?
    /// The item ids of a leaf scale (empty for a parent scale).
    public let itemIDs: [String]
    /// The child scale ids of a parent scale (empty for a leaf).
    public let childIDs: [String]
    /// Whether a high or a low score is favourable (JSON `favourable` in a
    /// `scales` entry: `"high"` or `"low"`); nil when the instrument does not
    /// say, and reports then describe the scale neutrally ("higher", "lower").
    public let favourable: FavourableDirection?

    /// A scale, unchecked here (`Instrument`'s initialiser validates the references).
    /// - Parameters:
    ///   - id: the scale's identifier, unique in the instrument.
    ///   - name: its name for people; nil (the default) means the same as `id`.
    ///   - abbreviation: a short name for narrow table columns, or nil (the default).
    ///   - level: its level in the hierarchy, such as "dimension", or nil (the default).
    ///   - itemIDs: the item ids of a leaf scale (default none).
    ///   - childIDs: the child scale ids of a parent scale (default none); give either items or children.
    ///   - favourable: whether a high or a low score is favourable, or nil (the default) when the instrument does not say.
    public init(id: String, name: String? = nil, abbreviation: String? = nil, level: String? = nil,
                itemIDs: [String] = [], childIDs: [String] = [], favourable: FavourableDirection? = nil) {
        self.id = id
        self.name = name ?? id
        self.abbreviation = abbreviation
        self.level = level
        self.itemIDs = itemIDs
        self.childIDs = childIDs
        self.favourable = favourable
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
    /// A response scale whose `min` is not below its `max`, or with more than `ResponseScale.maximumOptions` options.
    case invalidResponseScale(min: Int, max: Int)
    /// Response labels whose number is not the number of answer options.
    case labelCount(expected: Int, found: Int)
    /// An item id used more than once.
    case duplicateItem(String)
    /// A scale id used more than once.
    case duplicateScale(String)
    /// Two items that read the same data column (compared ignoring ASCII letter case and surrounding spaces and tabs).
    case duplicateColumn(column: String, items: [String])
    /// A scale that lists an item the instrument does not define, with the closest item id when one is near.
    case unknownItem(scale: String, item: String, suggestion: String?)
    /// A scale that lists a child scale the instrument does not define, with the closest scale id when one is near.
    case unknownScale(scale: String, child: String, suggestion: String?)
    /// A scale that lists both items and child scales.
    case itemsAndScales(scale: String)
    /// A scale with no items, itself or below it (for a licensed instrument, found once its key is applied).
    case emptyScale(String)
    /// A scale with more than `Scale.maximumItems` items, itself or through its child scales.
    case scaleTooLarge(scale: String, items: Int)
    /// Scales that contain themselves: the path of scale ids from the first back to it.
    case cycle([String])
    /// Scales nested deeper than `Instrument.maximumScaleDepth` levels, from
    /// `scale` down to `deepest`, the scale one level past the limit.
    case nestedTooDeep(scale: String, deepest: String)
    /// An item that counts towards more than `Instrument.maximumScalesPerItem`
    /// scales (directly or through the scales below them); `scale` is the
    /// one past the limit.
    case itemInTooManyScales(item: String, scale: String)
    /// An instrument that defines no scales.
    case noScales
    /// A licensed instrument asked to score before a scoring key was applied, with its declared item count when known.
    case keyRequired(instrument: String, itemCount: Int?)
    /// A profile id used more than once.
    case duplicateProfile(String)
    /// A profile that reads a scale the instrument does not define, with the closest scale id when one is near.
    case profileUnknownScale(profile: String, scale: String, suggestion: String?)
    /// A profile that reads no scales.
    case emptyProfile(String)
    /// A profile whose band (a half-width in T units) is negative.
    case negativeBand(profile: String, band: Double)
    /// A profile that reads a scale with the favourable direction opposite to the one the scale itself declares.
    case profileDirectionConflict(profile: String, scale: String, profileDirection: FavourableDirection, scaleDirection: FavourableDirection)
    /// A profile's cut-off or band (`member`) that is not a finite number, or
    /// whose boundaries `cutoff ± band` are not.
    case nonFiniteProfileBoundary(profile: String, member: String, value: Double)

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
            return "item id \(q(id)) is used more than once; item ids must be unique"
        case let .duplicateScale(id):
            return "scale id \(q(id)) is used more than once; scale ids must be unique"
        case let .duplicateColumn(column, items):
            return "items \(items.map(q).joined(separator: " and ")) read the same column \(q(column)); give each item its own column"
        case let .unknownItem(scale, item, suggestion):
            return "scale \(q(scale)) lists unknown item \(q(item))" + (suggestion.map { "; did you mean \(q($0))?" } ?? "; add it to \"items\" or remove it from the scale")
        case let .unknownScale(scale, child, suggestion):
            return "scale \(q(scale)) lists unknown scale \(q(child))" + (suggestion.map { "; did you mean \(q($0))?" } ?? "; define it under \"scales\" or remove it")
        case let .itemsAndScales(scale):
            return "scale \(q(scale)) lists both items and scales; a scale lists either items or child scales"
        case let .emptyScale(id):
            return "scale \(q(id)) has no items; list its items (or child scales) or remove it"
        case let .scaleTooLarge(id, items):
            return "scale \(q(id)) has \(items) items; osc-score scores scales of up to \(Scale.maximumItems) items (its reliability reads every pair of them); split it into smaller scales"
        case let .cycle(path):
            let shown = path.count <= 12 ? path.map(q) : path.prefix(10).map(q) + ["… (\(path.count - 11) more)", q(path[path.count - 1])]
            return "scales contain themselves: \(shown.joined(separator: " → ")); a scale cannot be its own descendant"
        case let .nestedTooDeep(scale, deepest):
            return "scale \(q(scale)) has scales nested more than \(Instrument.maximumScaleDepth) levels deep below it (\(q(deepest)) is at level \(Instrument.maximumScaleDepth + 1)); osc-score reads at most \(Instrument.maximumScaleDepth) levels (the OSC has 3); list the items of a deeper scale directly"
        case let .itemInTooManyScales(item, scale):
            return "item \(q(item)) counts towards more than \(Instrument.maximumScalesPerItem) scales (directly or through the scales below them; \(q(scale)) is one past the limit); osc-score allows at most \(Instrument.maximumScalesPerItem) (in the OSC an item counts towards 3); share fewer scales between parents"
        case .noScales:
            return "the instrument defines no scales; add at least one under \"scales\""
        case let .keyRequired(instrument, itemCount):
            let count = itemCount.map { " (\($0) rows, one per item)" } ?? ""
            return "instrument \(q(instrument)) does not say which items belong to which scale, because its scoring key is licensed and not public; apply your licensed key (`instrument.applying(ScoringKey(contentsOf: FILE))`), a CSV with header item,column,scale,reverse\(count)"
        case let .duplicateProfile(id):
            return "profile id \(q(id)) is used more than once; profile ids must be unique"
        case let .profileUnknownScale(profile, scale, suggestion):
            return "profile \(q(profile)) reads unknown scale \(q(scale))" + (suggestion.map { "; did you mean \(q($0))?" } ?? "; list one of the instrument's scales")
        case let .emptyProfile(id):
            return "profile \(q(id)) reads no scales; list at least one scale with its favourable direction"
        case let .negativeBand(profile, band):
            return "profile \(q(profile)) has band \(DecimalText.shortest(band)); the band is a half-width in T units and cannot be negative"
        case let .profileDirectionConflict(profile, scale, profileDirection, scaleDirection):
            return "profile \(q(profile)) reads scale \(q(scale)) as favourable \(q(profileDirection.rawValue)) but the scale declares \"favourable\": \(q(scaleDirection.rawValue)); make the two agree"
        case let .nonFiniteProfileBoundary(profile, member, value):
            return "profile \(q(profile)) has \(member) \(DecimalText.shortest(value)); the cut-off and band must be finite numbers of T units whose sum and difference are finite (the cut-off is usually 50)"
        }
    }

    private func q(_ value: String) -> String { QuotedValue.quote(value) }
}

/// A questionnaire: its response scale, its items, and its scales.
///
/// An `Instrument` is always valid: ids are unique, every reference
/// resolves, the scale hierarchy has no cycles. An instrument whose scoring
/// key is licensed (the OSC) may be loaded without items; it must be given
/// a `ScoringKey` before it can score (`requireScorable()`).
public struct Instrument: Sendable, Equatable {
    /// The instrument's identifier, such as `osc` for the bundled OSC (JSON `id` in `instrument`).
    public let id: String
    /// The instrument's full name (JSON `name` in `instrument`).
    public let name: String
    /// The version of the instrument definition (JSON `version` in `instrument`).
    public let version: String
    /// The answer options every item shares.
    public let responseScale: ResponseScale
    /// The items, in instrument order; empty for a licensed instrument before its key is applied (their number is JSON `items` in `instrument`).
    public let items: [Item]
    /// Every scale, leaves and parents, in instrument order: the order of every per-scale array of a report.
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

        let indices = try Self.resolveScales(scales, itemIDs: items.map(\.id), itemIndex: itemIndex, scaleIndex: scaleIndex)
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
            guard profile.cutoff.isFinite else { throw .nonFiniteProfileBoundary(profile: profile.id, member: "cutoff", value: profile.cutoff) }
            guard profile.band.isFinite else { throw .nonFiniteProfileBoundary(profile: profile.id, member: "band", value: profile.band) }
            guard profile.band >= 0 else { throw .negativeBand(profile: profile.id, band: profile.band) }
            guard (profile.cutoff + profile.band).isFinite, (profile.cutoff - profile.band).isFinite else {
                throw .nonFiniteProfileBoundary(profile: profile.id, member: "band", value: profile.band)
            }
            for entry in profile.scales {
                guard let s = scaleIndex[entry.scale] else {
                    throw .profileUnknownScale(profile: profile.id, scale: entry.scale, suggestion: NameSuggestion.closest(to: entry.scale, in: scales.map(\.id)))
                }
                if let declared = scales[s].favourable, declared != entry.favourable {
                    throw .profileDirectionConflict(profile: profile.id, scale: entry.scale, profileDirection: entry.favourable, scaleDirection: declared)
                }
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

    /// The most levels of scales an instrument may nest: a leaf scale is one
    /// level, its parent two (the OSC has 3: culture, its dimensions, their
    /// facets). Deeper hierarchies are refused with `.nestedTooDeep`.
    public static let maximumScaleDepth = 64

    /// The most scales an item may count towards, directly or through the
    /// scales below them (in the OSC: 3, a facet, its dimension and domain).
    /// With `maximumScaleDepth` a tree of scales always meets it; it bounds
    /// `scaleItemIndices` to this many entries per item when scales are
    /// shared by many parents. More is refused with `.itemInTooManyScales`.
    public static let maximumScalesPerItem = 64

    /// Resolves every scale to the indices of the items below it (sorted,
    /// without repeats), detecting cycles and hierarchies deeper than
    /// `maximumScaleDepth`.
    ///
    /// An iterative depth-first search with an explicit stack (at most
    /// `maximumScaleDepth` entries), so no input can exhaust the call stack;
    /// each scale is resolved once, from its children's already resolved
    /// lists (a child listed twice counts once). Memory: the result itself,
    /// at most `maximumScalesPerItem` × items indices, and O(scales + items)
    /// besides; time linear in the input and that result, plus the sorting.
    static func resolveScales(_ scales: [Scale], itemIDs: [String], itemIndex: [String: Int],
                              scaleIndex: [String: Int]) throws(InstrumentProblem) -> [[Int]] {
        let itemCount = itemIDs.count
        let children = scales.map { $0.childIDs.map { scaleIndex[$0]! } }
        // 0 not yet visited, 1 on the current path, 2 resolved.
        var state = [UInt8](repeating: 0, count: scales.count)
        // Levels from a resolved scale down to its deepest leaf (a leaf: 1),
        // and the child on that deepest path (-1 for a leaf).
        var height = [Int](repeating: 0, count: scales.count)
        var deepestChild = [Int](repeating: -1, count: scales.count)
        var resolved = [[Int]](repeating: [], count: scales.count)
        // The scale that last took each item (to drop repeats without a set).
        var takenBy = [Int](repeating: -1, count: itemCount)
        // How many scales each item counts towards so far.
        var scalesOf = [Int](repeating: 0, count: itemCount)
        // The scale that last took each child (to read a repeated child once).
        var childTakenBy = [Int](repeating: -1, count: scales.count)
        var stack: [(scale: Int, next: Int)] = []
        stack.reserveCapacity(maximumScaleDepth)

        func tooDeep(from child: Int) -> InstrumentProblem {
            // `child` would sit at level stack.count + 1; walk down its deepest
            // path to the scale one level past the limit.
            var deepest = child, level = stack.count + 1
            while level <= maximumScaleDepth, deepestChild[deepest] >= 0 { deepest = deepestChild[deepest]; level += 1 }
            return .nestedTooDeep(scale: scales[stack[0].scale].id, deepest: scales[deepest].id)
        }

        for root in scales.indices where state[root] == 0 {
            state[root] = 1
            stack.append((root, 0))
            while let (s, next) = stack.last {
                if next < children[s].count {
                    stack[stack.count - 1].next += 1
                    let c = children[s][next]
                    switch state[c] {
                    case 1:
                        let from = stack.firstIndex { $0.scale == c }!
                        throw .cycle(stack[from...].map { scales[$0.scale].id } + [scales[c].id])
                    case 2:
                        if stack.count + height[c] > maximumScaleDepth { throw tooDeep(from: c) }
                    default:
                        if stack.count + 1 > maximumScaleDepth { throw tooDeep(from: c) }
                        state[c] = 1
                        stack.append((c, 0))
                    }
                    continue
                }
                // Every child is resolved: gather their items once.
                var list: [Int] = []
                func take(_ i: Int) throws(InstrumentProblem) {
                    guard takenBy[i] != s else { return }
                    takenBy[i] = s
                    scalesOf[i] += 1
                    if scalesOf[i] > maximumScalesPerItem {
                        throw .itemInTooManyScales(item: itemIDs[i], scale: scales[s].id)
                    }
                    list.append(i)
                }
                for item in scales[s].itemIDs { try take(itemIndex[item]!) }
                var h = 1
                for c in children[s] where childTakenBy[c] != s {
                    childTakenBy[c] = s
                    for i in resolved[c] { try take(i) }
                    if height[c] + 1 > h { h = height[c] + 1; deepestChild[s] = c }
                }
                list.sort()
                resolved[s] = list
                height[s] = h
                state[s] = 2
                stack.removeLast()
            }
        }
        return resolved
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
