import type { core } from "zod";

/**
 * For a form's cross-field check (`.superRefine(fn, crossFieldCheck)`): zod skips an object's
 * refinements as soon as one field failed, so a person would meet the date errors only after
 * fixing every other one. With this the check runs whenever there is an object to look at, and
 * every mistake shows at once. The values may then be partial or raw: the check must test each
 * one's type before using it.
 */
export const crossFieldCheck = {
  when: (payload: core.ParsePayload) => typeof payload.value === "object" && payload.value !== null,
};
