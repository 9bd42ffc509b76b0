// Choosing some of a block's items, for statistics that leave items out
// (alpha if an item is deleted, items without variance).

extension ItemResponses {
    /// The block restricted to the items at `indices`, in that order, for every respondent.
    ///
    /// Complexity: O(respondents × indices.count).
    func selectingItems(_ indices: [Int]) -> ItemResponses {
        var values: [Double] = []
        values.reserveCapacity(respondents * indices.count)
        for r in 0..<respondents {
            for i in indices { values.append(self[respondent: r, item: i]) }
        }
        return ItemResponses(respondents: respondents, items: indices.count, values: values)
    }
}
