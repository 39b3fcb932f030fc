import SPScanModel

/// Tells English from French text, including passages of about 30 words.
///
/// A short passage holds a dozen function words, and English and French share almost none of them, so
/// counting stop words from each list decides most passages; letters with French diacritics (é, è, ç, à…)
/// and elided articles (`l'`, `d'`, `qu'`) break ties, which matters for headings and table cells. This needs
/// no model file and runs at tens of MB/s; a third language would need its own list here.
public enum LanguageDetector {
    /// The language of `text`, English when there is no evidence either way.
    public static func detect(_ text: String) -> Language {
        detect(text, otherwise: .english)
    }

    /// The language of `text`, or `fallback` when the text carries no evidence (e.g. a number or a name).
    public static func detect(_ text: String, otherwise fallback: Language) -> Language {
        let scores = score(text)
        if scores.french > scores.english { return .french }
        if scores.english > scores.french { return .english }
        return fallback
    }

    /// Evidence for each language: stop words count 1, diacritics and elisions 0.5.
    static func score(_ text: String) -> (english: Double, french: Double) {
        var english = 0.0
        var french = 0.0
        var word = String.UnicodeScalarView()
        func finishWord() {
            guard !word.isEmpty else { return }
            let token = String(word)
            if englishStopWords.contains(token) { english += 1 }
            if frenchStopWords.contains(token) { french += 1 }
            word.removeAll(keepingCapacity: true)
        }
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic {
                if frenchLetters.contains(scalar) { french += 0.5 }
                word.append(scalar)
            } else {
                if scalar == "'" || scalar == "\u{2019}" {
                    let token = String(word)
                    if frenchElisions.contains(token) { french += 0.5 }
                }
                finishWord()
            }
        }
        finishWord()
        return (english, french)
    }

    private static let frenchLetters: Set<Unicode.Scalar> = ["é", "è", "ê", "à", "â", "ç", "ù", "û", "î", "ô", "œ", "ë", "ï"]
    private static let frenchElisions: Set<String> = ["l", "d", "qu", "j", "n", "s", "c", "m", "jusqu", "lorsqu"]

    /// Frequent English function words that are not also French words.
    private static let englishStopWords: Set<String> = [
        "the", "of", "and", "to", "in", "is", "that", "for", "it", "with", "as", "was", "be", "by", "this", "are",
        "or", "from", "at", "which", "but", "have", "has", "had", "not", "they", "their", "will", "would", "can",
        "an", "were", "been", "who", "what", "when", "where", "how", "all", "there", "we", "you", "your", "our",
        "into", "about", "more", "other", "these", "those", "such", "should", "may", "also", "each", "than",
        "them", "its", "do", "does", "through", "between", "within", "across", "using", "being", "any",
        "if", "so", "up", "out", "over", "under", "after", "before", "while", "able", "he", "she", "his",
        "her", "people", "work", "working", "skills", "understand", "help", "training",
    ]

    /// Frequent French function words that are not also English words.
    private static let frenchStopWords: Set<String> = [
        "le", "la", "les", "de", "des", "du", "et", "est", "un", "une", "dans", "pour", "qui", "que", "par",
        "sur", "au", "aux", "avec", "ce", "cette", "ces", "il", "elle", "ils", "elles", "nous", "vous", "leur",
        "leurs", "sont", "être", "avoir", "ont", "mais", "ou", "où", "plus", "pas", "ne", "se", "sa", "ses",
        "son", "dont", "comme", "aussi", "entre", "lors", "afin", "chez", "sans", "sous", "vers", "tout",
        "tous", "toutes", "peut", "doit", "faire", "été", "selon", "ainsi", "notamment", "auprès", "fait",
        "personnes", "santé", "soutien", "formation", "compétences", "communauté", "travail", "également",
    ]
}
