/**
 * The outcome of a console file import (school list, evaluation data): the success message with
 * what the import assumed to read the file as typed, or every error located in the file —
 * nothing is imported unless the whole file is valid.
 */
export function ImportResult({
  result,
}: {
  result: { ok: true; message: string; notes?: readonly string[] } | { ok: false; errors: readonly string[] } | undefined;
}) {
  if (!result) return null;
  if (result.ok) {
    const notes = result.notes ?? [];
    return (
      <div className="c-notice c-notice--ok" role="status">
        {result.message}
        {notes.length > 0 ? (
          <>
            <p style={{ margin: "8px 0 4px" }}>导入时按以下理解读取了文件，请核对：</p>
            <ul className="c-list">
              {notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    );
  }
  return (
    <div className="c-notice c-notice--error" role="alert">
      <strong>文件有 {result.errors.length} 处错误，未导入任何数据：</strong>
      <ul className="c-list">
        {result.errors.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
    </div>
  );
}
