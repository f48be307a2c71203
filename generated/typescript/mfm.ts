// Generated from schemas/mfm/ by json-schema-to-typescript (codegen/typescript.py).
// Do not edit: change the schemas and run `nox -s bindings_ts`.
//
// One type per schema, named like the Python models (`mfm.<Type>` with the dots removed).
// The types state shapes, literals and tagged unions; value rules (patterns, integer ranges,
// UTF-8 byte limits, closed objects) are checked by the JSON Schemas, not by TypeScript.

/**
 * Content-addressed identifier of an artifact in the artifact store. Hashing produces 64 lowercase hex characters (SHA-256 of the artifact bytes, no prefix), but mfm-machine 0.1.0 does not validate the string on deserialization, so any string is accepted.
 *
 * Schema: `mfm.ArtifactId`.
 */
export type ArtifactId = string;

/**
 * Classification of a stored artifact, used for retention, validation and output handling; not part of the artifact's content address.
 *
 * Schema: `mfm.ArtifactKind`.
 */
export type ArtifactKind = ArtifactKindUnit | ArtifactKindOther;

/**
 * Operation- or backend-specific artifact kind, written `{"Other": <name>}`.
 *
 * Schema: `mfm.ArtifactKind.Other`.
 */
export interface ArtifactKindOther {
  /**
   * Name of the specific artifact kind.
   */
  Other: string;
}

/**
 * Built-in artifact kinds: `Manifest`, `ContextSnapshot`, `FactPayload`, `SecretPayload` (ciphertext only, never plaintext) and `Output` (user-facing).
 *
 * Schema: `mfm.ArtifactKind.Unit`.
 */
export type ArtifactKindUnit = "Manifest" | "ContextSnapshot" | "FactPayload" | "SecretPayload" | "Output";

/**
 * Standard payload of an `artifact_written` domain event: an artifact was written to the artifact store.
 *
 * Schema: `mfm.ArtifactWritten`.
 */
export interface ArtifactWritten {
  /**
   * Artifact that was written.
   */
  artifact_id: ArtifactId;
  /**
   * Kind assigned to the written artifact.
   */
  kind: ArtifactKind;
  /**
   * Operation-defined metadata about the artifact (any JSON).
   */
  meta: unknown;
}

/**
 * Delay policy applied between retries of a retryable failure: a fixed delay or an exponentially growing one with a cap.
 *
 * Schema: `mfm.BackoffPolicy`.
 */
export type BackoffPolicy = BackoffPolicyFixed | BackoffPolicyExponential;

/**
 * Exponential backoff: the delay grows from `base_delay` until it saturates at `max_delay`.
 *
 * Schema: `mfm.BackoffPolicy.Exponential`.
 */
export interface BackoffPolicyExponential {
  /**
   * Fields of the exponential backoff.
   */
  Exponential: BackoffPolicyExponentialFields;
}

/**
 * Field object of the struct variant `BackoffPolicy::Exponential`. Exponential backoff: the delay grows from `base_delay` until it saturates at `max_delay`.
 *
 * Schema: `mfm.BackoffPolicy.Exponential.Fields`.
 */
export interface BackoffPolicyExponentialFields {
  /**
   * Delay of the first exponential retry step.
   */
  base_delay: Duration;
  /**
   * Cap on the retry delay once the exponential curve saturates.
   */
  max_delay: Duration;
}

/**
 * Fixed backoff: the same delay before every retry.
 *
 * Schema: `mfm.BackoffPolicy.Fixed`.
 */
export interface BackoffPolicyFixed {
  /**
   * Fields of the fixed backoff.
   */
  Fixed: BackoffPolicyFixedFields;
}

/**
 * Field object of the struct variant `BackoffPolicy::Fixed`. Fixed backoff: the same delay before every retry.
 *
 * Schema: `mfm.BackoffPolicy.Fixed.Fields`.
 */
export interface BackoffPolicyFixedFields {
  /**
   * Delay applied before each retry.
   */
  delay: Duration;
}

/**
 * Reproducibility metadata of the build that runs an operation; every item is optional except the (possibly empty) environment allowlist.
 *
 * Schema: `mfm.BuildProvenance`.
 */
export interface BuildProvenance {
  /**
   * Git commit of the build, or null when unknown.
   */
  git_commit?: string | null;
  /**
   * Hash of `Cargo.lock`, or null when not captured.
   */
  cargo_lock_hash?: string | null;
  /**
   * Hash of `flake.lock`, or null when not captured.
   */
  flake_lock_hash?: string | null;
  /**
   * Rust compiler version used for the build, or null.
   */
  rustc_version?: string | null;
  /**
   * Target triple of the built artifact, or null.
   */
  target_triple?: string | null;
  /**
   * Names of environment variables intentionally allowed into provenance.
   */
  env_allowlist: string[];
}

