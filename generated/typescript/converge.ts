// Generated from schemas/converge/ by json-schema-to-typescript (codegen/typescript.py).
// Do not edit: change the schemas and run `nox -s bindings_ts`.
//
// One type per schema, named like the Python models (`converge.<Type>` with the dots removed).
// The types state shapes, literals and tagged unions; value rules (patterns, integer ranges,
// UTF-8 byte limits, closed objects) are checked by the JSON Schemas, not by TypeScript.

/**
 * Identifier of the actor (agent, engine component or human) that performed an action. A transparent string newtype of converge-pack with no validation in serde.
 *
 * Schema: `converge.ActorId`.
 */
export type ActorId = string;

/**
 * Adapter (e.g. a LoRA) that was applied to the base model during a local generation.
 *
 * Schema: `converge.AdapterTrace`.
 */
export interface AdapterTrace {
  /**
   * Identifier of the adapter.
   */
  adapter_id: string;
  /**
   * Hash of the adapter weights.
   */
  adapter_hash: string;
  /**
   * Whether the adapter was merged into the base weights.
   */
  merged: boolean;
}

/**
 * Identifier of an approval point that needs a human decision. A transparent string newtype of converge-pack with no validation in serde.
 *
 * Schema: `converge.ApprovalPointId`.
 */
export type ApprovalPointId = string;

/**
 * Identifier of a governed artifact (adapter, pack, policy, truth file, eval suite). A transparent string newtype of converge-pack with no validation in serde.
 *
 * Schema: `converge.ArtifactId`.
 */
export type ArtifactId = string;

/**
 * Kind of governed artifact (converge's ArtifactKind). Externally tagged: a bare string for the named kinds, {"Other": name} for any other kind.
 *
 * Schema: `converge.ArtifactKind`.
 */
export type ArtifactKind = ArtifactKindUnit | ArtifactKindOther;

/**
 * A governed artifact kind not covered by the named ones, written as {"Other": name}.
 *
 * Schema: `converge.ArtifactKind.Other`.
 */
export interface ArtifactKindOther {
  /**
   * Free-form name of the artifact kind (e.g. "lora").
   */
  Other: string;
}

/**
 * Named kinds of governed artifact, written as bare strings.
 *
 * Schema: `converge.ArtifactKind.Unit`.
 */
export type ArtifactKindUnit = "Adapter" | "Pack" | "Policy" | "TruthFile" | "EvalSuite";

/**
 * Query for governed artifacts: the AND of every filter given.
 *
 * Schema: `converge.ArtifactQuery`.
 */
