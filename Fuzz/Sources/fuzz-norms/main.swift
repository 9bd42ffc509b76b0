// The norms loader: any bytes give norms or a NormsFileError, never a
// crash or a hang, for the leadership instrument and the bundled OSC. Norms
// that load for the leadership instrument are used on a small fixed table:
// the JSON report with T-scores and profiles must parse and be finite.

import Foundation
import FuzzSupport
@testable import OSCScoring

let osc = BundledInstruments.osc()
let table: ResponseTable = {
    let csv = """
    respondent,authority,school,LEAD01,LEAD02,LEAD03,L04
    T1,A,S1,4,2,5,4
    T2,A,S1,3,3,,4
    T3,A,S1,5,1,4,5
    T4,A,S2,2,4,2,2
    T5,A,S2,1,5,1,1
    T6,B,S3,3,3,3,3
    T7,B,S3,3,4,2,1
    T8,B,S3,5,5,5,5
    """
    return try! ResponseReader.read(Array(csv.utf8), instrument: Fuzz.leadership, source: "fuzz")
}()

Fuzz.run { data, size in
    let input = Fuzz.bytes(data, size)
    _ = try? Norms(json: input, source: "fuzz", instrument: osc)
    guard let norms = try? Norms(json: input, source: "fuzz", instrument: Fuzz.leadership) else { return 0 }
    for (scale, norm) in norms.scales where !(norm.mean.isFinite && norm.sd.isFinite && norm.sd > 0) {
        Fuzz.fail("norms loaded for \(scale) with mean \(norm.mean), sd \(norm.sd)")
    }
    guard let report = try? ScoringReport(table: table, norms: .table(norms)) else { Fuzz.fail("the report with norms threw") }
    let context = ReportContext(source: "fuzz.csv")
    let json = report.jsonBytes(context: context)
    do {
        _ = try JSONSerialization.jsonObject(with: Data(json))
    } catch {
        Fuzz.fail("the report with norms is not valid JSON (\(error)):\n\(String(decoding: json, as: UTF8.self))")
    }
    _ = report.csv(level: .school)
    _ = report.tableText(context: context)
    _ = report.markdown(context: context)
    return 0
}
