import Foundation

/// SHA-256 (FIPS 180-4) of a byte buffer, as lower-case hex: the name of an object in `Corpus/objects/`.
///
/// Foundation on Linux has no CryptoKit, and the store needs this one digest only; a page of Swift costs less
/// than a package that builds a whole crypto library from source on every CI run.
public enum SHA256 {
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// The digest of `data` as 64 lower-case hex digits.
    ///
    /// Works on raw pointers throughout: checked array subscripts in the 64 rounds cost about half the time,
    /// and every fetched body is hashed on the fetch loop's thread.
    public static func hex(_ data: Data) -> String {
        let state = words(data)
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8](repeating: 0, count: 64)
        for (index, word) in state.enumerated() {
            for nibble in 0..<8 {
                text[index * 8 + nibble] = digits[Int((word >> UInt32(28 - nibble * 4)) & 0xf)]
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The 32 bytes of the digest, for HMAC.
    public static func digest(_ data: Data) -> [UInt8] {
        words(data).flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> UInt32(24 - $0 * 8)) } }
    }

    /// The eight state words after the last block.
    private static func words(_ data: Data) -> [UInt32] {
        var state: [UInt32] = [
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
        ]
        var schedule = [UInt32](repeating: 0, count: 64)
        let fullBlocks = data.count / 64
        // The tail: the remaining bytes, a 1 bit, zeros, and the message length in bits (big-endian).
        var tail = [UInt8](data.suffix(from: data.startIndex + fullBlocks * 64))
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        let bitLength = UInt64(data.count) &* 8
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        state.withUnsafeMutableBufferPointer { state in
            schedule.withUnsafeMutableBufferPointer { w in
                roundConstants.withUnsafeBufferPointer { k in
                    data.withUnsafeBytes { raw in
                        guard let base = raw.baseAddress else { return }
                        for block in 0..<fullBlocks { compress(base + block * 64, state, w, k) }
                    }
                    tail.withUnsafeBytes { raw in
                        guard let base = raw.baseAddress else { return }
                        for block in 0..<(raw.count / 64) { compress(base + block * 64, state, w, k) }
                    }
                }
            }
        }
        return state
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    /// One 64-byte block into `state`; `w` is scratch space for the message schedule, `k` the round constants.
    private static func compress(
        _ block: UnsafeRawPointer, _ state: UnsafeMutableBufferPointer<UInt32>, _ w: UnsafeMutableBufferPointer<UInt32>,
        _ k: UnsafeBufferPointer<UInt32>
    ) {
        for i in 0..<16 {
            w[i] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
        }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var a = state[0]
        var b = state[1]
        var c = state[2]
        var d = state[3]
        var e = state[4]
        var f = state[5]
        var g = state[6]
        var h = state[7]
        for i in 0..<64 {
            let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let choice = (e & f) ^ (~e & g)
            let t1 = h &+ s1 &+ choice &+ k[i] &+ w[i]
            let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let t2 = s0 &+ majority
            h = g
            g = f
            f = e
            e = d &+ t1
            d = c
            c = b
            b = a
            a = t1 &+ t2
        }
        state[0] = state[0] &+ a
        state[1] = state[1] &+ b
        state[2] = state[2] &+ c
        state[3] = state[3] &+ d
        state[4] = state[4] &+ e
        state[5] = state[5] &+ f
        state[6] = state[6] &+ g
        state[7] = state[7] &+ h
    }
}

/// HMAC-SHA256 (RFC 2104) over the store's own SHA-256: what signs a webhook's body, so that a receiver that
/// knows the secret can tell the summary came from this scanner and was not altered on the way.
public enum HMACSHA256 {
    /// The MAC of `message` under `key`, as 64 lower-case hex digits (`X-SPScan-Signature: sha256=<hex>`).
    public static func hex(key: Data, message: Data) -> String {
        let blockSize = 64
        var block = key.count > blockSize ? SHA256.digest(key) : [UInt8](key)
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        var inner = Data(block.map { $0 ^ 0x36 })
        inner.append(message)
        var outer = Data(block.map { $0 ^ 0x5c })
        outer.append(contentsOf: SHA256.digest(inner))
        return SHA256.hex(outer)
    }
}
