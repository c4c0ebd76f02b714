/** "PO 4411" for a bare number, but "PO-4411" as it is when the number already says PO. */
export function poLabel(number: string): string {
  return /^po\b/i.test(number) ? number : `PO ${number}`;
}
