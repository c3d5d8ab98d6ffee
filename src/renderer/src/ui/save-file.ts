/** Hands the browser a file to save (a Blob keeps large parts out of the page's heap). */
export function saveFile(name: string, parts: BlobPart[], type: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob(parts, { type }));
  a.download = name;
  a.click();
  URL.revokeObjectURL(a.href);
}