/**
 * Standard payload of a `child_run_completed` domain event: a nested run finished.
 *
 * Schema: `mfm.ChildRunCompleted`.
 */
export interface ChildRunCompleted {
  /**
   * Child run that finished.
   */
  child_run_id: RunId;
  /**
   * Final status of the child run.
   */
  status: RunStatus;
  /**
   * Final snapshot of the child run, or null.
   */
  final_snapshot_id?: ArtifactId | null;
}

/**
 * Standard payload of a `child_run_spawned` domain event: a nested run was created (reserved for nested machines).
 *
 * Schema: `mfm.ChildRunSpawned`.
 */
export interface ChildRunSpawned {
  /**
   * Run that spawned the child.
   */
  parent_run_id: RunId;
  /**
   * Newly created child run.
   */
  child_run_id: RunId;
  /**
   * Manifest artifact of the child run.
   */
  child_manifest_id: ArtifactId;
}

/**
 * Run-level policy for persisting context snapshots; `AfterEveryState` (the default) keeps resume free of replay.
 *
 * Schema: `mfm.ContextCheckpointing`.
 */
export type ContextCheckpointing = ContextCheckpointingUnit | ContextCheckpointingCustom;

/**
 * Custom checkpointing policy (reserved for periodic or tag-based policies), written `{"Custom": <name>}`.
 *
 * Schema: `mfm.ContextCheckpointing.Custom`.
 */
export interface ContextCheckpointingCustom {
  /**
   * Name of the custom checkpointing policy.
   */
  Custom: string;
}

/**
 * Built-in checkpointing policies: `AfterEveryState` persists a fresh snapshot after every state transition.
 *
 * Schema: `mfm.ContextCheckpointing.Unit`.
 */
export type ContextCheckpointingUnit = "AfterEveryState";

/**
 * Error raised while reading, writing or (de)serializing the execution context.
 *
 * Schema: `mfm.ContextError`.
 */
export type ContextError = ContextErrorMissingKey | ContextErrorSerialization | ContextErrorOther;

/**
 * A requested context key was not present.
 *
 * Schema: `mfm.ContextError.MissingKey`.
 */
export interface ContextErrorMissingKey {
  /**
   * Fields of the missing-key error.
   */
  MissingKey: ContextErrorMissingKeyFields;
}

/**
 * Field object of the struct variant `ContextError::MissingKey`. A requested context key was not present.
 *
 * Schema: `mfm.ContextError.MissingKey.Fields`.
 */
export interface ContextErrorMissingKeyFields {
  /**
   * Context key that was not present.
   */
  key: ContextKey;
  /**
   * Structured details about the lookup failure.
   */
  info: ErrorInfo;
}

/**
 * Any other context failure.
 *
 * Schema: `mfm.ContextError.Other`.
 */
export interface ContextErrorOther {
  /**
   * Structured error payload.
   */
  Other: ErrorInfo;
}

/**
 * JSON serialization or deserialization of a context value failed (codes `context_serialize_failed` / `context_deserialize_failed`).
 *
 * Schema: `mfm.ContextError.Serialization`.
 */
export interface ContextErrorSerialization {
  /**
   * Structured error payload.
   */
  Serialization: ErrorInfo;
}

/**
 * Namespaced key of an entry in the execution context, e.g. `in.wallet`. Not validated.
 *
 * Schema: `mfm.ContextKey`.
 */
export type ContextKey = string;

/**
 * Plan edge `from -> to`: state `from` must complete before state `to` can run.
 *
 * Schema: `mfm.DependencyEdge`.
 */
export interface DependencyEdge {
  /**
   * Upstream state that must complete first.
   */
  from: StateId;
  /**
   * Downstream state that depends on `from`.
   */
  to: StateId;
}

/**
 * Which dependency candidate is chosen as the recovery point: the latest, the earliest, or the latest one that completed successfully.
 *
 * Schema: `mfm.DependencyStrategy`.
 */
export type DependencyStrategy = "Latest" | "Earliest" | "LatestSuccessful";

/**
 * Operation-defined event emitted by a state handler during a state attempt; verbosity is governed by the event profile. The payload must be canonical-JSON compatible and secret-free; large payloads go to artifacts referenced by `payload_ref`.
 *
 * Schema: `mfm.DomainEvent`.
 */
