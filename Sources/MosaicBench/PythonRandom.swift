import Foundation

/// CPython's `random.Random` (MT19937), far enough to reproduce the workload parameters
/// `peers.py` draws (`choices`, `sample`, `randint`), so Mosaic looks up the very ids the
/// peers looked up and its check values can be compared with theirs.
struct PythonRandom {
    private var mt = [UInt32](repeating: 0, count: 624)
    private var index = 624

    /// `random.Random(seed)` for a non-negative integer seed below 2^32.
    init(seed: UInt32) {
        initGenrand(19_650_218)
        // init_by_array with the key [seed]
        let key: [UInt32] = [seed]
        var i = 1, j = 0
        for _ in 0..<max(624, key.count) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1; j += 1
            if i >= 624 { mt[0] = mt[623]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<623 {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 { mt[0] = mt[623]; i = 1 }
        }
        mt[0] = 0x8000_0000
        index = 624
    }

    private mutating func initGenrand(_ s: UInt32) {
        mt[0] = s
        for i in 1..<624 {
            mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    mutating func next32() -> UInt32 {
        if index >= 624 {
            for k in 0..<624 {
                let y = (mt[k] & 0x8000_0000) | (mt[(k + 1) % 624] & 0x7FFF_FFFF)
                mt[k] = mt[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908_B0DF : 0)
            }
            index = 0
        }
        var y = mt[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// `random()`: 53 bits in [0, 1).
    mutating func random() -> Double {
        let a = Double(next32() >> 5), b = Double(next32() >> 6)
        return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)` for 1 ≤ k ≤ 32.
    mutating func bits(_ k: Int) -> Int { Int(next32() >> UInt32(32 - k)) }

    /// `_randbelow(n)`.
    mutating func below(_ n: Int) -> Int {
        let k = Int.bitWidth - n.leadingZeroBitCount
        var r = bits(k)
        while r >= n { r = bits(k) }
        return r
    }

    /// `randint(a, b)`.
    mutating func int(_ a: Int, _ b: Int) -> Int { a + below(b - a + 1) }

    /// `choices(population, k=k)` (no weights).
    mutating func choices<T>(_ population: [T], k: Int) -> [T] {
        let n = Double(population.count)
        return (0..<k).map { _ in population[Int((random() * n).rounded(.down))] }
    }

    /// `sample(population, k)`.
    mutating func sample<T>(_ population: [T], k: Int) -> [T] {
        let n = population.count
        precondition(k <= n, "sample larger than population")
        var setSize = 21
        if k > 5 { setSize += 1 << (2 * Int((log(Double(k * 3)) / log(4.0)).rounded(.up))) }
        var result: [T] = []
        result.reserveCapacity(k)
        if n <= setSize {
            var pool = population
            for i in 0..<k {
                let j = below(n - i)
                result.append(pool[j])
                pool[j] = pool[n - i - 1]
            }
        } else {
            var selected: Set<Int> = []
            for _ in 0..<k {
                var j = below(n)
                while selected.contains(j) { j = below(n) }
                selected.insert(j)
                result.append(population[j])
            }
        }
        return result
    }
}
