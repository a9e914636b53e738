import { useCallback, useEffect, useRef } from "react";
import { useFetcher } from "react-router";
import type { CvConflictView } from "~/domain/cv/merge";
import type { MessageKey } from "~/i18n";

type AutosaveResult = { autosave: true; ok: boolean; revision?: number; message?: MessageKey; conflict?: CvConflictView };

/**
 * Saves the editor as you type (with JavaScript): a pause of 1.5 s sends the whole form with
 * intent "autosave". The revision the next save builds on is the newest one known, so two
 * people writing at once never overwrite each other: a refused save hands back `conflict`, which
 * the editor merges into the form (decision 017); it passes `paused` while a choice is awaited, and
 * retries with `sendNow` once the form builds on the revision saved meanwhile.
 */
export function useAutosave(revision: number, paused = false) {
  const fetcher = useFetcher<AutosaveResult>();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const current = Math.max(revision, fetcher.data?.ok ? (fetcher.data.revision ?? -1) : -1);
  const busy = fetcher.state !== "idle";

  const send = useCallback(() => {
    const form = formRef.current;
    if (!form) return;
    const body = new FormData(form);
    body.set("intent", "autosave");
    body.delete("photo");
    fetcher.submit(body, { method: "post", encType: "multipart/form-data" });
  }, [fetcher]);

  const onInput = useCallback(() => {
    if (paused) return;
    clearTimeout(timer.current);
    const wait = () => {
      timer.current = setTimeout(() => (busy ? wait() : send()), 1500);
    };
    wait();
  }, [busy, send, paused]);

  useEffect(() => () => clearTimeout(timer.current), []);
  // A pause already timed when a conflict arrives waits, too, until the choice is made.
  useEffect(() => {
    if (paused) clearTimeout(timer.current);
  }, [paused]);
  /** A real submit (save, add, remove…) supersedes the pending autosave. */
  const onSubmit = useCallback(() => clearTimeout(timer.current), []);

  const status: MessageKey | null = busy
    ? "editor.autosaving"
    : fetcher.data
      ? fetcher.data.ok
        ? "editor.autosaved"
        : (fetcher.data.message ?? "editor.autosaveInvalid")
      : null;
  const conflict = !busy && fetcher.data && !fetcher.data.ok ? fetcher.data.conflict : undefined;
  return { formRef, onInput, onSubmit, revision: current, status, failed: !!fetcher.data && !fetcher.data.ok && !busy, conflict, sendNow: send };
}
