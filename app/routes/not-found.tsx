import { data } from "react-router";

export function loader() {
  throw data(null, { status: 404 });
}

/** A post to an address that does not exist is a 404 too (not React Router's "no action" error). */
export function action() {
  throw data(null, { status: 404 });
}

export default function NotFound() {
  return null;
}