export interface DomainEvent {
  /**
   * Event name defined by the operation or a shared convention (standard: `fact_recorded`, `artifact_written`, `op_boundary`, `child_run_spawned`, `child_run_completed`).
   */
  name: string;
  /**
   * Event payload: any canonical-JSON value (for standard names, the matching payload type).
   */
  payload: unknown;
  /**
   * Artifact holding a large payload, or null.
   */
  payload_ref?: ArtifactId | null;
}

/**
 * A `std::time::Duration` as serde writes it: whole seconds plus the sub-second remainder in nanoseconds. serde rejects unknown keys here, and carries input nanos of 1e9 or more into `secs`.
 *
 * Schema: `mfm.Duration`.
 */
export interface Duration {
  /**
   * Whole seconds.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  secs: number;
  /**
   * Sub-second part in nanoseconds; below 1000000000 on output, larger input values are carried into `secs`.
   */
  nanos: number;
}

/**
 * Coarse category of an error used for stable handling and policy: input parsing, on-chain, off-chain, RPC, storage, context or unknown.
 *
 * Schema: `mfm.ErrorCategory`.
 */
export type ErrorCategory = "ParsingInput" | "OnChain" | "OffChain" | "Rpc" | "Storage" | "Context" | "Unknown";

/**
 * Stable machine-readable error code, e.g. `missing_fact_key`. Not validated.
 *
 * Schema: `mfm.ErrorCode`.
 */
export type ErrorCode = string;

/**
 * Structured, secret-free error payload shared by every mfm error type; safe to persist in events.
 *
 * Schema: `mfm.ErrorInfo`.
 */
export interface ErrorInfo {
  /**
   * Stable machine-readable error code.
   */
  code: ErrorCode;
  /**
   * High-level category for policy and display.
   */
  category: ErrorCategory;
  /**
   * Whether the failed operation may safely be retried.
   */
  retryable: boolean;
  /**
   * Human-readable message, safe to persist and display.
   */
  message: string;
  /**
   * Optional structured details (any JSON, secret-free), or null.
   */
  details?: unknown | null;
}

/**
 * Event stored at one sequence number of a run: an engine kernel event or an operation-defined domain event.
 *
 * Schema: `mfm.Event`.
 */
export type Event = EventKernel | EventDomain;

/**
 * Operation-defined event, written `{"Domain": <DomainEvent>}`.
 *
 * Schema: `mfm.Event.Domain`.
 */
export interface EventDomain {
  /**
   * Domain event.
   */
  Domain: DomainEvent;
}

/**
 * One record of a run's append-only event stream as stored by an event store: the run, a 1-based per-run sequence number, an informational timestamp and the event.
 *
 * Schema: `mfm.EventEnvelope`.
 */
export interface EventEnvelope {
  /**
   * Run the event belongs to.
   */
  run_id: RunId;
  /**
   * Per-run sequence number, 1-based and contiguous (an empty run has head 0).
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  seq: number;
  /**
   * Informational wall-clock timestamp in Unix milliseconds, or null; never used by replay.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  ts_millis?: number | null;
  /**
   * Event stored at this sequence number.
   */
  event: Event;
}

/**
 * Engine-level event, written `{"Kernel": <KernelEvent>}`.
 *
 * Schema: `mfm.Event.Kernel`.
 */
export interface EventKernel {
  /**
   * Kernel event.
   */
  Kernel: KernelEvent;
}

/**
 * Verbosity of the domain events a run emits; kernel events are always emitted. One of the built-in profiles or an operation-specific profile name.
 *
 * Schema: `mfm.EventProfile`.
 */
export type EventProfile = EventProfileUnit | EventProfileCustom;

/**
 * Operation-specific event profile, written `{"Custom": <name>}`.
 *
 * Schema: `mfm.EventProfile.Custom`.
 */
export interface EventProfileCustom {
  /**
   * Name of the operation-specific profile.
   */
  Custom: string;
}

/**
 * Built-in domain-event profiles: `Minimal`, `Normal` (the default surface) or `Verbose`.
 *
 * Schema: `mfm.EventProfile.Unit`.
 */
export type EventProfileUnit = "Minimal" | "Normal" | "Verbose";

/**
 * Scheduler policy for running ready states: one at a time, or an explicit fan-out/join (which the 0.1.0 runtime rejects as `unsupported_execution_mode`).
 *
 * Schema: `mfm.ExecutionMode`.
 */
export type ExecutionMode = ExecutionModeUnit | ExecutionModeFanOutJoin;

/**
 * Fan-out/join execution with bounded concurrency, avoiding concurrent writes to shared context.
 *
 * Schema: `mfm.ExecutionMode.FanOutJoin`.
 */
export interface ExecutionModeFanOutJoin {
  /**
   * Fields of the fan-out/join mode.
   */
  FanOutJoin: ExecutionModeFanOutJoinFields;
}

