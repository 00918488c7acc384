// MosaicInference: rules (transitive closures, pattern joins, functions that the plugin
// rules bridge wraps), the fixpoint engine with DRed-style truth maintenance, derivation
// records and proofs. Uses MosaicGraph (statements, the graph snapshot) and MosaicStore (the
// statement log and the derivation tables of Derivations.swift); knows nothing of Lua.
import Foundation
import MosaicGraph
import MosaicStore

/// Runs rules to a fixpoint over a store and keeps what they derived true to the base facts.
///
/// A run (1) reads what changed since the last run from the store's log (statements
/// asserted after the checkpoint, statements retracted after it) and the rules registered
/// then; (2) withdraws, DRed-style: every derived statement that depends on a retracted
/// statement, or was made by a rule that is gone or changed version, is provisionally
/// withdrawn, then those with a stored derivation whose premises all still stand are put
/// back; (3) derives: strata of rules in dependency order, each to a fixpoint, semi-naively
/// (rules see only the facts new since their last round; a new rule sees everything once);
/// (4) writes the difference as one transaction: new derived statements with their
/// derivations, derived statements left without a derivation retracted, dead derivations
/// closed. Asserted statements are never retracted. A dry run stops before (4).
public enum InferenceEngine {
    public static let defaultMaxRounds = 1000

    /// The origin of inference transactions.
    public static let transactionOrigin = Origin.system("inference")

    /// - `held`: plugins that are there but whose rules are not given (they failed to
    ///   load): their registered rules stay registered and what they derived is kept
    ///   (truth maintenance still withdraws a fact whose premises go), instead of being
    ///   retracted as for a plugin that was deleted or disabled.
    /// - `rescan`: plugins whose rules see every fact again (not only the changes since the
    ///   last run) without being new: they were held, and changes went by unseen.
    ///
    /// A rule that fails (an error, a limit) is skipped for the rest of the run, with the
    /// rules of later strata that read what it writes; the others go on, and the failures
    /// are in `InferenceResult.failures`. What the failed rules derived before is kept.
    public static func run(store: Store, rules: [any Rule], dryRun: Bool = false,
                           maxRounds: Int = defaultMaxRounds, held: Set<String> = [], rescan: Set<String> = []) throws -> InferenceResult {
        let run = try InferenceRun(store: store, rules: rules, maxRounds: maxRounds, held: held, rescan: rescan)
        return try run.execute(dryRun: dryRun)
    }

    /// Rules grouped into strata in evaluation order: a rule comes after the rules whose
    /// writes it reads; rules that read each other's writes share a stratum.
    public static func strata(_ rules: [any Rule]) -> [[Int]] {
        let n = rules.count
        var succ = [[Int]](repeating: [], count: n)
        for i in 0..<n { for j in 0..<n where !rules[i].writes.isDisjoint(with: rules[j].reads) { succ[i].append(j) } }
        // Tarjan's strongly connected components (emitted sinks first).
        var index = [Int](repeating: -1, count: n), low = [Int](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n), stack: [Int] = [], counter = 0
        var out: [[Int]] = []
        func visit(_ v: Int) {
            index[v] = counter; low[v] = counter; counter += 1
            stack.append(v); onStack[v] = true
            for w in succ[v] {
                if index[w] < 0 { visit(w); low[v] = min(low[v], low[w]) } else if onStack[w] { low[v] = min(low[v], index[w]) }
            }
            if low[v] == index[v] {
                var comp: [Int] = []
                while true { let w = stack.removeLast(); onStack[w] = false; comp.append(w); if w == v { break } }
                out.append(comp.sorted())
            }
        }
        for v in 0..<n where index[v] < 0 { visit(v) }
        return out.reversed()
    }
}

