import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#shared/data/client';
import { isConditionalCheckFailed } from '#shared/data/errors';
import { keys, ttlEpochSeconds } from '#shared/data/keys';
import type { ExportableStatus, ExportKind, ExportStatus } from './api.ts';

/** How long a job item is kept: as long as the ZIP it names (the work-files bucket's expiry) and a day more. */
export const EXPORT_JOB_TTL_SECONDS = 8 * 24 * 60 * 60;

export type ExportFile = {
  key: string;
  documents: number;
  entries: number;
  bytes: number;
  expiresAt: string;
};
export type ExportFailure = { code: string; message: string };

/** The item `T#<t>` / `EXPORT#<id>`; `expiresAt` is the table's TTL (epoch seconds). */
export type ExportJob = {
  tenantId: string;
  exportId: string;
  status: ExportStatus;
  /** As requested (a Panama date or a date-time). */
  from: string;
  to: string;
  kinds: ExportKind[];
  documentStatus?: ExportableStatus;
  total: number;
  done: number;
  /** Runs started by the worker; the current run alone may write progress and the result. */
  run: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  failure?: ExportFailure;
  file?: ExportFile;
  expiresAt: number;
};

/** A later run of the same job took it over (this run's SQS message was redelivered meanwhile). */
export class ExportRunSupersededError extends Error {
  override readonly name = 'ExportRunSupersededError';
}

const ACTIVE = ['QUEUED', 'RUNNING'] as const;

export const exportJobs = {
  async create(job: ExportJob): Promise<void> {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.exportJob(job.tenantId, job.exportId), ...job },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  async get(tenantId: string, exportId: string): Promise<ExportJob | undefined> {
    const { Item } = await documentClient().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.exportJob(tenantId, exportId),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...job } = Item;
    return job as ExportJob;
  },

  /**
   * Starts a run: RUNNING, `run` + 1, progress back to 0 (a run always starts from scratch). Undefined when
   * the job has finished already (DONE or FAILED): a redelivered message then has nothing left to do.
   */
  async startRun(tenantId: string, exportId: string, now: Date): Promise<ExportJob | undefined> {
    try {
      const out = await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.exportJob(tenantId, exportId),
          UpdateExpression:
            'SET #status = :running, #run = if_not_exists(#run, :zero) + :one, #done = :zero, ' +
            '#startedAt = :now, #updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND #status IN (:queued, :running)',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#run': 'run',
            '#done': 'done',
            '#startedAt': 'startedAt',
            '#updatedAt': 'updatedAt',
          },
          ExpressionAttributeValues: {
            ':running': 'RUNNING',
            ':queued': 'QUEUED',
            ':zero': 0,
            ':one': 1,
            ':now': now.toISOString(),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const { pk: _pk, sk: _sk, ...job } = out.Attributes ?? {};
      return job as ExportJob;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  },

  /** Progress of the current run; ExportRunSupersededError when another run owns the job now. */
  async recordProgress(
    job: Pick<ExportJob, 'tenantId' | 'exportId' | 'run'>,
    progress: { total?: number; done: number },
    now: Date,
  ) {
    await updateOwnRun(job, { ...progress, updatedAt: now.toISOString() });
  },

  /** DONE with its ZIP, by the run that made it. */
  async finish(
    job: Pick<ExportJob, 'tenantId' | 'exportId' | 'run'>,
    file: ExportFile,
    now: Date,
  ): Promise<void> {
    await updateOwnRun(job, {
      status: 'DONE',
      done: file.documents,
      file,
      finishedAt: now.toISOString(),
      updatedAt: now.toISOString(),
      expiresAt: ttlEpochSeconds(now, EXPORT_JOB_TTL_SECONDS),
    });
  },

  /** FAILED with the reason, unless the job finished meanwhile (or, given `run`, another run owns it). */
  async fail(
    job: Pick<ExportJob, 'tenantId' | 'exportId'> & { run?: number },
    failure: ExportFailure,
    now: Date,
  ): Promise<void> {
    const values: Record<string, unknown> = {
      ':failed': 'FAILED',
      ':failure': failure,
      ':now': now.toISOString(),
      ':queued': ACTIVE[0],
      ':running': ACTIVE[1],
    };
    let condition = 'attribute_exists(pk) AND #status IN (:queued, :running)';
    if (job.run !== undefined) {
      values[':run'] = job.run;
      condition += ' AND #run = :run';
    }
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.exportJob(job.tenantId, job.exportId),
          UpdateExpression:
            'SET #status = :failed, #failure = :failure, #finishedAt = :now, #updatedAt = :now',
          ConditionExpression: condition,
          ExpressionAttributeNames: {
            '#status': 'status',
            '#failure': 'failure',
            '#finishedAt': 'finishedAt',
            '#updatedAt': 'updatedAt',
            ...(job.run !== undefined ? { '#run': 'run' } : {}),
          },
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  },
};

/** Sets `fields` if the job is still RUNNING under `job.run`. */
async function updateOwnRun(
  job: Pick<ExportJob, 'tenantId' | 'exportId' | 'run'>,
  fields: Record<string, unknown>,
): Promise<void> {
  const names: Record<string, string> = { '#status': 'status', '#run': 'run' };
  const values: Record<string, unknown> = { ':running': 'RUNNING', ':run': job.run };
  const assignments = Object.entries(fields).map(([field, value], i) => {
    names[`#f${i}`] = field;
    values[`:f${i}`] = value;
    return `#f${i} = :f${i}`;
  });
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.exportJob(job.tenantId, job.exportId),
        UpdateExpression: `SET ${assignments.join(', ')}`,
        ConditionExpression: '#status = :running AND #run = :run',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) {
      throw new ExportRunSupersededError(`export ${job.exportId}: run ${job.run} no longer owns the job`);
    }
    throw error;
  }
}
