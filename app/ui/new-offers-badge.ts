import type { Translate } from "~/i18n";

/** The "unseen offers" badge text: "1 nouvelle", "3 nouvelles". */
export const newBadge = (t: Translate, count: number) => (count === 1 ? t("offers.badge.one") : t("offers.badge.many", { count }));
