// Generated from schemas/agentsdk/ by json-schema-to-typescript (codegen/typescript.py).
// Do not edit: change the schemas and run `nox -s bindings_ts`.
//
// One type per schema, named like the Python models (`agentsdk.<Type>` with the dots removed).
// The types state shapes, literals and tagged unions; value rules (patterns, integer ranges,
// UTF-8 byte limits, closed objects) are checked by the JSON Schemas, not by TypeScript.

/**
 * Validated reference to a host adapter. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.AdapterRef`.
 */
export type AdapterRef = string;

/**
 * Validated identifier of an agent definition. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.AgentId`.
 */
export type AgentId = string;

/**
 * Validated identifier of an agent pool that groups runs. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.AgentPoolId`.
 */
export type AgentPoolId = string;

/**
 * Validated identifier of an approval request raised during a run. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.ApprovalRequestId`.
 */
export type ApprovalRequestId = string;

/**
 * Validated identifier of a position in an archive export. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.ArchiveCursorId`.
 */
export type ArchiveCursorId = string;

/**
 * Validated identifier of a stored artifact. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.ArtifactId`.
 */
export type ArtifactId = string;

/**
 * Validated reference to a stored artifact. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.ArtifactRef`.
 */
export type ArtifactRef = string;

/**
 * Validated identifier of one model or tool attempt inside a turn. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.AttemptId`.
 */
export type AttemptId = string;

/**
 * Validated identifier of a stored content item. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.ContentId`.
 */
export type ContentId = string;

/**
 * Validated reference to stored content; records carry such refs instead of raw content. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.ContentRef`.
 */
export type ContentRef = string;

/**
 * Validated identifier of one item in the assembled model context. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.ContextItemId`.
 */
export type ContextItemId = string;

/**
 * Validated identifier of a context projection sent to a provider. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.ContextProjectionId`.
 */
export type ContextProjectionId = string;

/**
 * One correlation dimension attached to a source or destination, such as the thread a remote request came from.
 *
 * Schema: `agentsdk.CorrelationEntry`.
 */
export interface CorrelationEntry {
  /**
   * Name of the correlation dimension.
   */
  key: CorrelationKey;
  /**
   * Value of the correlation dimension, usually redacted.
   */
  value: CorrelationValue;
}

/**
 * Validated name of a correlation dimension, such as a thread or ticket. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.CorrelationKey`.
 */
export type CorrelationKey = string;

/**
 * Validated value of a correlation dimension, usually redacted. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.CorrelationValue`.
 */
export type CorrelationValue = string;

/**
 * Validated key used to drop duplicate records or effects. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.DedupeKey`.
 */
export type DedupeKey = string;

/**
 * Validated identifier of the target a `DestinationRef` names. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.DestinationId`.
 */
export type DestinationId = string;

/**
 * Kind of target a `DestinationRef` names.
 *
 * Schema: `agentsdk.DestinationKind`.
 */
export type DestinationKind =
  | "agent"
  | "agent_pool"
  | "topic"
  | "provider"
  | "context_projection"
  | "journal"
  | "event_stream"
  | "telemetry"
  | "output_sink"
  | "host"
  | "user"
  | "remote_channel"
  | "tool"
  | "extension"
  | "subagent"
  | "external_runtime";

/**
 * Target of a record or effect, with the privacy and retention it is allowed.
 *
 * Schema: `agentsdk.DestinationRef`.
 */
export interface DestinationRef {
  /**
   * Kind of target.
   */
  kind: DestinationKind;
  /**
   * Identifier of the target.
   */
  id: DestinationId;
  /**
   * Privacy class allowed at the target.
   */
  privacy: PrivacyClass;
  /**
   * How long the target may keep what it receives.
   */
  retention: RetentionClass;
  /**
   * Correlation dimensions of the target; omitted when empty.
   */
  correlation?: CorrelationEntry[];
  /**
   * Redacted human-readable summary of the target; omitted when absent.
   */
  redacted_summary?: string | null;
}

/**
 * Validated identifier of an externally visible effect; shared by its intent and result records. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.EffectId`.
 */
export type EffectId = string;

/**
 * Record journaled before externally visible work starts, so recovery knows the effect may have happened.
 *
 * Schema: `agentsdk.EffectIntent`.
 */
export interface EffectIntent {
  /**
   * Identifier shared by this intent and its result.
   */
  effect_id: EffectId;
  /**
   * Kind of work announced.
   */
  kind: EffectKind;
  /**
   * Entity the effect acts on.
   */
  subject_ref: EntityRef;
  /**
   * Origin that requested the effect.
   */
  source: SourceRef;
  /**
   * Target the effect reaches; omitted when none.
   */
  destination?: DestinationRef | null;
  /**
   * Policies that allowed the effect; omitted when empty.
   */
  policy_refs?: PolicyRef[];
  /**
   * Key that makes a retried effect a no-op; omitted when absent.
   */
  idempotency_key?: IdempotencyKey | null;
  /**
   * Key used to drop duplicate effects; omitted when absent.
   */
  dedupe_key?: DedupeKey | null;
  /**
   * Stored content the effect uses; omitted when empty.
   */
  content_refs?: ContentRef[];
  /**
   * Redacted human-readable summary of the effect.
   */
  redacted_summary: string;
}

/**
 * Kind of externally visible work an effect intent announces.
 *
 * Schema: `agentsdk.EffectKind`.
 */
export type EffectKind =
  | "provider_request"
  | "tool_execution"
  | "approval_dispatch"
  | "memory_write"
  | "extension_action"
  | "output_delivery"
  | "file_write"
  | "process_start"
  | "process_signal"
  | "isolated_process_start"
  | "child_agent_start"
  | "run_message_delivery"
  | "child_artifact_shutdown"
  | "detach_transfer"
  | "hook_mutation";

/**
 * Record journaled after an effect ends, closing the intent with the same effect id.
 *
 * Schema: `agentsdk.EffectResult`.
 */
export interface EffectResult {
  /**
   * Identifier of the effect this result closes.
   */
  effect_id: EffectId;
  /**
   * How the effect ended.
   */
  terminal_status: EffectTerminalStatus;
  /**
   * Identifier the external system gave the operation; omitted when absent.
   */
  external_operation_id?: string | null;
  /**
   * Reference used to reconcile an uncertain outcome; omitted when absent.
   */
  reconciliation_ref?: string | null;
  /**
   * Reference to the error details; omitted when absent.
   */
  error_ref?: string | null;
  /**
   * Stored content the effect produced; omitted when empty.
   */
  content_refs?: ContentRef[];
  /**
   * Redacted human-readable summary of the outcome.
   */
  redacted_summary: string;
}

