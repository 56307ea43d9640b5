/// Turns text into a vector whose cosine with another text's vector says how alike they are.
///
/// The built-in `HashingEmbedder` needs no model file; a neural embedder (e5-small) can
/// conform later. An index remembers its embedder's `name`, so vectors from two embedders are
/// never compared.
public protocol Embedder: Sendable {
    /// Identifies the embedder and its settings, e.g. "hash-ngram-3-5-d1024".
    var name: String { get }
    /// Floats per vector.
    var dimension: Int { get }
    /// The vector of `text`; `dimension` floats, not necessarily normalised.
    func embed(_ text: String) -> [Float]
    /// True when each dimension counts hashed surface features (as `HashingEmbedder` does), so an
    /// index may weigh dimensions by how rare they are in the knowledge base, as BM25 weighs terms.
    /// False (the default) for neural embedders, whose dimensions mean nothing on their own.
    var isFeatureHashing: Bool { get }
}

extension Embedder {
    public var isFeatureHashing: Bool { false }
}
