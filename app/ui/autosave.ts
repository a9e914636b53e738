import { useCallback, useEffect, useRef, useState } from "react";
import { useFetcher } from "react-router";
import type { CvConflictView } from "~/domain/cv/merge";
import type { MessageKey } from "~/i18n";

type AutosaveResult = { autosave: true; ok: boolean; revision?: number; message?: MessageKey; conflict?: CvConflictView };

/** The pause after the last keystroke before the form is sent. */
const PAUSE_MS = 1500;

/**
 * Saves the editor as you type (with JavaScript): a pause of 1.5 s sends the whole form with
 * intent "autosave". The revision the next save builds on is the newest one known, so two
 * people writing at once never overwrite each other: a refused save hands back `conflict`, which
 * the editor merges into the form (decision 017); it passes `paused` while a choice is awaited, and
 * retries with `sendNow` once the form builds on the revision saved meanwhile.
 *
 * One save at a time: a pause that ends while a save is in flight sends the form again as soon as
 * that save is answered (on the revision it made), so what is typed meanwhile is saved next. The
 * edits are counted, and "saved" is said only when the last answered save carried all of them.
 */
export function useAutosave(revision: number, paused = false) {
  const fetcher = useFetcher<AutosaveResult>();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** Edits made so far, and how many of them the save in flight (or the last one) carried. */
  const edits = useRef(0);
  const sent = useRef(0);
  const inFlight = useRef(false);
  /** A pause ended while a save was in flight: send again once it is answered. */
  const queued = useRef(false);
  /** Something on screen is not known to be stored. */
  const [dirty, setDirty] = useState(false);
  const current = Math.max(revision, fetcher.data?.ok ? (fetcher.data.revision ?? -1) : -1);
  const busy = fetcher.state !== "idle";

  const send = useCallback(() => {
    const form = formRef.current;
    if (!form) return;
    clearTimeout(timer.current);
    if (inFlight.current) {
      queued.current = true;
      return;
    }
    queued.current = false;
    const body = new FormData(form);
    body.set("intent", "autosave");
    body.delete("photo");
    sent.current = edits.current;
    inFlight.current = true;
    fetcher.submit(body, { method: "post", encType: "multipart/form-data" });
  }, [fetcher]);
  // The timer calls the newest `send` (the fetcher changes from one drawing to the next).
  const sendRef = useRef(send);
  useEffect(() => {
    sendRef.current = send;
  });

  const onInput = useCallback(() => {
    edits.current++;
    setDirty(true);
    if (paused) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => sendRef.current(), PAUSE_MS);
  }, [paused]);

  // A save answered (after the form shows its revision): settled if it carried every edit, else
  // the waiting pause goes now. A conflict is left to the editor, which merges what is on screen
  // into the form and retries.
  useEffect(() => {
    if (busy || !inFlight.current) return;
    inFlight.current = false;
    if (fetcher.data?.conflict) {
      queued.current = false;
      return;
    }
    if (fetcher.data?.ok && edits.current === sent.current) setDirty(false);
    if (queued.current) send();
  }, [busy, fetcher.data, send]);

  useEffect(() => () => clearTimeout(timer.current), []);
  // A pause already timed when a conflict arrives waits, too, until the choice is made.
  useEffect(() => {
    if (paused) clearTimeout(timer.current);
  }, [paused]);
  /** A real submit (save, add, remove…) supersedes the pending autosave: it carries the whole form. */
  const onSubmit = useCallback(() => {
    clearTimeout(timer.current);
    queued.current = false;
    sent.current = edits.current;
    setDirty(false);
  }, []);

  const failed = !!fetcher.data && !fetcher.data.ok && !busy;
  const status: MessageKey | null = busy
    ? "editor.autosaving"
    : failed
      ? (fetcher.data!.message ?? "editor.autosaveInvalid")
      : dirty
        ? "editor.autosavePending"
        : fetcher.data?.ok
          ? "editor.autosaved"
          : null;
  const conflict = failed ? fetcher.data!.conflict : undefined;
  return { formRef, onInput, onSubmit, revision: current, status, failed, conflict, sendNow: send };
}
