/**
 * How a stage failed, inside the engine: the verdict's fields before the verdict is made.
 * @module
 */
import type { CheckReason, CheckStage } from "./types.ts";

/** A stage's failure: the stage, the reason from the documented list, and the detail. */
export interface StageFailure {
  readonly stage: CheckStage;
  readonly reason: CheckReason;
  readonly detail: string;
}
