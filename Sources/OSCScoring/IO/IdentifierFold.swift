// School and authority ids that differ only in letter case or spaces
// (`la1-s01` and `LA1-S01`): found once over the distinct ids after
// reading, reported as findings, and merged when `ReadOptions.foldCase` asks.

/// The comparison behind `DataProblem.Kind.similarIds` and `ReadOptions.foldCase`.
///
/// Two ids are similar when their fold keys have the same bytes. The key of
/// an id is its text with every Unicode scalar replaced by its lowercase
/// mapping (`É` becomes `é`, `A` `a`), every run of whitespace inside it
/// (spaces, tabs, no-break spaces, line breaks in a quoted cell) replaced
/// by one space, and whitespace at its ends dropped (the reader already
/// drops spaces and tabs there, so `S01 ` is `S01` before any comparison).
/// Nothing else is equated: the composed and decomposed forms of `é`, or
/// `ß` and `ss`, stay different, as their bytes do. Bytes that are not
/// UTF-8 take part as their `\xHH` text (`IdentifierText`), so ids that
/// differ only in such bytes are never similar.
enum IdentifierFold {
    /// The fold key of an id (valid UTF-8).
    ///
    /// Complexity: O(length of the id).
    static func key(_ id: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(id.utf8.count)
        var pendingSpace = false
        for scalar in id.unicodeScalars {
            if scalar.isASCII {
                let b = UInt8(scalar.value)
                if b == 0x20 || (0x09...0x0D).contains(b) {
                    pendingSpace = !out.isEmpty
                    continue
                }
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append((0x41...0x5A).contains(b) ? b + 0x20 : b)
            } else if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
        }
        return out
    }

    /// The fold key of an id as text.
    static func folded(_ id: String) -> String { String(decoding: key(id), as: UTF8.self) }

    /// A school with both its ids folded (two schools that fold alike are one under `foldCase`).
    static func folded(_ school: SchoolKey) -> SchoolKey {
        SchoolKey(authority: school.authority.map(folded), school: folded(school.school))
    }

    /// A column of the file, for the findings.
    struct Column {
        let name: String
        /// 1-based.
        let number: Int
    }

    /// Compares the distinct schools of a table (in order of first
    /// appearance, `firstLines[j]` the line where school j first appears):
    /// each authority id similar to an earlier one, and each school id
    /// similar to an earlier one under the same authority (under the same
    /// merged authority when `fold`), is a finding naming both ids and
    /// their first lines. Each later spelling is compared with the first
    /// spelling of its kind, so three spellings give two findings.
    ///
    /// - Returns: the findings in line order, and with `fold` the school
    ///   each distinct school becomes (both ids spelt as first seen); nil
    ///   when there is nothing to merge.
    ///
    /// Complexity: O(distinct schools × id length), whatever the number of rows.
    static func compare(schools: [SchoolKey], firstLines: [Int], fold: Bool,
                        school: Column, authority: Column?, names: SettingNames = .library) -> (problems: [DataProblem], merged: [SchoolKey]?) {
        precondition(firstLines.count == schools.count, "one first line per school")
        var problems: [DataProblem] = []
        // Authorities: spelling (bytes) → its fold key; fold key → first spelling and line.
        var authorityKeyOf: [[UInt8]: [UInt8]] = [:]
        var firstAuthority: [[UInt8]: (id: String, line: Int)] = [:]
        // (authority, school fold key) → first spelling and line, and the spellings already reported.
        var firstSchool: [[UInt8]: (id: String, authority: String?, line: Int)] = [:]
        var reported: Set<[UInt8]> = []
        var merged: [SchoolKey] = []
        var anyMerged = false
        if fold { merged.reserveCapacity(schools.count) }
        for (j, key) in schools.enumerated() {
            let line = firstLines[j]
            var group: [UInt8] = [0xFE]  // no authority
            var authoritySpelling = key.authority
            if let a = key.authority {
                let bytes = Array(a.utf8)
                let foldKey: [UInt8]
                if let known = authorityKeyOf[bytes] {
                    foldKey = known
                } else {
                    foldKey = Self.key(a)
                    authorityKeyOf[bytes] = foldKey
                    if let first = firstAuthority[foldKey] {
                        if let authority {
                            problems.append(finding(value: a, line: line, first: first.id, firstLine: first.line, column: authority, fold: fold, names: names,
                                                    what: "authorities", under: nil))
                        }
                    } else {
                        firstAuthority[foldKey] = (a, line)
                    }
                }
                group = [0xFD] + (fold ? foldKey : bytes) + [0xFF]
                if fold { authoritySpelling = firstAuthority[foldKey]!.id }
            }
            group += Self.key(key.school)
            var spelling = key.school
            if let first = firstSchool[group] {
                if !first.id.utf8.elementsEqual(key.school.utf8), reported.insert(group + [0xFF] + Array(key.school.utf8)).inserted {
                    problems.append(finding(value: key.school, line: line, first: first.id, firstLine: first.line, column: school, fold: fold, names: names,
                                            what: "schools", under: first.authority))
                }
                spelling = first.id
            } else {
                firstSchool[group] = (key.school, key.authority, line)
            }
            if fold {
                let becomes = SchoolKey(authority: authoritySpelling, school: spelling)
                if becomes != key { anyMerged = true }
                merged.append(becomes)
            }
        }
        // Authority findings come from a school's first line, school findings too: one stable sort puts them in line order.
        let ordered = problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
        return (ordered, anyMerged ? merged : nil)
    }

    private static func finding(value: String, line: Int, first: String, firstLine: Int, column: Column, fold: Bool, names: SettingNames,
                                what: String, under authority: String?) -> DataProblem {
        let place = authority.map { ", under the same authority \(QuotedValue.quote($0))" } ?? ""
        let outcome = fold
            ? "merged into it (\(names.name(.foldCase)))"
            : "the two are reported as different \(what); give them one spelling, or merge them with \(names.name(.foldCase))"
        return DataProblem(kind: fold ? .mergedIds : .similarIds, line: line, column: column.name, columnNumber: column.number, value: value,
                           problem: "differs only in letter case or spaces from \(QuotedValue.quote(first)) (line \(firstLine))\(place); \(outcome)")
    }
}
