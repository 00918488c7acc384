/// The part of the FollowTheMoney model (followthemoney 4.x) that Mosaic's FtM writer and
/// reader use: schemata, what they extend, their properties and property types (written
/// from the model's documentation; `scripts/interop-check.py` checks the export against the
/// library's own model). Schemata not listed here are known by name only (see `allSchemata`).
enum FtMModel {
    enum PropType: Equatable {
        case text, name, date, number, url, country, language, identifier
        /// An entity reference, with the schema its value must be (or extend).
        case entity(String)
    }

    struct SchemaInfo {
        let name: String
        /// Itself and everything it extends.
        let lineage: [String]
        /// For edge schemata: the source and target properties.
        let edge: (source: String, target: String)?
        func isA(_ other: String) -> Bool { lineage.contains(other) }
    }

    static let propsByLevel: [String: [String: PropType]] = [
        "Thing": ["name": .name, "alias": .name, "previousName": .name, "weakAlias": .name, "country": .country,
                  "summary": .text, "notes": .text, "description": .text, "sourceUrl": .url, "publisher": .text,
                  "publisherUrl": .url, "wikidataId": .identifier, "keywords": .text, "address": .text,
                  "addressEntity": .entity("Address"), "program": .text, "proof": .entity("Document"),
                  "createdAt": .date, "modifiedAt": .date, "retrievedAt": .date],
        "LegalEntity": ["abbreviation": .name, "email": .text, "phone": .text, "website": .url, "legalForm": .text,
                        "incorporationDate": .date, "dissolutionDate": .date, "status": .text, "sector": .text,
                        "classification": .text, "registrationNumber": .identifier, "idNumber": .identifier,
                        "taxNumber": .identifier, "jurisdiction": .country, "mainCountry": .country,
                        "leiCode": .identifier, "parent": .entity("LegalEntity")],
        "Person": ["title": .text, "firstName": .text, "middleName": .text, "lastName": .text, "fatherName": .text,
                   "birthDate": .date, "birthPlace": .text, "birthCountry": .country, "deathDate": .date,
                   "position": .text, "biography": .text, "nationality": .country, "citizenship": .country,
                   "passportNumber": .identifier, "gender": .text, "religion": .text, "political": .text,
                   "profession": .text, "education": .text],
        "Organization": ["imoNumber": .identifier, "permId": .identifier],
        "Asset": [:],
        "Company": ["capital": .number, "ticker": .identifier, "isinCode": .identifier],
        "Address": ["full": .text, "remarks": .text, "street": .text, "city": .text, "postalCode": .text,
                    "region": .text, "state": .text, "latitude": .number, "longitude": .number, "osmId": .identifier],
        "Territory": ["partOf": .entity("Territory"), "level": .text, "territoryCode": .identifier],
        "Vehicle": ["registrationNumber": .identifier, "type": .text, "model": .text, "owner": .entity("LegalEntity"),
                    "operator": .entity("LegalEntity"), "buildDate": .date, "registrationDate": .date,
                    "deregistrationDate": .date],
        "Airplane": ["serialNumber": .identifier, "icaoCode": .identifier, "manufacturer": .text],
        "Vessel": ["imoNumber": .identifier, "flag": .country, "callSign": .identifier, "mmsi": .identifier,
                   "registrationPort": .text, "tonnage": .number],
        "Interval": ["startDate": .date, "endDate": .date, "date": .date, "summary": .text, "description": .text,
                     "recordId": .text, "sourceUrl": .url, "proof": .entity("Document"), "publisher": .text,
                     "publisherUrl": .url, "modifiedAt": .date, "retrievedAt": .date],
        "Event": ["location": .text, "important": .text, "organizer": .entity("LegalEntity"),
                  "involved": .entity("LegalEntity")],
        "Document": ["title": .text, "author": .text, "language": .language, "date": .date, "authoredAt": .date,
                     "publishedAt": .date, "fileName": .text, "mimeType": .text],
        "Article": [:],
        "Position": ["organization": .entity("Organization"), "inceptionDate": .date, "dissolutionDate": .date,
                     "subnationalArea": .text],
        "Interest": ["role": .text, "status": .text],
        "Membership": ["member": .entity("LegalEntity"), "organization": .entity("Organization")],
        "Directorship": ["director": .entity("LegalEntity"), "organization": .entity("Organization"), "secretary": .text],
        "Ownership": ["owner": .entity("LegalEntity"), "asset": .entity("Asset"), "percentage": .text,
                      "sharesCount": .text, "ownershipType": .text],
        "Representation": ["agent": .entity("LegalEntity"), "client": .entity("LegalEntity")],
        "UnknownLink": ["subject": .entity("Thing"), "object": .entity("Thing")],
        "Documentation": ["document": .entity("Document"), "entity": .entity("Thing")],
        "Employment": ["employer": .entity("Organization"), "employee": .entity("Person")],
        "Associate": ["person": .entity("Person"), "associate": .entity("Person"), "relationship": .text],
        "Family": ["person": .entity("Person"), "relative": .entity("Person"), "relationship": .text],
        "Occupancy": ["holder": .entity("Person"), "post": .entity("Position"), "status": .text],
    ]

