import MosaicGraph

extension Store {
    /// What one inference run writes, computed beforehand (the engine's plan), for
    /// `Store.writeInference`. The store owns these plain records; the engine fills them.
    public struct InferenceWrite: Sendable {
        /// A derived statement with the id the plan gave it.
        public struct NewStatement: Sendable {
            public var id: Int64
            public var draft: StatementDraft
            public init(id: Int64, draft: StatementDraft) { self.id = id; self.draft = draft }
        }

        /// A rule to register as enabled (`InferenceRuleRecord` without its id).
        public struct RuleRegistration: Sendable, Hashable {
            public var plugin: String
            public var name: String
            public var version: String
            /// The relation types and properties it reads and writes.
            public var reads: [String]
            public var writes: [String]
            public init(plugin: String, name: String, version: String, reads: [String], writes: [String]) {
                self.plugin = plugin; self.name = name; self.version = version; self.reads = reads; self.writes = writes
            }
        }

        /// A new derivation of a statement by a registered rule (`DerivationRecord` without
        /// its id and transaction times).
        public struct NewDerivation: Sendable, Hashable {
            /// The derived statement.
            public var statement: Int64
            public var plugin: String
            /// The rule's name in the plugin.
            public var rule: String
            public var version: String
            /// Premise statement ids, in the order the rule gave them.
            public var premises: [Int64]
            public init(statement: Int64, plugin: String, rule: String, version: String, premises: [Int64]) {
                self.statement = statement; self.plugin = plugin; self.rule = rule; self.version = version; self.premises = premises
            }
        }

        /// The transaction the plan was computed against; the write fails if the store moved on.
        public var baseTransaction: Int64
        /// New derived statements with the ids the plan gave them (consecutive from the
        /// store's next statement id, in order).
        public var assert: [NewStatement] = []
        /// Derived statements to close.
        public var retract: [Int64] = []
        /// Rules to register.
        public var registerRules: [RuleRegistration] = []
        /// Registered rules (ids) to close: disabled, or replaced by a new version.
        public var closeRules: [Int64] = []
        /// New derivations.
        public var derivations: [NewDerivation] = []
        /// Open derivations to close.
        public var closeDerivations: [Int64] = []

        public init(baseTransaction: Int64) { self.baseTransaction = baseTransaction }
        public var isEmpty: Bool {
            assert.isEmpty && retract.isEmpty && registerRules.isEmpty && closeRules.isEmpty
                && derivations.isEmpty && closeDerivations.isEmpty
        }
    }
}
