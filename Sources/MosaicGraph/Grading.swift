/// The Admiralty (NATO) grading of a piece of information: the source's reliability
/// (A completely reliable … E unreliable, F cannot be judged) and the information's
/// credibility (1 confirmed … 5 improbable, 6 cannot be judged). Written `B2`.
public struct Grading: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 0…5 for A…F.
    public let reliability: UInt8
    /// 1…6.
    public let credibility: UInt8

    public init?(reliability: Character, credibility: Int) {
        guard let a = reliability.uppercased().unicodeScalars.first?.value,
              (65...70).contains(a), (1...6).contains(credibility) else { return nil }
        self.reliability = UInt8(a - 65)
        self.credibility = UInt8(credibility)
    }

    /// From the packed fields (0…5, 1…6), unchecked: the graph's compact relationships.
    init(reliabilityIndex: UInt8, credibility: UInt8) { self.reliability = reliabilityIndex; self.credibility = credibility }

    /// Parses `B2` (case-insensitive).
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.count == 2, let r = t.first, let c = Int(String(t.last!)) else { return nil }
        self.init(reliability: r, credibility: c)
    }

    public var reliabilityLetter: Character { Character(Unicode.Scalar(65 + reliability)) }
    public var description: String { "\(reliabilityLetter)\(credibility)" }

    /// The confidence a grading implies when none is set: the product of a weight for the
    /// reliability (A .95, B .85, C .70, D .50, E .30, F .50) and one for the credibility
    /// (1 .95, 2 .85, 3 .70, 4 .50, 5 .30, 6 .50), rounded to two decimals.
    public var impliedConfidence: Double {
        let r: [Double] = [0.95, 0.85, 0.70, 0.50, 0.30, 0.50]
        let c: [Double] = [0.95, 0.85, 0.70, 0.50, 0.30, 0.50]
        return ((r[Int(reliability)] * c[Int(credibility) - 1]) * 100).rounded() / 100
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let g = Grading(s) else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a grading: \(s)") }
        self = g
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

import Foundation
