// Loading data for a page: the request is cancelled when the page goes away or its inputs
// change, so a slow answer for the previous shipment never overwrites the current one.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { isAbort } from "./api";

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

// A reload keeps showing the current data until the new answer comes; new inputs (another
// shipment) clear it at once, unless `keepPrevious` asks to keep it (a list being re-filtered).
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
  { keepPrevious = false }: { keepPrevious?: boolean } = {},
): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reloading = useRef(false);

  useEffect(() => {
    const controller = new AbortController();
    const keep = keepPrevious || reloading.current;
    reloading.current = false;
    setState((s) => ({ data: keep ? s.data : undefined, loading: true }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, loading: false });
      },
      (error) => {
        if (!controller.signal.aborted && !isAbort(error)) {
          setState((s) => ({ data: keep ? s.data : undefined, error, loading: false }));
        }
      },
    );
    return () => controller.abort();
    // The caller names the inputs that matter; `load` itself is read through a ref.
  }, [...deps, generation]);

  const reload = useCallback(() => {
    reloading.current = true;
    setGeneration((g) => g + 1);
  }, []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

// Sets the document title for the page being shown.
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Traceport` : "Traceport";
  }, [title]);
}
