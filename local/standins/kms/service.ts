import { randomBytes, randomUUID } from 'node:crypto';
import { ACCOUNT_ID } from '../../aws.ts';
import { arn } from '../../template/names.ts';
import { AwsServiceError, blob, type JsonService, requireString } from '../json-protocol.ts';
import {
  acceptImportedMaterial,
  ciphertextKeyId,
  decryptSymmetric,
  encryptSymmetric,
  generateMaterial,
  generateWrappingKey,
  publicKeyDer,
  signingAlgorithms,
  signMessage,
  unwrapKeyMaterial,
  verifySignature,
  WRAPPING_ALGORITHMS,
} from './crypto.ts';
import type { KeySpec, KmsKeyStore, StoredKey } from './store.ts';

const KEY_SPECS: KeySpec[] = [
  'SYMMETRIC_DEFAULT',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_SECG_P256K1',
];
const IMPORT_VALIDITY_SECONDS = 24 * 60 * 60;

export function keyMetadata(key: StoredKey) {
  const symmetric = key.keySpec === 'SYMMETRIC_DEFAULT';
  return {
    AWSAccountId: ACCOUNT_ID,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: key.creationDate,
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
    Origin: key.origin,
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    MultiRegion: false,
    ...(key.deletionDate ? { DeletionDate: key.deletionDate } : {}),
    ...(key.origin === 'EXTERNAL' ? { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } : {}),
    ...(key.keyUsage === 'ENCRYPT_DECRYPT'
      ? {
          EncryptionAlgorithms: symmetric
            ? ['SYMMETRIC_DEFAULT']
            : ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
        }
      : { SigningAlgorithms: signingAlgorithms(key.keySpec) }),
  };
}

/** Creates a key in the store; also used to provision the template's `AWS::KMS::Key`s with stable ids. */
export function createKey(
  store: KmsKeyStore,
  input: {
    keyId?: string;
    KeySpec?: string;
    KeyUsage?: string;
    Origin?: string;
    Description?: string;
    Tags?: unknown;
  },
): StoredKey {
  const keySpec = (input.KeySpec ?? 'SYMMETRIC_DEFAULT') as KeySpec;
  if (!KEY_SPECS.includes(keySpec))
    throw new AwsServiceError('ValidationException', `KeySpec ${keySpec} is not supported`);
  const symmetric = keySpec === 'SYMMETRIC_DEFAULT';
  const keyUsage = (input.KeyUsage ?? (symmetric ? 'ENCRYPT_DECRYPT' : undefined)) as StoredKey['keyUsage'];
  if (!keyUsage) throw new AwsServiceError('ValidationException', 'KeyUsage is required for asymmetric keys');
  if (symmetric && keyUsage !== 'ENCRYPT_DECRYPT') {
    throw new AwsServiceError('ValidationException', 'SYMMETRIC_DEFAULT keys only support ENCRYPT_DECRYPT');
  }
  if (keySpec.startsWith('ECC') && keyUsage !== 'SIGN_VERIFY') {
    throw new AwsServiceError('ValidationException', 'ECC keys only support SIGN_VERIFY');
  }
  const origin = (input.Origin ?? 'AWS_KMS') as StoredKey['origin'];
  if (origin !== 'AWS_KMS' && origin !== 'EXTERNAL') {
    throw new AwsServiceError('UnsupportedOperationException', `Origin ${origin} is not supported locally`);
  }
  const keyId = input.keyId ?? randomUUID();
  const key: StoredKey = {
    keyId,
    arn: arn.kmsKey(keyId),
    keySpec,
    keyUsage,
    origin,
    description: input.Description ?? '',
    keyState: origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled',
    creationDate: Date.now() / 1000,
    tags: ((input.Tags as StoredKey['tags'] | undefined) ?? []).map(({ TagKey, TagValue }) => ({
      TagKey,
      TagValue,
    })),
    ...(origin === 'AWS_KMS' ? { material: generateMaterial(keySpec) } : {}),
  };
  store.add(key);
  return key;
}

