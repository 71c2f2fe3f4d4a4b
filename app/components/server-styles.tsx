import { createContext, useContext } from "react";

/**
 * The stylesheet text of pages that are not hydrated (the parents' pages): inlined into their
 * <head> so that nothing blocks the first question. Provided by entry.server (server only);
 * empty in the browser, where hydrated pages link the stylesheet instead.
 */
export const ServerStylesContext = createContext("");
export const useServerStyles = () => useContext(ServerStylesContext);

/** Route handle of pages rendered without any JavaScript framework in the browser. */
export interface PageHandle {
  hydrate?: boolean;
}

export function isStaticPage(handles: readonly unknown[]): boolean {
  return handles.some((h) => typeof h === "object" && h !== null && "hydrate" in h && h.hydrate === false);
}