/**
 * Field object of the struct variant `ExecutionMode::FanOutJoin`. Fan-out/join execution with bounded concurrency, avoiding concurrent writes to shared context.
 *
 * Schema: `mfm.ExecutionMode.FanOutJoin.Fields`.
 */
export interface ExecutionModeFanOutJoinFields {
  /**
   * Maximum number of states run concurrently.
   */
  max_concurrency: number;
}

/**
 * Execution modes without parameters: `Sequential` runs one ready state at a time.
 *
 * Schema: `mfm.ExecutionMode.Unit`.
 */
export type ExecutionModeUnit = "Sequential";

/**
 * Namespaced key under which an external input (a fact) is recorded for replay, e.g. `mfm:evm:balance:1`. Not validated.
 *
 * Schema: `mfm.FactKey`.
 */
export type FactKey = string;

/**
 * Standard payload of a `fact_recorded` domain event: an external input was recorded as an artifact under a fact key.
 *
 * Schema: `mfm.FactRecorded`.
 */
export interface FactRecorded {
  /**
   * Fact key that was recorded.
   */
  key: FactKey;
  /**
   * Artifact holding the recorded payload.
   */
  payload_id: ArtifactId;
  /**
   * Operation-defined metadata about the fact (any JSON).
   */
  meta: unknown;
}

/**
 * Idempotency declaration of a (side-effecting) state: none, or a stable key used to deduplicate externally visible effects.
 *
 * Schema: `mfm.Idempotency`.
 */
export type Idempotency = IdempotencyUnit | IdempotencyKey;

/**
 * Idempotency key variant, written `{"Key": <key>}`.
 *
 * Schema: `mfm.Idempotency.Key`.
 */
export interface IdempotencyKey {
  /**
   * Stable key used for dedupe, e.g. a transaction intent hash.
   */
  Key: string;
}

/**
 * Unit variant `None`: the state declares no idempotency key (a variant named None, not null).
 *
 * Schema: `mfm.Idempotency.Unit`.
 */
export type IdempotencyUnit = "None";

/**
 * Opaque IO request issued by a state through the IO provider; typed adapters are built on top by collectors.
 *
 * Schema: `mfm.IoCall`.
 */
export interface IoCall {
  /**
   * IO namespace, e.g. `http`, `jsonrpc`, `exec`, `nix.exec`.
   */
  namespace: string;
  /**
   * Request payload: any canonical-JSON value, typed by the caller.
   */
  request: unknown;
  /**
   * Fact key under which the response is recorded and replayed, or null (replay of deterministic IO fails with `MissingFactKey` without one).
   */
  fact_key?: FactKey | null;
}

/**
 * Error of a live or replay IO provider.
 *
 * Schema: `mfm.IoError`.
 */
export type IoError = IoErrorMissingFactKey | IoErrorMissingFact | IoErrorTransport | IoErrorRateLimited | IoErrorOther;

/**
 * A requested recorded fact was not found.
 *
 * Schema: `mfm.IoError.MissingFact`.
 */
export interface IoErrorMissingFact {
  /**
   * Fields of the missing-fact error.
   */
  MissingFact: IoErrorMissingFactFields;
}

/**
 * Field object of the struct variant `IoError::MissingFact`. A requested recorded fact was not found.
 *
 * Schema: `mfm.IoError.MissingFact.Fields`.
 */
export interface IoErrorMissingFactFields {
  /**
   * Key of the fact that was not found.
   */
  key: FactKey;
  /**
   * Structured details about the lookup failure.
   */
  info: ErrorInfo;
}

/**
 * Replay was asked to perform deterministic IO without a fact key.
 *
 * Schema: `mfm.IoError.MissingFactKey`.
 */
export interface IoErrorMissingFactKey {
  /**
   * Structured error payload.
   */
  MissingFactKey: ErrorInfo;
}

/**
 * Any other IO failure.
 *
 * Schema: `mfm.IoError.Other`.
 */
export interface IoErrorOther {
  /**
   * Structured error payload.
   */
  Other: ErrorInfo;
}

/**
 * Rate limit reported by the underlying transport.
 *
 * Schema: `mfm.IoError.RateLimited`.
 */
export interface IoErrorRateLimited {
  /**
   * Structured error payload.
   */
  RateLimited: ErrorInfo;
}

/**
 * Transport failure: the underlying transport returned an error.
 *
 * Schema: `mfm.IoError.Transport`.
 */
export interface IoErrorTransport {
  /**
   * Structured error payload.
   */
  Transport: ErrorInfo;
}

