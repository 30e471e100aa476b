import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './client.ts';
import { cancellationCodes } from './errors.ts';

/** One element of a TransactWriteItems request (document client form). */
export type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/**
 * Writes `change` and, in the same transaction, `also` (an audit entry): both or neither. With nothing to add
 * the change goes alone as its plain request (half the write cost of a transaction). Either way a failed
 * condition of the change surfaces as the ConditionalCheckFailedException its plain request throws, so the
 * callers' error mapping does not depend on how it was written.
 */
export async function writeTogether(change: TransactItem, also: readonly TransactItem[] = []): Promise<void> {
  if (also.length === 0) {
    await sendAlone(change);
    return;
  }
  try {
    await documentClient().send(new TransactWriteCommand({ TransactItems: [change, ...also] }));
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
      throw new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
      });
    }
    throw error;
  }
}

async function sendAlone(change: TransactItem): Promise<void> {
  const client = documentClient();
  if (change.Put) await client.send(new PutCommand(change.Put));
  else if (change.Update) await client.send(new UpdateCommand(change.Update));
  else if (change.Delete) await client.send(new DeleteCommand(change.Delete));
  else throw new Error('writeTogether takes a Put, an Update or a Delete as the change');
}
