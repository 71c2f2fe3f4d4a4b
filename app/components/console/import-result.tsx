/**
 * The outcome of a console file import (school list, evaluation data): the success message, or
 * every error located in the file — nothing is imported unless the whole file is valid.
 */
export function ImportResult({ result }: { result: { ok: true; message: string } | { ok: false; errors: readonly string[] } | undefined }) {
  if (!result) return null;
  if (result.ok) return <div className="c-notice c-notice--ok">{result.message}</div>;
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
