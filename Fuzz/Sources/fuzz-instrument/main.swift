// The instrument JSON loader: any bytes give an instrument or an
// InstrumentFileError, never a crash or a hang. An instrument that loads
// and is scorable is then used: a header and three rows made from its
// items are read and scored, and the JSON report must parse.

import FuzzSupport
@testable import OSCScoring

Fuzz.run { data, size in
    let input = Fuzz.bytes(data, size)
    let instrument: Instrument
    do {
        instrument = try Instrument(json: input, source: "fuzz")
    } catch {
        if (error as? InstrumentFileError)?.reason.isEmpty ?? true { Fuzz.fail("an InstrumentFileError without a reason") }
        return 0
    }
    _ = instrument.summaryScaleIndices
    for scale in instrument.scales { _ = instrument.scaleIndex(of: scale.id) }
    Fuzz.scoreSynthetic(instrument)
    return 0
}
