import Foundation

/// Turns a classifier's `Features` into the probability that its best label is right:
/// `σ(coefficients · features + intercept)` (Platt/logistic, ai-pipeline.md §4.2).
///
/// Raw similarities are not probabilities, so the 0.7 threshold is applied to this number only.
/// The coefficients are ours, fitted by `bench/assistant/fit_intent_calibration.py` on CLINC150's
/// validation split (out-of-scope counted as wrong) and never on its test.
public struct IntentCalibration: Sendable, Hashable {
    /// One per `FewShotClassifier.Features.names`, in that order.
    public var coefficients: [Double]
    public var intercept: Double

    public init(coefficients: [Double], intercept: Double) {
        self.coefficients = coefficients
        self.intercept = intercept
    }

    /// The probability, in [0, 1], that the best label of `features` is right.
    public func confidence(_ features: FewShotClassifier.Features) -> Double {
        let z = zip(coefficients, features.vector).reduce(intercept) { $0 + $1.0 * $1.1 }
        return 1 / (1 + exp(-z))
    }

    /// The answer threshold: below it the assistant asks or hands over instead of answering.
    public static let threshold = 0.7

    /// Fitted by `bench/assistant/fit_intent_calibration.py` (out-of-scope ratio 0.75) on the features of
    /// CLINC150's validation split (val + oos_val) for three 10-shot training samples (seeds 0, 1
    /// and 2 of `bench/assistant/clinc150_to_jsonl.py`); see bench/assistant/README.md.
    public static let fitted = IntentCalibration(
        // top, margin, charNearest, wordNearest, coverage, agreement, logLength (default Weights)
        coefficients: [17.5144, 9.0155, -2.3698, -8.6588, 2.3720, 0.6662, 0.3400],
        intercept: -6.4234
    )
}
