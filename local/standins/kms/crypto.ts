import {
  constants,
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  privateDecrypt,
  privateEncrypt,
  publicDecrypt,
  randomBytes,
  sign as signData,
  verify as verifyData,
} from 'node:crypto';
import { AwsServiceError } from '../json-protocol.ts';
import type { KeySpec, StoredKey } from './store.ts';

/** Fresh key material for a key spec (symmetric: 32 random bytes; asymmetric: a PKCS#8 PEM key pair). */
export function generateMaterial(keySpec: KeySpec): string {
  if (keySpec === 'SYMMETRIC_DEFAULT') return randomBytes(32).toString('base64');
  if (keySpec.startsWith('RSA_')) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: Number(keySpec.slice(4)) });
    return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  }
  const namedCurve = { ECC_NIST_P256: 'P-256', ECC_NIST_P384: 'P-384', ECC_SECG_P256K1: 'secp256k1' }[
    keySpec as 'ECC_NIST_P256'
  ];
  const { privateKey } = generateKeyPairSync('ec', { namedCurve });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

// --- Symmetric encryption -----------------------------------------------------------------------------

const CIPHERTEXT_VERSION = 1;

/**
 * The encryption context is bound as AES-GCM additional authenticated data, canonicalised (keys sorted)
 * so `{a,b}` and `{b,a}` are the same context — decrypting with any other context fails, as in KMS.
 */
function contextAad(context: unknown): Buffer {
  const entries = Object.entries((context ?? {}) as Record<string, string>).sort(([a], [b]) =>
    a < b ? -1 : 1,
  );
  return Buffer.from(JSON.stringify(entries));
}

/** Ciphertext blob: version(1) ‖ key id length(1) ‖ key id ‖ iv(12) ‖ tag(16) ‖ ciphertext. */
export function encryptSymmetric(key: StoredKey, plaintext: Buffer, context: unknown): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key.material!, 'base64'), iv);
  cipher.setAAD(contextAad(context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const keyId = Buffer.from(key.keyId);
  return Buffer.concat([
    Buffer.from([CIPHERTEXT_VERSION, keyId.length]),
    keyId,
    iv,
    cipher.getAuthTag(),
    body,
  ]);
}

/** The key id a ciphertext blob was made with (Decrypt needs no KeyId for symmetric keys). */
export function ciphertextKeyId(blob: Buffer): string {
  if (blob.length < 2 || blob[0] !== CIPHERTEXT_VERSION) {
    throw new AwsServiceError(
      'InvalidCiphertextException',
      'The ciphertext is not a valid local KMS ciphertext',
    );
  }
  return blob.subarray(2, 2 + blob[1]!).toString();
}

export function decryptSymmetric(key: StoredKey, blob: Buffer, context: unknown): Buffer {
  const offset = 2 + blob[1]!;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      Buffer.from(key.material!, 'base64'),
      blob.subarray(offset, offset + 12),
    );
    decipher.setAAD(contextAad(context));
    decipher.setAuthTag(blob.subarray(offset + 12, offset + 28));
    return Buffer.concat([decipher.update(blob.subarray(offset + 28)), decipher.final()]);
  } catch {
    // Wrong encryption context or tampered blob: KMS does not say which.
    throw new AwsServiceError('InvalidCiphertextException', '');
  }
}

// --- Signing ------------------------------------------------------------------------------------------

const HASHES = { SHA_256: 'sha256', SHA_384: 'sha384', SHA_512: 'sha512' } as const;
const DIGEST_LENGTH = { sha256: 32, sha384: 48, sha512: 64 } as const;
/** DER prefixes of PKCS#1 v1.5 DigestInfo (RFC 8017 §9.2 note 1). */
const DIGEST_INFO_PREFIX = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
} as const;

/** `MessageType: DIGEST` must be exactly the algorithm's hash length (32 bytes for *_SHA_256), as KMS checks. */
function assertDigestLength(message: Buffer, hash: keyof typeof DIGEST_LENGTH, algorithm: string): void {
  if (message.length !== DIGEST_LENGTH[hash]) {
    throw new AwsServiceError('ValidationException', `Digest is invalid length for algorithm ${algorithm}.`);
  }
}

export function signingAlgorithms(keySpec: KeySpec): string[] {
  if (keySpec.startsWith('RSA_')) {
    return Object.keys(HASHES).flatMap((hash) => [`RSASSA_PSS_${hash}`, `RSASSA_PKCS1_V1_5_${hash}`]);
  }
  return (
    {
      ECC_NIST_P256: ['ECDSA_SHA_256'],
      ECC_NIST_P384: ['ECDSA_SHA_384'],
      ECC_SECG_P256K1: ['ECDSA_SHA_256'],
    }[keySpec as 'ECC_NIST_P256'] ?? []
  );
}

function parseAlgorithm(key: StoredKey, algorithm: string) {
  if (!signingAlgorithms(key.keySpec).includes(algorithm)) {
    throw new AwsServiceError(
      'InvalidKeyUsageException',
      `The signing algorithm ${algorithm} is not valid for ${key.keySpec} keys`,
    );
  }
  const hash = HASHES[algorithm.slice(-7) as keyof typeof HASHES];
  const scheme = algorithm.startsWith('RSASSA_PSS')
    ? 'pss'
    : algorithm.startsWith('RSASSA_PKCS1')
      ? 'pkcs1'
      : 'ecdsa';
  return { hash, scheme };
}

