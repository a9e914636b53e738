import { data, Link, redirect, useActionData, useLoaderData, useParams, useSearchParams } from "react-router";
import { cvContentSchema, CV_LIMITS, type CvContent } from "~/domain/cv/content";
import type { ConflictResolution, CvConflictView } from "~/domain/cv/merge";
import { cvStats } from "~/domain/sharing/events";
import { contentErrors, conflictViewFor, CvConflict, getCvForEditor, saveCv, setEmployment, transitionCv } from "~/domain/cv/cvs";
import { applyListIntent, clipForEcho, dropEmptyItems, postedPhoto, readConflictResolution, readCvForm } from "~/domain/cv/editor-form";
import { PHOTO_LIMITS, processPhoto } from "~/domain/cv/photos.server";
import { departments, regions } from "~/domain/reference/departments";
import { businessLines, contractTypes } from "~/domain/reference/lists";
import { AppError } from "~/http/app-error";
import { formFailure, MAX_FORM_BYTES, orNotFound, postedFormOf, readForm } from "~/http/forms.server";
import { requireUser } from "~/http/session.server";
import { formatDate, formatDateTime, type MessageKey } from "~/i18n";
import { CvEditorForm } from "~/ui/cv-editor-form";
import { cvFieldLabel } from "~/ui/cv-section-value";
import { CsrfForm, ErrorSummary, Notice } from "~/ui/forms";
import { useLocale, useT } from "~/ui/i18n";
import type { Route } from "./+types/cv-editor";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context);
  const editor = await orNotFound(() => getCvForEditor(context.services.db, user, params.candidateId));
  // The pair and staff see what sharing did (measured counters only).
  return { ...editor, stats: await cvStats(context.services.db, editor.cv.id) };
}

