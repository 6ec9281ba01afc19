/** The id of a lab's section in its lesson page, so `/lessons/<slug>#lab-<id>` lands on the lab. */
export function labAnchor(labId: string): string {
  return `lab-${labId}`;
}
