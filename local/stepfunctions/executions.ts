import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export type ExecutionRecord = {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
};

/**
 * Execution history, persisted in `<dir>/executions.json` so DescribeExecution and name uniqueness survive a
 * restart. Executions still RUNNING when the previous process stopped cannot be resumed (the interpreter keeps
 * its state in memory) and are marked ABORTED on load — visible, not silently lost.
 */
export class ExecutionStore {
  private readonly file: string;
  private readonly records = new Map<string, ExecutionRecord>();
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'executions.json');
    if (existsSync(this.file)) {
      for (const record of JSON.parse(readFileSync(this.file, 'utf8')) as ExecutionRecord[]) {
        if (record.status === 'RUNNING') {
          Object.assign(record, {
            status: 'ABORTED',
            stopDate: Date.now() / 1000,
            error: 'Local.Restarted',
            cause: 'the local cloud stopped while this execution was running',
          });
        }
        this.records.set(record.executionArn, record);
      }
    }
  }

  get(executionArn: string): ExecutionRecord | undefined {
    return this.records.get(executionArn);
  }

  list(stateMachineArn: string): ExecutionRecord[] {
    return [...this.records.values()].filter((record) => record.stateMachineArn === stateMachineArn);
  }

  put(record: ExecutionRecord): void {
    this.records.set(record.executionArn, record);
    this.scheduleSave();
  }

  update(executionArn: string, changes: Partial<ExecutionRecord>): void {
    const record = this.records.get(executionArn);
    if (!record) return;
    Object.assign(record, changes);
    this.scheduleSave();
  }

  private scheduleSave() {
    this.saveTimer ??= setTimeout(() => this.flush(), 100);
  }

  flush(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    writeFileSync(`${this.file}.tmp`, JSON.stringify([...this.records.values()]));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