export interface ArtifactQuery {
  /**
   * Only artifacts of this tenant, when given.
   */
  tenant_id?: TenantId | null;
  /**
   * Only this artifact, when given.
   */
  artifact_id?: ArtifactId | null;
  /**
   * Only artifacts of this kind, when given.
   */
  kind?: ArtifactKind | null;
  /**
   * Only artifacts currently in this state, when given.
   */
  state?: GovernedArtifactState | null;
  /**
   * Maximum number of artifacts returned, when given.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  limit?: number | null;
}

/**
 * Identifier of an inference backend or adapter (e.g. "anthropic", "converge-engine"). A transparent string newtype of converge-pack with no validation in serde.
 *
 * Schema: `converge.BackendId`.
 */
export type BackendId = string;

/**
 * Budget dimension that was exhausted (seed 001+). Externally tagged: a bare string for the named resources, {"Other": name} for any other one.
 *
 * Schema: `converge.BudgetResource`.
 */
export type BudgetResource = BudgetResourceUnit | BudgetResourceOther;

/**
 * A budget dimension not covered by the named ones, written as {"Other": name}.
 *
 * Schema: `converge.BudgetResource.Other`.
 */
export interface BudgetResourceOther {
  /**
   * Free-form name of the budget dimension (e.g. "gpu_seconds").
   */
  Other: string;
}

/**
 * Named budget dimensions of BudgetResource, written as bare strings; EngineBudget is what the converge engine reports.
 *
 * Schema: `converge.BudgetResource.Unit`.
 */
export type BudgetResourceUnit = "EngineBudget" | "Tokens" | "Facts" | "Cycles" | "Time" | "Cost";

/**
 * Score of one recall candidate (HEAD: a UnitInterval).
 *
 * Schema: `converge.CandidateScore`.
 */
export interface CandidateScore {
  /**
   * Identifier of the candidate.
   */
  id: string;
  /**
   * Similarity score in [0, 1].
   */
  score: UnitInterval;
}

/**
 * Identifier of a decision chain (for engine outcomes, the root intent id). A transparent string newtype of converge-pack with no validation in serde.
 *
 * Schema: `converge.ChainId`.
 */
export type ChainId = string;

/**
 * SHA-256 content hash serialized as 64 hex digits (32 bytes). serde writes lower-case hex and accepts upper-case on input, re-emitting it lower-case; any other length or a non-hex digit is rejected.
 *
 * Schema: `converge.ContentHash`.
 */
export type ContentHash = string;

/**
 * Labelled piece of context shown to the human approver of a gate.
 *
 * Schema: `converge.ContextItem`.
 */
export interface ContextItem {
  /**
   * Label of the context entry (e.g. "vendor").
   */
  label: string;
  /**
   * Value of the context entry.
   */
  value: string;
}

/**
 * Outcome of one contract (truth) check run against a kernel proposal.
 *
 * Schema: `converge.ContractResult`.
 */
export interface ContractResult {
  /**
   * Name of the contract.
   */
  name: string;
  /**
   * Whether the contract passed.
   */
  passed: boolean;
  /**
   * Why the contract failed, when it failed and a reason was given.
   */
  failure_reason?: string | null;
}

/**
 * Snapshot of one contract result recorded in a ProposalValidated event (same shape as ContractResult).
 *
 * Schema: `converge.ContractResultSnapshot`.
 */
export interface ContractResultSnapshot {
  /**
   * Name of the contract.
   */
  name: string;
  /**
   * Whether the contract passed.
   */
  passed: boolean;
  /**
   * Why the contract failed, when it failed and a reason was given.
   */
  failure_reason?: string | null;
}

/**
 * Identifier grouping the events of one chain or run (organism uses the formation correlation id). A transparent string newtype of converge-pack with no validation in serde.
 *
 * Schema: `converge.CorrelationId`.
 */
export type CorrelationId = string;

/**
 * Identifier of a convergence criterion the engine evaluates. A transparent string newtype of converge-pack with no validation in serde.
 *
 * Schema: `converge.CriterionId`.
 */
export type CriterionId = string;

/**
 * Sensitivity class of the data in a request, used as a routing key to choose backends.
 *
 * Schema: `converge.DataClassification`.
 */
export type DataClassification = "Public" | "Internal" | "Confidential" | "Restricted";

/**
 * Stage of the reasoning loop a proposal, validation, invocation or outcome belongs to (Rust default: Reasoning).
 *
 * Schema: `converge.DecisionStep`.
 */
export type DecisionStep = "Reasoning" | "Evaluation" | "Planning";

/**
 * Identifier of the domain a hypothesis belongs to (e.g. "market"). A transparent string newtype of converge-pack with no validation in serde.
 *
 * Schema: `converge.DomainId`.
 */
export type DomainId = string;

/**
 * Category of the error that stopped the engine (Rust default: Unknown).
 *
 * Schema: `converge.ErrorCategory`.
 */
export type ErrorCategory = "Internal" | "Configuration" | "External" | "Resource" | "Unknown";

/**
 * Unique identifier of one experience event in a ledger (ULID or UUID by convention). A transparent string newtype of converge-pack: serde accepts any string, empty included; stores validate the character set on append.
 *
 * Schema: `converge.EventId`.
 */
export type EventId = string;

/**
 * Query for experience events: the AND of every filter given. kinds is required on the wire (the Rust Default is not a serde default); an empty list means all kinds.
 *
 * Schema: `converge.EventQuery`.
 */
export interface EventQuery {
  /**
   * Only events of this tenant, when given.
   */
  tenant_id?: TenantId | null;
  /**
   * Only events within this time range, when given.
   */
  time_range?: TimeRange | null;
  /**
   * Only events of these kinds; empty means all kinds.
   */
  kinds: ExperienceEventKind[];
  /**
   * Only events with this correlation id, when given.
   */
  correlation_id?: CorrelationId | null;
  /**
   * Only events of this chain, when given.
   */
  chain_id?: ChainId | null;
  /**
   * Maximum number of events returned, when given.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  limit?: number | null;
}

/**
 * Execution environment of a local generation (Rust default: cpu / ndarray / f32).
 *
 * Schema: `converge.ExecutionEnv`.
 */
export interface ExecutionEnv {
  /**
   * Device the model ran on (e.g. "cpu").
   */
  device: string;
  /**
   * Tensor backend used (e.g. "ndarray").
   */
  backend: string;
  /**
   * Numeric precision used (e.g. "f32").
   */
  precision: string;
}

/**
 * Typed payload of an experience event (14 variants). Adjacently tagged: {"type": "<Variant>", "data": {fields}}; every variant is a struct variant, so "data" is always an object.
 *
 * Schema: `converge.ExperienceEvent`.
 */
export type ExperienceEvent =
  | ExperienceEventProposalCreated
  | ExperienceEventProposalValidated
  | ExperienceEventFactPromoted
  | ExperienceEventRecallExecuted
  | ExperienceEventReplayTraceRecorded
  | ExperienceEventReplayabilityDowngraded
  | ExperienceEventArtifactStateTransitioned
  | ExperienceEventArtifactRollbackRecorded
  | ExperienceEventBackendInvoked
  | ExperienceEventOutcomeRecorded
  | ExperienceEventBudgetExceeded
  | ExperienceEventPolicySnapshotCaptured
  | ExperienceEventHypothesisResolved
  | ExperienceEventGateDecisionRecorded;

/**
 * A governed artifact was rolled back. Written as {"type": "ArtifactRollbackRecorded", "data": {fields}}.
 *
 * Schema: `converge.ExperienceEvent.ArtifactRollbackRecorded`.
 */
export interface ExperienceEventArtifactRollbackRecorded {
  /**
   * Variant tag: always "ArtifactRollbackRecorded".
   */
  type: "ArtifactRollbackRecorded";
  /**
   * Fields of the ArtifactRollbackRecorded event.
   */
  data: ExperienceEventArtifactRollbackRecordedFields;
}

/**
 * Fields of the ArtifactRollbackRecorded experience event. A governed artifact was rolled back.
 *
 * Schema: `converge.ExperienceEvent.ArtifactRollbackRecorded.Fields`.
 */
export interface ExperienceEventArtifactRollbackRecordedFields {
  /**
   * Rollback details: previous state, actor, reason and impact.
   */
  rollback: RollbackRecord;
}

/**
 * A governed artifact changed lifecycle state. Written as {"type": "ArtifactStateTransitioned", "data": {fields}}.
 *
 * Schema: `converge.ExperienceEvent.ArtifactStateTransitioned`.
 */
export interface ExperienceEventArtifactStateTransitioned {
  /**
   * Variant tag: always "ArtifactStateTransitioned".
   */
  type: "ArtifactStateTransitioned";
  /**
   * Fields of the ArtifactStateTransitioned event.
   */
  data: ExperienceEventArtifactStateTransitionedFields;
}

/**
 * Fields of the ArtifactStateTransitioned experience event. A governed artifact changed lifecycle state.
 *
 * Schema: `converge.ExperienceEvent.ArtifactStateTransitioned.Fields`.
 */
export interface ExperienceEventArtifactStateTransitionedFields {
  /**
   * Artifact that changed state.
   */
  artifact_id: ArtifactId;
  /**
   * Kind of the artifact.
   */
  artifact_kind: ArtifactKind;
  /**
   * Lifecycle transition: from and to state, actor and reason.
   */
  event: LifecycleEvent;
}

/**
 * An inference backend was invoked (for audit and latency analysis). Written as {"type": "BackendInvoked", "data": {fields}}.
 *
 * Schema: `converge.ExperienceEvent.BackendInvoked`.
 */
export interface ExperienceEventBackendInvoked {
  /**
   * Variant tag: always "BackendInvoked".
   */
  type: "BackendInvoked";
  /**
   * Fields of the BackendInvoked event.
   */
  data: ExperienceEventBackendInvokedFields;
}

/**
 * Fields of the BackendInvoked experience event. An inference backend was invoked (for audit and latency analysis).
 *
 * Schema: `converge.ExperienceEvent.BackendInvoked.Fields`.
 */
export interface ExperienceEventBackendInvokedFields {
  /**
   * Backend that was invoked.
   */
  backend_name: BackendId;
  /**
   * Adapter used with the backend, if any.
   */
  adapter_id?: BackendId | null;
  /**
   * Trace of the invocation.
   */
  trace_link_id: TraceLinkId;
  /**
   * Decision step the invocation served.
   */
  step: DecisionStep;
  /**
   * Hash of the policy snapshot in force, if captured.
   */
  policy_snapshot_hash?: ContentHash | null;
}

/**
 * A budget of a chain or run was exceeded. Written as {"type": "BudgetExceeded", "data": {fields}}.
 *
 * Schema: `converge.ExperienceEvent.BudgetExceeded`.
 */
export interface ExperienceEventBudgetExceeded {
  /**
   * Variant tag: always "BudgetExceeded".
   */
  type: "BudgetExceeded";
  /**
   * Fields of the BudgetExceeded event.
   */
  data: ExperienceEventBudgetExceededFields;
}

/**
 * Fields of the BudgetExceeded experience event. A budget of a chain or run was exceeded.
 *
 * Schema: `converge.ExperienceEvent.BudgetExceeded.Fields`.
 */
export interface ExperienceEventBudgetExceededFields {
  /**
   * Chain or run whose budget was exceeded.
   */
  chain_id: ChainId;
  /**
   * Budget dimension exceeded.
   */
  resource: BudgetResource;
  /**
   * Configured limit, as a string (the engine writes the budget kind).
   */
  limit: string;
  /**
   * Observed value, as a string, when known.
   */
  observed?: string | null;
}

/**
 * Append-only ledger entry of converge: stable metadata (id, time, tenant, correlation) around a typed experience event. Stores index envelopes, not raw payloads.
 *
 * Schema: `converge.ExperienceEventEnvelope`.
 */
export interface ExperienceEventEnvelope {
  /**
   * Unique identifier of the event.
   */
  event_id: EventId;
  /**
   * When the event occurred.
   */
  occurred_at: Timestamp;
  /**
   * Tenant scope, if any.
   */
  tenant_id?: TenantId | null;
  /**
   * Correlation id grouping a chain or run, if any.
   */
  correlation_id?: CorrelationId | null;
  /**
   * Typed event payload (adjacently tagged ExperienceEvent).
   */
  event: ExperienceEvent;
}

/**
 * A proposal was promoted into a fact. Written as {"type": "FactPromoted", "data": {fields}}.
 *
 * Schema: `converge.ExperienceEvent.FactPromoted`.
 */
export interface ExperienceEventFactPromoted {
  /**
   * Variant tag: always "FactPromoted".
   */
  type: "FactPromoted";
  /**
   * Fields of the FactPromoted event.
   */
  data: ExperienceEventFactPromotedFields;
}

/**
 * Fields of the FactPromoted experience event. A proposal was promoted into a fact.
 *
 * Schema: `converge.ExperienceEvent.FactPromoted.Fields`.
 */
export interface ExperienceEventFactPromotedFields {
  /**
   * Proposal that was promoted.
   */
  proposal_id: ProposalId;
  /**
   * Fact created by the promotion.
   */
  fact_id: FactId;
  /**
   * Who promoted it (the engine writes "agent-<id>", "context-input" or "suggestor-<id>").
   */
  promoted_by: ActorId;
  /**
   * Why the proposal was promoted.
   */
  reason: string;
  /**
   * Whether the promotion required human approval.
   */
  requires_human: boolean;
}

/**
 * A human decision on a human-in-the-loop gate was recorded, with the request it answers (seed 001+). Written as {"type": "GateDecisionRecorded", "data": {fields}}.
 *
 * Schema: `converge.ExperienceEvent.GateDecisionRecorded`.
 */
export interface ExperienceEventGateDecisionRecorded {
  /**
   * Variant tag: always "GateDecisionRecorded".
   */
  type: "GateDecisionRecorded";
  /**
   * Fields of the GateDecisionRecorded event.
   */
  data: ExperienceEventGateDecisionRecordedFields;
}

/**
 * Fields of the GateDecisionRecorded experience event. A human decision on a human-in-the-loop gate was recorded, with the request it answers (seed 001+).
 *
 * Schema: `converge.ExperienceEvent.GateDecisionRecorded.Fields`.
 */
export interface ExperienceEventGateDecisionRecordedFields {
  /**
   * Gate request the decision answers.
   */
  request: GateRequest;
  /**
   * Decision the human took on the request.
   */
  decision: GateDecision;
}

/**
 * A tracked hypothesis reached a terminal outcome (seed 001+). Written as {"type": "HypothesisResolved", "data": {fields}}.
 *
 * Schema: `converge.ExperienceEvent.HypothesisResolved`.
 */
export interface ExperienceEventHypothesisResolved {
  /**
   * Variant tag: always "HypothesisResolved".
   */
  type: "HypothesisResolved";
  /**
   * Fields of the HypothesisResolved event.
   */
  data: ExperienceEventHypothesisResolvedFields;
}

/**
 * Fields of the HypothesisResolved experience event. A tracked hypothesis reached a terminal outcome (seed 001+).
 *
 * Schema: `converge.ExperienceEvent.HypothesisResolved.Fields`.
 */
export interface ExperienceEventHypothesisResolvedFields {
  /**
   * Chain the hypothesis belongs to.
   */
  chain_id: ChainId;
  /**
   * Fact holding the hypothesis.
   */
  fact_id: FactId;
  /**
   * Domain of the hypothesis.
   */
  domain: DomainId;
  /**
   * Claim that was tested, as text.
   */
  claim: string;
  /**
   * Confidence in the outcome, in [0, 1] (HEAD: UnitInterval).
   */
  confidence: UnitInterval;
  /**
   * Terminal outcome.
   */
  outcome: HypothesisOutcome;
  /**
   * Tension that contradicted the hypothesis, if any; omitted from the output when absent.
   */
  contradiction_id?: TensionId | null;
  /**
   * Engine cycle in which the hypothesis was formed.
   */
  formed_cycle: number;
  /**
   * Engine cycle in which it was resolved.
   */
  resolved_cycle: number;
}

/**
 * Kind of an experience event, used to filter queries; one name per ExperienceEvent variant, written as the PascalCase variant name.
 *
 * Schema: `converge.ExperienceEventKind`.
 */
export type ExperienceEventKind =
  | "ProposalCreated"
  | "ProposalValidated"
  | "FactPromoted"
  | "RecallExecuted"
  | "ReplayTraceRecorded"
  | "ReplayabilityDowngraded"
  | "ArtifactStateTransitioned"
  | "ArtifactRollbackRecorded"
  | "BackendInvoked"
  | "OutcomeRecorded"
  | "BudgetExceeded"
  | "PolicySnapshotCaptured"
  | "HypothesisResolved"
  | "GateDecisionRecorded";

/**
 * Outcome of a chain step or engine run was recorded. Written as {"type": "OutcomeRecorded", "data": {fields}}.
 *
 * Schema: `converge.ExperienceEvent.OutcomeRecorded`.
 */
export interface ExperienceEventOutcomeRecorded {
  /**
   * Variant tag: always "OutcomeRecorded".
   */
  type: "OutcomeRecorded";
  /**
   * Fields of the OutcomeRecorded event.
   */
  data: ExperienceEventOutcomeRecordedFields;
}

/**
 * Fields of the OutcomeRecorded experience event. Outcome of a chain step or engine run was recorded.
 *
 * Schema: `converge.ExperienceEvent.OutcomeRecorded.Fields`.
 */
export interface ExperienceEventOutcomeRecordedFields {
  /**
   * Chain the outcome belongs to (the engine writes the root intent id).
   */
  chain_id: ChainId;
  /**
   * Decision step of the outcome (the engine writes Planning).
   */
  step: DecisionStep;
  /**
   * Whether the step or run succeeded.
   */
  passed: boolean;
  /**
   * Why the engine stopped, when the outcome ends a run.
   */
  stop_reason?: StopReason | null;
  /**
   * Latency in milliseconds, when measured.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  latency_ms?: number | null;
  /**
   * Tokens consumed, when measured.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  tokens?: number | null;
  /**
   * Cost in millionths of a dollar, when known.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  cost_microdollars?: number | null;
  /**
   * Backend that produced the outcome, when known.
   */
  backend?: BackendId | null;
  /**
   * Provider or gateway metadata (e.g. request ids, cost); empty when absent on input and omitted from the output when empty.
   */
  metadata?: {
    [k: string]: string;
  };
}

/**
 * A policy snapshot was captured for provenance. Written as {"type": "PolicySnapshotCaptured", "data": {fields}}.
 *
 * Schema: `converge.ExperienceEvent.PolicySnapshotCaptured`.
 */
export interface ExperienceEventPolicySnapshotCaptured {
  /**
   * Variant tag: always "PolicySnapshotCaptured".
   */
  type: "PolicySnapshotCaptured";
  /**
   * Fields of the PolicySnapshotCaptured event.
   */
  data: ExperienceEventPolicySnapshotCapturedFields;
}

/**
 * Fields of the PolicySnapshotCaptured experience event. A policy snapshot was captured for provenance.
 *
 * Schema: `converge.ExperienceEvent.PolicySnapshotCaptured.Fields`.
 */
export interface ExperienceEventPolicySnapshotCapturedFields {
  /**
   * Policy captured.
   */
  policy_id: PolicyId;
  /**
   * Snapshot of the policy.
   */
  policy: PolicySnapshot;
  /**
   * Content hash of the snapshot.
   */
  snapshot_hash: ContentHash;
  /**
   * Who captured it.
   */
  captured_by: ActorId;
}

/**
 * A kernel proposal was created. Written as {"type": "ProposalCreated", "data": {fields}}.
 *
 * Schema: `converge.ExperienceEvent.ProposalCreated`.
 */
export interface ExperienceEventProposalCreated {
  /**
   * Variant tag: always "ProposalCreated".
   */
  type: "ProposalCreated";
  /**
   * Fields of the ProposalCreated event.
   */
  data: ExperienceEventProposalCreatedFields;
}

/**
 * Fields of the ProposalCreated experience event. A kernel proposal was created.
 *
 * Schema: `converge.ExperienceEvent.ProposalCreated.Fields`.
 */
export interface ExperienceEventProposalCreatedFields {
  /**
   * Kernel proposal that was created, with its trace and contract results.
   */
  proposal: KernelProposal;
  /**
   * Chain the proposal belongs to.
   */
  chain_id: ChainId;
  /**
   * Decision step that produced it.
   */
  step: DecisionStep;
  /**
   * Hash of the policy snapshot in force, if captured.
   */
  policy_snapshot_hash?: ContentHash | null;
}

/**
 * A proposal was validated: its contracts and truths were evaluated. Written as {"type": "ProposalValidated", "data": {fields}}.
 *
 * Schema: `converge.ExperienceEvent.ProposalValidated`.
 */
export interface ExperienceEventProposalValidated {
  /**
   * Variant tag: always "ProposalValidated".
   */
  type: "ProposalValidated";
  /**
   * Fields of the ProposalValidated event.
   */
  data: ExperienceEventProposalValidatedFields;
}

/**
 * Fields of the ProposalValidated experience event. A proposal was validated: its contracts and truths were evaluated.
 *
 * Schema: `converge.ExperienceEvent.ProposalValidated.Fields`.
 */
export interface ExperienceEventProposalValidatedFields {
  /**
   * Proposal that was validated.
   */
  proposal_id: ProposalId;
  /**
   * Chain the proposal belongs to.
   */
  chain_id: ChainId;
  /**
   * Decision step of the validation.
   */
  step: DecisionStep;
  /**
   * Result of each contract checked.
   */
  contract_results: ContractResultSnapshot[];
  /**
   * Whether every contract passed.
   */
  all_passed: boolean;
  /**
   * Who validated the proposal.
   */
  validator: ActorId;
}

/**
 * A recall operation ran; its query and full provenance are recorded. Written as {"type": "RecallExecuted", "data": {fields}}.
 *
 * Schema: `converge.ExperienceEvent.RecallExecuted`.
 */
export interface ExperienceEventRecallExecuted {
  /**
   * Variant tag: always "RecallExecuted".
   */
  type: "RecallExecuted";
  /**
   * Fields of the RecallExecuted event.
   */
  data: ExperienceEventRecallExecutedFields;
}

/**
 * Fields of the RecallExecuted experience event. A recall operation ran; its query and full provenance are recorded.
 *
 * Schema: `converge.ExperienceEvent.RecallExecuted.Fields`.
 */
export interface ExperienceEventRecallExecutedFields {
  /**
   * Query that was run.
   */
  query: RecallQuery;
  /**
   * Provenance of the execution.
   */
  provenance: RecallProvenanceEnvelope;
  /**
   * Trace the recall fed into, if any.
   */
  trace_link_id?: TraceLinkId | null;
}

/**
 * A replay trace was recorded as a first-class object, retrievable by its id. Written as {"type": "ReplayTraceRecorded", "data": {fields}}.
 *
 * Schema: `converge.ExperienceEvent.ReplayTraceRecorded`.
 */
export interface ExperienceEventReplayTraceRecorded {
  /**
   * Variant tag: always "ReplayTraceRecorded".
   */
  type: "ReplayTraceRecorded";
  /**
   * Fields of the ReplayTraceRecorded event.
   */
  data: ExperienceEventReplayTraceRecordedFields;
}

/**
 * Fields of the ReplayTraceRecorded experience event. A replay trace was recorded as a first-class object, retrievable by its id.
 *
 * Schema: `converge.ExperienceEvent.ReplayTraceRecorded.Fields`.
 */
export interface ExperienceEventReplayTraceRecordedFields {
  /**
   * Identifier the trace is recorded under.
   */
  trace_link_id: TraceLinkId;
  /**
   * Replay trace of the generation, local or remote.
   */
  trace_link: ReplayTrace;
}

/**
 * Replayability of a trace was downgraded. Written as {"type": "ReplayabilityDowngraded", "data": {fields}}.
 *
 * Schema: `converge.ExperienceEvent.ReplayabilityDowngraded`.
 */
export interface ExperienceEventReplayabilityDowngraded {
  /**
   * Variant tag: always "ReplayabilityDowngraded".
   */
  type: "ReplayabilityDowngraded";
  /**
   * Fields of the ReplayabilityDowngraded event.
   */
  data: ExperienceEventReplayabilityDowngradedFields;
}

/**
 * Fields of the ReplayabilityDowngraded experience event. Replayability of a trace was downgraded.
 *
 * Schema: `converge.ExperienceEvent.ReplayabilityDowngraded.Fields`.
 */
export interface ExperienceEventReplayabilityDowngradedFields {
  /**
   * Trace whose replayability changed.
   */
  trace_link_id: TraceLinkId;
  /**
   * Replayability before the downgrade.
   */
  from: Replayability;
  /**
   * Replayability after the downgrade.
   */
  to: Replayability;
  /**
   * Why it was downgraded.
   */
  reason: ReplayabilityDowngradeReason;
}

/**
 * Identifier of a fact promoted into the context. A transparent string newtype of converge-pack with no validation in serde.
 *
 * Schema: `converge.FactId`.
 */
export type FactId = string;

/**
 * Decision a human took on a gate request.
 *
 * Schema: `converge.GateDecision`.
 */
export interface GateDecision {
  /**
   * Gate request this decision answers.
   */
  gate_id: GateId;
  /**
   * Approve or reject.
   */
  verdict: GateVerdict;
  /**
   * Who decided, as a plain string (e.g. an e-mail address).
   */
  decided_by: string;
  /**
   * When the decision was taken.
   */
  decided_at: Timestamp;
}

/**
 * Identifier of a human-in-the-loop gate request (upstream generates "hitl-..." values). A transparent string newtype of converge-pack with no validation in serde.
 *
 * Schema: `converge.GateId`.
 */
export type GateId = string;

/**
 * Request for a human decision on a proposal, raised by the engine at a human-in-the-loop gate.
 *
 * Schema: `converge.GateRequest`.
 */
export interface GateRequest {
  /**
   * Identifier of this gate request.
   */
  gate_id: GateId;
  /**
   * Proposal awaiting the decision.
   */
  proposal_id: ProposalId;
  /**
   * Short summary shown to the approver.
   */
  summary: string;
  /**
   * Agent that raised the proposal, as a plain string.
   */
  agent_id: string;
  /**
   * Why the agent proposes this, when given.
   */
  rationale?: string | null;
  /**
   * Labelled context shown to the approver, in order.
   */
  context_data: ContextItem[];
  /**
   * Engine cycle in which the gate was raised.
   */
  cycle: number;
  /**
   * When the request was raised.
   */
  requested_at: Timestamp;
  /**
   * Timeout policy of the gate.
   */
  timeout: TimeoutPolicy;
}

/**
 * Human verdict on a gate: approve, or reject with an optional reason. Externally tagged: "Approve" or {"Reject": {"reason": ...}}.
 *
 * Schema: `converge.GateVerdict`.
 */
export type GateVerdict = GateVerdictUnit | GateVerdictReject;

/**
 * Rejection of the proposal, written as {"Reject": {"reason": ...}}.
 *
 * Schema: `converge.GateVerdict.Reject`.
 */
export interface GateVerdictReject {
  /**
   * Fields of the rejection.
   */
  Reject: GateVerdictRejectFields;
}

/**
 * Fields of the Reject verdict of a gate decision.
 *
 * Schema: `converge.GateVerdict.Reject.Fields`.
 */
export interface GateVerdictRejectFields {
  /**
   * Why the proposal was rejected, when given.
   */
  reason?: string | null;
}

/**
 * Gate verdicts without fields, written as bare strings: the proposal is approved.
 *
 * Schema: `converge.GateVerdict.Unit`.
 */
export type GateVerdictUnit = "Approve";

/**
 * Lifecycle state of a governed artifact (Rust default: Draft). serde uses the PascalCase variant names; transitions are not checked on the wire.
 *
 * Schema: `converge.GovernedArtifactState`.
 */
export type GovernedArtifactState = "Draft" | "Approved" | "Active" | "Quarantined" | "Deprecated" | "RolledBack";

/**
 * Terminal outcome of a tracked hypothesis.
 *
 * Schema: `converge.HypothesisOutcome`.
 */
export type HypothesisOutcome = "Confirmed" | "Falsified" | "Superseded" | "Unresolved";

/**
 * Class of a violated invariant: structural, semantic or acceptance.
 *
 * Schema: `converge.InvariantClass`.
 */
export type InvariantClass = "Structural" | "Semantic" | "Acceptance";

/**
 * Kernel policy: adapter, recall and human-approval settings (Rust default: no adapter, recall off, 5 candidates, min score 0.7, no seed, no human, no truths).
 *
 * Schema: `converge.KernelPolicy`.
 */
export interface KernelPolicy {
  /**
   * Adapter to apply, if any.
   */
  adapter_id?: string | null;
  /**
   * Whether recall is enabled.
   */
  recall_enabled: boolean;
  /**
   * Maximum number of recall candidates.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  recall_max_candidates: number;
  /**
   * Minimum recall score (f32).
   */
  recall_min_score: number;
  /**
   * Fixed sampler seed, if any.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  seed?: number | null;
  /**
   * Whether proposals require human approval.
   */
  requires_human: boolean;
  /**
   * Names of the truths every proposal must satisfy.
   */
  required_truths: string[];
}

/**
 * Proposal produced by the reasoning kernel, with its replay trace and contract results.
 *
 * Schema: `converge.KernelProposal`.
 */
export interface KernelProposal {
  /**
   * Identifier of the proposal (a plain string here, not a ProposalId).
   */
  id: string;
  /**
   * What kind of content the proposal carries.
   */
  kind: ProposalKind;
  /**
   * Proposal content as text.
   */
  payload: string;
  /**
   * Structured form of the content, any JSON value, when available.
   */
  structured_payload?: unknown | null;
  /**
   * How the proposal was generated, for replay.
   */
  trace_link: ReplayTrace;
  /**
   * Results of the contracts checked against the proposal.
   */
  contract_results: ContractResult[];
  /**
   * Whether a human must approve the proposal.
   */
  requires_human: boolean;
  /**
   * Model confidence in the proposal (f32), when given.
   */
  confidence?: number | null;
}

/**
 * One state transition of a governed artifact, with who made it and why.
 *
 * Schema: `converge.LifecycleEvent`.
 */
export interface LifecycleEvent {
  /**
   * State before the transition.
   */
  from_state: GovernedArtifactState;
  /**
   * State after the transition.
   */
  to_state: GovernedArtifactState;
  /**
   * When the transition happened, as a plain string.
   */
  timestamp: string;
  /**
   * Who made the transition, as a plain string.
   */
  actor: string;
  /**
   * Why the transition was made.
   */
  reason: string;
  /**
   * Change ticket reference, if any.
   */
  ticket_ref?: string | null;
  /**
   * Tenant concerned, as a plain string, if any.
   */
  tenant_id?: string | null;
}

/**
 * Everything needed to replay a generation by a local model deterministically.
 *
 * Schema: `converge.LocalReplayTrace`.
 */
export interface LocalReplayTrace {
  /**
   * Hash of the base model weights.
   */
  base_model_hash: string;
  /**
   * Adapter applied to the base model, if any.
   */
  adapter?: AdapterTrace | null;
  /**
   * Hash of the tokenizer.
   */
  tokenizer_hash: string;
  /**
   * Random seed of the sampler.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  seed: number;
  /**
   * Sampling parameters.
   */
  sampler: SamplerParams;
  /**
   * Version of the prompt template.
   */
  prompt_version: string;
  /**
   * Recall candidates injected into the prompt, if recall ran.
   */
  recall?: RecallTrace | null;
  /**
   * Whether the weights were modified during the run.
   */
  weights_mutated: boolean;
  /**
   * Execution environment.
   */
  execution_env: ExecutionEnv;
}

/**
 * Identifier of a policy whose snapshot is captured for provenance. A transparent string newtype of converge-pack with no validation in serde.
 *
 * Schema: `converge.PolicyId`.
 */
export type PolicyId = string;

/**
 * Snapshot of a policy captured for provenance. Adjacently tagged: {"type": "Kernel" | "Routing" | "Recall", "policy": <the policy>}.
 *
 * Schema: `converge.PolicySnapshot`.
 */
export type PolicySnapshot = PolicySnapshotKernel | PolicySnapshotRouting | PolicySnapshotRecall;

/**
 * Snapshot of a kernel policy: {"type": "Kernel", "policy": KernelPolicy}.
 *
 * Schema: `converge.PolicySnapshot.Kernel`.
 */
export interface PolicySnapshotKernel {
  /**
   * Variant tag: always "Kernel".
   */
  type: "Kernel";
  /**
   * KernelPolicy in force when the snapshot was taken.
   */
  policy: KernelPolicy;
}

/**
 * Snapshot of a recall policy: {"type": "Recall", "policy": RecallPolicy}.
 *
 * Schema: `converge.PolicySnapshot.Recall`.
 */
export interface PolicySnapshotRecall {
  /**
   * Variant tag: always "Recall".
   */
  type: "Recall";
  /**
   * RecallPolicy in force when the snapshot was taken.
   */
  policy: RecallPolicy;
}

/**
 * Snapshot of a routing policy: {"type": "Routing", "policy": RoutingPolicy}.
 *
 * Schema: `converge.PolicySnapshot.Routing`.
 */
export interface PolicySnapshotRouting {
  /**
   * Variant tag: always "Routing".
   */
  type: "Routing";
  /**
   * RoutingPolicy in force when the snapshot was taken.
   */
  policy: RoutingPolicy;
}

/**
 * Identifier of a kernel proposal. A transparent string newtype of converge-pack with no validation in serde.
 *
 * Schema: `converge.ProposalId`.
 */
export type ProposalId = string;

/**
 * What kind of content a kernel proposal carries (Rust default: Reasoning).
 *
 * Schema: `converge.ProposalKind`.
 */
export type ProposalKind = "Claims" | "Plan" | "Classification" | "Evaluation" | "DraftDocument" | "Reasoning";

/**
 * Resource budgets of one recall execution (Rust default: 100 ms, 3 embedding calls, 100 tokens per candidate).
 *
 * Schema: `converge.RecallBudgets`.
 */
export interface RecallBudgets {
  /**
   * Maximum latency in milliseconds.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  max_latency_ms: number;
  /**
   * Maximum number of embedding calls.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  max_embedding_calls: number;
  /**
   * Maximum tokens injected per candidate.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  max_tokens_per_candidate: number;
}

/**
 * Component that consumes a recall result (Rust default: Kernel).
 *
 * Schema: `converge.RecallConsumer`.
 */
export type RecallConsumer = "Kernel" | "Analytics" | "Trainer";

/**
 * Recall policy: whether recall runs, its limits, budgets and allowed uses (HEAD / 3.9 shape, with a UnitInterval threshold and prior_weight).
 *
 * Schema: `converge.RecallPolicy`.
 */
export interface RecallPolicy {
  /**
   * Whether recall is enabled.
   */
  enabled: boolean;
  /**
   * Maximum number of candidates in total.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  max_k_total: number;
  /**
   * Maximum number of tokens injected into a prompt.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  max_tokens_injection: number;
  /**
   * Minimum score a candidate needs, in [0, 1].
   */
  min_score_threshold: UnitInterval;
  /**
   * Resource budgets.
   */
  budgets: RecallBudgets;
  /**
   * Uses recall results may be put to; ["RuntimeAugmentation"] when absent on input.
   */
  allowed_uses?: RecallUse[];
  /**
   * Weight of prior experience in [0, 1] (HEAD only); 1.0 when absent on input.
   */
  prior_weight?: UnitInterval;
}

/**
 * Full provenance of one recall execution: hashes of every input, the policy, what was returned and why the search stopped.
 *
 * Schema: `converge.RecallProvenanceEnvelope`.
 */
export interface RecallProvenanceEnvelope {
  /**
   * Hash of the query.
   */
  query_hash: string;
  /**
   * Hash of the text that was embedded.
   */
  embedding_input_hash: string;
  /**
   * Hash of the resulting embedding.
   */
  embedding_hash: string;
  /**
   * Identifier of the embedder.
   */
  embedder_id: string;
  /**
   * Hash of the embedder settings.
   */
  embedder_settings_hash: string;
  /**
   * Fingerprint of the corpus searched.
   */
  corpus_fingerprint: string;
  /**
   * Hash of the recall policy in force, as a plain string (not a ContentHash).
   */
  policy_snapshot_hash: string;
  /**
   * What the results are used for; RuntimeAugmentation when absent on input.
   */
  purpose?: RecallUse;
  /**
   * Components consuming the results; empty when absent on input.
   */
  consumers?: RecallConsumer[];
  /**
   * Scores of the returned candidates, in rank order.
   */
  candidate_scores: CandidateScore[];
  /**
   * Number of candidates examined.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  candidates_searched: number;
  /**
   * Number of candidates returned.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  candidates_returned: number;
  /**
   * Why the search stopped, when recorded (recall's StopReason, not the engine's).
   */
  stop_reason?: RecallStopReason | null;
  /**
   * Recall latency in milliseconds.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  latency_ms: number;
  /**
   * When the recall ran, as a plain string.
   */
  timestamp: string;
  /**
   * Signature of the envelope: "unsigned", "sha256:<hash>" or "sig://<key-id>/<signature>"; "unsigned" when absent on input.
   */
  signature?: string;
}

/**
 * Query sent to the recall (retrieval) system.
 *
 * Schema: `converge.RecallQuery`.
 */
export interface RecallQuery {
  /**
   * Text searched for.
   */
  query_text: string;
  /**
   * Maximum number of candidates wanted.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  top_k: number;
  /**
   * Decision step the recall serves, when known.
   */
  step_context?: DecisionStep | null;
  /**
   * Tenant the search is restricted to, as a plain string.
   */
  tenant_scope?: string | null;
}

/**
 * Why a recall search stopped returning candidates. This is recall's StopReason (converge-core recall.rs), distinct from the engine's converge.StopReason.
 *
 * Schema: `converge.recall.StopReason`.
 */
export type RecallStopReason =
  | "ReachedTopK"
  | "BudgetExhausted"
  | "BelowThreshold"
  | "TokenLimitReached"
  | "LatencyExceeded"
  | "EmbedderNotDeterministic"
  | "TenantScopeMissing";

/**
 * Which recalled candidates were considered and injected into a local generation.
 *
 * Schema: `converge.RecallTrace`.
 */
export interface RecallTrace {
  /**
   * Fingerprint of the recall corpus searched.
   */
  corpus_fingerprint: string;
  /**
   * Identifiers of the candidates considered, in rank order.
   */
  candidate_ids: string[];
  /**
   * Scores of the candidates (f32), parallel to candidate_ids.
   */
  candidate_scores: number[];
  /**
   * How many candidates were injected into the prompt.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  injected_count: number;
}

/**
 * Purpose a recall result may be used for: augmenting a runtime prompt or selecting training candidates (Rust default: RuntimeAugmentation).
 *
 * Schema: `converge.RecallUse`.
 */
export type RecallUse = "RuntimeAugmentation" | "TrainingCandidateSelection";

/**
 * Audit record of a generation by a remote provider; replay is at best approximate.
 *
 * Schema: `converge.RemoteReplayTrace`.
 */
export interface RemoteReplayTrace {
  /**
   * Name of the provider (e.g. "openai").
   */
  provider_name: string;
  /**
   * Provider's model identifier.
   */
  provider_model_id: string;
  /**
   * Fingerprint of the request sent.
   */
  request_fingerprint: string;
  /**
   * Fingerprint of the response received.
   */
  response_fingerprint: string;
  /**
   * Sampling temperature requested (f32).
   */
  temperature: number;
  /**
   * Nucleus sampling probability mass requested (f32).
   */
  top_p: number;
  /**
   * Maximum number of tokens requested.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  max_tokens: number;
  /**
   * Provider-specific metadata (e.g. system_fingerprint); key order is not significant.
   */
  provider_metadata: {
    [k: string]: string;
  };
  /**
   * Whether the request had to be retried.
   */
  retried: boolean;
  /**
   * Reasons for the retries, in order.
   */
  retry_reasons: string[];
  /**
   * How faithfully this generation can be replayed.
   */
  replayability: Replayability;
}

/**
 * Replay trace of one generation, local or remote. Internally tagged on "type": {"type": "Local" | "Remote", ...fields of the trace}.
 *
 * Schema: `converge.ReplayTrace`.
 */
export type ReplayTrace = ReplayTraceLocal | ReplayTraceRemote;

/**
 * Trace of a generation by a local model: the fields of LocalReplayTrace plus "type": "Local".
 *
 * Schema: `converge.ReplayTrace.Local`.
 */
export type ReplayTraceLocal = LocalReplayTrace & {
  /**
   * Variant tag: always "Local"; the other keys are the fields of LocalReplayTrace.
   */
  type: "Local";
};

/**
 * Trace of a generation by a remote provider: the fields of RemoteReplayTrace plus "type": "Remote".
 *
 * Schema: `converge.ReplayTrace.Remote`.
 */
export type ReplayTraceRemote = RemoteReplayTrace & {
  /**
   * Variant tag: always "Remote"; the other keys are the fields of RemoteReplayTrace.
   */
  type: "Remote";
};

/**
 * How faithfully a recorded generation can be replayed: bit-exact, best effort, or not at all (the variant named None is the string "None", not null).
 *
 * Schema: `converge.Replayability`.
 */
export type Replayability = "Deterministic" | "BestEffort" | "None";

/**
 * Why the replayability of a trace was downgraded.
 *
 * Schema: `converge.ReplayabilityDowngradeReason`.
 */
export type ReplayabilityDowngradeReason =
  | "RecallEmbedderNotDeterministic"
  | "RecallCorpusNotContentAddressed"
  | "RemoteBackendUsed"
  | "NoSeedProvided"
  | "MultipleReasons";

/**
 * Risk tier of a request, used as a routing key to choose backends.
 *
 * Schema: `converge.RiskTier`.
 */
export type RiskTier = "Low" | "Medium" | "High" | "Critical";

/**
 * Assessed impact of an artifact rollback. All non-Option fields are required on the wire (the Rust Default is not a serde default).
 *
 * Schema: `converge.RollbackImpact`.
 */
export interface RollbackImpact {
  /**
   * Number of affected outputs, when known.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  affected_count?: number | null;
  /**
   * Quality problems observed.
   */
  quality_issues: string[];
  /**
   * Whether outputs produced with the artifact are invalidated.
   */
  invalidates_outputs: boolean;
  /**
   * Severity of the problem.
   */
  severity: RollbackSeverity;
  /**
   * Tenants affected, as plain strings.
   */
  affected_tenants: string[];
}

/**
 * Record of a governed artifact being rolled back.
 *
 * Schema: `converge.RollbackRecord`.
 */
export interface RollbackRecord {
  /**
   * Artifact rolled back, as a plain string.
   */
  artifact_id: string;
  /**
   * State the artifact was in before the rollback.
   */
  previous_state: GovernedArtifactState;
  /**
   * When the rollback happened, as a plain string.
   */
  rolled_back_at: string;
  /**
   * Who performed the rollback.
   */
  actor: string;
  /**
   * Why the artifact was rolled back.
   */
  reason: string;
  /**
   * Assessed impact.
   */
  impact: RollbackImpact;
  /**
   * Incident reference, if any.
   */
  incident_ref?: string | null;
  /**
   * Tenant concerned, as a plain string, if any.
   */
  tenant_id?: string | null;
}

/**
 * Severity of the problem that caused a rollback (Rust default: Low).
 *
 * Schema: `converge.RollbackSeverity`.
 */
export type RollbackSeverity = "Low" | "Medium" | "High" | "Critical";

/**
 * Routing policy choosing a backend per truth, risk tier and data classification (Rust default: empty maps, default backend "local").
 *
 * Schema: `converge.RoutingPolicy`.
 */
export interface RoutingPolicy {
  /**
   * Preferred backend per truth name.
   */
  truth_preferences: {
    [k: string]: string;
  };
  /**
   * Allowed backends per risk tier; keys are RiskTier names.
   */
  risk_tier_backends: {
    [k: string]: string[];
  };
  /**
   * Allowed backends per data classification; keys are DataClassification names.
   */
  data_classification_backends: {
    [k: string]: string[];
  };
  /**
   * Backend used when no rule applies.
   */
  default_backend: string;
}

/**
 * Sampling parameters of a local generation (Rust default: temperature 0.0, top_p 1.0, no top_k).
 *
 * Schema: `converge.SamplerParams`.
 */
export interface SamplerParams {
  /**
   * Sampling temperature (f32).
   */
  temperature: number;
  /**
   * Nucleus sampling probability mass (f32).
   */
  top_p: number;
  /**
   * Top-k cut-off, when used.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  top_k?: number | null;
}

/**
 * Why a converge engine run stopped (converge-core gates::stop::StopReason, the engine's stop reason; recall's is converge.recall.StopReason). Externally tagged, 13 variants: a bare string for Converged and UserCancelled, {"Variant": {fields}} for the others.
 *
 * Schema: `converge.StopReason`.
 */
export type StopReason =
  | StopReasonUnit
  | StopReasonCriteriaMet
  | StopReasonHumanInterventionRequired
  | StopReasonCycleBudgetExhausted
  | StopReasonFactBudgetExhausted
  | StopReasonTokenBudgetExhausted
  | StopReasonTimeBudgetExhausted
  | StopReasonInvariantViolated
  | StopReasonPromotionRejected
  | StopReasonError
  | StopReasonAgentRefused
  | StopReasonHitlGatePending;

/**
 * Engine run stopped because an agent refused to act. Written as {"AgentRefused": {fields}}.
 *
 * Schema: `converge.StopReason.AgentRefused`.
 */
export interface StopReasonAgentRefused {
  /**
   * Fields of the AgentRefused stop reason.
   */
  AgentRefused: StopReasonAgentRefusedFields;
}

/**
 * Fields of the AgentRefused variant of the engine StopReason. Engine run stopped because an agent refused to act.
 *
 * Schema: `converge.StopReason.AgentRefused.Fields`.
 */
export interface StopReasonAgentRefusedFields {
  /**
   * Agent (suggestor) that refused, as a plain string.
   */
  agent_id: string;
  /**
   * Why the agent refused.
   */
  reason: string;
}

/**
 * Engine run stopped because the listed convergence criteria were met. Written as {"CriteriaMet": {fields}}.
 *
 * Schema: `converge.StopReason.CriteriaMet`.
 */
export interface StopReasonCriteriaMet {
  /**
   * Fields of the CriteriaMet stop reason.
   */
  CriteriaMet: StopReasonCriteriaMetFields;
}

/**
 * Fields of the CriteriaMet variant of the engine StopReason. Engine run stopped because the listed convergence criteria were met.
 *
 * Schema: `converge.StopReason.CriteriaMet.Fields`.
 */
export interface StopReasonCriteriaMetFields {
  /**
   * Criteria that were satisfied.
   */
  criteria: CriterionId[];
}

/**
 * Engine run stopped because it ran out of cycles. Written as {"CycleBudgetExhausted": {fields}}.
 *
 * Schema: `converge.StopReason.CycleBudgetExhausted`.
 */
export interface StopReasonCycleBudgetExhausted {
  /**
   * Fields of the CycleBudgetExhausted stop reason.
   */
  CycleBudgetExhausted: StopReasonCycleBudgetExhaustedFields;
}

/**
 * Fields of the CycleBudgetExhausted variant of the engine StopReason. Engine run stopped because it ran out of cycles.
 *
 * Schema: `converge.StopReason.CycleBudgetExhausted.Fields`.
 */
export interface StopReasonCycleBudgetExhaustedFields {
  /**
   * Number of cycles executed before stopping.
   */
  cycles_executed: number;
  /**
   * Configured maximum number of cycles.
   */
  limit: number;
}

/**
 * Engine run stopped on an error. Written as {"Error": {fields}}.
 *
 * Schema: `converge.StopReason.Error`.
 */
export interface StopReasonError {
  /**
   * Fields of the Error stop reason.
   */
  Error: StopReasonErrorFields;
}

/**
 * Fields of the Error variant of the engine StopReason. Engine run stopped on an error.
 *
 * Schema: `converge.StopReason.Error.Fields`.
 */
export interface StopReasonErrorFields {
  /**
   * Error message.
   */
  message: string;
  /**
   * Category of the error.
   */
  category: ErrorCategory;
}

/**
 * Engine run stopped because the context reached its fact limit. Written as {"FactBudgetExhausted": {fields}}.
 *
 * Schema: `converge.StopReason.FactBudgetExhausted`.
 */
export interface StopReasonFactBudgetExhausted {
  /**
   * Fields of the FactBudgetExhausted stop reason.
   */
  FactBudgetExhausted: StopReasonFactBudgetExhaustedFields;
}

/**
 * Fields of the FactBudgetExhausted variant of the engine StopReason. Engine run stopped because the context reached its fact limit.
 *
 * Schema: `converge.StopReason.FactBudgetExhausted.Fields`.
 */
export interface StopReasonFactBudgetExhaustedFields {
  /**
   * Number of facts in the context when the engine stopped.
   */
  facts_count: number;
  /**
   * Configured maximum number of facts.
   */
  limit: number;
}

/**
 * Engine run paused on a human-in-the-loop gate that is waiting for a decision. Written as {"HitlGatePending": {fields}}.
 *
 * Schema: `converge.StopReason.HitlGatePending`.
 */
export interface StopReasonHitlGatePending {
  /**
   * Fields of the HitlGatePending stop reason.
   */
  HitlGatePending: StopReasonHitlGatePendingFields;
}

/**
 * Fields of the HitlGatePending variant of the engine StopReason. Engine run paused on a human-in-the-loop gate that is waiting for a decision.
 *
 * Schema: `converge.StopReason.HitlGatePending.Fields`.
 */
export interface StopReasonHitlGatePendingFields {
  /**
   * Gate waiting for a decision.
   */
  gate_id: GateId;
  /**
   * Proposal the gate is about.
   */
  proposal_id: ProposalId;
  /**
   * Short summary shown to the human approver.
   */
  summary: string;
  /**
   * Agent that raised the proposal, as a plain string.
   */
  agent_id: string;
  /**
   * Engine cycle in which the gate was raised.
   */
  cycle: number;
}

/**
 * Engine run stopped because some criteria need a human decision at the listed approval points. Written as {"HumanInterventionRequired": {fields}}.
 *
 * Schema: `converge.StopReason.HumanInterventionRequired`.
 */
export interface StopReasonHumanInterventionRequired {
  /**
   * Fields of the HumanInterventionRequired stop reason.
   */
  HumanInterventionRequired: StopReasonHumanInterventionRequiredFields;
}

/**
 * Fields of the HumanInterventionRequired variant of the engine StopReason. Engine run stopped because some criteria need a human decision at the listed approval points.
 *
 * Schema: `converge.StopReason.HumanInterventionRequired.Fields`.
 */
export interface StopReasonHumanInterventionRequiredFields {
  /**
   * Criteria that could not be decided without a human.
   */
  criteria: CriterionId[];
  /**
   * Approval points waiting for a human decision.
   */
  approval_refs: ApprovalPointId[];
}

/**
 * Engine run stopped because an invariant was violated. Written as {"InvariantViolated": {fields}}.
 *
 * Schema: `converge.StopReason.InvariantViolated`.
 */
export interface StopReasonInvariantViolated {
  /**
   * Fields of the InvariantViolated stop reason.
   */
  InvariantViolated: StopReasonInvariantViolatedFields;
}

/**
 * Fields of the InvariantViolated variant of the engine StopReason. Engine run stopped because an invariant was violated.
 *
 * Schema: `converge.StopReason.InvariantViolated.Fields`.
 */
export interface StopReasonInvariantViolatedFields {
  /**
   * Class of the violated invariant.
   */
  class: InvariantClass;
  /**
   * Name of the violated invariant.
   */
  name: string;
  /**
   * Human-readable explanation of the violation.
   */
  reason: string;
}

/**
 * Engine run stopped because a proposal could not be promoted to a fact. Written as {"PromotionRejected": {fields}}.
 *
 * Schema: `converge.StopReason.PromotionRejected`.
 */
export interface StopReasonPromotionRejected {
  /**
   * Fields of the PromotionRejected stop reason.
   */
  PromotionRejected: StopReasonPromotionRejectedFields;
}

/**
 * Fields of the PromotionRejected variant of the engine StopReason. Engine run stopped because a proposal could not be promoted to a fact.
 *
 * Schema: `converge.StopReason.PromotionRejected.Fields`.
 */
export interface StopReasonPromotionRejectedFields {
  /**
   * Proposal whose promotion was rejected.
   */
  proposal_id: ProposalId;
  /**
   * Why the promotion was rejected.
   */
  reason: string;
}

/**
 * Engine run stopped because it ran out of wall-clock time. Written as {"TimeBudgetExhausted": {fields}}.
 *
 * Schema: `converge.StopReason.TimeBudgetExhausted`.
 */
export interface StopReasonTimeBudgetExhausted {
  /**
   * Fields of the TimeBudgetExhausted stop reason.
   */
  TimeBudgetExhausted: StopReasonTimeBudgetExhaustedFields;
}

/**
 * Fields of the TimeBudgetExhausted variant of the engine StopReason. Engine run stopped because it ran out of wall-clock time.
 *
 * Schema: `converge.StopReason.TimeBudgetExhausted.Fields`.
 */
export interface StopReasonTimeBudgetExhaustedFields {
  /**
   * Elapsed run time in milliseconds.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  duration_ms: number;
  /**
   * Configured time budget in milliseconds.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  limit_ms: number;
}

/**
 * Engine run stopped because it consumed its token budget. Written as {"TokenBudgetExhausted": {fields}}.
 *
 * Schema: `converge.StopReason.TokenBudgetExhausted`.
 */
export interface StopReasonTokenBudgetExhausted {
  /**
   * Fields of the TokenBudgetExhausted stop reason.
   */
  TokenBudgetExhausted: StopReasonTokenBudgetExhaustedFields;
}

/**
 * Fields of the TokenBudgetExhausted variant of the engine StopReason. Engine run stopped because it consumed its token budget.
 *
 * Schema: `converge.StopReason.TokenBudgetExhausted.Fields`.
 */
export interface StopReasonTokenBudgetExhaustedFields {
  /**
   * Tokens consumed when the engine stopped.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  tokens_consumed: number;
  /**
   * Configured token budget.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  limit: number;
}

/**
 * Engine stop reasons without fields, written as bare strings: the run converged, or the user cancelled it.
 *
 * Schema: `converge.StopReason.Unit`.
 */
export type StopReasonUnit = "Converged" | "UserCancelled";

/**
 * Identifier of the tenant an event or query is scoped to. A transparent string newtype of converge-pack with no validation in serde.
 *
 * Schema: `converge.TenantId`.
 */
export type TenantId = string;

/**
 * Identifier of a tension (contradiction) between facts, from converge-core types::tension. A transparent string newtype with no validation in serde.
 *
 * Schema: `converge.TensionId`.
 */
export type TensionId = string;

/**
 * Inclusive time range filter; bounds are compared as strings (ISO-8601 by convention).
 *
 * Schema: `converge.TimeRange`.
 */
export interface TimeRange {
  /**
   * Earliest occurrence time included, if bounded.
   */
  start?: Timestamp | null;
  /**
   * Latest occurrence time included, if bounded.
   */
  end?: Timestamp | null;
}

/**
 * What happens to a pending human-in-the-loop gate when its timeout expires.
 *
 * Schema: `converge.TimeoutAction`.
 */
export type TimeoutAction = "Reject" | "Approve" | "Escalate";

/**
 * How long a gate waits for a human decision and what happens afterwards (Rust default: 1800 seconds, Reject).
 *
 * Schema: `converge.TimeoutPolicy`.
 */
export interface TimeoutPolicy {
  /**
   * Seconds to wait for a decision.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  timeout_secs: number;
  /**
   * Action taken when the timeout expires.
   */
  action: TimeoutAction;
}

/**
 * Point in time as an opaque string: ISO-8601 by convention ("1970-01-01T00:00:00Z" is the epoch default), but converge 3.7 writes "<unix secs>Z" and 3.9 "lamport:<n>" from Timestamp::now(). Any string is accepted; no validation.
 *
 * Schema: `converge.Timestamp`.
 */
export type Timestamp = string;

/**
 * Identifier under which a replay trace is recorded and later looked up. A transparent string newtype of converge-pack with no validation in serde.
 *
 * Schema: `converge.TraceLinkId`.
 */
export type TraceLinkId = string;

/**
 * Finite floating-point number in the inclusive range 0.0..=1.0 (converge-pack 3.9 UnitInterval, a transparent f64 validated on deserialize). Integers are accepted on input and re-emitted as floats.
 *
 * Schema: `converge.UnitInterval`.
 */
export type UnitInterval = number;