/**
 * Whether a run may perform live IO (recording facts for replay) or must replay every deterministic IO from recorded facts.
 *
 * Schema: `mfm.IoMode`.
 */
export type IoMode = "Live" | "Replay";

/**
 * Opaque IO response returned by the IO provider.
 *
 * Schema: `mfm.IoResult`.
 */
export interface IoResult {
  /**
   * Response payload: any canonical-JSON value.
   */
  response: unknown;
  /**
   * Artifact holding the recorded response, or null when not recorded.
   */
  recorded_payload_id?: ArtifactId | null;
}

/**
 * Engine-level event required for resume and recovery: run start and completion, and the entry, completion or failure of each state attempt.
 *
 * Schema: `mfm.KernelEvent`.
 */
export type KernelEvent =
  | KernelEventRunStarted
  | KernelEventStateEntered
  | KernelEventStateCompleted
  | KernelEventStateFailed
  | KernelEventRunCompleted;

/**
 * Terminal status of the run.
 *
 * Schema: `mfm.KernelEvent.RunCompleted`.
 */
export interface KernelEventRunCompleted {
  /**
   * Fields of the run-completion event.
   */
  RunCompleted: KernelEventRunCompletedFields;
}

/**
 * Field object of the struct variant `KernelEvent::RunCompleted`. Terminal status of the run.
 *
 * Schema: `mfm.KernelEvent.RunCompleted.Fields`.
 */
export interface KernelEventRunCompletedFields {
  /**
   * Final status of the run.
   */
  status: RunStatus;
  /**
   * Final context snapshot, or null when none was produced.
   */
  final_snapshot_id?: ArtifactId | null;
}

/**
 * Start of a run, recording its manifest and initial context snapshot.
 *
 * Schema: `mfm.KernelEvent.RunStarted`.
 */
export interface KernelEventRunStarted {
  /**
   * Fields of the run-start event.
   */
  RunStarted: KernelEventRunStartedFields;
}

/**
 * Field object of the struct variant `KernelEvent::RunStarted`. Start of a run, recording its manifest and initial context snapshot.
 *
 * Schema: `mfm.KernelEvent.RunStarted.Fields`.
 */
export interface KernelEventRunStartedFields {
  /**
   * Operation executed by the run.
   */
  op_id: OpId;
  /**
   * Artifact id of the run manifest.
   */
  manifest_id: ArtifactId;
  /**
   * Artifact id of the context snapshot at run start.
   */
  initial_snapshot_id: ArtifactId;
}

/**
 * Successful completion of a state; its snapshot advances the resume checkpoint.
 *
 * Schema: `mfm.KernelEvent.StateCompleted`.
 */
export interface KernelEventStateCompleted {
  /**
   * Fields of the state-completion event.
   */
  StateCompleted: KernelEventStateCompletedFields;
}

/**
 * Field object of the struct variant `KernelEvent::StateCompleted`. Successful completion of a state; its snapshot advances the resume checkpoint.
 *
 * Schema: `mfm.KernelEvent.StateCompleted.Fields`.
 */
export interface KernelEventStateCompletedFields {
  /**
   * State that completed.
   */
  state_id: StateId;
  /**
   * Context snapshot captured after completion; the new resume checkpoint.
   */
  context_snapshot_id: ArtifactId;
}

/**
 * Entry into a state attempt.
 *
 * Schema: `mfm.KernelEvent.StateEntered`.
 */
export interface KernelEventStateEntered {
  /**
   * Fields of the state-entry event.
   */
  StateEntered: KernelEventStateEnteredFields;
}

/**
 * Field object of the struct variant `KernelEvent::StateEntered`. Entry into a state attempt.
 *
 * Schema: `mfm.KernelEvent.StateEntered.Fields`.
 */
export interface KernelEventStateEnteredFields {
  /**
   * Planned state being entered.
   */
  state_id: StateId;
  /**
   * Zero-based attempt number, incremented on retry.
   */
  attempt: number;
  /**
   * Snapshot the attempt starts from (resume/retry boundary).
   */
  base_snapshot_id: ArtifactId;
}

/**
 * Failure of a state attempt.
 *
 * Schema: `mfm.KernelEvent.StateFailed`.
 */
export interface KernelEventStateFailed {
  /**
   * Fields of the state-failure event.
   */
  StateFailed: KernelEventStateFailedFields;
}

/**
 * Field object of the struct variant `KernelEvent::StateFailed`. Failure of a state attempt.
 *
 * Schema: `mfm.KernelEvent.StateFailed.Fields`.
 */
