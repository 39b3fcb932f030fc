import Foundation

/// A 1EdTech CASE 1.1 CFPackage: one CFDocument (the framework), its CFItems and the CFAssociations between
/// them. Only the fields spscan writes or reads are modelled; keys are CASE's own camelCase names, which the
/// standard fixes (they are not spscan's snake_case JSON). Optional fields left nil are left out.
public struct CASEPackage: Codable, Hashable, Sendable {
    public var document: CASEDocument
    public var items: [CASEItem]
    public var associations: [CASEAssociation]

    public init(document: CASEDocument, items: [CASEItem], associations: [CASEAssociation]) {
        self.document = document
        self.items = items
        self.associations = associations
    }

    enum CodingKeys: String, CodingKey {
        case document = "CFDocument"
        case items = "CFItems"
        case associations = "CFAssociations"
    }

    /// The package as pretty-printed JSON with a fixed key order and a final newline: the same package always
    /// gives the same bytes.
    public func jsonData() throws -> Data {
        try CASEJSON.data(self)
    }
}

public struct CASEDocument: Codable, Hashable, Sendable {
    public var identifier: String
    public var uri: String
    public var creator: String
    public var title: String
    public var lastChangeDateTime: String
    public var version: String?
    public var language: String?
    public var caseVersion: String?
    public var description: String?
    public var notes: String?
    public var officialSourceURL: String?
    public var adoptionStatus: String?

    public init(
        identifier: String, uri: String, creator: String, title: String, lastChangeDateTime: String,
        version: String? = nil, language: String? = nil, caseVersion: String? = "1.1", description: String? = nil,
        notes: String? = nil, officialSourceURL: String? = nil, adoptionStatus: String? = nil
    ) {
        self.identifier = identifier
        self.uri = uri
        self.creator = creator
        self.title = title
        self.lastChangeDateTime = lastChangeDateTime
        self.version = version
        self.language = language
        self.caseVersion = caseVersion
        self.description = description
        self.notes = notes
        self.officialSourceURL = officialSourceURL
        self.adoptionStatus = adoptionStatus
    }
}

public struct CASEItem: Codable, Hashable, Sendable {
    public var identifier: String
    public var uri: String
    public var fullStatement: String
    public var lastChangeDateTime: String
    public var humanCodingScheme: String?
    public var abbreviatedStatement: String?
    public var itemType: String?
    public var notes: String?
    public var language: String?
    public var listEnumeration: String?

    public init(
        identifier: String, uri: String, fullStatement: String, lastChangeDateTime: String,
        humanCodingScheme: String? = nil, abbreviatedStatement: String? = nil, itemType: String? = nil,
        notes: String? = nil, language: String? = nil, listEnumeration: String? = nil
    ) {
        self.identifier = identifier
        self.uri = uri
        self.fullStatement = fullStatement
        self.lastChangeDateTime = lastChangeDateTime
        self.humanCodingScheme = humanCodingScheme
        self.abbreviatedStatement = abbreviatedStatement
        self.itemType = itemType
        self.notes = notes
        self.language = language
        self.listEnumeration = listEnumeration
    }

    enum CodingKeys: String, CodingKey {
        case identifier, uri, fullStatement, lastChangeDateTime, humanCodingScheme, abbreviatedStatement, notes
        case language, listEnumeration
        case itemType = "CFItemType"
    }
}

/// A link to a node: a CASE item or document, or (with `targetType`) something outside CASE such as a web page.
public struct CASENodeLink: Codable, Hashable, Sendable {
    public var title: String
    public var identifier: String
    public var uri: String
    /// `nil` or `CASE` for CASE nodes; an `ext:` value for anything else (spscan writes `ext:webpage`).
    public var targetType: String?

    public init(title: String, identifier: String, uri: String, targetType: String? = nil) {
        self.title = title
        self.identifier = identifier
        self.uri = uri
        self.targetType = targetType
    }
}

public struct CASEAssociation: Codable, Hashable, Sendable {
    public var identifier: String
    public var associationType: String
    public var uri: String
    public var originNodeURI: CASENodeLink
    public var destinationNodeURI: CASENodeLink
    public var lastChangeDateTime: String
    public var sequenceNumber: Int?
    public var notes: String?

    public init(
        identifier: String, associationType: String, uri: String, originNodeURI: CASENodeLink,
        destinationNodeURI: CASENodeLink, lastChangeDateTime: String, sequenceNumber: Int? = nil, notes: String? = nil
    ) {
        self.identifier = identifier
        self.associationType = associationType
        self.uri = uri
        self.originNodeURI = originNodeURI
        self.destinationNodeURI = destinationNodeURI
        self.lastChangeDateTime = lastChangeDateTime
        self.sequenceNumber = sequenceNumber
        self.notes = notes
    }

    /// An association whose identifier is derived from its ends and type, so that it is the same on every export.
    public static func derived(
        _ type: String, from origin: CASENodeLink, to destination: CASENodeLink, lastChange: String,
        sequenceNumber: Int? = nil, notes: String? = nil
    ) -> CASEAssociation {
        let identifier = CASEIdentifier.derived("\(type) \(destination.identifier)", under: origin.identifier)
        return CASEAssociation(
            identifier: identifier, associationType: type, uri: "urn:uuid:\(identifier)", originNodeURI: origin,
            destinationNodeURI: destination, lastChangeDateTime: lastChange, sequenceNumber: sequenceNumber, notes: notes)
    }
}

/// CASE JSON: the one JSON style (`JSONStyle`: sorted keys, pretty, slashes unescaped, final newline) except
/// that keys stay as CASE names them (`humanCodingScheme`, `CFItems`): the standard fixes them, and a CASE tool
/// reads nothing else.
enum CASEJSON {
    static func data<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONStyle.encoder()
        encoder.keyEncodingStrategy = .useDefaultKeys
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}