/**
 * How an effect ended; `unknown` when the outcome could not be observed.
 *
 * Schema: `agentsdk.EffectTerminalStatus`.
 */
export type EffectTerminalStatus =
  "completed" | "failed" | "timed_out" | "cancelled" | "denied_before_execution" | "unknown";

/**
 * Validated identifier of the entity an `EntityRef` points to. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.EntityId`.
 */
export type EntityId = string;

/**
 * Kind of entity an `EntityRef` points to.
 *
 * Schema: `agentsdk.EntityKind`.
 */
export type EntityKind =
  | "run"
  | "turn"
  | "attempt"
  | "agent"
  | "agent_pool"
  | "topic"
  | "event"
  | "message"
  | "wake_condition"
  | "context_contribution"
  | "context_item"
  | "context_projection"
  | "content"
  | "artifact"
  | "capability"
  | "package_sidecar"
  | "runtime_package"
  | "policy_decision"
  | "effect"
  | "effect_intent"
  | "effect_result"
  | "tool_call"
  | "approval_request"
  | "stream_rule"
  | "realtime_session"
  | "hook"
  | "execution_environment"
  | "child_artifact"
  | "subagent_run"
  | "extension_action"
  | "output_delivery";

/**
 * Typed pointer to an SDK entity (run, hook, effect, tool call, ...) with its privacy class; records use it for subjects and related entities.
 *
 * Schema: `agentsdk.EntityRef`.
 */
export interface EntityRef {
  /**
   * Kind of entity pointed to.
   */
  kind: EntityKind;
  /**
   * Identifier of the entity within its kind.
   */
  id: EntityId;
  /**
   * Where the reference came from; omitted when unknown.
   */
  source?: SourceRef | null;
  /**
   * Privacy class of the referenced entity.
   */
  privacy: PrivacyClass;
  /**
   * Redacted human-readable summary of the entity; omitted when absent.
   */
  redacted_summary?: string | null;
}

/**
 * Validated identifier of a position in an event stream. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.EventCursorId`.
 */
export type EventCursorId = string;

/**
 * Validated identifier of a published SDK event. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.EventId`.
 */
export type EventId = string;

/**
 * Index entry derived from a journal record, used to find and route it as an event (field `privacy_class`, no attempt id).
 *
 * Schema: `agentsdk.EventIndexProjection`.
 */
export interface EventIndexProjection {
  /**
   * Run the record belongs to.
   */
  run_id: RunId;
  /**
   * Host session of the run; omitted when none.
   */
  session_id?: SessionId | null;
  /**
   * Agent that owns the run.
   */
  agent_id: AgentId;
  /**
   * Turn the record belongs to; omitted when none.
   */
  turn_id?: TurnId | null;
  /**
   * Event family, such as `hook`, `effect`, `checkpoint` or `recovery`.
   */
  event_family: string;
  /**
   * Event kind within the family, such as `intent`, `result` or `hook_response_decision`.
   */
  event_kind: string;
  /**
   * Origin indexed for the event.
   */
  source: SourceRef;
  /**
   * Target indexed for the event; omitted when none.
   */
  destination?: DestinationRef | null;
  /**
   * Entity the event is about.
   */
  subject_ref: EntityRef;
  /**
   * Other entities the event mentions; omitted when empty.
   */
  related_refs?: EntityRef[];
  /**
   * Correlation dimensions of the event; omitted when empty.
   */
  correlation_keys?: CorrelationEntry[];
  /**
   * Free-form tags; omitted when empty.
   */
  tags?: string[];
  /**
   * Privacy class of the event.
   */
  privacy_class: PrivacyClass;
  /**
   * Delivery guarantee of the event; `journal_backed` from every upstream builder.
   */
  delivery_semantics: string;
}

/**
 * Host-supplied hook declaration with the same fields as `HookSpec`, lowered to a spec and validated before use.
 *
 * Schema: `agentsdk.HookConfig`.
 */
export interface HookConfig {
  /**
   * Identifier of the hook.
   */
  hook_id: HookId;
  /**
   * Point where the hook fires.
   */
  point: HookPoint;
  /**
   * Where the declaration comes from.
   */
  source: HookSource;
  /**
   * Position among the hooks of the point.
   */
  ordering: HookOrdering;
  /**
   * Whether the run waits for the hook.
   */
  execution: HookExecutionMode;
  /**
   * Time budget of one invocation.
   */
  timeout: HookTimeoutPolicy;
  /**
   * What the run does when the hook fails.
   */
  failure: HookFailurePolicy;
  /**
   * Changes the hook may make.
   */
  mutation_rights: HookMutationRights;
  /**
   * How much run content the hook may see.
   */
  privacy: HookPrivacyPolicy;
  /**
   * Policy that must be resolved before the hook runs.
   */
  policy_ref: PolicyRef;
  /**
   * Executor that runs the hook.
   */
  executor_ref: HookExecutorRef;
}

/**
 * Whether the run waits for a hook, internally tagged by `mode`.
 *
 * Schema: `agentsdk.HookExecutionMode`.
 */
export type HookExecutionMode = HookExecutionModeBlocking | HookExecutionModeNonBlocking;

/**
 * Blocking execution: the run waits for the hook; written `{"mode": "blocking"}`.
 *
 * Schema: `agentsdk.HookExecutionMode.Blocking`.
 */
export interface HookExecutionModeBlocking {
  /**
   * Variant tag.
   */
  mode: "blocking";
}

/**
 * Non-blocking execution: hook invocations are queued and the run continues.
 *
 * Schema: `agentsdk.HookExecutionMode.NonBlocking`.
 */
export interface HookExecutionModeNonBlocking {
  /**
   * Variant tag.
   */
  mode: "non_blocking";
  /**
   * Queue the invocations wait in.
   */
  queue: HookQueueConfig;
  /**
   * What happens when the queue is full.
   */
  overflow: HookOverflowPolicy;
}

/**
 * Reference to the executor that runs a hook; a transparent string that serde does not validate on input (only the Rust constructor asserts it is non-empty).
 *
 * Schema: `agentsdk.HookExecutorRef`.
 */
export type HookExecutorRef = string;

/**
 * What the run does when a hook fails or times out (serde wire names; hook records carry the Rust Debug names instead).
 *
 * Schema: `agentsdk.HookFailurePolicy`.
 */
export type HookFailurePolicy = "fail_open_observe_only" | "deny" | "interrupt_run" | "fail_run";

