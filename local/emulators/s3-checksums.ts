import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** The additional checksum algorithms S3 accepts on uploads (`x-amz-checksum-<name>`). */
export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** Size of each digest in bytes: a header value is valid only as the canonical base64 of that many bytes. */
const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = {
  crc32: 4,
  crc32c: 4,
  crc64nvme: 8,
  sha1: 20,
  sha256: 32,
};

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name);
}

/** The base64 checksum S3 computes for a body (big-endian for the CRCs, as the SDKs send them). */
export function checksumOf(algorithm: ChecksumAlgorithm, body: Uint8Array): string {
  switch (algorithm) {
    case 'crc32':
      return uint32Base64(crc32(body));
    case 'crc32c':
      return uint32Base64(crc32c(body));
    case 'crc64nvme': {
      const bytes = Buffer.alloc(8);
      bytes.writeBigUInt64BE(crc64nvme(body));
      return bytes.toString('base64');
    }
    case 'sha1':
    case 'sha256':
      return createHash(algorithm).update(body).digest('base64');
  }
}

/**
 * Whether a header value is well-formed for the algorithm. S3 refuses non-canonical base64 too (a last
 * character carrying stray bits, `y/Q5Jh==` for `y/Q5Jg==`), so the value must re-encode to itself.
 */
export function isWellFormedChecksum(algorithm: ChecksumAlgorithm, value: string): boolean {
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === DIGEST_BYTES[algorithm] && bytes.toString('base64') === value;
}

function uint32Base64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
}

// CRC-32C (Castagnoli) and CRC-64/NVME are not in Node's zlib: reflected table-driven implementations.

const CRC32C_TABLE = Uint32Array.from({ length: 256 }, (_, index) => {
  let crc = index;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  return crc >>> 0;
});

function crc32c(body: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of body) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const CRC64_MASK = 0xffffffffffffffffn;
const CRC64NVME_TABLE = Array.from({ length: 256 }, (_, index) => {
  let crc = BigInt(index);
  for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ 0x9a6c9329ac4bc9b5n : crc >> 1n;
  return crc;
});

function crc64nvme(body: Uint8Array): bigint {
  let crc = CRC64_MASK;
  for (const byte of body) crc = CRC64NVME_TABLE[Number((crc ^ BigInt(byte)) & 0xffn)]! ^ (crc >> 8n);
  return (crc ^ CRC64_MASK) & CRC64_MASK;
}
