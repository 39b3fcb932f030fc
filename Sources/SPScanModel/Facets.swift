/// The facets a document is described by, as the coverage matrix slices them. Each raw value is the spelling
/// used in Sources.yaml; the lists are fixed here because the matrix, filters and exports must agree on them.

/// The four countries the environmental scan covers.
public enum Country: String, CaseIterable, Codable, Sendable, Comparable {
    case canada = "CA"
    case unitedKingdom = "GB"
    case ireland = "IE"
    case singapore = "SG"

    /// Parses a spelling from a user's file; `UK` is accepted as an alias of `GB`.
    public init?(spelling: String) {
        let upper = spelling.uppercased()
        if upper == "UK" {
            self = .unitedKingdom
        } else if let country = Country(rawValue: upper) {
            self = country
        } else {
            return nil
        }
    }

    public var name: String {
        switch self {
        case .canada: "Canada"
        case .unitedKingdom: "United Kingdom"
        case .ireland: "Ireland"
        case .singapore: "Singapore"
        }
    }

    public static func < (lhs: Country, rhs: Country) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Who publishes or delivers a document.
public enum InstitutionType: String, CaseIterable, Codable, Sendable {
    case government
    case healthSystem = "health-system"
    case university
    case charity
    case network
    case professionalBody = "professional-body"
    case privateProvider = "private-provider"

    public var label: String {
        switch self {
        case .government: "Government or health authority"
        case .healthSystem: "Health system or primary care"
        case .university: "University or college"
        case .charity: "Charity or non-profit"
        case .network: "Network or collaborative"
        case .professionalBody: "Professional association"
        case .privateProvider: "Private training provider"
        }
    }
}

/// What kind of document a source is.
public enum DocumentKind: String, CaseIterable, Codable, Sendable {
    case training
    case competencyFramework = "competency-framework"
    case guide
    case curriculum
    case jobDescription = "job-description"
    case report

    public var label: String {
        switch self {
        case .training: "Training (course, module, programme)"
        case .competencyFramework: "Competency framework"
        case .guide: "Guide or toolkit"
        case .curriculum: "Curriculum"
        case .jobDescription: "Job description"
        case .report: "Report"
        }
    }
}

/// Whom a document is for.
public enum TargetGroup: String, CaseIterable, Codable, Sendable {
    case linkWorkers = "link-workers"
    case volunteers
    case clinicians
    case managers
    case commissioners
    case communityOrganisations = "community-organisations"
    case students
    case publicAudience = "public"

    public var label: String {
        switch self {
        case .linkWorkers: "Link workers"
        case .volunteers: "Volunteers and peer supporters"
        case .clinicians: "Clinicians and referrers"
        case .managers: "Managers and supervisors"
        case .commissioners: "Commissioners, funders and policy makers"
        case .communityOrganisations: "Community organisations"
        case .students: "Students"
        case .publicAudience: "The public"
        }
    }
}

/// The population a document serves, where it names one.
public enum Population: String, CaseIterable, Codable, Sendable {
    case olderAdults = "older-adults"
    case childrenAndYouth = "children-youth"
    case indigenousPeoples = "indigenous-peoples"
    case newcomersAndRefugees = "newcomers-refugees"
    case mentalIllness = "mental-illness"
    case longTermConditions = "long-term-conditions"
    case carers
}

/// Languages the extractor detects and the matcher can stem, by their ISO 639 codes; `und` (ISO 639-2's
/// "undetermined") when a text is too short or too mixed to tell. As a dictionary key (a competency's terms by
/// language) it is written as a JSON object key, `{"en": [...]}`.
///
/// A framework may give terms in any of them but `und`; the shipped one has English and French. A document in
/// a language the framework has no terms in is not tagged, and says so (see `Framework.vocabularyLanguages`).
public enum Language: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable {
    case english = "en"
    case french = "fr"
    case spanish = "es"
    case german = "de"
    case portuguese = "pt"
    case italian = "it"
    case dutch = "nl"
    case undetermined = "und"

    /// The languages a vocabulary can be written in: every one but `und`.
    public static let vocabularyCases: [Language] = allCases.filter { $0 != .undetermined }

    /// The language's English name, for messages ("in Spanish; the framework has no Spanish vocabulary").
    public var name: String {
        switch self {
        case .english: "English"
        case .french: "French"
        case .spanish: "Spanish"
        case .german: "German"
        case .portuguese: "Portuguese"
        case .italian: "Italian"
        case .dutch: "Dutch"
        case .undetermined: "an undetermined language"
        }
    }
}

/// The format a document is expected in, or was detected as.
public enum DocumentFormat: String, CaseIterable, Codable, Sendable {
    case html
    case pdf
    case docx
    case odt
    case text
    case markdown
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
    /// `a, b or c`: the allowed spellings, for error messages that say what to write instead.
    public static var allowedList: String {
        let values = allCases.map(\.rawValue)
        guard values.count > 1, let last = values.last else { return values.joined() }
        return values.dropLast().joined(separator: ", ") + " or " + last
    }
}
