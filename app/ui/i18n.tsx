import { useRouteLoaderData } from "react-router";
import type { Locale } from "~/db/schema";
import { translator, type Translate } from "~/i18n";

export type RootData = {
  locale: Locale;
  csrfToken: string;
  user: { id: string; firstName: string; role: "staff" | "coach" | "candidate" } | null;
};

export function useRootData(): RootData {
  const data = useRouteLoaderData("root") as RootData | undefined;
  return data ?? { locale: "fr", csrfToken: "", user: null };
}

export function useT(): Translate {
  return translator(useRootData().locale);
}

export function useLocale(): Locale {
  return useRootData().locale;
}