export interface KernelEventStateFailedFields {
  /**
   * State that failed.
   */
  state_id: StateId;
  /**
   * Structured failure payload.
   */
  error: StateError;
  /**
   * Diagnostic-only snapshot taken at failure (never a resume boundary), or null.
   */
  failure_snapshot_id?: ArtifactId | null;
}

/**
 * Standard payload of an `op_boundary` domain event, marking where a (nested) operation starts or ends.
 *
 * Schema: `mfm.OpBoundary`.
 */
export interface OpBoundary {
  /**
   * Path of the operation being reported.
   */
  op_path: OpPath;
  /**
   * Boundary phase, by convention `started` or `completed`; any string is accepted.
   */
  phase: string;
}

/**
 * Stable, human-meaningful identifier of an operation (not random), validated on deserialization: one segment matching ^[a-z][a-z0-9_]{0,62}$ (1-63 ASCII bytes). serde rejects any other string with `invalid op_id: <value>`.
 *
 * Schema: `mfm.OpId`.
 */
export type OpId = string;

/**
 * Path of a (nested) operation, documented as `<machine_id>.<step_id>`. mfm-machine 0.1.0 does not validate it on deserialization, so any string is accepted and re-emitted unchanged.
 *
 * Schema: `mfm.OpPath`.
 */
export type OpPath = string;

/**
 * Fail-fast error raised while validating an execution plan, before a run starts.
 *
 * Schema: `mfm.PlanValidationError`.
 */
export type PlanValidationError =
  | PlanValidationErrorUnit
  | PlanValidationErrorDuplicateStateId
  | PlanValidationErrorMissingStateForEdge
  | PlanValidationErrorCircularDependency
  | PlanValidationErrorDanglingDependencyTag;

/**
 * Cycle detected in the state graph.
 *
 * Schema: `mfm.PlanValidationError.CircularDependency`.
 */
export interface PlanValidationErrorCircularDependency {
  /**
   * Fields of the cycle error.
   */
  CircularDependency: PlanValidationErrorCircularDependencyFields;
}

/**
 * Field object of the struct variant `PlanValidationError::CircularDependency`. Cycle detected in the state graph.
 *
 * Schema: `mfm.PlanValidationError.CircularDependency.Fields`.
 */
export interface PlanValidationErrorCircularDependencyFields {
  /**
   * States participating in the detected cycle.
   */
  cycle: StateId[];
}

/**
 * A tag-based dependency hint could not be resolved.
 *
 * Schema: `mfm.PlanValidationError.DanglingDependencyTag`.
 */
export interface PlanValidationErrorDanglingDependencyTag {
  /**
   * Fields of the dangling-tag error.
   */
  DanglingDependencyTag: PlanValidationErrorDanglingDependencyTagFields;
}

/**
 * Field object of the struct variant `PlanValidationError::DanglingDependencyTag`. A tag-based dependency hint could not be resolved.
 *
 * Schema: `mfm.PlanValidationError.DanglingDependencyTag.Fields`.
 */
export interface PlanValidationErrorDanglingDependencyTagFields {
  /**
   * State whose dependency hint could not be resolved.
   */
  state_id: StateId;
  /**
   * Tag referenced by the hint that no state carries.
   */
  missing_tag: Tag;
}

/**
 * A state identifier appeared more than once.
 *
 * Schema: `mfm.PlanValidationError.DuplicateStateId`.
 */
export interface PlanValidationErrorDuplicateStateId {
  /**
   * Fields of the duplicate-id error.
   */
  DuplicateStateId: PlanValidationErrorDuplicateStateIdFields;
}

/**
 * Field object of the struct variant `PlanValidationError::DuplicateStateId`. A state identifier appeared more than once.
 *
 * Schema: `mfm.PlanValidationError.DuplicateStateId.Fields`.
 */
export interface PlanValidationErrorDuplicateStateIdFields {
  /**
   * Duplicated state identifier.
   */
  state_id: StateId;
}

/**
 * A dependency edge referenced a state that is not in the graph.
 *
 * Schema: `mfm.PlanValidationError.MissingStateForEdge`.
 */
export interface PlanValidationErrorMissingStateForEdge {
  /**
   * Fields of the missing-state error.
   */
  MissingStateForEdge: PlanValidationErrorMissingStateForEdgeFields;
}

/**
 * Field object of the struct variant `PlanValidationError::MissingStateForEdge`. A dependency edge referenced a state that is not in the graph.
 *
 * Schema: `mfm.PlanValidationError.MissingStateForEdge.Fields`.
 */
export interface PlanValidationErrorMissingStateForEdgeFields {
  /**
   * Referenced state that could not be found.
   */
  missing: StateId;
}

/**
 * Unit variant `EmptyPlan`: the plan contained no states.
 *
 * Schema: `mfm.PlanValidationError.Unit`.
 */
