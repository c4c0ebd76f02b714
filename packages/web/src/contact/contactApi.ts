import { api } from '../api/client';

/**
 * The public contact form of a brand (packages/server/src/routes/contactForm.ts): no sign-in; a
 * message becomes a web-form ticket. The API limits submissions per address (429) and names each
 * field it refuses (400).
 */

export type ContactBrand = { name: string; slug: string };

export type ContactMessage = {
  name: string;
  email: string;
  subject: string;
  message: string;
  orderNumber?: string;
  /** The honeypot: people never see it, so it stays empty; a filled one is dropped as a bot's. */
  website: string;
};

/** The reference to quote (`#1042`), or null when the message was dropped as a bot's. */
export type ContactReceipt = { received: true; reference: string | null };

const base = (slug: string) => `/public/contact/${encodeURIComponent(slug)}`;

export async function fetchContactBrand(slug: string, signal?: AbortSignal): Promise<ContactBrand> {
  return (await api.get<{ data: ContactBrand }>(base(slug), { signal })).data;
}

export async function sendContactMessage(slug: string, message: ContactMessage): Promise<ContactReceipt> {
  return (await api.post<{ data: ContactReceipt }>(base(slug), message)).data;
}
