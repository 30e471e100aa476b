/**
 * The in-memory table with DynamoDB's transaction concurrency: a transaction holds its items for a moment
 * (a few event-loop turns) before it commits, and while it does, another transaction that touches one of
 * them is cancelled with `TransactionConflict`, and a single-item write to one of them fails with
 * `TransactionConflictException` (DynamoDB Local serializes transactions instead and never shows either).
 * Single-item writes are atomic, as on DynamoDB. Counts the TransactWriteItems calls and cancellations.
 */
import { TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { FakeTable } from './fake-table.ts';

type Keyed = { Put?: { Item?: Record<string, unknown> }; Update?: { Key?: Record<string, unknown> } };

const idOf = (key: Record<string, unknown> | undefined) => `${String(key?.pk)}\u0000${String(key?.sk)}`;

export class ConflictingTable extends FakeTable {
  private readonly held = new Set<string>();
  readonly transactions = { calls: 0, cancelled: 0, conflicts: 0 };
  /** Single-item writes refused because a transaction held their item. */
  singleWriteConflicts = 0;

  /** How many event-loop turns a transaction holds its items before committing. */
  constructor(private readonly holdTurns = 3) {
    super();
  }

  override install(mock: AwsClientStub<DynamoDBDocumentClient>): void {
    super.install(mock);
    mock.on(TransactWriteCommand).callsFake((input) => this.transact(input));
    mock.on(UpdateCommand).callsFake((input) => {
      this.refuseIfHeld(idOf(input.Key));
      return this.handleUpdate(input);
    });
    mock.on(PutCommand).callsFake((input) => {
      this.refuseIfHeld(idOf(input.Item));
      return this.handlePut(input);
    });
  }

  private refuseIfHeld(id: string): void {
    if (!this.held.has(id)) return;
    this.singleWriteConflicts += 1;
    throw new TransactionConflictException({
      message: 'Transaction is ongoing for the item',
      $metadata: {},
    });
  }

  /** TransactWriteItems with conflicts (what the installed mock answers). */
  async transact(input: { TransactItems?: Keyed[] }) {
    this.transactions.calls += 1;
    const ids = (input.TransactItems ?? []).map((action) => idOf(action.Put?.Item ?? action.Update?.Key));
    if (ids.some((id) => this.held.has(id))) {
      this.transactions.cancelled += 1;
      this.transactions.conflicts += 1;
      throw new TransactionCanceledException({
        message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
        $metadata: {},
        CancellationReasons: ids.map((id) => ({ Code: this.held.has(id) ? 'TransactionConflict' : 'None' })),
      });
    }
    for (const id of ids) this.held.add(id);
    try {
      for (let turn = 0; turn < this.holdTurns; turn++) await new Promise((resolve) => setImmediate(resolve));
      return this.handleTransactWrite(input as Parameters<FakeTable['handleTransactWrite']>[0]);
    } catch (error) {
      this.transactions.cancelled += 1;
      throw error;
    } finally {
      for (const id of ids) this.held.delete(id);
    }
  }
}
