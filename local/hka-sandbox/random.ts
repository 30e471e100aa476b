/**
 * Seeded PRNG (mulberry32): the same seed gives the same tokens, security codes and fault draws, so a
 * failing test replays exactly.
 */
export type Random = { next(): number; digits(count: number): string; hex(count: number): string };

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (alphabet: string, count: number) =>
    Array.from({ length: count }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  return {
    next,
    digits: (count) => pick('0123456789', count),
    hex: (count) => pick('0123456789abcdef', count),
  };
}