export type PlanValidationErrorUnit = "EmptyPlan";

/**
 * How often and with which delays a retryable failure is retried.
 *
 * Schema: `mfm.RetryPolicy`.
 */
export interface RetryPolicy {
  /**
   * Maximum number of attempts in total, the first execution included.
   */
  max_attempts: number;
  /**
   * Delay policy applied between attempts.
   */
  backoff: BackoffPolicy;
}

/**
 * Run-level execution policy: IO mode, retries, event verbosity, scheduling, checkpointing and `nix.exec` flake allowlist. Part of the run manifest, hence of its hash.
 *
 * Schema: `mfm.RunConfig`.
 */
export interface RunConfig {
  /**
   * Whether the run uses live IO or replay-only IO.
   */
  io_mode: IoMode;
  /**
   * Retry policy applied to retryable failures.
   */
  retry_policy: RetryPolicy;
  /**
   * Desired domain-event verbosity.
   */
  event_profile: EventProfile;
  /**
   * Scheduler policy used to execute ready states.
   */
  execution_mode: ExecutionMode;
  /**
   * Policy for persisting run-level context snapshots.
   */
  context_checkpointing: ContextCheckpointing;
  /**
   * When true, replay `MissingFact` errors are treated as retryable.
   */
  replay_missing_fact_retryable: boolean;
  /**
   * States carrying any of these tags may be skipped by the executor (e.g. `apply_side_effect` for dry runs).
   */
  skip_tags: Tag[];
  /**
   * Allowlisted flake prefixes for `nix.exec` preflight resolution. Defaults to `["github:willyrgf/mfm"]` when absent on input; always written.
   */
  nix_flake_allowlist?: string[];
}

/**
 * Run-level error returned by the execution engine.
 *
 * Schema: `mfm.RunError`.
 */
export type RunError =
  RunErrorInvalidPlan | RunErrorStorage | RunErrorContext | RunErrorIo | RunErrorState | RunErrorOther;

/**
 * Run failed because the execution context returned an error.
 *
 * Schema: `mfm.RunError.Context`.
 */
export interface RunErrorContext {
  /**
   * Context error that failed the run.
   */
  Context: ContextError;
}

/**
 * Invalid plan or run contract: the execution plan violated structural invariants (e.g. `unsupported_execution_mode`).
 *
 * Schema: `mfm.RunError.InvalidPlan`.
 */
export interface RunErrorInvalidPlan {
  /**
   * Structured error payload.
   */
  InvalidPlan: ErrorInfo;
}

/**
 * Run failed because the IO provider returned an error.
 *
 * Schema: `mfm.RunError.Io`.
 */
export interface RunErrorIo {
  /**
   * IO error that failed the run.
   */
  Io: IoError;
}

/**
 * Any other run-level failure.
 *
 * Schema: `mfm.RunError.Other`.
 */
export interface RunErrorOther {
  /**
   * Structured error payload.
   */
  Other: ErrorInfo;
}

/**
 * Run failed because a state handler returned an error.
 *
 * Schema: `mfm.RunError.State`.
 */
export interface RunErrorState {
  /**
   * State error that failed the run.
   */
  State: StateError;
}

/**
 * Run failed because a storage backend returned an error.
 *
 * Schema: `mfm.RunError.Storage`.
 */
export interface RunErrorStorage {
  /**
   * Storage error that failed the run.
   */
  Storage: StorageError;
}

/**
 * Unique identifier of a run (usually a random v4 UUID). serde writes it as a lowercase hyphenated UUID and accepts every form `Uuid::parse_str` accepts: hyphenated, 32-hex simple, braced `{hyphenated}` and `urn:uuid:hyphenated`, hex in any case.
 *
 * Schema: `mfm.RunId`.
 */
export type RunId = string;

/**
 * Minimal description of a run: operation, version, inputs, run policy and build provenance. Stored as an artifact whose id is the SHA-256 of its canonical JSON, so it must contain no floats and no secrets.
 *
 * Schema: `mfm.RunManifest`.
 */
export interface RunManifest {
  /**
   * Operation being executed.
   */
  op_id: OpId;
  /**
   * Operation version string; part of the manifest hash.
   */
  op_version: string;
  /**
   * Input parameters of the operation: any JSON value, which must be canonical-JSON hashable (no floats) and secret-free.
   */
  input_params: unknown;
  /**
   * Run policy captured in the manifest.
   */
  run_config: RunConfig;
  /**
   * Build metadata for reproducibility and provenance.
   */
  build: BuildProvenance;
}