/**
 * Identifier of a hook declared in a runtime package; a transparent string that serde does not validate on input (only the Rust constructor asserts it is non-empty).
 *
 * Schema: `agentsdk.HookId`.
 */
export type HookId = string;

/**
 * Records to append before an accepted hook response is applied: the hook record, its effect intent, and the three journal records (response, intent, result) at consecutive sequence numbers.
 *
 * Schema: `agentsdk.HookMutationJournalPlan`.
 */
export interface HookMutationJournalPlan {
  /**
   * Response-decision hook record.
   */
  hook_record: HookRecord;
  /**
   * Intent of the hook mutation effect.
   */
  effect_intent: EffectIntent;
  /**
   * Journal record of the hook response (sequence n).
   */
  hook_journal_record: JournalRecord;
  /**
   * Journal record of the effect intent (sequence n+1).
   */
  intent_journal_record: JournalRecord;
  /**
   * Journal record of the effect result (sequence n+2).
   */
  result_journal_record: JournalRecord;
}

/**
 * Kind of change a hook is allowed to make; same names as `HookResponseClass`.
 *
 * Schema: `agentsdk.HookMutationRight`.
 */
export type HookMutationRight =
  | "observe"
  | "inject_context"
  | "modify_projection"
  | "request_compaction"
  | "modify_validation_hints"
  | "modify_tool_request"
  | "modify_approval_request"
  | "deny"
  | "request_approval"
  | "request_retry"
  | "rewrite_tool_result"
  | "modify_subagent_request"
  | "modify_process_request"
  | "validate_detach"
  | "request_usage_rollup_repair"
  | "request_cleanup_repair"
  | "mark_protected_context"
  | "request_projection_audit_repair"
  | "stop_completion_with_repair_needed"
  | "stop_run";

/**
 * Set of changes a hook may make; serde writes the set sorted in declaration order.
 *
 * Schema: `agentsdk.HookMutationRights`.
 */
export interface HookMutationRights {
  /**
   * Allowed rights: a BTreeSet, so serde accepts duplicates and writes each right once, in declaration order.
   */
  rights: HookMutationRight[];
}

/**
 * Position of a hook among the hooks of one point: phase first, then order within the phase.
 *
 * Schema: `agentsdk.HookOrdering`.
 */
export interface HookOrdering {
  /**
   * Phase the hook runs in.
   */
  phase: HookOrderingPhase;
  /**
   * Order within the phase.
   */
  order: number;
}

/**
 * Coarse phase that orders hooks registered at the same point.
 *
 * Schema: `agentsdk.HookOrderingPhase`.
 */
export type HookOrderingPhase = "early" | "normal" | "late";

/**
 * What a non-blocking hook does when its queue is full.
 *
 * Schema: `agentsdk.HookOverflowPolicy`.
 */
export type HookOverflowPolicy = "drop_observe_only" | "summarize_and_continue" | "fail_hook_invocation";

/**
 * Point in the run loop where a hook fires.
 *
 * Schema: `agentsdk.HookPoint`.
 */
export type HookPoint =
  | "run_starting"
  | "before_context_assembly"
  | "after_context_assembly"
  | "before_provider_projection"
  | "before_model_call"
  | "on_model_delta"
  | "after_model_call"
  | "before_structured_output_validation"
  | "after_structured_output_validation"
  | "before_tool_call"
  | "after_tool_call"
  | "before_approval_request"
  | "after_approval_decision"
  | "before_subagent_start"
  | "after_subagent_terminal"
  | "before_isolation_process_start"
  | "after_isolation_process_exit"
  | "on_run_cancel_requested"
  | "before_run_complete"
  | "after_run_terminal"
  | "before_compaction"
  | "after_compaction";

/**
 * How much run content a hook may see.
 *
 * Schema: `agentsdk.HookPrivacyPolicy`.
 */
export type HookPrivacyPolicy = "envelope_and_redacted_summary" | "content_refs_only" | "content_capture_allowed";

/**
 * Bounded queue of a non-blocking hook.
 *
 * Schema: `agentsdk.HookQueueConfig`.
 */
