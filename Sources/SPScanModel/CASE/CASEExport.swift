import Foundation

extension Framework {
    /// The CFDocument identifier: `uuid:` from Framework.yaml, or one derived from the framework id.
    public var caseIdentifier: String { uuid ?? CASEIdentifier.derived("framework \(id)") }

    /// `lastChangeDateTime` for every record: `last_changed:` from Framework.yaml, or the epoch when the file
    /// gives none (the clock would make each export differ).
    public var caseLastChange: String { lastChanged ?? "1970-01-01T00:00:00Z" }

    /// The link to the framework's CFDocument, for associations that point at it.
    public var caseLink: CASENodeLink {
        CASENodeLink(title: title, identifier: caseIdentifier, uri: "urn:uuid:\(caseIdentifier)", targetType: "CASE")
    }

    /// The identifier of a domain's or competency's CFItem.
    public func caseIdentifier(of domain: Domain) -> String {
        domain.uuid ?? CASEIdentifier.derived("domain \(domain.id)", under: caseIdentifier)
    }

    public func caseIdentifier(of competency: Competency) -> String {
        competency.uuid ?? CASEIdentifier.derived("competency \(competency.id)", under: caseIdentifier)
    }

    /// The link to a competency's CFItem, for associations that point at it.
    public func caseLink(of competency: Competency) -> CASENodeLink {
        let identifier = caseIdentifier(of: competency)
        return CASENodeLink(title: competency.name, identifier: identifier, uri: "urn:uuid:\(identifier)", targetType: "CASE")
    }

    /// The framework as a CASE 1.1 CFPackage: a CFDocument; a CFItem per domain (type `Domain`) and per
    /// competency (type `Competency`) with `humanCodingScheme` the id (or the authors' code), `fullStatement`
    /// the name and `notes` the description; `isChildOf` associations for the tree, with sequence numbers in
    /// file order. A French name becomes a second CFItem in language `fr` joined by `isTranslationOf`, the way
    /// CASE carries a second language. The vocabulary stays in Framework.yaml: CASE has no place for it.
    public func casePackage() -> CASEPackage {
        let lastChange = caseLastChange
        let document = CASEDocument(
            identifier: caseIdentifier, uri: "urn:uuid:\(caseIdentifier)", creator: creator ?? "unknown", title: title,
            lastChangeDateTime: lastChange, version: version, language: "en")
        var items: [CASEItem] = []
        var tree: [CASEAssociation] = []
        var translations: [CASEAssociation] = []

        func add(
            identifier: String, code: String, name: String, nameFrench: String?, description: String, type: String,
            parent: CASENodeLink, position: Int
        ) -> CASENodeLink {
            let notes = description.isEmpty || description == name ? nil : description
            items.append(
                CASEItem(
                    identifier: identifier, uri: "urn:uuid:\(identifier)", fullStatement: name, lastChangeDateTime: lastChange,
                    humanCodingScheme: code, itemType: type, notes: notes, language: "en"))
            let link = CASENodeLink(title: name, identifier: identifier, uri: "urn:uuid:\(identifier)", targetType: "CASE")
            tree.append(.derived("isChildOf", from: link, to: parent, lastChange: lastChange, sequenceNumber: position))
            if let nameFrench {
                let french = CASEIdentifier.derived("fr", under: identifier)
                items.append(
                    CASEItem(
                        identifier: french, uri: "urn:uuid:\(french)", fullStatement: nameFrench, lastChangeDateTime: lastChange,
                        humanCodingScheme: code, itemType: type, language: "fr"))
                let frenchLink = CASENodeLink(title: nameFrench, identifier: french, uri: "urn:uuid:\(french)", targetType: "CASE")
                translations.append(.derived("isTranslationOf", from: frenchLink, to: link, lastChange: lastChange))
            }
            return link
        }

        for (domainIndex, domain) in domains.enumerated() {
            let domainLink = add(
                identifier: caseIdentifier(of: domain), code: domain.code ?? domain.id, name: domain.name,
                nameFrench: domain.nameFrench, description: domain.description, type: "Domain", parent: caseLink,
                position: domainIndex + 1)
            for (index, competency) in domain.competencies.enumerated() {
                _ = add(
                    identifier: caseIdentifier(of: competency), code: competency.code ?? competency.id, name: competency.name,
                    nameFrench: competency.nameFrench, description: competency.description, type: "Competency",
                    parent: domainLink, position: index + 1)
            }
        }
        return CASEPackage(document: document, items: items, associations: tree + translations)
    }
}
