import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arn } from '../../template/names.ts';
import { AwsServiceError } from '../json-protocol.ts';

export type KeySpec =
  | 'SYMMETRIC_DEFAULT'
  | 'RSA_2048'
  | 'RSA_3072'
  | 'RSA_4096'
  | 'ECC_NIST_P256'
  | 'ECC_NIST_P384'
  | 'ECC_SECG_P256K1';

export type StoredKey = {
  keyId: string;
  arn: string;
  keySpec: KeySpec;
  keyUsage: 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY';
  origin: 'AWS_KMS' | 'EXTERNAL';
  description: string;
  keyState: 'Enabled' | 'Disabled' | 'PendingImport' | 'PendingDeletion';
  creationDate: number;
  deletionDate?: number;
  tags: Array<{ TagKey: string; TagValue: string }>;
  /** Symmetric: base64 of 32 bytes. Asymmetric: PKCS#8 PEM of the private key. Absent while PendingImport. */
  material?: string;
  /** Outstanding import parameters (EXTERNAL keys): wrapping private key and the token that names it. */
  importParameters?: {
    token: string;
    wrappingPrivateKeyPem: string;
    validTo: number;
    wrappingAlgorithm: string;
  };
};

type StoreFile = { keys: StoredKey[]; aliases: Record<string, string> };

/**
 * Keys of the KMS stand-in, persisted in `<dir>/keys.json`. The file holds private key material, so the
 * directory is 0700 and the file 0600 (owner only) — the same protection as an SSH key on the laptop.
 */
export class KmsKeyStore {
  private readonly file: string;
  private state: StoreFile;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    this.file = join(dir, 'keys.json');
    this.state = existsSync(this.file)
      ? (JSON.parse(readFileSync(this.file, 'utf8')) as StoreFile)
      : { keys: [], aliases: {} };
  }

  save(): void {
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.state), { mode: 0o600 });
    renameSync(temporary, this.file);
  }

  add(key: StoredKey): void {
    if (this.state.keys.some((existing) => existing.keyId === key.keyId)) {
      throw new AwsServiceError('AlreadyExistsException', `key ${key.keyId} already exists`);
    }
    this.state.keys.push(key);
    this.save();
  }

  has(keyId: string): boolean {
    return this.state.keys.some((key) => key.keyId === keyId);
  }

  list(): StoredKey[] {
    return this.state.keys;
  }

  /** Resolves a key id, key ARN, alias name or alias ARN, as every KMS operation's `KeyId` accepts. */
  find(reference: string): StoredKey {
    let keyId = reference;
    const aliasName = reference.startsWith('alias/')
      ? reference
      : /^arn:aws:kms:[^:]+:[^:]+:(alias\/.+)$/.exec(reference)?.[1];
    if (aliasName) {
      const target = this.state.aliases[aliasName];
      if (!target)
        throw new AwsServiceError('NotFoundException', `Alias ${arn.kmsAlias(aliasName)} is not found.`);
      keyId = target;
    } else {
      keyId = /^arn:aws:kms:[^:]+:[^:]+:key\/(.+)$/.exec(reference)?.[1] ?? reference;
    }
    const key = this.state.keys.find((candidate) => candidate.keyId === keyId);
    if (!key) throw new AwsServiceError('NotFoundException', `Key '${arn.kmsKey(keyId)}' does not exist`);
    return key;
  }

  aliases(): Array<{ aliasName: string; keyId: string }> {
    return Object.entries(this.state.aliases).map(([aliasName, keyId]) => ({ aliasName, keyId }));
  }

  setAlias(aliasName: string, keyId: string, { create }: { create: boolean }): void {
    if (!aliasName.startsWith('alias/') || aliasName.startsWith('alias/aws/')) {
      throw new AwsServiceError(
        'ValidationException',
        `Alias must start with alias/ and not alias/aws/: ${aliasName}`,
      );
    }
    const exists = aliasName in this.state.aliases;
    if (create && exists) {
      throw new AwsServiceError(
        'AlreadyExistsException',
        `An alias with the name ${arn.kmsAlias(aliasName)} already exists`,
      );
    }
    if (!create && !exists) {
      throw new AwsServiceError('NotFoundException', `Alias ${arn.kmsAlias(aliasName)} is not found.`);
    }
    this.state.aliases[aliasName] = this.find(keyId).keyId;
    this.save();
  }

  deleteAlias(aliasName: string): void {
    if (!(aliasName in this.state.aliases)) {
      throw new AwsServiceError('NotFoundException', `Alias ${arn.kmsAlias(aliasName)} is not found.`);
    }
    delete this.state.aliases[aliasName];
    this.save();
  }
}
