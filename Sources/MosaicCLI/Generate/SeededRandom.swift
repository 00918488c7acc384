#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small seeded PRNG (xoshiro256**, seeded through SplitMix64) with the few draws the
/// synthetic graph generator needs. The same seed gives the same sequence on every
/// platform and Swift version (unlike `SystemRandomNumberGenerator` or `Hasher`).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in 0..<n (n > 0), without modulo bias.
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "below(\(n))")
        let bound = UInt64(n)
        let threshold = (0 &- bound) % bound
        while true {
            let r = next()
            let m = r.multipliedFullWidth(by: bound)
            if m.low >= threshold { return Int(m.high) }
        }
    }

    /// Uniform integer in a...b (inclusive).
    public mutating func int(_ a: Int, _ b: Int) -> Int { a + below(b - a + 1) }

    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }

    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// Pareto(alpha) variate, at least 1: heavy-tailed popularity.
    public mutating func pareto(_ alpha: Double) -> Double {
        let u = 1.0 - unit()  // (0, 1]
        return 1.0 / pow(u, 1.0 / alpha)
    }

    /// An index drawn with probability proportional to the weights whose running sums are `cum`.
    public mutating func pick(cumulative cum: [Double]) -> Int {
        let x = unit() * cum[cum.count - 1]
        var lo = 0, hi = cum.count - 1
        while lo < hi {  // first index whose running sum exceeds x
            let mid = (lo + hi) / 2
            if cum[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// Running sums of `weights` (for `SeededRandom.pick(cumulative:)`).
func runningSums(_ weights: [Double]) -> [Double] {
    var out: [Double] = []
    out.reserveCapacity(weights.count)
    var s = 0.0
    for w in weights { s += w; out.append(s) }
    return out
}
