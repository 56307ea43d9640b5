internal import CVectorKernels
import Logging

/// What this CPU offers for the scan kernels, with the OS's saved-state check applied
/// (AVX-512 counts only when XCR0 shows the OS saves ZMM registers).
public struct CPUFeatures: Sendable, Hashable, CustomStringConvertible {
    public let isX86_64: Bool
    public let avx2: Bool
    public let fma: Bool
    public let f16c: Bool
    public let avx512f: Bool
    public let avx512bw: Bool
    public let avx512vl: Bool
    public let avx512vnni: Bool
    public let avxVNNI: Bool

    /// The features of the machine this process runs on (read once).
    public static let current: CPUFeatures = {
        var raw = atende_vk_cpu()
        atende_vk_detect(&raw)
        return CPUFeatures(
            isX86_64: raw.is_x86_64, avx2: raw.avx2, fma: raw.fma, f16c: raw.f16c,
            avx512f: raw.avx512f, avx512bw: raw.avx512bw, avx512vl: raw.avx512vl,
            avx512vnni: raw.avx512vnni, avxVNNI: raw.avx_vnni)
    }()

    /// Whether `path` can run here.
    public func supports(_ path: KernelPath) -> Bool {
        switch path {
        case .portable: true
        case .avx2: isX86_64 && avx2 && fma
        case .avx512: supports(.avx2) && avx512f && avx512bw && avx512vl
        case .avx512vnni: supports(.avx512) && avx512vnni
        }
    }

    /// The fastest path this CPU supports.
    public var bestPath: KernelPath {
        KernelPath.allCases.last(where: supports) ?? .portable
    }

    public var description: String {
        let names: [(String, Bool)] = [
            ("avx2", avx2), ("fma", fma), ("f16c", f16c), ("avx512f", avx512f), ("avx512bw", avx512bw),
            ("avx512vl", avx512vl), ("avx512vnni", avx512vnni), ("avxvnni", avxVNNI),
        ]
        let on = names.filter(\.1).map(\.0)
        return on.isEmpty ? "baseline" : on.joined(separator: ",")
    }
}

/// One family of scan kernels. Ordered slowest to fastest.
public enum KernelPath: String, Sendable, CaseIterable, Comparable {
    /// Pure Swift SIMD (SSE2 on x86-64, NEON on aarch64); runs everywhere.
    case portable
    /// AVX2 + FMA in C (x86-64-v3).
    case avx2
    /// AVX-512 F/BW/VL in C; int8 via vpmaddwd.
    case avx512
    /// AVX-512 with VNNI (vpdpbusd) for int8.
    case avx512vnni

    public static func < (a: KernelPath, b: KernelPath) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The environment variable that forces a path (for tests and the benchmark).
    public static let environmentKey = "ATENDE_VECTOR_KERNEL"

    /// The path every index uses unless told otherwise: the CPU's best, or the one named
    /// by `ATENDE_VECTOR_KERNEL` when this CPU supports it. Chosen once and logged as
    /// `atende.vector.kernel`.
    public static let selected: KernelPath = {
        let logger = Logger(label: "atende.vector")
        let cpu = CPUFeatures.current
        let (path, note) = choose(cpu: cpu, requested: environmentValue(environmentKey))
        let metadata: Logger.Metadata = [
            "atende.vector.kernel": "\(path.rawValue)", "atende.vector.cpu": "\(cpu)",
        ]
        if let note {
            logger.warning("\(note)", metadata: metadata)
        } else {
            logger.info("vector kernel selected", metadata: metadata)
        }
        return path
    }()

    /// Picks a path for `cpu` honouring a requested name; returns a warning when the
    /// request could not be honoured (unknown name, or unsupported by this CPU).
    static func choose(cpu: CPUFeatures, requested: String?) -> (KernelPath, String?) {
        guard let requested, !requested.isEmpty else { return (cpu.bestPath, nil) }
        guard let path = KernelPath(rawValue: requested.lowercased()) else {
            let valid = allCases.map(\.rawValue).joined(separator: "|")
            return (cpu.bestPath, "\(environmentKey)=\(requested) is not one of \(valid); using \(cpu.bestPath.rawValue)")
        }
        guard cpu.supports(path) else {
            return (cpu.bestPath, "\(environmentKey)=\(requested) is not supported by this CPU; using \(cpu.bestPath.rawValue)")
        }
        return (path, nil)
    }
}