/// One inference run's working state.
final class InferenceRun {
    struct ConclusionKey: Hashable {
        var rule: Int
        var subject: String
        var kind: StatementKind
    }
    struct DerivationKey: Hashable {
        var statement: Int64
        /// Index in `rules` (-1 for a rule not in this run).
        var rule: Int
        /// Sorted premises: the first two inline, the rest (rare) in an array.
        var p0: Int64, p1: Int64
        var rest: [Int64]?
        init(statement: Int64, rule: Int, premises: [Int64]) {
            self.statement = statement; self.rule = rule
            let sorted = premises.count <= 1 ? premises : premises.sorted()
            p0 = sorted.count > 0 ? sorted[0] : -1
            p1 = sorted.count > 1 ? sorted[1] : -1
            rest = sorted.count > 2 ? Array(sorted[2...]) : nil
        }
    }
    /// What makes two derivations of one relation conclusion (by one rule) two claims: the
    /// valid time and grade their premises give. Derivations that agree on them are one
    /// statement with several derivations; one that differs is another claim (statement) of
    /// the same conclusion, which the graph folds into the fact with the first (when the valid
    /// times are compatible), so that the fact's valid time and grade come from every
    /// derivation, and from those left when one goes. So a conclusion has at most one claim
    /// per distinct valid time and grade. Confidence is not part of the key.
    ///
    /// Property values and labels are not grouped into facts by the graph (it shows the last
    /// statement of a property), so their conclusions stay one statement with the metadata of
    /// the derivation that first produced it: their key is always `single`.
    struct ClaimKey: Hashable {
        var from: PartialDate?
        var to: PartialDate?
        var grading: Grading?
        init(_ m: StatementMeta, kind: StatementKind) {
            guard case .relation = kind else { return }
            from = m.validFrom; to = m.validTo; grading = m.grading
        }
        init(from: PartialDate?, to: PartialDate?, grading: Grading?) { self.from = from; self.to = to; self.grading = grading }
        static let single = ClaimKey(from: nil, to: nil, grading: nil)
    }
    /// A relation conclusion between two graph nodes without properties (the common case),
    /// keyed by integers only.
    struct RelationKey: Hashable {
        var rule: Int32
        var type: Int32
        var from: Int32
        var to: Int32
    }

    let store: Store
    let rules: [any Rule]
    let maxRounds: Int
    var graph: Graph
    let view: InferenceView
    var fresh: [Bool]
    var ruleIndex: [RuleID: Int] = [:]
    /// Per rule: whether premises need the condition check, and the valid-time check.
    var checks: [(condition: Bool, validTime: Bool)] = []
    var origins: [Origin] = []
    var staleRules: [Store.InferenceRuleRecord] = []

    // Truth maintenance.
    var baseRetracted: Set<Int64> = []
    var doomed: Set<Int64> = []
    var overdeleted: Set<Int64> = []
    var revived: Set<Int64> = []
    var stored = StoredDerivations()
    var loadedOf: Set<Int64> = []
    var derivationKeys: Set<DerivationKey> = []

    // Derivation.
    /// A conclusion (of one rule) → its first claim; `otherClaims` holds the others.
    var pendingByKey: [ConclusionKey: Int64] = [:]
    var pendingByRelation: [RelationKey: Int64] = [:]
    /// The claim key of each claim of an earlier run found this run, and a conclusion's
    /// further claims (by its first claim's id).
    var claimKeys: [Int64: ClaimKey] = [:]
    /// The id of the first statement this run makes.
    let firstNewID: Int64
    var otherClaims: [Int64: [Int64]] = [:]
    var typeIDs: [String: Int32] = [:]
    var newStatements: [Store.InferenceWrite.NewStatement] = []
    var newDerivations: [(statement: Int64, rule: Int, premises: [Int64])] = []
    var nextID: Int64
    var newlyVisible: [Fact] = []
    var baseDelta: [Fact] = []
    var result = InferenceResult()

    /// Whether a fresh transitive closure takes the fast path (ClosureFixpoint.swift); the
    /// tests turn it off to compare it with the generic loop.
    let closureFastPath: Bool

    /// Plugins whose registered rules are kept though not given (see `InferenceEngine.run`).
    var held: Set<String> = []
    /// Per rule: sees every fact (see `InferenceEngine.run`'s `rescan`).
    var rescan: [Bool] = []
    /// Rules that failed or were skipped in this run.
    var failed: Set<Int> = []