/**
 * Sign with `MessageType: DIGEST` signs the given hash as is. Node's `sign()` always hashes, so for PKCS#1
 * v1.5 we build the DigestInfo and apply the private key with PKCS#1 type-1 padding, which is exactly the
 * RSASSA-PKCS1-v1_5 signature of that digest.
 */
export function signMessage(key: StoredKey, message: Buffer, messageType: string, algorithm: string): Buffer {
  const { hash, scheme } = parseAlgorithm(key, algorithm);
  const privateKey = createPrivateKey(key.material!);
  if (messageType === 'DIGEST') {
    assertDigestLength(message, hash, algorithm);
    if (scheme === 'pkcs1') {
      const digestInfo = Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[hash], 'hex'), message]);
      return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo);
    }
    throw new AwsServiceError(
      'UnsupportedOperationException',
      `DIGEST signing with ${algorithm} is not supported locally`,
    );
  }
  return signData(hash, message, {
    key: privateKey,
    ...(scheme === 'pss'
      ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: DIGEST_LENGTH[hash] }
      : {}),
  });
}

export function verifySignature(
  key: StoredKey,
  message: Buffer,
  messageType: string,
  algorithm: string,
  signature: Buffer,
): boolean {
  const { hash, scheme } = parseAlgorithm(key, algorithm);
  const publicKey = createPublicKey(createPrivateKey(key.material!));
  if (messageType === 'DIGEST') {
    assertDigestLength(message, hash, algorithm);
    if (scheme !== 'pkcs1') {
      throw new AwsServiceError(
        'UnsupportedOperationException',
        `DIGEST verify with ${algorithm} is not supported locally`,
      );
    }
    try {
      const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
      return recovered.equals(Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[hash], 'hex'), message]));
    } catch {
      return false;
    }
  }
  return verifyData(
    hash,
    message,
    {
      key: publicKey,
      ...(scheme === 'pss'
        ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: DIGEST_LENGTH[hash] }
        : {}),
    },
    signature,
  );
}

export function publicKeyDer(key: StoredKey): Buffer {
  return createPublicKey(createPrivateKey(key.material!)).export({ type: 'spki', format: 'der' });
}

// --- Importing key material ----------------------------------------------------------------------------

export const WRAPPING_ALGORITHMS = [
  'RSAES_OAEP_SHA_1',
  'RSAES_OAEP_SHA_256',
  'RSA_AES_KEY_WRAP_SHA_1',
  'RSA_AES_KEY_WRAP_SHA_256',
] as const;

export function generateWrappingKey(wrappingKeySpec: string): {
  privateKeyPem: string;
  publicKeyDer: Buffer;
} {
  const modulusLength = Number(/^RSA_(\d+)$/.exec(wrappingKeySpec)?.[1] ?? Number.NaN);
  if (![2048, 3072, 4096].includes(modulusLength)) {
    throw new AwsServiceError('ValidationException', `WrappingKeySpec ${wrappingKeySpec} is not supported`);
  }
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKeyDer: publicKey.export({ type: 'spki', format: 'der' }),
  };
}

/**
 * Undoes the wrapping the importer applied. RSAES_OAEP_* wraps the material directly (fits symmetric keys);
 * RSA_AES_KEY_WRAP_* (what AWS requires for asymmetric private keys, which are too big for OAEP) wraps a
 * fresh AES-256 key with OAEP and the material with AES key wrap with padding (RFC 5649), concatenated.
 */
export function unwrapKeyMaterial(wrappingPrivateKeyPem: string, algorithm: string, wrapped: Buffer): Buffer {
  const oaepHash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const privateKey = createPrivateKey(wrappingPrivateKeyPem);
  const rsaDecrypt = (data: Buffer) =>
    privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  try {
    if (algorithm.startsWith('RSAES_OAEP')) return rsaDecrypt(wrapped);
    const modulusBytes = (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
    const aesKey = rsaDecrypt(wrapped.subarray(0, modulusBytes));
    const decipher = createDecipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('a65959a6', 'hex'));
    return Buffer.concat([decipher.update(wrapped.subarray(modulusBytes)), decipher.final()]);
  } catch {
    throw new AwsServiceError('IncorrectKeyMaterialException', 'The key material could not be unwrapped');
  }
}

/** Checks unwrapped material fits the key spec and returns it in the store's encoding. */
export function acceptImportedMaterial(key: StoredKey, material: Buffer): string {
  if (key.keySpec === 'SYMMETRIC_DEFAULT') {
    if (material.length !== 32) {
      throw new AwsServiceError('IncorrectKeyMaterialException', 'Symmetric key material must be 256 bits');
    }
    return material.toString('base64');
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
  } catch {
    throw new AwsServiceError(
      'IncorrectKeyMaterialException',
      'Key material is not a PKCS#8 DER private key',
    );
  }
  const details = privateKey.asymmetricKeyDetails;
  const matches = key.keySpec.startsWith('RSA_')
    ? privateKey.asymmetricKeyType === 'rsa' && details?.modulusLength === Number(key.keySpec.slice(4))
    : privateKey.asymmetricKeyType === 'ec';
  if (!matches) {
    throw new AwsServiceError(
      'IncorrectKeyMaterialException',
      `Key material does not match key spec ${key.keySpec}`,
    );
  }
  return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}