/** The revision the form started from; a malformed one (never sent by the page) cannot match any. */
const postedRevision = (form: FormData) => {
  const revision = Number(form.get("revision"));
  return Number.isSafeInteger(revision) && revision >= 0 ? revision : -1;
};

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = await requireUser(request, context);
  const editor = await orNotFound(() => getCvForEditor(context.services.db, user, params.candidateId));
  let form: FormData | undefined;
  let intent = "save";
  try {
    // A photo of up to 10 MB may come with the CV: the body limit is raised for this form only.
    form = await readForm(request, context, { maxBytes: PHOTO_LIMITS.bytes + MAX_FORM_BYTES });
    intent = String(form.get("intent") ?? "save");
    if (intent === "employed" || intent === "searching") {
      await setEmployment(context.services, user, params.candidateId, { employed: intent === "employed", until: form.get("until") ?? "" });
      return redirect(`/espace/cv/${params.candidateId}`);
    }
    if (intent.startsWith("transition:")) {
      const status = await transitionCv(context.services, user, params.candidateId, intent.slice("transition:".length), form.get("comment"));
      return redirect(`/espace/cv/${params.candidateId}?etat=${status}`);
    }
    const typed = readCvForm(form, editor.content.photoId);
    // A retry after a conflict carries the choices made for the fields both people changed.
    const resolution = readConflictResolution(form);
    const changed = applyListIntent(typed, intent);
    if (changed) {
      // Adding or moving an item while a conflict is being settled keeps the conflict on screen.
      const conflict = resolution ? await conflictViewFor(context.services.db, user, params.candidateId, resolution.conflictBase, changed) : undefined;
      return { ok: true as const, content: clipForEcho(changed), revision: conflict?.revision ?? postedRevision(form), ...(conflict ? { conflict, choices: resolution!.choices } : {}) };
    }
    const content = dropEmptyItems(typed);
    const parsed = cvContentSchema.safeParse(content);
    if (intent === "autosave") {
      // Saving as you type (JavaScript only): a version per pause; the photo waits for "Enregistrer".
      if (!parsed.success) return data({ autosave: true as const, ok: false as const, message: "editor.autosaveInvalid" as MessageKey }, { status: 400 });
      const saved = await saveCv(context.services, user, params.candidateId, postedRevision(form), parsed.data, undefined, resolution);
      return { autosave: true as const, ok: true as const, revision: saved.revision };
    }
    if (!parsed.success) {
      // While a conflict is being settled, it stays on screen with the errors.
      const conflict = resolution ? await conflictViewFor(context.services.db, user, params.candidateId, resolution.conflictBase, typed) : undefined;
      return data(
        {
          ok: false as const,
          content: clipForEcho(typed),
          revision: conflict?.revision ?? postedRevision(form),
          ...(conflict ? { conflict, choices: resolution!.choices } : {}),
          errors: { message: "form.errorSummary" as MessageKey, fields: contentErrors(parsed.error) as Record<string, MessageKey> },
        },
        { status: 400 },
      );
    }
    const upload = postedPhoto(form);
    const photo = upload ? await processPhoto(Buffer.from(await upload.file.arrayBuffer()), upload.crop) : undefined;
    const saved = await saveCv(context.services, user, params.candidateId, postedRevision(form), parsed.data, photo, resolution);
    return redirect(`/espace/cv/${params.candidateId}?enregistre=${saved.revision}`);
  } catch (error) {
    // A form refused as it was read (a control character) comes back cleaned: nothing typed is lost.
    const refused = postedFormOf(error);
    if (refused) {
      form = refused;
      intent = String(form.get("intent") ?? "save");
    }
    if (error instanceof AppError && error.code === "TOO_LARGE" && !form) {
      // Only a photo makes this form heavy: say so at the photo, with the saved CV in the editor.
      return data(
        {
          ok: false as const,
          content: editor.content,
          revision: editor.cv.revision,
          errors: { message: "form.errorSummary" as MessageKey, fields: { photo: "cv.photoTooBig" } as Record<string, MessageKey> },
        },
        { status: 413 },
      );
    }
    if (error instanceof CvConflict && intent === "autosave") {
      // The browser merges the saved version with what is in the form now (decision 017).
      return data({ autosave: true as const, ok: false as const, message: error.message as MessageKey, conflict: error.view }, { status: error.status });
    }
    if (error instanceof AppError && intent === "autosave") {
      return data({ autosave: true as const, ok: false as const, message: error.message as MessageKey }, { status: error.status });
    }
    if (error instanceof CvConflict && form) {
      // Both versions come back merged: theirs where only they changed, what was typed elsewhere,
      // and a choice for each field both changed. The retry builds on the revision saved now.
      return data(
        {
          ok: false as const,
          content: error.view.mine,
          revision: error.view.revision,
          conflict: error.view,
          choices: readConflictResolution(form)?.choices ?? {},
          // A refused save stores no photo, and a file cannot be put back in the form.
          photoDropped: postedPhoto(form) !== null,
          errors: { message: error.message as MessageKey, fields: error.fieldErrors as Record<string, MessageKey> },
        },
        { status: error.status },
      );
    }
    if (error instanceof AppError && form && (error.code === "CONFLICT" || error.code === "INVALID")) {
      // Whatever was typed comes back in the form: nothing is lost. A refused transition comes
      // from the workflow form, which carries no CV: the saved CV stays in the editor.
      const transition = intent.startsWith("transition:") || intent === "employed" || intent === "searching";
      return data(
        {
          ok: false as const,
          content: transition ? editor.content : clipForEcho(readCvForm(form, editor.content.photoId)),
          revision: transition ? editor.cv.revision : postedRevision(form),
          errors: { message: error.message as MessageKey, fields: error.fieldErrors as Record<string, MessageKey> },
        },
        { status: error.status },
      );
    }
    return formFailure(error, form);
  }
}

