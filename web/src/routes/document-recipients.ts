/** Addresses as typed into one box: commas, semicolons or spaces between them. */
export function recipientsOf(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((address) => address.trim())
    .filter((address) => address !== '');
}
