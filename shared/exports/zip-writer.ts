import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';

export type ZipEntry = {
  /** Path inside the archive (`2026-11/…xml`). */
  name: string;
  content: Uint8Array;
  mtime: Date;
  /** Deflate it: worth it for XML, not for PDFs (their streams are compressed already). */
  compress: boolean;
};

export type ZipWriter<R> = {
  /** Adds entries; resolves once the archive has taken all of them in (memory then holds none of them). */
  add(entries: readonly ZipEntry[]): Promise<void>;
  /** Closes the archive and resolves with what `consume` made of it. */
  end(): Promise<R>;
  /** Stops on an error elsewhere: the archive is abandoned, `consume` sees its stream fail; resolves once it has. */
  abort(error: Error): Promise<void>;
};

/**
 * A ZIP built entry by entry and handed to `consume` as a stream while it grows: the archive is never whole in
 * memory. Backpressure runs end to end: yazl pipes each entry into its output, which `consume` reads at its
 * pace, so `add` resolves only when `consume` has made room. yazl takes entries one at a time, in order, and
 * writes ZIP64 records when an archive needs them.
 */
export function zipWriter<R>(consume: (archive: Readable) => Promise<R>): ZipWriter<R> {
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  let rejectFailure: (error: Error) => void = () => {};
  const failure = new Promise<never>((_, reject) => {
    rejectFailure = reject;
  });
  // Observed through the races below; never an unhandled rejection on its own.
  failure.catch(() => {});
  zip.on('error', (error: Error) => rejectFailure(error));
  const consumed = consume(output);
  consumed.catch((error: Error) => rejectFailure(error));

  return {
    async add(entries) {
      let lastTaken: Promise<void> = Promise.resolve();
      for (const entry of entries) {
        const bytes = Buffer.from(entry.content.buffer, entry.content.byteOffset, entry.content.byteLength);
        const stream = Readable.from([bytes], { objectMode: false });
        lastTaken = new Promise((resolve) => stream.once('end', resolve));
        zip.addReadStreamLazy(
          entry.name,
          { mtime: entry.mtime, compress: entry.compress, size: entry.content.byteLength },
          (callback) => callback(null, stream),
        );
      }
      await Promise.race([lastTaken, failure]);
    },
    async end() {
      zip.end();
      return Promise.race([consumed, failure]);
    },
    async abort(error) {
      rejectFailure(error);
      output.destroy(error);
      await consumed.catch(() => {});
    },
  };
}
