/** A download name without patient data: the series and instance numbers only ("document-se1-1.pdf"). */
export function documentFileName(seriesNumber: number | undefined, instanceNumber: number | undefined, extension: string): string {
  const parts = ['document', seriesNumber !== undefined ? `se${seriesNumber}` : '', instanceNumber !== undefined ? `${instanceNumber}` : ''].filter(Boolean);
  return `${parts.join('-')}.${extension}`;
}