export interface HookQueueConfig {
  /**
   * Queue capacity (non-zero).
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  capacity: number;
  /**
   * Slots reserved for terminal events (non-zero).
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  terminal_reserve: number;
}

/**
 * Journaled record of one hook lifecycle event (registration, invocation, outcome or response decision).
 *
 * Schema: `agentsdk.HookRecord`.
 */
export interface HookRecord {
  /**
   * Hook record wire version; 1 from every upstream builder.
   */
  schema_version: number;
  /**
   * Hook the record is about.
   */
  hook_id: HookId;
  /**
   * Point where the hook fires.
   */
  point: HookPoint;
  /**
   * Lifecycle event, tagged by `type`.
   */
  payload: HookRecordPayload;
}

/**
 * Lifecycle event of a hook, internally tagged by `type` (snake_case): registration, invocation start and end, failure, and response decisions.
 *
 * Schema: `agentsdk.HookRecordPayload`.
 */
export type HookRecordPayload =
  | HookRecordPayloadRegistered
  | HookRecordPayloadInvocationStarted
  | HookRecordPayloadCompleted
  | HookRecordPayloadTimedOut
  | HookRecordPayloadCancelled
  | HookRecordPayloadFailed
  | HookRecordPayloadResponseDecision;

/**
 * Hook invocation was cancelled. Written with `"type": "cancelled"`.
 *
 * Schema: `agentsdk.HookRecordPayload.Cancelled`.
 */
export interface HookRecordPayloadCancelled {
  /**
   * Variant tag.
   */
  type: "cancelled";
  /**
   * Identifier of the hook invocation (the runtime uses `hook.invocation.<journal_seq>`).
   */
  invocation_id: string;
}

/**
 * Hook invocation completed. Written with `"type": "completed"`.
 *
 * Schema: `agentsdk.HookRecordPayload.Completed`.
 */
export interface HookRecordPayloadCompleted {
  /**
   * Variant tag.
   */
  type: "completed";
  /**
   * Identifier of the hook invocation (the runtime uses `hook.invocation.<journal_seq>`).
   */
  invocation_id: string;
  /**
   * Elapsed time in milliseconds.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  elapsed_ms: number;
}

/**
 * Hook invocation failed. Written with `"type": "failed"`.
 *
 * Schema: `agentsdk.HookRecordPayload.Failed`.
 */
export interface HookRecordPayloadFailed {
  /**
   * Variant tag.
   */
  type: "failed";
  /**
   * Identifier of the hook invocation (the runtime uses `hook.invocation.<journal_seq>`).
   */
  invocation_id: string;
  /**
   * Failure policy as the Rust Debug name of `HookFailurePolicy` (`FailOpenObserveOnly`, `Deny`, `InterruptRun`, `FailRun`), not its snake_case serde name; a plain string.
   */
  failure_policy: string;
  /**
   * Redacted human-readable summary of the failure.
   */
  redacted_summary: string;
}

/**
 * Hook invocation started. Written with `"type": "invocation_started"`.
 *
 * Schema: `agentsdk.HookRecordPayload.InvocationStarted`.
 */
export interface HookRecordPayloadInvocationStarted {
  /**
   * Variant tag.
   */
  type: "invocation_started";
  /**
   * Identifier of the hook invocation (the runtime uses `hook.invocation.<journal_seq>`).
   */
  invocation_id: string;
}

/**
 * Hook was registered. Written with `"type": "registered"`.
 *
 * Schema: `agentsdk.HookRecordPayload.Registered`.
 */
export interface HookRecordPayloadRegistered {
  /**
   * Variant tag.
   */
  type: "registered";
  /**
   * `sha256:` followed by the lowercase hex SHA-256 of the spec's compact serde JSON.
   */
  spec_hash: string;
  /**
   * Executor reference of the spec, as a string.
   */
  executor_ref: string;
  /**
   * Policy of the spec.
   */
  policy_ref: PolicyRef;
}

/**
 * Hook response was checked and accepted or rejected before being applied. Written with `"type": "response_decision"`.
 *
 * Schema: `agentsdk.HookRecordPayload.ResponseDecision`.
 */
export interface HookRecordPayloadResponseDecision {
  /**
   * Variant tag.
   */
  type: "response_decision";
  /**
   * Identifier of the hook invocation (the runtime uses `hook.invocation.<journal_seq>`).
   */
  invocation_id: string;
  /**
   * Outcome of the check.
   */
  decision: HookResponseDecision;
  /**
   * Class of the response.
   */
  response_class: HookResponseClass;
  /**
   * Audit note on the mutation-right check; `checked_against_point_and_spec_rights` from the upstream builders.
   */
  mutation_right_decision: string;
  /**
   * Entities the response targets (always written; empty when rejected).
   */
  target_domain_refs: EntityRef[];
}

/**
 * Hook invocation ran out of time. Written with `"type": "timed_out"`.
 *
 * Schema: `agentsdk.HookRecordPayload.TimedOut`.
 */
export interface HookRecordPayloadTimedOut {
  /**
   * Variant tag.
   */
  type: "timed_out";
  /**
   * Identifier of the hook invocation (the runtime uses `hook.invocation.<journal_seq>`).
   */
  invocation_id: string;
  /**
   * Elapsed time in milliseconds.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  elapsed_ms: number;
  /**
   * Failure policy as the Rust Debug name of `HookFailurePolicy` (`FailOpenObserveOnly`, `Deny`, `InterruptRun`, `FailRun`), not its snake_case serde name; a plain string.
   */
  failure_policy: string;
}

/**
 * Class of a hook's response, checked against the classes allowed at its point and the hook's mutation rights.
 *
 * Schema: `agentsdk.HookResponseClass`.
 */
export type HookResponseClass =
  | "observe"
  | "inject_context"
  | "modify_projection"
  | "request_compaction"
  | "modify_validation_hints"
  | "modify_tool_request"
  | "modify_approval_request"
  | "deny"
  | "request_approval"
  | "request_retry"
  | "rewrite_tool_result"
  | "modify_subagent_request"
  | "modify_process_request"
  | "validate_detach"
  | "request_usage_rollup_repair"
  | "request_cleanup_repair"
  | "mark_protected_context"
  | "request_projection_audit_repair"
  | "stop_completion_with_repair_needed"
  | "stop_run";

/**
 * Outcome of checking a hook response before it is applied.
 *
 * Schema: `agentsdk.HookResponseDecision`.
 */
export type HookResponseDecision =
  "accepted_journaled_before_apply" | "rejected_mutation_right" | "rejected_point_matrix" | "rejected_policy";

/**
 * Where a hook declaration comes from.
 *
 * Schema: `agentsdk.HookSource`.
 */
export type HookSource = "host_config" | "in_process" | "extension" | "sdk_default" | "test_only_fake";

/**
 * Validated declaration of one hook in a runtime package; its `spec_hash` is SHA-256 over its compact serde JSON in this field order. Semantic checks of `HookSpec::validate` (allowed rights per point, fail-closed rules) are not part of the wire contract.
 *
 * Schema: `agentsdk.HookSpec`.
 */
export interface HookSpec {
  /**
   * Identifier of the hook.
   */
  hook_id: HookId;
  /**
   * Point where the hook fires.
   */
  point: HookPoint;
  /**
   * Where the declaration comes from.
   */
  source: HookSource;
  /**
   * Position among the hooks of the point.
   */
  ordering: HookOrdering;
  /**
   * Whether the run waits for the hook.
   */
  execution: HookExecutionMode;
  /**
   * Time budget of one invocation.
   */
  timeout: HookTimeoutPolicy;
  /**
   * What the run does when the hook fails.
   */
  failure: HookFailurePolicy;
  /**
   * Changes the hook may make.
   */
  mutation_rights: HookMutationRights;
  /**
   * How much run content the hook may see.
   */
  privacy: HookPrivacyPolicy;
  /**
   * Policy that must be resolved before the hook runs.
   */
  policy_ref: PolicyRef;
  /**
   * Executor that runs the hook.
   */
  executor_ref: HookExecutorRef;
}

/**
 * Time budget of one hook invocation.
 *
 * Schema: `agentsdk.HookTimeoutPolicy`.
 */
export interface HookTimeoutPolicy {
  /**
   * Budget in milliseconds (`HookSpec::validate` rejects 0; the wire accepts it).
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  timeout_ms: number;
}

/**
 * Validated key that makes a repeated effect or append a no-op; journal stores dedupe on it. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.IdempotencyKey`.
 */
export type IdempotencyKey = string;

/**
 * Validated cursor a journal store returns after an append (for example `journal.7`). Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.JournalCursor`.
 */
export type JournalCursor = string;

/**
 * Validated identifier of a position in a run journal. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.JournalCursorId`.
 */
export type JournalCursorId = string;

/**
 * One entry of a run's append-only journal: lineage, index projection, privacy and a typed payload; journal stores append records with `journal_seq` strictly increasing per run.
 *
 * Schema: `agentsdk.JournalRecord`.
 */
export interface JournalRecord {
  /**
   * Journal wire version; 1 for every record upstream writes (file stores reject other values).
   */
  journal_schema_version: number;
  /**
   * Position of the record in its run's journal.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  journal_seq: number;
  /**
   * Identifier of the record.
   */
  record_id: string;
  /**
   * Kind of record.
   */
  record_kind: JournalRecordKind;
  /**
   * Run the record belongs to.
   */
  run_id: RunId;
  /**
   * Host session of the run; omitted when none.
   */
  session_id?: SessionId | null;
  /**
   * Agent that owns the run.
   */
  agent_id: AgentId;
  /**
   * Turn the record belongs to; omitted when none.
   */
  turn_id?: TurnId | null;
  /**
   * Attempt the record belongs to; omitted when none.
   */
  attempt_id?: AttemptId | null;
  /**
   * Entity the record is about.
   */
  subject_ref: EntityRef;
  /**
   * Other entities the record mentions; omitted when empty.
   */
  related_refs?: EntityRef[];
  /**
   * Identifiers of records that caused this one; omitted when empty.
   */
  causal_refs?: string[];
  /**
   * Origin of the record.
   */
  source: SourceRef;
  /**
   * Target of the record; omitted when none.
   */
  destination?: DestinationRef | null;
  /**
   * Correlation dimensions of the record; omitted when empty.
   */
  correlation_keys?: CorrelationEntry[];
  /**
   * Free-form tags; omitted when empty.
   */
  tags?: string[];
  /**
   * Delivery guarantee; `journal_backed` from every upstream builder.
   */
  delivery_semantics: string;
  /**
   * Index entry derived from the record.
   */
  event_index: EventIndexProjection;
  /**
   * Time the record was written, in milliseconds.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  timestamp_millis: number;
  /**
   * Fingerprint of the runtime package the run executed with.
   */
  runtime_package_fingerprint: string;
  /**
   * Privacy class of the record.
   */
  privacy: PrivacyClass;
  /**
   * Stored content the record points to; omitted when empty.
   */
  content_refs?: ContentRef[];
  /**
   * Identifier of the redaction policy applied to the record.
   */
  redaction_policy_id: string;
  /**
   * Key that makes a repeated append a no-op; omitted when absent.
   */
  idempotency_key?: IdempotencyKey | null;
  /**
   * Key used to drop duplicate records; omitted when absent.
   */
  dedupe_key?: DedupeKey | null;
  /**
   * Identifier of the checkpoint the record saves or follows; omitted when none.
   */
  checkpoint_ref?: string | null;
  /**
   * Typed content of the record, tagged by `type`.
   */
  payload: JournalRecordPayload;
}

/**
 * Builder input shared by the journal record constructors (lineage, timing and privacy of a record before its payload is known); upstream also serializes it.
 *
 * Schema: `agentsdk.JournalRecordBase`.
 */
export interface JournalRecordBase {
  /**
   * Position the record will take in its run's journal.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  journal_seq: number;
  /**
   * Identifier of the record.
   */
  record_id: string;
  /**
   * Run the record belongs to.
   */
  run_id: RunId;
  /**
   * Host session of the run; omitted when none.
   */
  session_id?: SessionId | null;
  /**
   * Agent that owns the run.
   */
  agent_id: AgentId;
  /**
   * Turn the record belongs to; omitted when none.
   */
  turn_id?: TurnId | null;
  /**
   * Attempt the record belongs to; omitted when none.
   */
  attempt_id?: AttemptId | null;
  /**
   * Origin of the record.
   */
  source: SourceRef;
  /**
   * Target of the record; omitted when none.
   */
  destination?: DestinationRef | null;
  /**
   * Identifiers of records that caused this one; omitted when empty.
   */
  causal_refs?: string[];
  /**
   * Free-form tags; omitted when empty.
   */
  tags?: string[];
  /**
   * Time the record is written, in milliseconds (0 from the upstream constructor).
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  timestamp_millis: number;
  /**
   * Fingerprint of the runtime package the run executes with.
   */
  runtime_package_fingerprint: string;
  /**
   * Privacy class of the record.
   */
  privacy: PrivacyClass;
  /**
   * Identifier of the redaction policy applied to the record.
   */
  redaction_policy_id: string;
  /**
   * Identifier of the checkpoint the record follows; omitted when none.
   */
  checkpoint_ref?: string | null;
}

/**
 * Kind of a journal record, used to route and index it.
 *
 * Schema: `agentsdk.JournalRecordKind`.
 */
export type JournalRecordKind =
  | "run"
  | "turn"
  | "context"
  | "message"
  | "model_attempt"
  | "structured_output"
  | "stream_rule"
  | "realtime_session"
  | "hook"
  | "approval"
  | "tool"
  | "isolation"
  | "child_lifecycle"
  | "agent_pool"
  | "run_message"
  | "wake"
  | "output_dispatch"
  | "subagent"
  | "extension_action"
  | "telemetry"
  | "recovery"
  | "checkpoint"
  | "effect_intent"
  | "effect_result";

/**
 * Typed content of a journal record, internally tagged by `type` (snake_case variant name) with the inner record's fields beside the tag; 8 variants are typed, the other 16 are kept as opaque objects.
 *
 * Schema: `agentsdk.JournalRecordPayload`.
 */
export type JournalRecordPayload =
  | JournalRecordPayloadRunLifecycle
  | JournalRecordPayloadTurnLifecycle
  | JournalRecordPayloadContextProjection
  | JournalRecordPayloadModelAttempt
  | JournalRecordPayloadMessage
  | JournalRecordPayloadStructuredOutput
  | JournalRecordPayloadApproval
  | JournalRecordPayloadTool
  | JournalRecordPayloadOutputDelivery
  | JournalRecordPayloadHook
  | JournalRecordPayloadStreamRule
  | JournalRecordPayloadRealtimeSession
  | JournalRecordPayloadIsolation
  | JournalRecordPayloadChildLifecycle
  | JournalRecordPayloadAgentPool
  | JournalRecordPayloadRunMessage
  | JournalRecordPayloadWake
  | JournalRecordPayloadSubagent
  | JournalRecordPayloadExtensionAction
  | JournalRecordPayloadEffectIntent
  | JournalRecordPayloadEffectResult
  | JournalRecordPayloadCheckpoint
  | JournalRecordPayloadRecovery
  | JournalRecordPayloadTerminalResult;

/**
 * Journal payload `agent_pool` (upstream `AgentPoolRecord`), accepted as an opaque object carrying its type tag because upstream does not publish its shape; every key is kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.AgentPool`.
 */
export interface JournalRecordPayloadAgentPool {
  /**
   * Variant tag.
   */
  type: "agent_pool";
  [k: string]: unknown;
}

/**
 * Journal payload `approval` (upstream `ApprovalRecord`, an enum adjacently tagged with `record_type` and `record`): accepted as an opaque object carrying its type tag and the name of its inner variant, because upstream does not publish the variants; `record` (absent for a unit variant) and every other key are kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.Approval`.
 */
export interface JournalRecordPayloadApproval {
  /**
   * Variant tag.
   */
  type: "approval";
  /**
   * The `ApprovalRecord` variant (serde's adjacent tag).
   */
  record_type: string;
  [k: string]: unknown;
}

/**
 * Journal payload `checkpoint`: the fields of a `RunCheckpoint` with the tag `"type": "checkpoint"` merged in (internally tagged newtype variant).
 *
 * Schema: `agentsdk.JournalRecordPayload.Checkpoint`.
 */
export type JournalRecordPayloadCheckpoint = RunCheckpoint & {
  /**
   * Variant tag.
   */
  type: "checkpoint";
};

/**
 * Journal payload `child_lifecycle` (upstream `ChildLifecycleRecord`), accepted as an opaque object carrying its type tag because upstream does not publish its shape; every key is kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.ChildLifecycle`.
 */
export interface JournalRecordPayloadChildLifecycle {
  /**
   * Variant tag.
   */
  type: "child_lifecycle";
  [k: string]: unknown;
}

/**
 * Journal payload `context_projection` (upstream `ContextProjectionRecord`), accepted as an opaque object carrying its type tag because upstream does not publish its shape; every key is kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.ContextProjection`.
 */
export interface JournalRecordPayloadContextProjection {
  /**
   * Variant tag.
   */
  type: "context_projection";
  [k: string]: unknown;
}

/**
 * Journal payload `effect_intent`: the fields of a `EffectIntent` with the tag `"type": "effect_intent"` merged in (internally tagged newtype variant).
 *
 * Schema: `agentsdk.JournalRecordPayload.EffectIntent`.
 */
export type JournalRecordPayloadEffectIntent = EffectIntent & {
  /**
   * Variant tag.
   */
  type: "effect_intent";
};

/**
 * Journal payload `effect_result`: the fields of a `EffectResult` with the tag `"type": "effect_result"` merged in (internally tagged newtype variant).
 *
 * Schema: `agentsdk.JournalRecordPayload.EffectResult`.
 */
export type JournalRecordPayloadEffectResult = EffectResult & {
  /**
   * Variant tag.
   */
  type: "effect_result";
};

/**
 * Journal payload `extension_action` (upstream `ExtensionActionRecord`), accepted as an opaque object carrying its type tag because upstream does not publish its shape; every key is kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.ExtensionAction`.
 */
export interface JournalRecordPayloadExtensionAction {
  /**
   * Variant tag.
   */
  type: "extension_action";
  [k: string]: unknown;
}

/**
 * Journal payload `hook`: the fields of a `HookRecord` with the tag `"type": "hook"` merged in (internally tagged newtype variant).
 *
 * Schema: `agentsdk.JournalRecordPayload.Hook`.
 */
export type JournalRecordPayloadHook = HookRecord & {
  /**
   * Variant tag.
   */
  type: "hook";
};

/**
 * Journal payload `isolation` (upstream `IsolationRecord`, an enum adjacently tagged with `record_type` and `record`): accepted as an opaque object carrying its type tag and the name of its inner variant, because upstream does not publish the variants; `record` (absent for a unit variant) and every other key are kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.Isolation`.
 */
export interface JournalRecordPayloadIsolation {
  /**
   * Variant tag.
   */
  type: "isolation";
  /**
   * The `IsolationRecord` variant (serde's adjacent tag).
   */
  record_type: string;
  [k: string]: unknown;
}

/**
 * Journal payload `message`: the fields of a `MessageRecord` with the tag `"type": "message"` merged in (internally tagged newtype variant).
 *
 * Schema: `agentsdk.JournalRecordPayload.Message`.
 */
export type JournalRecordPayloadMessage = MessageRecord & {
  /**
   * Variant tag.
   */
  type: "message";
};

/**
 * Journal payload `model_attempt` (upstream `ModelAttemptRecord`), accepted as an opaque object carrying its type tag because upstream does not publish its shape; every key is kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.ModelAttempt`.
 */
export interface JournalRecordPayloadModelAttempt {
  /**
   * Variant tag.
   */
  type: "model_attempt";
  [k: string]: unknown;
}

/**
 * Journal payload `output_delivery` (upstream `OutputDeliveryRecord`, an enum adjacently tagged with `record_type` and `record`): accepted as an opaque object carrying its type tag and the name of its inner variant, because upstream does not publish the variants; `record` (absent for a unit variant) and every other key are kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.OutputDelivery`.
 */
export interface JournalRecordPayloadOutputDelivery {
  /**
   * Variant tag.
   */
  type: "output_delivery";
  /**
   * The `OutputDeliveryRecord` variant (serde's adjacent tag).
   */
  record_type: string;
  [k: string]: unknown;
}

/**
 * Journal payload `realtime_session` (upstream `RealtimeSessionRecord`), accepted as an opaque object carrying its type tag because upstream does not publish its shape; every key is kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.RealtimeSession`.
 */
export interface JournalRecordPayloadRealtimeSession {
  /**
   * Variant tag.
   */
  type: "realtime_session";
  [k: string]: unknown;
}

/**
 * Journal payload `recovery`: the fields of a `RecoveryMarker` with the tag `"type": "recovery"` merged in (internally tagged newtype variant).
 *
 * Schema: `agentsdk.JournalRecordPayload.Recovery`.
 */
export type JournalRecordPayloadRecovery = RecoveryMarker & {
  /**
   * Variant tag.
   */
  type: "recovery";
};

/**
 * Journal payload `run_lifecycle`: the fields of a `RunLifecycleRecord` with the tag `"type": "run_lifecycle"` merged in (internally tagged newtype variant).
 *
 * Schema: `agentsdk.JournalRecordPayload.RunLifecycle`.
 */
export type JournalRecordPayloadRunLifecycle = RunLifecycleRecord & {
  /**
   * Variant tag.
   */
  type: "run_lifecycle";
};

/**
 * Journal payload `run_message` (upstream `RunMessageRecord`), accepted as an opaque object carrying its type tag because upstream does not publish its shape; every key is kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.RunMessage`.
 */
export interface JournalRecordPayloadRunMessage {
  /**
   * Variant tag.
   */
  type: "run_message";
  [k: string]: unknown;
}

/**
 * Journal payload `stream_rule` (upstream `StreamRuleRecord`), accepted as an opaque object carrying its type tag because upstream does not publish its shape; every key is kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.StreamRule`.
 */
export interface JournalRecordPayloadStreamRule {
  /**
   * Variant tag.
   */
  type: "stream_rule";
  [k: string]: unknown;
}

/**
 * Journal payload `structured_output` (upstream `StructuredOutputRecord`, an enum adjacently tagged with `record_type` and `record`): accepted as an opaque object carrying its type tag and the name of its inner variant, because upstream does not publish the variants; `record` (absent for a unit variant) and every other key are kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.StructuredOutput`.
 */
export interface JournalRecordPayloadStructuredOutput {
  /**
   * Variant tag.
   */
  type: "structured_output";
  /**
   * The `StructuredOutputRecord` variant (serde's adjacent tag).
   */
  record_type: string;
  [k: string]: unknown;
}

/**
 * Journal payload `subagent` (upstream `SubagentRecord`, an enum adjacently tagged with `record_type` and `record`): accepted as an opaque object carrying its type tag and the name of its inner variant, because upstream does not publish the variants; `record` (absent for a unit variant) and every other key are kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.Subagent`.
 */
export interface JournalRecordPayloadSubagent {
  /**
   * Variant tag.
   */
  type: "subagent";
  /**
   * The `SubagentRecord` variant (serde's adjacent tag).
   */
  record_type: string;
  [k: string]: unknown;
}

/**
 * Journal payload `terminal_result`: the fields of a `TerminalResultMarker` with the tag `"type": "terminal_result"` merged in (internally tagged newtype variant).
 *
 * Schema: `agentsdk.JournalRecordPayload.TerminalResult`.
 */
export type JournalRecordPayloadTerminalResult = TerminalResultMarker & {
  /**
   * Variant tag.
   */
  type: "terminal_result";
};

/**
 * Journal payload `tool` (upstream `ToolCallRecord`), accepted as an opaque object carrying its type tag because upstream does not publish its shape; every key is kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.Tool`.
 */
export interface JournalRecordPayloadTool {
  /**
   * Variant tag.
   */
  type: "tool";
  [k: string]: unknown;
}

/**
 * Journal payload `turn_lifecycle` (upstream `TurnLifecycleRecord`), accepted as an opaque object carrying its type tag because upstream does not publish its shape; every key is kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.TurnLifecycle`.
 */
export interface JournalRecordPayloadTurnLifecycle {
  /**
   * Variant tag.
   */
  type: "turn_lifecycle";
  [k: string]: unknown;
}

/**
 * Journal payload `wake` (upstream `WakeRecord`), accepted as an opaque object carrying its type tag because upstream does not publish its shape; every key is kept unchanged.
 *
 * Schema: `agentsdk.JournalRecordPayload.Wake`.
 */
export interface JournalRecordPayloadWake {
  /**
   * Variant tag.
   */
  type: "wake";
  [k: string]: unknown;
}

/**
 * Validated identifier of a lineage chain linking a source to its destinations. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.LineageId`.
 */
export type LineageId = string;

/**
 * Lineage link from a source to an optional destination under the policies that governed the flow.
 *
 * Schema: `agentsdk.LineageRef`.
 */
export interface LineageRef {
  /**
   * Identifier of the lineage chain.
   */
  lineage_id: LineageId;
  /**
   * Origin of the data.
   */
  source: SourceRef;
  /**
   * Target of the data; omitted when none.
   */
  destination?: DestinationRef | null;
  /**
   * Policies that governed the flow; omitted when empty.
   */
  policy_refs?: PolicyRef[];
}

/**
 * Validated identifier of a conversation or run-to-run message. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.MessageId`.
 */
export type MessageId = string;

/**
 * Conversation message journaled by reference: its id, role and a redacted summary, never its raw content.
 *
 * Schema: `agentsdk.MessageRecord`.
 */
export interface MessageRecord {
  /**
   * Identifier of the message.
   */
  message_id: MessageId;
  /**
   * Role of the message author, such as `user` or `assistant`.
   */
  role: string;
  /**
   * Redacted human-readable summary of the message.
   */
  redacted_summary: string;
}

/**
 * Validated identifier of a structured-output schema. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.OutputSchemaId`.
 */
export type OutputSchemaId = string;

/**
 * Effect whose intent was journaled but whose result was not, so it may or may not have happened.
 *
 * Schema: `agentsdk.PendingSideEffect`.
 */
export interface PendingSideEffect {
  /**
   * Identifier of the pending effect.
   */
  effect_id: EffectId;
  /**
   * Identifier of the journal record holding the effect's intent.
   */
  intent_record_id: string;
  /**
   * Idempotency key of the effect; omitted when absent.
   */
  idempotency_key?: IdempotencyKey | null;
  /**
   * Dedupe key of the effect; omitted when absent.
   */
  dedupe_key?: DedupeKey | null;
  /**
   * Why the effect cannot safely be retried or assumed done.
   */
  unsafe_pending_reason: string;
}

/**
 * Validated identifier of the policy a `PolicyRef` names. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.PolicyId`.
 */
export type PolicyId = string;

/**
 * Kind of policy a `PolicyRef` names.
 *
 * Schema: `agentsdk.PolicyKind`.
 */
export type PolicyKind =
  | "approval"
  | "permission"
  | "sandbox"
  | "context"
  | "privacy"
  | "retention"
  | "redaction"
  | "runtime_package"
  | "host";

/**
 * Reference to a policy that a host or runtime must resolve before acting.
 *
 * Schema: `agentsdk.PolicyRef`.
 */
export interface PolicyRef {
  /**
   * Kind of policy.
   */
  kind: PolicyKind;
  /**
   * Identifier of the policy.
   */
  id: PolicyId;
  /**
   * Policy version; omitted when unversioned.
   */
  version?: string | null;
}

/**
 * How much of a record's content may be exposed: from public content to secrets that must never leave the host.
 *
 * Schema: `agentsdk.PrivacyClass`.
 */
export type PrivacyClass = "public" | "internal" | "content_refs_only" | "sensitive" | "secret";

/**
 * Marker journaled when a run cannot record an effect's outcome, listing the effects left unsafely pending.
 *
 * Schema: `agentsdk.RecoveryMarker`.
 */
export interface RecoveryMarker {
  /**
   * Effects left unsafely pending (always written, possibly empty).
   */
  unsafe_pending: PendingSideEffect[];
  /**
   * Why recovery was needed.
   */
  recovery_reason: string;
  /**
   * Policies that govern the recovery; omitted when empty.
   */
  policy_refs?: PolicyRef[];
}

/**
 * Validated identifier of one structured-output repair attempt. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.RepairAttemptId`.
 */
export type RepairAttemptId = string;

/**
 * How long a destination may keep what it receives.
 *
 * Schema: `agentsdk.RetentionClass`.
 */
export type RetentionClass = "ephemeral" | "run_scoped" | "session_scoped" | "durable" | "persistent" | "host_policy";

/**
 * Snapshot of a run's loop state covering its journal up to a sequence number; an accelerator for replay, never the source of truth.
 *
 * Schema: `agentsdk.RunCheckpoint`.
 */
export interface RunCheckpoint {
  /**
   * Identifier of the checkpoint (copied into the record's `checkpoint_ref`).
   */
  checkpoint_id: string;
  /**
   * Run the checkpoint belongs to.
   */
  run_id: RunId;
  /**
   * Number of the checkpoint within the run.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  checkpoint_seq: number;
  /**
   * Last journal sequence number the checkpoint covers; never past the latest committed record.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  covers_journal_seq: number;
  /**
   * Run loop state at the checkpoint, such as `awaiting_model`.
   */
  loop_state: string;
  /**
   * Current turn; omitted when none.
   */
  turn_id?: TurnId | null;
  /**
   * Current attempt; omitted when none.
   */
  attempt_id?: AttemptId | null;
  /**
   * Fingerprint of the runtime package the run executes with.
   */
  runtime_package_fingerprint: string;
  /**
   * Effects whose outcome was not journaled yet; omitted when empty.
   */
  pending_side_effects?: PendingSideEffect[];
  /**
   * Identifiers of approvals still awaited; omitted when empty.
   */
  pending_approvals?: string[];
  /**
   * Stored content the checkpoint needs (copied into the record's `content_refs`); omitted when empty.
   */
  content_ref_manifest?: ContentRef[];
  /**
   * Hash of the replayed run state.
   */
  state_hash: string;
  /**
   * Time the checkpoint was taken, in milliseconds.
   *
   * Integers up to 2^64 - 1 (u64) are valid here, above `Number.MAX_SAFE_INTEGER` (2^53 - 1): `JSON.parse` rounds such values, so read them with a lossless JSON parser where exact values matter.
   */
  created_at_millis: number;
  /**
   * Identifier of the component that wrote the checkpoint.
   */
  writer_id: string;
}

/**
 * Validated identifier of one agent run; every journal record belongs to exactly one run. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.RunId`.
 */
export type RunId = string;

/**
 * Change of a run's lifecycle status, such as started or completed, with its reason.
 *
 * Schema: `agentsdk.RunLifecycleRecord`.
 */
export interface RunLifecycleRecord {
  /**
   * New lifecycle status of the run.
   */
  status: string;
  /**
   * Why the status changed.
   */
  reason: string;
}

/**
 * Validated identifier of a runtime package (the bundle of capabilities, hooks and policies a run executes with). Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.RuntimePackageId`.
 */
export type RuntimePackageId = string;

/**
 * Validated identifier of a host session that spans several runs. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.SessionId`.
 */
export type SessionId = string;

/**
 * Validated identifier of the origin a `SourceRef` names. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.SourceId`.
 */
export type SourceId = string;

/**
 * Kind of origin a `SourceRef` names.
 *
 * Schema: `agentsdk.SourceKind`.
 */
export type SourceKind =
  | "sdk"
  | "host"
  | "user"
  | "system"
  | "developer"
  | "memory"
  | "compaction"
  | "hook"
  | "extension"
  | "tool"
  | "remote_channel"
  | "scheduled_task"
  | "subagent"
  | "external_runtime"
  | "replay";

/**
 * Origin of a record or effect, with how far it is trusted and how private it is.
 *
 * Schema: `agentsdk.SourceRef`.
 */
export interface SourceRef {
  /**
   * Kind of origin.
   */
  kind: SourceKind;
  /**
   * Identifier of the origin.
   */
  id: SourceId;
  /**
   * Trust placed in data from this origin.
   */
  trust: TrustClass;
  /**
   * Privacy class of data from this origin.
   */
  privacy: PrivacyClass;
  /**
   * Correlation dimensions of the origin; omitted when empty.
   */
  correlation?: CorrelationEntry[];
  /**
   * Redacted human-readable summary of the origin; omitted when absent.
   */
  redacted_summary?: string | null;
}

/**
 * Validated identifier of a telemetry span. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.SpanId`.
 */
export type SpanId = string;

/**
 * Marker linking an effect to the journal record that holds its terminal result.
 *
 * Schema: `agentsdk.TerminalResultMarker`.
 */
export interface TerminalResultMarker {
  /**
   * Identifier of the effect.
   */
  effect_id: EffectId;
  /**
   * Identifier of the journal record holding the effect's result.
   */
  result_record_id: string;
  /**
   * Terminal status as free text (a plain string here, not the `EffectTerminalStatus` enum).
   */
  terminal_status: string;
}

/**
 * Validated identifier of one tool call requested by a model. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.ToolCallId`.
 */
export type ToolCallId = string;

/**
 * Validated identifier of a message topic that runs can publish to or subscribe on. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.TopicId`.
 */
export type TopicId = string;

/**
 * Validated identifier of a telemetry trace. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.TraceId`.
 */
export type TraceId = string;

/**
 * How far the SDK trusts data coming from a source.
 *
 * Schema: `agentsdk.TrustClass`.
 */
export type TrustClass = "trusted" | "sdk_generated" | "host_provided" | "user_provided" | "external" | "untrusted";

/**
 * Validated identifier of one turn inside a run. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.TurnId`.
 */
export type TurnId = string;

/**
 * Validated identifier of a structured output that passed validation. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.ValidatedOutputId`.
 */
export type ValidatedOutputId = string;

/**
 * Validated identifier of one structured-output validation attempt. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.ValidationAttemptId`.
 */
export type ValidationAttemptId = string;

/**
 * Validated identifier of a condition that wakes a waiting run. Non-empty, at most 512 UTF-8 bytes, no control character (U+0000-U+001F, U+007F-U+009F); serde rejects anything else on input.
 *
 * Schema: `agentsdk.WakeConditionId`.
 */
export type WakeConditionId = string;