/**
 * Current or final lifecycle phase of a run as reported by the engine.
 *
 * Schema: `mfm.RunPhase`.
 */
export type RunPhase = "Running" | "Completed" | "Failed" | "Cancelled";

/**
 * Compact summary returned by the execution engine after starting or resuming a run.
 *
 * Schema: `mfm.RunResult`.
 */
export interface RunResult {
  /**
   * Run that was started or resumed.
   */
  run_id: RunId;
  /**
   * Final or current phase of the run.
   */
  phase: RunPhase;
  /**
   * Final context snapshot, or null when none exists yet.
   */
  final_snapshot_id?: ArtifactId | null;
}

/**
 * Terminal status of a run: completed successfully, failed because a state failed, or cancelled.
 *
 * Schema: `mfm.RunStatus`.
 */
export type RunStatus = "Completed" | "Failed" | "Cancelled";

/**
 * Side-effect classification of a state, which drives replay and retry semantics: pure, read-only IO, or applying an external side effect.
 *
 * Schema: `mfm.SideEffectKind`.
 */
export type SideEffectKind = "Pure" | "ReadOnlyIo" | "ApplySideEffect";

/**
 * Snapshot hint returned by a state: no extra snapshot, a snapshot on success only, or a snapshot even on failure.
 *
 * Schema: `mfm.SnapshotPolicy`.
 */
export type SnapshotPolicy = "Never" | "OnSuccess" | "Always";

/**
 * Error returned by a state handler, attributed to a planned state when possible.
 *
 * Schema: `mfm.StateError`.
 */
export interface StateError {
  /**
   * State the failure is attributed to, or null when it cannot be attributed.
   */
  state_id?: StateId | null;
  /**
   * Structured error payload.
   */
  info: ErrorInfo;
}

/**
 * Identifier of a planned state, `<machine_id>.<step_id>.<state_local_id>`: exactly three dot-separated segments, each segment 1-63 ASCII bytes matching ^[a-z][a-z0-9_]{0,62}$. Validated on deserialization; serde rejects any other string with `invalid state_id: <value>`.
 *
 * Schema: `mfm.StateId`.
 */
export type StateId = string;

/**
 * Metadata of a state used for planning, replay and policy decisions; `depends_on` is an authoring-time hint, plan edges govern execution.
 *
 * Schema: `mfm.StateMeta`.
 */
export interface StateMeta {
  /**
   * Classification tags of the state.
   */
  tags: Tag[];
  /**
   * Authoring-time dependency hints, expressed as tags.
   */
  depends_on: Tag[];
  /**
   * Strategy for resolving the tag-based dependency hints.
   */
  depends_on_strategy: DependencyStrategy;
  /**
   * Side-effect classification used by replay and retry policy.
   */
  side_effects: SideEffectKind;
  /**
   * Declared idempotency behaviour of the state.
   */
  idempotency: Idempotency;
}

/**
 * Result of a successful state handler: a hint on whether the engine should snapshot context afterwards.
 *
 * Schema: `mfm.StateOutcome`.
 */
export interface StateOutcome {
  /**
   * Snapshot hint for the engine.
   */
  snapshot: SnapshotPolicy;
}

/**
 * Error of an event store or artifact store.
 *
 * Schema: `mfm.StorageError`.
 */
export type StorageError = StorageErrorConcurrency | StorageErrorNotFound | StorageErrorCorruption | StorageErrorOther;

/**
 * An append failed because its optimistic-concurrency expectation (expected head seq) was stale.
 *
 * Schema: `mfm.StorageError.Concurrency`.
 */
export interface StorageErrorConcurrency {
  /**
   * Structured error payload.
   */
  Concurrency: ErrorInfo;
}

/**
 * Persisted data existed but failed integrity or shape checks.
 *
 * Schema: `mfm.StorageError.Corruption`.
 */
export interface StorageErrorCorruption {
  /**
   * Structured error payload.
   */
  Corruption: ErrorInfo;
}

/**
 * A requested record or artifact was not found.
 *
 * Schema: `mfm.StorageError.NotFound`.
 */
export interface StorageErrorNotFound {
  /**
   * Structured error payload.
   */
  NotFound: ErrorInfo;
}

/**
 * Any other storage failure.
 *
 * Schema: `mfm.StorageError.Other`.
 */
export interface StorageErrorOther {
  /**
   * Structured error payload.
   */
  Other: ErrorInfo;
}

/**
 * Classification tag of a state used for filtering and policy, recommended lowercase. Standard tags: `config`, `fetch_data`, `compute`, `execute`, `report`, `apply_side_effect`, `impure`. Not validated.
 *
 * Schema: `mfm.Tag`.
 */
export type Tag = string;
