import type { ShareNetwork } from "~/db/schema";

/** The share address of each network, with the CV's address and the pre-filled text. */
export function shareTarget(network: ShareNetwork, cvUrl: string, text: string, subject: string): string | null {
  const url = encodeURIComponent(cvUrl);
  const message = encodeURIComponent(text);
  switch (network) {
    case "linkedin":
      return `https://www.linkedin.com/sharing/share-offsite/?url=${url}`;
    case "facebook":
      return `https://www.facebook.com/sharer/sharer.php?u=${url}`;
    case "x":
      return `https://twitter.com/intent/tweet?text=${message}&url=${url}`;
    case "whatsapp":
      return `https://wa.me/?text=${encodeURIComponent(`${text} ${cvUrl}`)}`;
    case "email":
      return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(`${text}\n\n${cvUrl}`)}`;
    default:
      return null; // copy and native share happen in the browser
  }
}
