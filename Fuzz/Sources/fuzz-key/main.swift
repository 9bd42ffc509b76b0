// The scoring key loader: any bytes give a key or a ScoringKeyError, never
// a crash or a hang. A key that loads is applied to the bundled OSC and to
// the leadership instrument (leaf scales `leadership`, `support`); a keyed
// instrument is then read and scored as in the instrument target.

import FuzzSupport
@testable import OSCScoring

let osc = BundledInstruments.osc()

Fuzz.run { data, size in
    let input = Fuzz.bytes(data, size)
    guard let key = try? ScoringKey(csv: input, source: "fuzz") else { return 0 }
    if key.entries.isEmpty { Fuzz.fail("a key without entries loaded") }
    for base in [osc, Fuzz.leadership] {
        if let keyed = try? base.applying(key) {
            Fuzz.scoreSynthetic(keyed)
        }
    }
    return 0
}
