internal import CVectorKernels

/// The C checksum over a byte range.
func cChecksum(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return atende_vk_checksum64(nil, 0, seed) }
    return atende_vk_checksum64(base, bytes.count, seed)
}