function usableKey(store: KmsKeyStore, reference: string, usage: StoredKey['keyUsage']): StoredKey {
  const key = store.find(reference);
  if (key.keyState === 'Disabled') throw new AwsServiceError('DisabledException', `${key.arn} is disabled.`);
  if (key.keyState !== 'Enabled') {
    throw new AwsServiceError('KMSInvalidStateException', `${key.arn} is ${key.keyState}.`);
  }
  if (key.keyUsage !== usage) {
    throw new AwsServiceError('InvalidKeyUsageException', `${key.arn} key usage is ${key.keyUsage}`);
  }
  return key;
}

function symmetricKey(store: KmsKeyStore, reference: string): StoredKey {
  const key = usableKey(store, reference, 'ENCRYPT_DECRYPT');
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw new AwsServiceError(
      'UnsupportedOperationException',
      'Only symmetric encryption is supported locally',
    );
  }
  return key;
}

/**
 * A blob member within the API model's length constraint (1–4096 bytes for `Plaintext` and `Message`),
 * refused with the ValidationException KMS answers, which never echoes the sensitive value.
 */
function boundedBlob(input: Record<string, unknown>, member: string, maxBytes: number): Buffer {
  const value = blob(input, member);
  const field = member[0]!.toLowerCase() + member.slice(1);
  if (value.length < 1 || value.length > maxBytes) {
    const bound = value.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${maxBytes}`;
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length ${bound}`,
    );
  }
  return value;
}

function dataKeyLength(input: Record<string, unknown>): number {
  if (input.NumberOfBytes !== undefined) {
    const bytes = Number(input.NumberOfBytes);
    if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
      throw new AwsServiceError(
        'ValidationException',
        `1 validation error detected: Value '${input.NumberOfBytes}' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024`,
      );
    }
    return bytes;
  }
  if (input.KeySpec === 'AES_128') return 16;
  if (input.KeySpec === 'AES_256') return 32;
  throw new AwsServiceError('ValidationException', 'Please specify either number of bytes or key spec.');
}

