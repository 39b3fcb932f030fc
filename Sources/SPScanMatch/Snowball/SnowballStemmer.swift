import CStemmer
import SPScanModel

/// One Snowball stemmer handle (libstemmer), owned and freed in `deinit`.
///
/// A handle keeps internal buffers between calls, so it is not safe to share across threads: the tagger
/// creates one per tagging call (cheap) and never lets it escape.
final class SnowballStemmer {
    private let handle: OpaquePointer
    let language: Language

    /// Opens the stemmer for a language; fails only when libstemmer was built without it.
    init(language: Language) throws(MatchError) {
        let algorithm: String? =
            switch language {
            case .english: "english"
            case .french: "french"
            case .spanish: "spanish"
            case .german: "german"
            case .portuguese: "portuguese"
            case .italian: "italian"
            case .dutch: "dutch"
            case .undetermined: nil
            }
        guard let algorithm, let handle = sb_stemmer_new(algorithm, "UTF_8") else {
            throw .stemmerUnavailable(language: language.rawValue)
        }
        self.handle = handle
        self.language = language
    }

    deinit {
        sb_stemmer_delete(handle)
    }

    /// The stem of one lower-cased word; the word itself when libstemmer gives nothing (out of memory).
    func stem(_ word: String) -> String {
        var word = word
        return word.withUTF8 { bytes -> String in
            guard let base = bytes.baseAddress,
                let result = sb_stemmer_stem(handle, base, Int32(bytes.count))
            else { return String(decoding: bytes, as: UTF8.self) }
            let length = Int(sb_stemmer_length(handle))
            return String(decoding: UnsafeBufferPointer(start: result, count: length), as: UTF8.self)
        }
    }
}
