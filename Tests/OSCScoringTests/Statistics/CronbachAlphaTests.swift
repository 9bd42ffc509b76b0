import Testing
@testable import OSCScoring

@Suite("Cronbach's alpha")
struct CronbachAlphaTests {
    // MARK: Alpha against psych 2.2.9

    @Test("alpha, Feldt's interval and the pairwise standardized alpha match R")
    func alphaMatchesR() throws {
        let blocks = try reliabilityBlocks()
        let table = try ReferenceTable("alpha.csv")
        #expect(table.rows.count == 10)
        for row in table.rows {
            let set = table.text(row, "set")
            let result = try #require(Reliability.alpha(blocks[set]!), "\(set)")
            #expect(isClose(result.alpha, table.value(row, "raw_alpha"), tolerance: 1e-9), "\(set) alpha")
            #expect(isClose(result.alphaLower, table.value(row, "feldt_lower"), tolerance: 1e-9), "\(set) lower")
            #expect(isClose(result.alphaUpper, table.value(row, "feldt_upper"), tolerance: 1e-9), "\(set) upper")
            let standardized = try #require(result.standardizedAlpha)
            let averageR = try #require(result.averageR)
            #expect(isClose(standardized, table.value(row, "std_alpha_pairwise"), tolerance: 1e-9), "\(set) std")
            #expect(isClose(averageR, table.value(row, "average_r_pairwise"), tolerance: 1e-9), "\(set) r̄")
            #expect(result.itemsUsed == Int(table.value(row, "items_used")))
            #expect(result.n == Int(table.value(row, "n")))
        }
    }

    @Test("item statistics match psych's item.stats and alpha.drop")
    func itemStatisticsMatchR() throws {
        let blocks = try reliabilityBlocks()
        let table = try ReferenceTable("alpha-items.csv")
        var listed: [String: Set<Int>] = [:]
        for row in table.rows {
            let set = table.text(row, "set"), item = Int(table.value(row, "item"))
            listed[set, default: []].insert(item)
            let result = try #require(Reliability.alpha(blocks[set]!))
            let stats = result.items[item - 1]
            #expect(!stats.excluded)
            #expect(stats.n == Int(table.value(row, "n")), "\(set) item \(item) n")
            #expect(isClose(stats.mean!, table.value(row, "mean"), tolerance: 1e-9), "\(set) item \(item) mean")
            #expect(isClose(stats.sd!, table.value(row, "sd"), tolerance: 1e-9), "\(set) item \(item) sd")
            #expect(isClose(stats.rDrop!, table.value(row, "r_drop"), tolerance: 1e-9), "\(set) item \(item) r.drop")
            if result.itemsUsed >= 3 {
                #expect(isClose(stats.alphaIfDeleted!, table.value(row, "alpha_drop"), tolerance: 1e-9),
                        "\(set) item \(item) alpha if deleted")
            } else {
                #expect(stats.alphaIfDeleted == nil, "\(set): one remaining item has no alpha")
            }
        }
        // Items psych deleted (no variance) are marked excluded.
        for (set, items) in listed {
            let result = try #require(Reliability.alpha(blocks[set]!))
            for (index, stats) in result.items.enumerated() {
                #expect(stats.excluded == !items.contains(index + 1), "\(set) item \(index + 1)")
            }
        }
        #expect(Reliability.alpha(blocks["edge-903-A6"]!)!.items[0].excluded)  // constant a1
        #expect(Reliability.alpha(blocks["edge-910-A6"]!)!.items[1].excluded)  // a2 answered once
    }

    @Test("psych 2.2.9 reports C12/C22 as alpha-if-deleted for a two-item scale; we report none")
    func twoItemAlphaIfDeletedIsUndefined() throws {
        let blocks = try reliabilityBlocks()
        let table = try ReferenceTable("alpha-items.csv")
        let row = try #require(table.rows.first { table.text($0, "set") == "synthetic-A2" })
        let c = PairwiseMoments(blocks["synthetic-A2"]!).completeCovariance()!
        // psych's number for item 1 is C₁₂ / C₂₂, not an alpha
        #expect(isClose(table.value(row, "alpha_drop"), c[1] / c[3], tolerance: 1e-9))
        #expect(Reliability.alpha(blocks["synthetic-A2"]!)!.items[0].alphaIfDeleted == nil)
    }

    @Test("alpha of two items is computed from their covariance matrix by hand")
    func handComputedAlpha() throws {
        // C = [[5/3, 4/3], [4/3, 4/3]]: 1'C1 = 17/3, tr C = 3 → α = (1 − 9/17)·2 = 16/17
        let block = ItemResponses(rows: [[1, 2], [2, 2], [3, 4], [4, 4]])
        let result = try #require(Reliability.alpha(block))
        #expect(abs(result.alpha - 16.0 / 17.0) < 1e-14)
        // r = (4/3)/√(5/3 · 4/3): item–rest correlation of two items is their correlation
        let r = (4.0 / 3.0) / (5.0 / 3.0 * 4.0 / 3.0).squareRoot()
        #expect(abs(result.items[0].rDrop! - r) < 1e-14)
        #expect(abs(result.averageR! - r) < 1e-14)
        #expect(abs(result.standardizedAlpha! - 2 * r / (1 + r)) < 1e-14)
        #expect(result.items[0].mean == 2.5 && result.items[1].n == 4)
    }

    @Test("alpha is undefined for a single item or a single item with variance")
    func alphaUndefinedForOneItem() {
        #expect(Reliability.alpha(ItemResponses(rows: [[1], [2], [3]])) == nil)
        #expect(Reliability.alpha(ItemResponses(rows: [[1, 3], [2, 3], [3, 3]])) == nil)
        #expect(Reliability.alpha(ItemResponses(rows: [[1, nil], [nil, 2], [3, nil]])) == nil)
    }
}