    init(store: Store, rules: [any Rule], maxRounds: Int, closureFastPath: Bool = true,
         held: Set<String> = [], rescan: Set<String> = []) throws {
        self.store = store
        self.held = held
        self.maxRounds = maxRounds
        self.closureFastPath = closureFastPath
        var seen = Set<String>()
        for r in rules where !seen.insert("\(r.id.plugin)/\(r.id.name)").inserted { throw InferenceError.duplicateRule(r.id.description) }
        self.rules = rules.sorted { $0.id < $1.id }
        for (i, r) in self.rules.enumerated() { ruleIndex[r.id] = i }
        checks = self.rules.map { r in
            var rejects = true
            if case .span = r.policy.validTime { rejects = false }
            if case .none = r.policy.validTime { rejects = false }
            return (!r.condition.isAny, rejects)
        }
        origins = self.rules.map(\.id.origin)
        if store.lastTransaction != store.graph.transaction { try store.refresh() }
        graph = store.graph
        nextID = graph.nextStatementID
        firstNewID = nextID
        view = InferenceView(graph: graph, loadStatements: store.statements(ids:))
        fresh = Array(repeating: true, count: rules.count)
        self.rescan = self.rules.map { rescan.contains($0.id.plugin) }
    }

    private func seconds(_ start: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

    /// This thread's CPU time (seconds): the figures to trust on a loaded machine.
    static func cpuTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    func execute(dryRun: Bool) throws -> InferenceResult {
        var t = DispatchTime.now()
        let cpu0 = InferenceRun.cpuTime()
        result.dryRun = dryRun
        var plan = try store.withInferenceReader { db -> Store.InferenceWrite in
            // The view reads through the run's read transaction while it lasts.
            view.loadStatements = { try db.statements(ids: $0) }
            defer { view.loadStatements = store.statements(ids:) }
            guard try db.lastTransaction() == graph.transaction else {
                throw StoreError.conflict("the store changed while inference started; run it again")
            }
            try readState(db)
            result.timings["read"] = seconds(t); t = .now()
            try withdraw(db)
            result.timings["withdraw"] = seconds(t); t = .now()
            try derive(db)
            result.timings["derive"] = seconds(t); t = .now()
            let plan = try makePlan(db)
            result.timings["plan"] = seconds(t); t = .now()
            return plan
        }
        result.timings["cpu"] = InferenceRun.cpuTime() - cpu0
        if dryRun || plan.isEmpty && !needsCheckpoint { return result }
        plan.baseTransaction = graph.transaction
        let t0 = t
        let tx = try store.writeInference(plan, origin: InferenceEngine.transactionOrigin,
                                          note: "\(result.added.count) added, \(result.retracted.count) retracted") {
            self.result.timings["write"] = self.seconds(t0); t = .now()
        }
        result.transaction = tx == graph.transaction ? nil : tx
        if result.timings["write"] != nil { result.timings["commit+refresh"] = seconds(t) }
        result.timings["write+refresh"] = seconds(t0)
        return result
    }

    var needsCheckpoint = false

    // MARK: 1. state and changes

    func readState(_ db: InferenceReader) throws {
        let registry = try db.inferenceRules()
        var byName: [String: Store.InferenceRuleRecord] = [:]
        for r in registry { byName["\(r.plugin)/\(r.name)"] = r }
        for (i, r) in rules.enumerated() {
            if let rec = byName["\(r.id.plugin)/\(r.id.name)"], rec.version == r.id.version { fresh[i] = false }
        }
        let live = Set(rules.map(\.id))
        staleRules = registry.filter { !live.contains(RuleID(plugin: $0.plugin, name: $0.name, version: $0.version)) && !held.contains($0.plugin) }
        let checkpoint = try db.inferenceCheckpoint()
        needsCheckpoint = checkpoint.transaction != graph.transaction
        result.strata = InferenceEngine.strata(rules).map { $0.map { rules[$0].id.description } }
        guard fresh.contains(false) else { return }
        let changes = try db.inferenceChanges(since: checkpoint)
        baseRetracted = Set(changes.retracted)
        for s in changes.asserted {
            if case .relation = s.kind {
                // An asserted claim folded into a fact (a second source) or a denial is not a
                // relation of its own for rules (InferenceView), in a run from scratch or here.
                if let r = graph.relationship(statement: s.id), graph.relationship(r).folded,
                   !graph.origin(ofRelationship: r).isDerived { continue }
                if let f = view.fact(s.id) { baseDelta.append(f) }
            } else { baseDelta.append(view.makeFact(s)) }
        }
    }

    // MARK: 2. withdrawing (DRed: overdelete, then put back what still has a derivation)

    func record(_ d: Store.DerivationRecord) {
        guard stored.record(d) else { return }
        let rule = ruleIndex[RuleID(plugin: d.plugin, name: d.rule, version: d.version)] ?? -1
        derivationKeys.insert(DerivationKey(statement: d.statement, rule: rule, premises: d.premises))
    }

    func isAlive(_ s: Int64) -> Bool {
        !baseRetracted.contains(s) && !doomed.contains(s) && (!overdeleted.contains(s) || revived.contains(s))
    }

    func withdraw(_ db: InferenceReader) throws {
        for d in try db.derivations(byRules: staleRules.map(\.id)) { record(d); doomed.insert(d.statement) }
        var frontier = Array(baseRetracted) + Array(doomed)
        while !frontier.isEmpty {
            var next: [Int64] = []
            for d in try db.derivations(usingPremises: frontier) {
                record(d)
                if !doomed.contains(d.statement), overdeleted.insert(d.statement).inserted { next.append(d.statement) }
            }
            frontier = next
        }
        let toLoad = Array(overdeleted) + Array(baseRetracted)
        for d in try db.derivations(ofStatements: toLoad) { record(d) }
        loadedOf.formUnion(toLoad)
        loadedOf.formUnion(doomed)
        for s in doomed.union(overdeleted) { view.hide(s) }
        _ = putBack(Array(overdeleted))
    }

    /// Puts back withdrawn statements that have a stored derivation whose premises all
    /// stand, and what then stands in turn. Returns the statements put back.
    func putBack(_ candidates: [Int64]) -> [Int64] {
        var work = candidates
        var back: [Int64] = []
        while let c = work.popLast() {
            guard overdeleted.contains(c), !revived.contains(c) else { continue }
            let ok = stored.derivations(of: c).contains { $0.premises.allSatisfy(isAlive) }
            guard ok else { continue }
            revived.insert(c)
            view.unhide(c)
            back.append(c)
            for d in stored.users(of: c) { work.append(d.statement) }
        }
        return back
    }

    // MARK: 3. deriving

    func derive(_ db: InferenceReader) throws {
        var failedWrites: Set<String> = []
        for var stratum in InferenceEngine.strata(rules) {
            // Rules reading what a failed rule writes wait for it: skipped (their facts kept).
            for i in stratum where !rules[i].reads.isDisjoint(with: failedWrites) {
                let cause = result.failures.first { !rules[i].reads.isDisjoint(with: $0.writes) }?.rule ?? "?"
                result.failures.append(InferenceResult.RuleFailure(rule: rules[i].id.description, plugin: rules[i].id.plugin,
                                                                  message: "skipped: it reads what \(cause) writes, and that failed",
                                                                  writes: rules[i].writes, skipped: true))
                failed.insert(i)
                failedWrites.formUnion(rules[i].writes)
            }
            stratum.removeAll { failed.contains($0) }
            if stratum.isEmpty { continue }
            if closureFastPath, let closure = closureForFastPath(stratum) {
                result.rounds += try closureFixpoint(stratum[0], closure)
                continue
            }
            var deltas: [Int: Delta] = [:]
            let carried = baseDelta + newlyVisible
            for i in stratum {
                let r = rules[i]
                if fresh[i] || rescan[i] {
                    var facts: [Fact] = []
                    for p in r.reads.sorted() { facts += view.facts(withPredicate: p) }
                    deltas[i] = Delta(isFull: true, facts: facts)
                } else {
                    deltas[i] = Delta(isFull: false, facts: carried.filter { r.reads.contains($0.predicate) })
                }
            }
            var round = 0
            var recentProducers: [[String]] = []
            while true {
                round += 1
                var producers: [String] = []
                let before = newlyVisible.count
                for i in stratum where !failed.contains(i) {
                    guard let d = deltas[i], !d.isEmpty else { continue }
                    let rule = rules[i]
                    let found: [Derivation]
                    let n = newlyVisible.count
                    do {
                        found = try rule.evaluate(view, delta: d)
                        derivationKeys.reserveCapacity(derivationKeys.count + found.count)
                        pendingByRelation.reserveCapacity(pendingByRelation.count + found.count)
                        for x in found { try process(x, rule: i, db) }
                    } catch let e as InferenceError where !e.isRuleFault {
                        throw e
                    } catch {
                        // This rule is done for the run; the others go on.
                        let message: String
                        if case InferenceError.badRule(_, let m) = error { message = m } else { message = "\(error)" }
                        result.failures.append(InferenceResult.RuleFailure(rule: rule.id.description, plugin: rule.id.plugin,
                                                                          message: message, writes: rule.writes, skipped: false))
                        failed.insert(i)
                        failedWrites.formUnion(rule.writes)
                        continue
                    }
                    if newlyVisible.count > n { producers.append(rule.id.description) }
                }
                let new = Array(newlyVisible[before...])
                if new.isEmpty { break }
                recentProducers.append(producers)
                if recentProducers.count > stratum.count { recentProducers.removeFirst() }
                if round >= maxRounds {
                    // The rules that kept producing over the last rounds (one full turn of the cycle).
                    let cycle = Set(recentProducers.joined())
                    throw InferenceError.noFixpoint(rules: stratum.map { rules[$0].id.description }.filter(cycle.contains), rounds: maxRounds)
                }
                deltas = [:]
                for i in stratum {
                    let reads = rules[i].reads
                    deltas[i] = Delta(isFull: false, facts: new.filter { reads.contains($0.predicate) })
                }
            }
            result.rounds += round
        }
    }

    func process(_ x: Derivation, rule i: Int, _ db: InferenceReader) throws {
        let rule = rules[i]
        let check = checks[i]
        var facts: [Fact] = []
        facts.reserveCapacity(x.premises.count)
        for p in x.premises {
            guard let f = view.fact(p) else { return }  // a premise that is not (or no longer) believed
            if check.condition && !rule.condition.admits(f.meta) { return }
            facts.append(f)
        }
        guard !x.premises.isEmpty else {
            throw InferenceError.badRule(rule: rule.id.description, message: "a derivation needs at least one premise")
        }
        // Every derivation must pass the policy (premises that never held together give nothing).
        if check.validTime && !rule.policy.accepts(facts.map(\.meta)) { return }
        var relKey: RelationKey? = nil
        let subjectNode = x.subjectNode >= 0 ? x.subjectNode : (graph.lookup(key: x.conclusion.subject) ?? -1)
        var targetNode: Int32 = -1
        if case .relation(_, let target, _) = x.conclusion.kind {
            targetNode = x.targetNode >= 0 ? x.targetNode : (graph.lookup(key: target) ?? -1)
        }
        if case .relation(let type, _, let props) = x.conclusion.kind, props.isEmpty, subjectNode >= 0, targetNode >= 0 {
            let a = subjectNode, b = targetNode
            let t: Int32
            if let known = typeIDs[type] { t = known } else { t = Int32(typeIDs.count); typeIDs[type] = t }
            relKey = RelationKey(rule: Int32(i), type: t, from: a, to: b)
        }
        // This derivation's metadata: which claim of the conclusion it supports (or a new one).
        guard let meta = rule.policy.meta(for: facts.map(\.meta), explicit: x.conclusion.meta, origin: origins[i]) else { return }
        let claimKey = ClaimKey(meta, kind: x.conclusion.kind)
        var first: Int64? = relKey.flatMap { pendingByRelation[$0] }
        let key = ConclusionKey(rule: i, subject: x.conclusion.subject, kind: x.conclusion.kind)
        if relKey == nil { first = pendingByKey[key] }
        if first == nil, !fresh[i] {
            let existing = try findExisting(key, db)
            if let head = existing.first {
                first = head
                if let relKey { pendingByRelation[relKey] = head } else { pendingByKey[key] = head }
                if existing.count > 1 { otherClaims[head] = Array(existing.dropFirst()) }
                for c in existing where !loadedOf.contains(c) {
                    for d in try db.derivations(of: c) { record(d) }
                    loadedOf.insert(c)
                }
            }
        }
        if let first, let id = claim(of: first, matching: claimKey) {
            addDerivation(id, rule: i, premises: x.premises)
            if overdeleted.contains(id), !revived.contains(id) {
                revived.insert(id)
                view.unhide(id)
                if let f = view.fact(id) { newlyVisible.append(f) }
                var work: [Int64] = []
                for d in stored.users(of: id) { work.append(d.statement) }
                for s in putBack(work) { if let f = view.fact(s) { newlyVisible.append(f) } }
            }
            return
        }
        let id = nextID
        nextID += 1
        let fact = Fact(id: id, subject: x.conclusion.subject, kind: x.conclusion.kind, meta: meta,
                        node: subjectNode, target: targetNode)
        view.addPending(fact)
        if let first { otherClaims[first, default: []].append(id) } else if let relKey { pendingByRelation[relKey] = id } else { pendingByKey[key] = id }
        newStatements.append(.init(id: id, draft: StatementDraft(subject: fact.subject, kind: fact.kind, meta: meta)))
        addDerivation(id, rule: i, premises: x.premises)
        newlyVisible.append(fact)
    }

    /// The claim of a conclusion (given by its first claim) with this key, if it has one.
    func claim(of first: Int64, matching key: ClaimKey) -> Int64? {
        if claimKey(first) == key { return first }
        for c in otherClaims[first] ?? [] where claimKey(c) == key { return c }
        return nil
    }

    /// A claim's key: a claim made this run reads its draft (ids are given in order from
    /// `firstNewID`), an earlier one the key `findExisting` noted.
    func claimKey(_ id: Int64) -> ClaimKey? {
        guard id >= firstNewID else { return claimKeys[id] }
        let draft = newStatements[Int(id - firstNewID)].draft
        return ClaimKey(draft.meta, kind: draft.kind)
    }

    func addDerivation(_ statement: Int64, rule i: Int, premises: [Int64]) {
        let k = DerivationKey(statement: statement, rule: i, premises: premises)
        guard derivationKeys.insert(k).inserted else { return }
        newDerivations.append((statement, i, premises))
    }

    /// The statements (claims) this rule derived in an earlier run with the same content
    /// (believed, or withdrawn by this run), in statement order; their claim keys are noted.
    /// A relation claim may be folded into a fact whose relationship is another claim (an
    /// analyst's, or another rule's): every claim of the facts between the ends is looked at.
    func findExisting(_ key: ConclusionKey, _ db: InferenceReader) throws -> [Int64] {
        let origin = rules[key.rule].id.origin
        switch key.kind {
        case .relation(let type, let target, let props):
            guard let n = graph.lookup(key: key.subject), let t = graph.relationTypeID(type) else { return [] }
            var out: [Int64] = []
            for r in graph.outList(n) {
                let rel = graph.relationship(r)
                guard rel.type == t, graph.node(rel.target).key == target else { continue }
                for c in graph.claims(ofFact: r) {
                    let claim = graph.relationship(c)
                    guard !doomed.contains(claim.statement), graph.origin(ofRelationship: c) == origin,
                          graph.properties(ofRelationship: c) == props else { continue }
                    claimKeys[claim.statement] = ClaimKey(from: claim.validFrom, to: claim.validTo, grading: claim.grading)
                    out.append(claim.statement)
                }
            }
            return out.sorted()
        default:
            let found = try db.openStatements(subject: key.subject, kindCode: key.kind.code, predicate: key.kind.predicate, origin: origin)
                .filter { $0.kind == key.kind && !doomed.contains($0.id) }
            for s in found { claimKeys[s.id] = .single }
            return found.map(\.id).sorted()
        }
    }

    // MARK: 4. the plan

    func makePlan(_ db: InferenceReader) throws -> Store.InferenceWrite {
        var plan = Store.InferenceWrite(baseTransaction: graph.transaction)
        let withdrawn = doomed.union(overdeleted.subtracting(revived))
        let retractedStatements = try db.statements(ids: Array(withdrawn)).filter { $0.meta.origin.isDerived && $0.txTo == nil }
        plan.retract = retractedStatements.map(\.id)
        plan.assert = newStatements
        for (i, r) in rules.enumerated() where fresh[i] {
            plan.registerRules.append(.init(plugin: r.id.plugin, name: r.id.name, version: r.id.version,
                                           reads: r.reads.sorted(), writes: r.writes.sorted()))
        }
        plan.closeRules = staleRules.map(\.id)
        plan.derivations = newDerivations.map {
            let id = rules[$0.rule].id
            return .init(statement: $0.statement, plugin: id.plugin, rule: id.name, version: id.version, premises: $0.premises)
        }
        func dead(_ s: Int64) -> Bool { !isAlive(s) }
        plan.closeDerivations = stored.all.filter { dead($0.statement) || $0.premises.contains(where: dead) }.map(\.id).sorted()

        result.added = newStatements.map { Statement(id: $0.id, subject: $0.draft.subject, kind: $0.draft.kind, meta: $0.draft.meta, txFrom: 0) }
        result.retracted = retractedStatements
        result.derivationsAdded = plan.derivations.count
        result.derivationsClosed = plan.closeDerivations.count
        return plan
    }
}
