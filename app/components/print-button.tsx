/** Opens the browser's print dialog; a no-op button when scripts have not loaded yet. */
export function PrintButton() {
  return (
    <button type="button" className="button" onClick={() => window.print()}>
      打印本页
    </button>
  );
}