/** The KMS stand-in (target prefix `TrentService`), backed by a persistent key store. */
export function kmsService(store: KmsKeyStore): JsonService {
  const generateDataKey = (input: Record<string, unknown>) => {
    const key = symmetricKey(store, requireString(input, 'KeyId'));
    const plaintext = randomBytes(dataKeyLength(input));
    return {
      key,
      plaintext,
      ciphertext: encryptSymmetric(key, plaintext, input.EncryptionContext),
    };
  };
  return {
    targetPrefix: 'TrentService',
    contentType: 'application/x-amz-json-1.1',
    operations: {
      CreateKey: (input) => ({ KeyMetadata: keyMetadata(createKey(store, input)) }),
      DescribeKey: (input) => ({ KeyMetadata: keyMetadata(store.find(requireString(input, 'KeyId'))) }),
      ListKeys: () => ({
        Keys: store.list().map((key) => ({ KeyId: key.keyId, KeyArn: key.arn })),
        Truncated: false,
      }),
      EnableKey: (input) => {
        const key = store.find(requireString(input, 'KeyId'));
        if (key.keyState === 'Disabled') key.keyState = 'Enabled';
        store.save();
      },
      DisableKey: (input) => {
        const key = store.find(requireString(input, 'KeyId'));
        if (key.keyState === 'Enabled') key.keyState = 'Disabled';
        store.save();
      },
      ScheduleKeyDeletion: (input) => {
        const key = store.find(requireString(input, 'KeyId'));
        const days = Number(input.PendingWindowInDays ?? 30);
        // As KMS: a 7–30 day window, and a key already pending deletion cannot be scheduled again.
        if (!Number.isInteger(days) || days < 7 || days > 30) {
          throw new AwsServiceError(
            'ValidationException',
            `1 validation error detected: Value '${input.PendingWindowInDays}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30`,
          );
        }
        if (key.keyState === 'PendingDeletion') {
          throw new AwsServiceError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
        }
        key.keyState = 'PendingDeletion';
        key.deletionDate = Date.now() / 1000 + days * 86400;
        store.save();
        return {
          KeyId: key.arn,
          DeletionDate: key.deletionDate,
          KeyState: key.keyState,
          PendingWindowInDays: days,
        };
      },
      GetParametersForImport: (input) => {
        const key = store.find(requireString(input, 'KeyId'));
        if (key.origin !== 'EXTERNAL') {
          throw new AwsServiceError('UnsupportedOperationException', `${key.arn} origin is ${key.origin}`);
        }
        const wrappingAlgorithm = requireString(input, 'WrappingAlgorithm');
        if (!(WRAPPING_ALGORITHMS as readonly string[]).includes(wrappingAlgorithm)) {
          throw new AwsServiceError(
            'ValidationException',
            `WrappingAlgorithm ${wrappingAlgorithm} is not supported`,
          );
        }
        const wrapping = generateWrappingKey(requireString(input, 'WrappingKeySpec'));
        const token = randomBytes(64).toString('base64');
        const validTo = Date.now() / 1000 + IMPORT_VALIDITY_SECONDS;
        key.importParameters = {
          token,
          wrappingPrivateKeyPem: wrapping.privateKeyPem,
          validTo,
          wrappingAlgorithm,
        };
        store.save();
        return {
          KeyId: key.arn,
          ImportToken: token,
          PublicKey: wrapping.publicKeyDer.toString('base64'),
          ParametersValidTo: validTo,
        };
      },
      ImportKeyMaterial: (input) => {
        const key = store.find(requireString(input, 'KeyId'));
        const parameters = key.importParameters;
        if (!parameters || blob(input, 'ImportToken').toString('base64') !== parameters.token) {
          throw new AwsServiceError(
            'InvalidImportTokenException',
            'The import token is not valid for this key',
          );
        }
        if (parameters.validTo < Date.now() / 1000) {
          throw new AwsServiceError('ExpiredImportTokenException', 'The import token has expired');
        }
        const material = unwrapKeyMaterial(
          parameters.wrappingPrivateKeyPem,
          parameters.wrappingAlgorithm,
          blob(input, 'EncryptedKeyMaterial'),
        );
        key.material = acceptImportedMaterial(key, material);
        key.keyState = 'Enabled';
        delete key.importParameters;
        store.save();
        return { KeyId: key.arn };
      },
      Sign: (input) => {
        const key = usableKey(store, requireString(input, 'KeyId'), 'SIGN_VERIFY');
        const algorithm = requireString(input, 'SigningAlgorithm');
        const signature = signMessage(
          key,
          boundedBlob(input, 'Message', 4096),
          String(input.MessageType ?? 'RAW'),
          algorithm,
        );
        return { KeyId: key.arn, Signature: signature.toString('base64'), SigningAlgorithm: algorithm };
      },
      Verify: (input) => {
        const key = usableKey(store, requireString(input, 'KeyId'), 'SIGN_VERIFY');
        const algorithm = requireString(input, 'SigningAlgorithm');
        const valid = verifySignature(
          key,
          boundedBlob(input, 'Message', 4096),
          String(input.MessageType ?? 'RAW'),
          algorithm,
          blob(input, 'Signature'),
        );
        if (!valid) throw new AwsServiceError('KMSInvalidSignatureException', '');
        return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: algorithm };
      },
      GetPublicKey: (input) => {
        const key = store.find(requireString(input, 'KeyId'));
        if (key.keySpec === 'SYMMETRIC_DEFAULT') {
          throw new AwsServiceError('UnsupportedOperationException', `${key.arn} is a symmetric key`);
        }
        if (!key.material)
          throw new AwsServiceError('KMSInvalidStateException', `${key.arn} is pending import.`);
        const metadata = keyMetadata(key);
        return {
          KeyId: key.arn,
          PublicKey: publicKeyDer(key).toString('base64'),
          KeySpec: key.keySpec,
          CustomerMasterKeySpec: key.keySpec,
          KeyUsage: key.keyUsage,
          ...('SigningAlgorithms' in metadata ? { SigningAlgorithms: metadata.SigningAlgorithms } : {}),
          ...('EncryptionAlgorithms' in metadata
            ? { EncryptionAlgorithms: metadata.EncryptionAlgorithms }
            : {}),
        };
      },
      Encrypt: (input) => {
        const key = symmetricKey(store, requireString(input, 'KeyId'));
        const plaintext = boundedBlob(input, 'Plaintext', 4096);
        return {
          KeyId: key.arn,
          CiphertextBlob: encryptSymmetric(key, plaintext, input.EncryptionContext).toString('base64'),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        };
      },
      Decrypt: (input) => {
        const ciphertext = blob(input, 'CiphertextBlob');
        const embeddedKeyId = ciphertextKeyId(ciphertext);
        const key = symmetricKey(store, embeddedKeyId);
        if (typeof input.KeyId === 'string' && store.find(input.KeyId).keyId !== key.keyId) {
          throw new AwsServiceError(
            'IncorrectKeyException',
            'The key ID in the request does not identify the key used to encrypt',
          );
        }
        return {
          KeyId: key.arn,
          Plaintext: decryptSymmetric(key, ciphertext, input.EncryptionContext).toString('base64'),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        };
      },
      GenerateDataKey: (input) => {
        const { key, plaintext, ciphertext } = generateDataKey(input);
        return {
          KeyId: key.arn,
          Plaintext: plaintext.toString('base64'),
          CiphertextBlob: ciphertext.toString('base64'),
        };
      },
      GenerateDataKeyWithoutPlaintext: (input) => {
        const { key, ciphertext } = generateDataKey(input);
        return { KeyId: key.arn, CiphertextBlob: ciphertext.toString('base64') };
      },
      GenerateRandom: (input) => ({
        Plaintext: randomBytes(Number(input.NumberOfBytes ?? 32)).toString('base64'),
      }),
      TagResource: (input) => {
        const key = store.find(requireString(input, 'KeyId'));
        for (const tag of (input.Tags as StoredKey['tags']) ?? []) {
          key.tags = key.tags.filter((existing) => existing.TagKey !== tag.TagKey);
          key.tags.push({ TagKey: tag.TagKey, TagValue: tag.TagValue });
        }
        store.save();
      },
      UntagResource: (input) => {
        const key = store.find(requireString(input, 'KeyId'));
        const remove = new Set((input.TagKeys as string[]) ?? []);
        key.tags = key.tags.filter((tag) => !remove.has(tag.TagKey));
        store.save();
      },
      ListResourceTags: (input) => ({
        Tags: store.find(requireString(input, 'KeyId')).tags,
        Truncated: false,
      }),
      CreateAlias: (input) => {
        store.setAlias(requireString(input, 'AliasName'), requireString(input, 'TargetKeyId'), {
          create: true,
        });
      },
      UpdateAlias: (input) => {
        store.setAlias(requireString(input, 'AliasName'), requireString(input, 'TargetKeyId'), {
          create: false,
        });
      },
      DeleteAlias: (input) => store.deleteAlias(requireString(input, 'AliasName')),
      ListAliases: (input) => {
        const filterKey = typeof input.KeyId === 'string' ? store.find(input.KeyId).keyId : undefined;
        return {
          Aliases: store
            .aliases()
            .filter(({ keyId }) => !filterKey || keyId === filterKey)
            .map(({ aliasName, keyId }) => ({
              AliasName: aliasName,
              AliasArn: arn.kmsAlias(aliasName),
              TargetKeyId: keyId,
            })),
          Truncated: false,
        };
      },
    },
  };
}
