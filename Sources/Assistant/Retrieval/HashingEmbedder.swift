/// The built-in embedder: character n-grams of each folded word, hashed with signs into a fixed
/// number of dimensions ("feature hashing"). No model file, deterministic, tolerant of typos and
/// of missing accents, and language-agnostic.
///
/// Each word is padded ("<sabado>") so its start and end make n-grams of their own; the whole
/// word counts as one more feature. Counts are damped by a square root so one repeated word does
/// not dominate a long chunk.
public struct HashingEmbedder: Embedder {
    public let dimension: Int
    /// The n-gram lengths, e.g. 3...5.
    public let gramLengths: ClosedRange<Int>
    /// Whether stop words and question words (of all three languages) are left out. Right for
    /// finding answers, where "qual" or "the" only add noise; wrong for telling intents apart.
    public let dropsStopWords: Bool

    private let normaliser = Normaliser(emoji: .drop)

    /// - Parameters:
    ///   - dimension: vector length; at least 16.
    ///   - gramLengths: the character n-gram lengths; lower bound at least 1.
    ///   - dropsStopWords: leave out stop and question words (see `dropsStopWords`).
    public init(dimension: Int = 1024, gramLengths: ClosedRange<Int> = 3...5, dropsStopWords: Bool = false) {
        self.dimension = max(16, dimension)
        self.gramLengths = max(1, gramLengths.lowerBound)...max(1, gramLengths.upperBound)
        self.dropsStopWords = dropsStopWords
    }

    public var name: String {
        "hash-ngram-\(gramLengths.lowerBound)-\(gramLengths.upperBound)-d\(dimension)\(dropsStopWords ? "-content" : "")"
    }

    /// Each dimension counts hashed features, so an index may weigh dimensions by their rarity.
    public var isFeatureHashing: Bool { true }

    public func embed(_ text: String) -> [Float] {
        var vector = [Float](repeating: 0, count: dimension)
        let words = Normaliser.split(normaliser.clean(text), keepEmoji: false).map(Normaliser.fold)
        for word in words where !(dropsStopWords && Self.isFunctionWord(word)) {
            let padded = Array(("<" + word + ">").utf8)
            add(padded[...], to: &vector)
            for n in gramLengths where n < padded.count {
                for start in 0...(padded.count - n) { add(padded[start..<(start + n)], to: &vector) }
            }
        }
        for i in vector.indices { vector[i] = vector[i] < 0 ? -(-vector[i]).squareRoot() : vector[i].squareRoot() }
        return vector
    }

    private static func isFunctionWord(_ word: String) -> Bool {
        Language.allCases.contains { StopWords.contains(word, language: $0) || StopWords.isQuestionWord(word, language: $0) }
    }

    /// Adds ±1 at the feature's hashed slot; the sign comes from the hash's top bit.
    private func add(_ feature: ArraySlice<UInt8>, to vector: inout [Float]) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, 64-bit
        for byte in feature { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash ^= hash >> 29  // fold the high bits in, FNV's low bits are weak for small moduli
        let slot = Int(hash % UInt64(dimension))
        vector[slot] += (hash >> 63) == 0 ? 1 : -1
    }
}
