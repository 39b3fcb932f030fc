import Foundation
import SPScanModel

/// `spscan init`: the files a new project starts from. Nothing is overwritten: a folder that already holds
/// one of them is refused before anything is written.
public enum ProjectStarter {
    /// What `init` writes, by file name, in the order it reports them.
    public static var files: [(name: String, text: String)] {
        [
            ("Sources.yaml", sources),
            ("Framework.yaml", shippedFramework + "\n"),
            ("Reviews.yaml", reviews),
            (".gitignore", gitignore),
        ]
    }

    /// Writes the starting files into `directory` (created when missing) and returns their names.
    public static func start(in directory: URL) throws -> [String] {
        let manager = FileManager.default
        let present = files.map(\.name).filter { manager.fileExists(atPath: directory.appendingPathComponent($0).path) }
        guard present.isEmpty else {
            throw ProjectStarterError.wouldOverwrite(directory: directory.path, files: present)
        }
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in files {
                try Data(file.text.utf8).write(to: directory.appendingPathComponent(file.name), options: .withoutOverwriting)
            }
        } catch {
            throw ProjectStarterError.cannotWrite(directory: directory.path, reason: error.localizedDescription)
        }
        return files.map(\.name)
    }

    static let reviews = """
        # Human review decisions on tags: `spscan review DOC COMPETENCY --accept|--reject [--note TEXT]` adds them,
        # and they override the tagger everywhere. Keep this file in git beside Sources.yaml.
        reviews: []

        """

    static let gitignore = """
        # The catalog is derived: `spscan index` rebuilds it from Corpus/, Sources.yaml, Framework.yaml and
        # Reviews.yaml.
        .spscan/

        """

    static let sources = """
        # The source registry: every published training or competency document the scan collects.
        # Add an entry under `sources:` for each, then run `spscan validate` until it says OK, and `spscan scan`.
        # Allowed values:
        #   country: CA, GB (or UK), IE, SG
        #   institution_type (a source's, or an institution's type): government, health-system, university,
        #     charity, network, professional-body, private-provider
        #   kind: training, competency-framework, guide, curriculum, job-description, report
        #   target_groups: link-workers, volunteers, clinicians, managers, commissioners,
        #     community-organisations, students, public
        #   populations (optional): older-adults, children-youth, indigenous-peoples, newcomers-refugees,
        #     mental-illness, long-term-conditions, carers
        #   language: en, fr, es, de, pt, it or nl
        # Durations are written 30s, 500ms or 5m; sizes 25 MiB or 500 KiB.

        # Settings for every fetch; a source may override any of them under `crawl:`.
        defaults:
          user_agent: "spscan/0.1 (+https://example.org/your-project; environmental scan of link worker training)"
          timeout: 120s
          politeness_delay: 1s
          concurrency: 8
          respect_robots: true
          # Webhooks told after each scan that found changes (a signed JSON summary, see docs/history.md):
          # notify:
          #   - url: https://hooks.example.org/spscan
          #     secret_env: SPSCAN_WEBHOOK_SECRET   # the environment variable holding the secret

        # Each publishing body once, with a stable id: a source names its body by that id under `institution:`,
        # so that the coverage matrix counts each body once however its documents spell it. `type` is the
        # default institution_type of its sources; `aliases` are other spellings that mean the same body.
        institutions:
          - id: example-college
            name: Example College
            type: university
            country: CA
            website: https://example.org/
            aliases: [EC]
          - id: example-health-trust
            name: Example Health Trust
            type: health-system
            country: GB

        sources:
          # A web page: the default format. The two examples are placeholders under example.org; replace them.
          - id: ca-example-college-navigator-certificate   # stable and kebab-case, starting with the country
            url: https://example.org/programs/community-navigator
            title: Community Navigator Certificate
            country: CA
            region: ON                       # optional: province, territory or nation
            institution: example-college    # an id from `institutions:`
            kind: training
            target_groups: [link-workers, students]
            populations: [older-adults]      # optional
            language: en
            year: 2025                       # optional
            notes: What the document covers, in your own words.

          # A landing page that links to the document itself: `follow:` collects the linked PDF files.
          - id: gb-example-trust-link-worker-framework
            url: https://example.org/social-prescribing/framework
            title: Link Worker Competency Framework
            country: GB
            region: England
            institution: example-health-trust
            kind: competency-framework
            format: pdf                      # the document's own format, when known
            target_groups: [link-workers, managers]
            follow:
              depth: 1
              include: ["*.pdf"]
              types: [pdf]

        """
}

public enum ProjectStarterError: Error, LocalizedError, Equatable {
    case wouldOverwrite(directory: String, files: [String])
    case cannotWrite(directory: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .wouldOverwrite(let directory, let files):
            "\(directory) already has \(files.joined(separator: ", ")); nothing was written. Run `spscan init` in an empty folder, "
                + "or move those files away first"
        case .cannotWrite(let directory, let reason):
            "cannot write the new project into \(directory): \(reason); check that the folder is writable"
        }
    }
}
