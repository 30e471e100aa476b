import type { ExecutionStatus } from './executions.ts';

export type ExpressExecutionRecord = {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  error?: string;
  cause?: string;
};

const KEPT = 200;

/**
 * The recent EXPRESS executions, for local diagnostics only. AWS keeps no history an API could read for them
 * (it goes to CloudWatch Logs), so nothing here is served through the Step Functions API; the local cloud exposes
 * it as `recentExpressExecutions()` and logs each outcome.
 */
export class ExpressExecutionLog {
  private readonly records = new Map<string, ExpressExecutionRecord>();

  add(record: ExpressExecutionRecord): void {
    this.records.set(record.executionArn, record);
    for (const executionArn of this.records.keys()) {
      if (this.records.size <= KEPT) break;
      this.records.delete(executionArn);
    }
  }

  get(executionArn: string): ExpressExecutionRecord | undefined {
    return this.records.get(executionArn);
  }

  update(executionArn: string, changes: Partial<ExpressExecutionRecord>): void {
    const record = this.records.get(executionArn);
    if (record) Object.assign(record, changes);
  }

  recent(): ExpressExecutionRecord[] {
    return [...this.records.values()].map((record) => ({ ...record }));
  }
}
