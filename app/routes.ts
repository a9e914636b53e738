import { index, route, type RouteConfig } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("connexion", "routes/sign-in.tsx"),
  route("deconnexion", "routes/sign-out.tsx"),
  route("langue", "routes/language.tsx"),
  route("mot-de-passe-oublie", "routes/forgot-password.tsx"),
  route("mot-de-passe/:token", "routes/set-password.tsx"),
  route("espace", "routes/space.tsx"),
  route("espace/candidats/:id", "routes/space-candidate.tsx"),
  route("compte", "routes/account.tsx"),
  route("admin", "routes/admin/home.tsx"),
  route("admin/membres", "routes/admin/members.tsx"),
  route("admin/membres/nouveau", "routes/admin/member-new.tsx"),
  route("admin/membres/:id", "routes/admin/member.tsx"),
  route("admin/boite-d-envoi", "routes/admin/outbox.tsx"),
  route("admin/boite-d-envoi/:id", "routes/admin/outbox-message.tsx"),
  route("healthz", "routes/healthz.ts"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