export default function CvEditor() {
  const t = useT();
  const locale = useLocale();
  const editor = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { candidateId } = useParams();
  const content: CvContent = result && "content" in result && result.content ? result.content : editor.content;
  const revision = result && "revision" in result ? result.revision : editor.cv.revision;
  const errors = result && "errors" in result ? result.errors : undefined;
  // A refused save comes back with both versions: the form shows them merged (decision 017).
  const conflict = result && "conflict" in result && result.conflict ? {
          view: result.conflict as CvConflictView,
          choices: (("choices" in result && result.choices) || {}) as ConflictResolution["choices"],
          photoDropped: "photoDropped" in result && result.photoDropped === true,
        } : undefined;
  const name = `${editor.candidate.firstName} ${editor.candidate.lastName}`;
  const state = params.get("etat");
  return (
    <>
      <title>{`${t("editor.title", { name })} — LinkedOut`}</title>
      <h1>{t("editor.title", { name })}</h1>
      <p>
        {t("editor.status", { status: t(`cv.status.${editor.cv.status}`) })}
        {editor.cv.isPublished && (
          <>
            {" — "}
            <Link to={`/cv/${editor.cv.slug}`}>{t("editor.publicLink")}</Link>
          </>
        )}
      </p>
      <p>
        <a href={`/espace/cv/${candidateId}/cv.pdf`} download>
          {t("editor.completePdf")}
        </a>
      </p>
      {/* A form sent again from this address answers for itself: no stale "enregistré". */}
      {params.get("enregistre") && !result && <Notice>{t("editor.saved")}</Notice>}
      {state && <Notice>{t("editor.transitionDone", { status: t(`cv.status.${state}` as MessageKey) })}</Notice>}
      {editor.cv.hasUnpublishedChanges && <p className="muted">{t("editor.unpublishedChanges")}</p>}
      {editor.cv.isPublished && (
        <section aria-labelledby="stats-title" className="card">
          <h2 id="stats-title">{t("stats.title")}</h2>
          <p>
            {t("stats.views", { count: editor.stats.views })} · {t("stats.shares", { count: editor.stats.shares })}
          </p>
          <ul className="tags">
            {Object.entries(editor.stats.sharesByNetwork)
              .filter(([, value]) => value > 0)
              .map(([network, value]) => (
                <li key={network}>{`${t(`share.network.${network}` as MessageKey)} : ${value}`}</li>
              ))}
          </ul>
          <p className="hint">{t("stats.sharesHelp")}</p>
        </section>
      )}
      <ErrorSummary errors={errors} labels={(field) => cvFieldLabel(t, field)} />
      {editor.log.some((l) => l.comment) && (
        <section aria-labelledby="comments-title" className="card">
          <h2 id="comments-title">{t("editor.comment")}</h2>
          <ul>
            {editor.log
              .filter((l) => l.comment)
              .map((l, i) => (
                <li key={i}>
                  <strong>{formatDateTime(locale, new Date(l.createdAt))} — {l.actorFirstName}</strong> : {l.comment}
                </li>
              ))}
          </ul>
        </section>
      )}
      <CvEditorForm content={content} revision={revision} conflict={conflict} errors={errors?.fields ?? {}} lists={{ businessLines, contractTypes, departments, regions }} limits={CV_LIMITS} />
      {editor.role !== "candidate" && (
        <section aria-labelledby="employment-title">
          <h2 id="employment-title">{t("editor.employment")}</h2>
          {editor.cv.employed ? (
            <CsrfForm>
              <p>
                {t("editor.employedNow", { firstName: editor.candidate.firstName })}
                {editor.cv.employedUntil && ` — ${formatDate(locale, new Date(editor.cv.employedUntil))}`}
              </p>
              <button type="submit" name="intent" value="searching" className="button button-secondary">
                {t("editor.markSearching")}
              </button>
            </CsrfForm>
          ) : (
            <CsrfForm>
              <div className={`field${errors?.fields.until ? " field-invalid" : ""}`}>
                <label htmlFor="field-until">{t("editor.employedUntil")}</label>
                {errors?.fields.until && <p className="field-error">{t(errors.fields.until)}</p>}
                <input id="field-until" type="date" name="until" />
              </div>
              <button type="submit" name="intent" value="employed" className="button button-secondary">
                {t("editor.markEmployed")}
              </button>
            </CsrfForm>
          )}
        </section>
      )}
      <section aria-labelledby="workflow-title">
        <h2 id="workflow-title">{t("editor.workflow")}</h2>
        {editor.available.length > 0 && (
          <CsrfForm>
            <div className="field">
              <label htmlFor="field-comment">{t("editor.comment")}</label>
              <p className="hint">{t("editor.commentHint")}</p>
              <textarea id="field-comment" name="comment" rows={3} maxLength={2000} />
            </div>
            <div className="button-row">
              {editor.available.map((transition) => (
                <button key={transition} type="submit" name="intent" value={`transition:${transition}`} className={transition === "publish" || transition === "submit" ? "button" : "button button-secondary"}>
                  {t(`cv.transition.${transition}`)}
                </button>
              ))}
            </div>
          </CsrfForm>
        )}
        {editor.log.length > 0 && (
          <>
            <h3>{t("editor.history")}</h3>
            <ul>
              {editor.log.map((l, i) => (
                <li key={i}>
                  {t("editor.logEntry", {
                    date: formatDateTime(locale, new Date(l.createdAt)),
                    transition: t(`cv.transition.${l.transition}` as MessageKey),
                    actor: l.actorFirstName ?? "—",
                  })}
                </li>
              ))}
            </ul>
          </>
        )}
        {editor.canSeeHistory && (
          <p>
            <Link to="versions">{t("editor.versions")}</Link>
          </p>
        )}
      </section>
    </>
  );
}