    static let schemata: [String: SchemaInfo] = {
        let defs: [(String, [String], (String, String)?)] = [
            ("LegalEntity", ["LegalEntity", "Thing"], nil),
            ("Person", ["Person", "LegalEntity", "Thing"], nil),
            ("Organization", ["Organization", "LegalEntity", "Thing"], nil),
            ("PublicBody", ["PublicBody", "Organization", "LegalEntity", "Thing"], nil),
            ("Company", ["Company", "Organization", "LegalEntity", "Asset", "Thing"], nil),
            ("Address", ["Address", "Thing"], nil),
            ("Territory", ["Territory", "Thing"], nil),
            ("Position", ["Position", "Thing"], nil),
            ("Airplane", ["Airplane", "Vehicle", "Asset", "Thing"], nil),
            ("Vessel", ["Vessel", "Vehicle", "Asset", "Thing"], nil),
            ("Vehicle", ["Vehicle", "Asset", "Thing"], nil),
            ("Event", ["Event", "Thing", "Interval"], nil),
            ("Article", ["Article", "Document", "Thing"], nil),
            ("Document", ["Document", "Thing"], nil),
            ("Membership", ["Membership", "Interest", "Interval"], ("member", "organization")),
            ("Directorship", ["Directorship", "Interest", "Interval"], ("director", "organization")),
            ("Ownership", ["Ownership", "Interest", "Interval"], ("owner", "asset")),
            ("Representation", ["Representation", "Interest", "Interval"], ("agent", "client")),
            ("UnknownLink", ["UnknownLink", "Interest", "Interval"], ("subject", "object")),
            ("Documentation", ["Documentation", "Interest", "Interval"], ("document", "entity")),
            ("Employment", ["Employment", "Interest", "Interval"], ("employee", "employer")),
            ("Associate", ["Associate", "Interval"], ("person", "associate")),
            ("Family", ["Family", "Interval"], ("person", "relative")),
            ("Occupancy", ["Occupancy", "Interval"], ("holder", "post")),
        ]
        return Dictionary(uniqueKeysWithValues: defs.map { ($0.0, SchemaInfo(name: $0.0, lineage: $0.1, edge: $0.2.map { (source: $0.0, target: $0.1) })) })
    }()

    /// Every schema name of the model (abstract ones included): a line naming anything else
    /// is rejected on import.
    static let allSchemata: Set<String> = [
        "Address", "Airplane", "Analyzable", "Article", "Asset", "Associate", "Audio", "BankAccount", "Call",
        "CallForTenders", "Company", "Contract", "ContractAward", "Control", "CourtCase", "CourtCaseParty",
        "CryptoWallet", "Debt", "Directorship", "Document", "Documentation", "EconomicActivity", "Email",
        "Employment", "Event", "Family", "Folder", "HyperText", "Identification", "Image", "Interest", "Interval",
        "LegalEntity", "License", "Membership", "Mention", "Message", "Note", "Occupancy", "Organization",
        "Ownership", "Package", "Page", "Pages", "Passport", "Payment", "Person", "PlainText", "Position",
        "Project", "ProjectParticipant", "PublicBody", "RealEstate", "Representation", "Risk", "Sanction",
        "Security", "Similar", "Succession", "Table", "TaxRoll", "Territory", "Thing", "Trip", "UnknownLink",
        "UserAccount", "Value", "Vehicle", "Vessel", "Video", "Workbook",
    ]
    static let abstractSchemata: Set<String> = ["Thing", "Interval", "Interest", "Analyzable", "Asset", "Value"]

    /// The type of a property of a schema, nil when the schema (as listed here) has none.
    static func property(_ prop: String, of schema: String) -> PropType? {
        guard let info = schemata[schema] else { return nil }
        for level in info.lineage { if let t = propsByLevel[level]?[prop] { return t } }
        return nil
    }

    static func isA(_ schema: String, _ range: String) -> Bool { schemata[schema]?.isA(range) ?? (schema == range) }

    /// ISO 639-1 → 639-2/3 for the languages a kb is likely to give with two letters.
    static let languages3: [String: String] = [
        "en": "eng", "ar": "ara", "ru": "rus", "fr": "fra", "de": "deu", "tr": "tur", "es": "spa", "fa": "fas",
        "he": "heb", "uk": "ukr", "zh": "zho", "it": "ita", "pt": "por", "ku": "kur",
    ]
}
